"""XLSForm conversion with pyxform: the default instrument, and errors that name sheet, row and column."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from msmelens.feedback.xlsform import FormError, convert_xlsform, default_instrument_path

ROOT = Path(__file__).resolve().parents[2]
XF = "{http://www.w3.org/2002/xforms}"
STABLE_NAMES = [
    "country", "sector", "employees", "size_class", "year_started", "owner_gender", "manager_gender", "location",
    "exporter", "importer", "online_sales", "markets", "biggest_obstacle", "comment", "consent_followup",
    "contact_email", "contact_phone", "aware_agreements", "aware_sme_provisions", "digital_awareness",
    "skill_literacy", "skill_ict", "skill_language", "skill_business", "skill_social",
    "digital_infrastructure", "digital_legal",
]
CATEGORIES = ["skills", "market_information", "border_procedures", "finance", "digital", "infrastructure",
              "regulatory_framework", "dialogue_and_data"]


def workbook(survey: list[list[str]], choices: list[list[str]] | None = None, form_id: str = "test_form") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        sheet = book.create_sheet("choices")
        for row in choices:
            sheet.append(row)
    sheet = book.create_sheet("settings")
    sheet.append(["form_id", "version"])
    sheet.append([form_id, "1"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_default_instrument_converts_with_its_stable_names() -> None:
    path = default_instrument_path()
    converted = convert_xlsform(path.name, path.read_bytes())
    spec = converted.spec
    assert spec.form_id == "msme_trade_obstacles"
    assert spec.title == spec.title_in("en") == "Obstacles to trade for small businesses"
    assert spec.title_in("fr") == "Obstacles au commerce des petites entreprises"
    assert spec.title_in("es") == "Obstáculos al comercio de las pequeñas empresas"
    assert spec.languages == ["en", "fr", "es"]
    names = [q.name for q in spec.questions]
    for name in STABLE_NAMES + [f"obstacle_{c}" for c in CATEGORIES]:
        assert name in names, name
    severity = [c.name for c in spec.by_name["obstacle_finance"].choices]
    assert severity == ["0", "1", "2", "3", "4", "dk"]
    assert [c.name for c in spec.by_name["biggest_obstacle"].choices] == CATEGORIES
    assert spec.by_name["country"].choice_names >= {"PER", "KOR", "NPL", "FRA"}
    assert spec.by_name["owner_gender"].choice_names == {"female", "male", "other", "no_answer"}
    assert spec.text(spec.by_name["employees"].label, "fr").startswith("Combien de personnes")
    assert spec.text(spec.by_name["employees"].label, "es").startswith("¿Cuántas personas")
    # the XForm is valid XML with the form id and the three translations
    root = ET.fromstring(converted.xform)
    instance = root.find(f".//{XF}instance/{XF}data")
    assert instance is not None and instance.get("id") == "msme_trade_obstacles"
    langs = {t.get("lang") for t in root.iter(f"{XF}translation")}
    assert langs == {"English (en)", "Français (fr)", "Español (es)"}


def test_shipped_workbook_matches_its_source(tmp_path: Path) -> None:
    import runpy

    module = runpy.run_path(str(ROOT / "scripts" / "build_default_instrument.py"))
    rebuilt = module["build"](tmp_path / "rebuilt.xlsx")
    shipped = load_workbook(default_instrument_path(), read_only=True)
    fresh = load_workbook(rebuilt, read_only=True)
    for name in ("survey", "choices", "settings"):
        assert [tuple(r) for r in shipped[name].iter_rows(values_only=True)] == [
            tuple(r) for r in fresh[name].iter_rows(values_only=True)
        ], f"the {name} sheet differs: run scripts/build_default_instrument.py"


def problems_of(content: bytes, filename: str = "form.xlsx") -> list[str]:
    with pytest.raises(FormError) as caught:
        convert_xlsform(filename, content)
    return [str(p) for p in caught.value.problems]


def test_unknown_reference_names_row_and_column() -> None:
    content = workbook([
        ["type", "name", "label", "constraint"],
        ["integer", "age", "Age", ""],
        ["integer", "years", "Years", ". < ${nope}"],
    ])
    assert problems_of(content) == [
        "MSL307 survey sheet, row 3, column 'constraint': ${nope} is not a question of this form."
    ]


def test_unknown_function_names_row_and_column() -> None:
    content = workbook([["type", "name", "label", "relevant"], ["integer", "age", "Age", "pulldata('x') = 1"]])
    assert problems_of(content) == [
        "MSL306 survey sheet, row 2, column 'relevant': the function pulldata() is not supported in "
        "'pulldata('x') = 1'."
    ]


def test_missing_choice_list_is_placed() -> None:
    content = workbook(
        [["type", "name", "label"], ["integer", "age", "Age"], ["select_one colours", "colour", "Colour"]],
        [["list_name", "name", "label"], ["sizes", "s", "Small"]],
    )
    problems = problems_of(content)
    assert len(problems) == 1
    assert "survey sheet, row 3, column 'type'" in problems[0]
    assert "colours" in problems[0]


def test_not_a_workbook() -> None:
    assert problems_of(b"hello", "form.xlsx") == [
        "MSL301 this is not an Excel workbook (.xlsx): save it again from Excel, LibreOffice or Google "
        "Sheets as .xlsx."
    ]
    assert "is not an XLSForm file" in problems_of(b"x", "form.pdf")[0]
    assert problems_of(b"", "form.xlsx") == ["MSL301 the file is empty."]


def test_reserved_and_duplicate_names() -> None:
    content = workbook([
        ["type", "name", "label"],
        ["text", "wave", "Wave"],
        ["begin_group", "g1", "G1"],
        ["text", "city", "City"],
        ["end_group", "", ""],
        ["begin_group", "g2", "G2"],
        ["text", "city", "City again"],
        ["end_group", "", ""],
    ])
    problems = problems_of(content)
    assert any(p.startswith("MSL305 survey sheet, row 2, column 'name'") for p in problems)
    assert any(p.startswith("MSL304") and "'city'" in p for p in problems)


def test_error_text_names_the_file() -> None:
    with pytest.raises(FormError) as caught:
        convert_xlsform("my-form.xlsx", b"")
    assert caught.value.describe().splitlines()[0] == "my-form.xlsx: this XLSForm cannot be used."


def test_loose_questions_are_paged_in_fives() -> None:
    rows = [["type", "name", "label"]] + [["text", f"q{i}", f"Question {i}"] for i in range(12)]
    spec = convert_xlsform("f.xlsx", workbook(rows)).spec
    assert [len(p.questions) for p in spec.pages] == [5, 5, 2]
    assert spec.by_name["q7"].page == 1
