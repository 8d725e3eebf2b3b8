"""`msmelens feedback ...` through click against the test database (and once as a real subprocess)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from tests.feedback.conftest import valid_answers

from msmelens.cli.main import cli
from msmelens.feedback import selectors, services
from msmelens.feedback.xlsform import convert_xlsform

DATA = Path(__file__).resolve().parents[1] / "feedback" / "data"
SLUG = "msme-trade-obstacles"


@pytest.fixture
def default_survey(db):  # type: ignore[no-untyped-def]
    return services.ensure_default_survey()


def invoke(*args: str, input: str | None = None):  # noqa: A002 - click's name
    return CliRunner().invoke(cli, ["feedback", *args], input=input, catch_exceptions=False)


def _xlsform(path: Path, survey_rows: list[list[str]], choices: list[list[str]], form_id: str = "broken") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey_rows:
        sheet.append(row)
    choice_sheet = workbook.create_sheet("choices")
    for row in choices:
        choice_sheet.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "version"])
    settings.append([form_id, "1"])
    workbook.save(path)
    return path


def test_forms_add_broken_form_exits_2_and_names_the_place(db, tmp_path):
    path = _xlsform(tmp_path / "broken.xlsx", [
        ["type", "name", "label", "constraint"],
        ["integer", "staff", "Staff", ". < ${nope}"],
    ], [["list_name", "name", "label"], ["yn", "yes", "Yes"]])
    result = invoke("forms", "add", str(path))
    assert result.exit_code == 2
    assert "broken.xlsx: this XLSForm cannot be used." in result.stderr
    assert "survey sheet, row 2, column 'constraint'" in result.stderr and "${nope}" in result.stderr
    assert selectors.get_survey("broken") is None

    missing_list = _xlsform(tmp_path / "nolist.xlsx", [
        ["type", "name", "label"],
        ["select_one colours", "colour", "Colour"],
    ], [["list_name", "name", "label"], ["yn", "yes", "Yes"]])
    result = invoke("forms", "add", str(missing_list))
    assert result.exit_code == 2
    assert "column 'type'" in result.stderr and "colours" in result.stderr


def test_forms_add_list_and_export_round_trip(db, tmp_path, monkeypatch):
    path = _xlsform(tmp_path / "tiny.xlsx", [
        ["type", "name", "label", "required"],
        ["select_one yn", "trades", "Do you trade?", "yes"],
    ], [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]], form_id="tiny_form")
    result = invoke("forms", "add", str(path), "--slug", "tiny", "--access", "restricted")
    assert result.exit_code == 0, result.output
    assert "Created survey 'tiny' with form version 1." in result.stdout
    assert "Unchanged: survey 'tiny' already has form version 1." in invoke("forms", "add", str(path)).stdout
    listing = invoke("forms", "list").stdout
    assert "tiny\ttiny_form\tversion 1\ttiny.xlsx" in listing and SLUG in listing

    monkeypatch.chdir(tmp_path / ".")
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")
    result = invoke("forms", "export", "--survey", SLUG)
    assert result.exit_code == 0, result.output
    exported = tmp_path / "out" / "msme_trade_obstacles.xlsx"
    assert exported.read_bytes() == bytes(selectors.current_form(selectors.get_survey(SLUG)).xlsform)
    again = convert_xlsform(exported.name, exported.read_bytes())
    assert again.spec.form_id == "msme_trade_obstacles"
    assert "Unchanged" in invoke("forms", "add", str(exported)).stdout
    result = invoke("forms", "export", "--survey", SLUG, "--format", "xform", "--output", str(tmp_path / "f.xml"))
    assert result.exit_code == 0
    xml = (tmp_path / "f.xml").read_text(encoding="utf-8")
    assert 'id="msme_trade_obstacles"' in xml and "<h:html" in xml
    assert invoke("forms", "export", "--survey", "nope").exit_code == 2


def test_import_reports_rows_and_is_idempotent(default_survey, tmp_path):
    report = tmp_path / "problems.csv"
    result = invoke("import", str(DATA / "kobo_export.csv"), "--survey", SLUG, "--report", str(report))
    assert result.exit_code == 1  # one row was not stored
    assert "3 rows read: 2 stored, 0 already stored, 0 conflicts, 1 rejected" in result.stdout
    assert "row 3, column 'firm/employees': Enter a whole number, such as 12." in result.stderr
    assert "firm/employees" in report.read_text(encoding="utf-8")
    again = invoke("import", str(DATA / "kobo_export.csv"), "--survey", SLUG)
    assert "3 rows read: 0 stored, 2 already stored, 0 conflicts, 1 rejected" in again.stdout
    assert "2 already stored" in again.stdout
    assert selectors.response_count(default_survey) == 2
    central = invoke("import", str(DATA / "central_export.csv"), "--survey", SLUG)
    assert central.exit_code == 0 and "2 stored" in central.stdout


def test_import_unreadable_file_is_one_line(default_survey, tmp_path):
    bad = tmp_path / "export.pdf"
    bad.write_bytes(b"%PDF-1.4")
    result = invoke("import", str(bad), "--survey", SLUG)
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "export.pdf" in result.stderr
    assert invoke("import", str(DATA / "kobo_export.csv"), "--survey", SLUG, "--wave", "none").exit_code == 2


def test_export_never_contains_contact_details(default_survey, tmp_path):
    answers = valid_answers(consent_followup="yes", contact_email="owner@firm.example", comment="+1 for us")
    outcome = services.submit_response(survey=default_survey, instance_id="uuid:cli-1", answers=answers,
                                       raw=json.dumps(answers), raw_format="json", channel="api",
                                       payload_hash=services.canonical_hash(answers))
    assert outcome.status == "created"
    csv_text = invoke("export", "--survey", SLUG).stdout
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert rows[0]["instance_id"] == "uuid:cli-1" and rows[0]["comment"] == "'+1 for us"
    assert "owner@firm.example" not in csv_text
    out = tmp_path / "all.jsonl"
    result = invoke("export", "--survey", SLUG, "--format", "jsonl", "--output", str(out))
    assert "Wrote 1 responses" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "owner@firm.example" not in text and json.loads(text)["markets"] == ["KOR", "NPL"]
    erased = invoke("erase-contact", "--email", "owner@firm.example")
    assert erased.exit_code == 0 and "Erased the contact details of 1 response." in erased.stdout
    assert "owner@firm.example" not in selectors.find_response(default_survey, "uuid:cli-1").raw
    assert invoke("erase-contact").exit_code == 2


def test_simulate_same_seed_twice(default_survey):
    first = invoke("simulate", "--survey", SLUG, "--n", "15", "--seed", "42")
    assert first.exit_code == 0 and "15 synthetic responses stored" in first.stdout
    before = {r.instance_id: r.answers for r in selectors.responses(default_survey)}
    second = invoke("simulate", "--survey", SLUG, "--n", "15", "--seed", "42")
    assert "0 synthetic responses stored, 15 already stored" in second.stdout
    after = {r.instance_id: r.answers for r in selectors.responses(default_survey)}
    assert before == after and len(after) == 15
    assert all(r.synthetic for r in selectors.responses(default_survey))
    assert invoke("export", "--survey", SLUG, "--no-synthetic").stdout.count("\n") == 1  # header only


def test_waves_surveys_and_collectors(default_survey, tmp_path):
    design = tmp_path / "design.json"
    design.write_text(json.dumps({"type": "raking", "margins": {"size_class": {"micro": 0.9, "small": 0.1}}}))
    result = invoke("waves", "add", "--survey", SLUG, "--name", "2026-Q1", "--start", "2026-01-01",
                    "--end", "2026-03-31", "--design", str(design))
    assert result.exit_code == 0 and "Added wave '2026-Q1'" in result.stdout
    assert "2026-Q1\t2026-01-01\t2026-03-31\t0 responses\traking" in invoke("waves", "list").stdout
    bad = invoke("waves", "add", "--survey", SLUG, "--name", "x", "--start", "2026-02-30")
    assert bad.exit_code == 2 and "--start must be a date as YYYY-MM-DD" in bad.stderr
    backwards = invoke("waves", "add", "--survey", SLUG, "--name", "y", "--start", "2026-02-01", "--end", "2026-01-01")
    assert backwards.exit_code == 2 and "before it starts" in backwards.stderr

    assert invoke("surveys", "access", SLUG, "restricted").stdout.strip() == f"Survey '{SLUG}' is now restricted."
    assert f"{SLUG}\trestricted\t0 responses\tversion " in invoke("surveys", "list").stdout
    added = invoke("collectors", "add", "amina", "--survey", SLUG, "--password-prompt", input="s3cret-pass\ns3cret-pass\n")
    assert added.exit_code == 0, added.output
    token = added.stdout.split("API token (shown once; keep it safe): ")[1].strip()
    user = services.user_for_token(token)
    assert user is not None and user.username == "amina" and user.check_password("s3cret-pass")
    assert selectors.user_can_collect(selectors.get_survey(SLUG), user)


@pytest.mark.skipif(sys.platform == "win32", reason="the console script path differs")
def test_feedback_commands_as_a_subprocess(tmp_path):
    """The installed `msmelens` with its own MSMELENS_HOME (a fresh SQLite file, migrated on first use)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MSMELENS_DATABASE_URL"}}
    env["MSMELENS_HOME"] = str(tmp_path / "home")
    msmelens = str(Path(sys.executable).with_name("msmelens"))
    run = lambda *a: subprocess.run([msmelens, "feedback", *a], env=env, capture_output=True, text=True,  # noqa: E731
                                    timeout=180)
    simulated = run("simulate", "--n", "5", "--seed", "1")
    assert simulated.returncode == 0, simulated.stderr
    exported = run("export", "--survey", SLUG, "--format", "jsonl")
    assert len(exported.stdout.splitlines()) == 5
    assert all(json.loads(line)["synthetic"] is True for line in exported.stdout.splitlines())
