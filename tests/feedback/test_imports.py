"""Importing KoboToolbox and ODK Central exports (CSV and XLSX) into the default survey, on a real database."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from msmelens.feedback import selectors, services
from msmelens.feedback.imports import (
    ImportFileError,
    import_responses,
    plan_columns,
    read_table,
    reduce_header,
)
from msmelens.feedback.models import ContactDetail

DATA = Path(__file__).resolve().parent / "data"
KOBO = DATA / "kobo_export.csv"
CENTRAL = DATA / "central_export.csv"


def _spec(survey):
    return selectors.form_spec(selectors.current_form(survey))


def test_headers_reduce_to_question_names(default_survey):
    spec = _spec(default_survey)
    assert reduce_header("firm/country", spec) == ("question", "country")
    assert reduce_header("firm-country", spec) == ("question", "country")
    assert reduce_header("country", spec) == ("question", "country")
    assert reduce_header("some_group/obstacle_finance", spec) == ("question", "obstacle_finance")
    assert reduce_header("trade/markets/KOR", spec) == ("split", "markets KOR")
    assert reduce_header("trade-markets/KOR", spec) == ("split", "markets KOR")
    assert reduce_header("trade/markets/XXX", spec) == ("", "")  # no such choice
    assert reduce_header("firm/size_class", spec) == ("", "")  # calculated on the server, never imported
    assert reduce_header("_validation_status", spec) == ("", "")
    plan = plan_columns(["firm/country", "_id", "meta/instanceID", "_uuid", "_submission_time", "mystery"], spec)
    assert plan.questions == {0: "country"}
    assert [plan.headers[i] for i in plan.id_columns] == ["meta/instanceID", "_uuid"]
    assert [plan.headers[i] for i in plan.time_columns] == ["_submission_time"]
    assert plan.unknown == ["mystery"]


def test_kobo_csv_imports_and_reports_the_bad_row(default_survey):
    report = import_responses(survey=default_survey, path=KOBO)
    assert (report.rows_read, report.stored, report.already_stored, report.conflicts, report.rejected) == (
        3, 2, 0, 0, 1)
    assert [(i.row, i.column) for i in report.issues] == [(3, "firm/employees")]
    assert report.issues[0].reason == "Enter a whole number, such as 12."
    assert report.issues[0].instance_id == "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000002"

    first = selectors.find_response(default_survey, "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000001")
    assert first is not None and first.channel == "import" and first.raw_format == "csv"
    assert first.answers["country"] == "PER"
    assert first.answers["employees"] == 12
    assert first.answers["size_class"] == "small"  # computed, not read from the export
    assert first.answers["markets"] == ["KOR", "USA"]  # folded from the split 0/1 columns
    assert first.answers["item_customs_time"] == "3"
    assert first.received_at == dt.datetime(2025, 3, 4, 10, 15, tzinfo=dt.UTC)  # _submission_time
    assert json.loads(first.raw)["_id"] == "1001"  # the whole row is kept raw
    assert "_id" not in first.answers and "start" not in first.answers

    # the third row has no meta/instanceID: Kobo's _uuid with the uuid: prefix
    third = selectors.find_response(default_survey, "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000003")
    assert third is not None and "markets" not in third.answers
    assert ContactDetail.objects.get(response=third).email == "owner@example.org"
    assert "contact_email" not in third.answers


def test_reimport_is_idempotent(default_survey):
    import_responses(survey=default_survey, path=KOBO)
    before = selectors.response_count(default_survey)
    again = import_responses(survey=default_survey, path=KOBO)
    assert selectors.response_count(default_survey) == before == 2
    assert (again.stored, again.already_stored, again.rejected) == (0, 2, 1)
    assert "2 already stored" in " ".join(again.notes)


def test_changed_row_with_the_same_instance_id_is_a_conflict(default_survey, tmp_path):
    import_responses(survey=default_survey, path=KOBO)
    text = KOBO.read_text(encoding="utf-8").replace(";PER;", ";COL;")
    changed = tmp_path / "changed.csv"
    changed.write_text(text, encoding="utf-8")
    report = import_responses(survey=default_survey, path=changed)
    assert (report.conflicts, report.already_stored) == (1, 1)
    conflict = next(i for i in report.issues if i.kind == "conflict")
    assert conflict.row == 2 and conflict.column == "meta/instanceID"
    stored = selectors.find_response(default_survey, "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000001")
    assert stored.answers["country"] == "PER"  # the first one stays


def test_odk_central_csv_imports(default_survey):
    report = import_responses(survey=default_survey, path=CENTRAL)
    assert (report.rows_read, report.stored, report.rejected) == (2, 2, 0), report.issue_lines()
    first = selectors.find_response(default_survey, "uuid:c0c0c0c0-2222-4b6e-8c1d-000000000001")
    assert first.answers["country"] == "SEN"
    assert first.answers["markets"] == ["FRA", "CHN"]
    assert first.answers["obstacle_finance"] == "dk"
    assert first.received_at == dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)  # SubmissionDate
    second = selectors.find_response(default_survey, "uuid:c0c0c0c0-2222-4b6e-8c1d-000000000002")
    assert second.answers["size_class"] == "medium"


def test_waves_by_submission_date(default_survey):
    march = services.add_wave(survey=default_survey, name="2025-03", starts_on=dt.date(2025, 3, 1),
                              ends_on=dt.date(2025, 3, 31))
    june = services.add_wave(survey=default_survey, name="2025-06", starts_on=dt.date(2025, 6, 1),
                             ends_on=dt.date(2025, 6, 30))
    import_responses(survey=default_survey, path=KOBO)
    import_responses(survey=default_survey, path=CENTRAL)
    assert selectors.response_count(default_survey, wave=march) == 2
    assert selectors.response_count(default_survey, wave=june) == 2


def test_explicit_wave_takes_every_row_and_keeps_its_date(default_survey):
    april = services.add_wave(survey=default_survey, name="2025-04", starts_on=dt.date(2025, 4, 1),
                              ends_on=dt.date(2025, 4, 30))
    report = import_responses(survey=default_survey, path=CENTRAL, wave=april)
    assert (report.stored, report.rejected) == (2, 0)
    assert selectors.response_count(default_survey, wave=april) == 2
    first = selectors.find_response(default_survey, "uuid:c0c0c0c0-2222-4b6e-8c1d-000000000001")
    assert first.received_at == dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "MSME trade obstacles"
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("repeat_group").append(["_index", "_parent_index"])  # Kobo's extra sheets
    workbook.save(path)


def test_xlsx_export_imports(default_survey, tmp_path):
    with KOBO.open(encoding="utf-8", newline="") as handle:
        rows: list[list[object]] = [list(r) for r in csv.reader(handle, delimiter=";")]
    header = rows[0]
    for row in rows[1:]:  # Excel gives numbers and dates, not text
        row[header.index("firm/employees")] = int(row[header.index("firm/employees")]) if row[
            header.index("firm/employees")].isdigit() else row[header.index("firm/employees")]
        when = row[header.index("_submission_time")]
        row[header.index("_submission_time")] = dt.datetime.fromisoformat(str(when))
        row[header.index("trade/markets/KOR")] = float(row[header.index("trade/markets/KOR")])
    path = tmp_path / "export.xlsx"
    _write_xlsx(path, rows)
    report = import_responses(survey=default_survey, path=path)
    assert (report.rows_read, report.stored, report.rejected) == (3, 2, 1)
    assert report.issues[0].row == 3 and report.issues[0].column == "firm/employees"
    first = selectors.find_response(default_survey, "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000001")
    assert first.answers["employees"] == 12 and first.answers["markets"] == ["KOR", "USA"]
    assert first.received_at == dt.datetime(2025, 3, 4, 10, 15, tzinfo=dt.UTC)


def test_rows_without_an_instance_id_get_a_stable_one(default_survey, tmp_path):
    path = tmp_path / "plain.csv"
    with path.open("w", encoding="cp1252", newline="") as handle:  # an Excel "CSV" from Windows
        writer = csv.writer(handle)
        names = ["country", "sector", "employees", "owner_gender", "manager_gender", "location", "exporter",
                 "importer", "online_sales", *[f"obstacle_{c}" for c in (
                     "skills", "market_information", "border_procedures", "finance", "digital",
                     "infrastructure", "regulatory_framework", "dialogue_and_data")],
                 "biggest_obstacle", "aware_agreements", "digital_awareness", "consent_followup", "comment"]
        writer.writerow(names)
        writer.writerow(["MEX", "G", "5", "female", "female", "urban", "no", "no", "no", *["0"] * 8, "finance",
                         "no", "none", "no", "Café Olé"])
    first = import_responses(survey=default_survey, path=path)
    assert first.stored == 1 and any("no instance-id column" in n for n in first.notes)
    again = import_responses(survey=default_survey, path=path)
    assert again.already_stored == 1 and again.stored == 0
    stored = selectors.responses(default_survey).get()
    assert stored.instance_id.startswith("row:") and stored.answers["comment"] == "Café Olé"


def test_a_missing_required_answer_names_the_question(default_survey, tmp_path):
    text = KOBO.read_text(encoding="utf-8").splitlines()
    header = text[0].split(";")
    keep = [i for i, h in enumerate(header) if h != "people/location"]
    path = tmp_path / "short.csv"
    path.write_text("\n".join(";".join(line.split(";")[i] for i in keep) for line in text) + "\n",
                    encoding="utf-8")
    report = import_responses(survey=default_survey, path=path)
    assert report.stored == 0 and report.rejected == 3
    assert ("location", "This question needs an answer.") in {(i.column, i.reason) for i in report.issues}


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.csv", b"", "the file is empty"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "is not an export this command reads"),
        ("binary.csv", b"a,b\x00\x01\x02", "binary data"),
        ("old.xls", b"\xd0\xcf\x11\xe0 not really", ".xls"),
        ("broken.xlsx", b"not a zip at all", "not an Excel workbook"),
    ],
)
def test_unreadable_files_say_why_in_one_line(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_table(path)
    assert expected in str(caught.value) and "\n" not in str(caught.value)
    assert name in str(caught.value)


def test_a_file_of_another_form_is_refused(default_survey, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,age\nAda,36\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no column matches a question of form 'msme_trade_obstacles'"):
        import_responses(survey=default_survey, path=path)
    assert selectors.response_count(default_survey) == 0


def test_report_csv_lists_each_problem(default_survey, tmp_path):
    report = import_responses(survey=default_survey, path=KOBO)
    out = tmp_path / "report.csv"
    report.write_csv(out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"row": "3", "column": "firm/employees", "outcome": "rejected",
                     "instance_id": "uuid:0b9a1f4e-1111-4a6e-9c1d-000000000002",
                     "reason": "Enter a whole number, such as 12."}]
