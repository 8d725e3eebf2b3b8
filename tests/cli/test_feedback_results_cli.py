"""`msmelens feedback results` and `msmelens feedback changes` through click against the test database: the JSON
is exactly what the results functions compute, the CSV has one row per cell, the table says what it shows, and
errors are one line with exit 2."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.feedback.test_no_suppressed_leak import add_responses

from msmelens.cli.main import cli
from msmelens.feedback import results, services
from msmelens.feedback.models import Survey
from msmelens.feedback.simulate import simulate_responses
from msmelens.lens.taxonomy import CATEGORIES

SLUG = "msme-trade-obstacles"


@pytest.fixture
def survey(db: None) -> Survey:
    default = services.ensure_default_survey()
    first = services.add_wave(survey=default, name="2026-1", starts_on=dt.date(2026, 1, 1),
                              ends_on=dt.date(2026, 6, 30))
    second = services.add_wave(survey=default, name="2026-2", starts_on=dt.date(2026, 7, 1))
    add_responses(default, 100, seed=31, prefix="a", country="PER", wave=first)
    add_responses(default, 100, seed=32, prefix="b", country="PER", wave=second, obstacle_finance="0")
    add_responses(default, 120, seed=33, prefix="c", country="COL", wave=second)
    return default


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli, ["feedback", *args], catch_exceptions=False)


def plain(document: Any) -> Any:
    return json.loads(json.dumps(document))


def test_json_is_exactly_survey_results(survey: Survey) -> None:
    result = invoke("results", "--survey", SLUG, "--by", "country", "--format", "json")
    assert result.exit_code == 0, result.output
    expected = results.survey_results(survey=survey, by=["country"]).to_dict()
    assert json.loads(result.stdout) == plain(expected)
    assert json.loads(result.stdout)["n_responses"] == 320


def test_json_of_one_wave_with_synthetic_responses(survey: Survey) -> None:
    simulate_responses(survey=survey, n=20, seed=4, wave=survey.waves.get(name="2026-1"))
    result = invoke("results", "--by", "size_class", "--wave", "2026-1", "--synthetic", "--format", "json")
    body = json.loads(result.stdout)
    assert body["wave"] == "2026-1" and body["synthetic"] is True and body["n_responses"] == 120
    assert body == plain(results.survey_results(survey=survey, by=["size_class"], wave="2026-1",
                                                include_synthetic=True).to_dict())


def test_csv_has_one_row_per_cell(survey: Survey, tmp_path: Path) -> None:
    target = tmp_path / "results.csv"
    result = invoke("results", "--by", "country", "--format", "csv", "--output", str(target))
    assert result.exit_code == 0 and f"Wrote {target}." in result.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ("country,category,status,reason,share_major,ci_low,ci_high,mean_severity,"
                                    "mean_ci_low,mean_ci_high,n,n_eff")
    rows = list(csv.DictReader(io.StringIO(text)))
    cells = results.survey_results(survey=survey, by=["country"]).to_dict()["cells"]
    assert len(rows) == len(cells) == 2 * len(CATEGORIES)
    for row, cell in zip(rows, cells, strict=True):
        assert row["country"] == cell["group"]["country"] and row["status"] == cell["status"]
        if cell["share_major"] is None:
            assert row["share_major"] == row["n"] == ""
        else:
            assert float(row["share_major"]) == cell["share_major"] and int(row["n"]) == cell["n"]


def test_table_says_what_it_shows(survey: Survey) -> None:
    result = invoke("results", "--by", "country")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (f"Survey '{SLUG}': all waves, unweighted, 320 responses, no synthetic responses.")
    document = results.survey_results(survey=survey, by=["country"]).to_dict()
    per_finance = next(c for c in document["cells"] if c["group"] == {"country": "PER"} and c["category"] == "finance")
    assert per_finance["status"] != "suppressed"
    row = next(line for line in lines if line.startswith("PER ") and " finance " in line)
    assert f"{100 * per_finance['share_major']:.1f}%" in row
    assert f"{100 * per_finance['ci'][0]:.1f}–{100 * per_finance['ci'][1]:.1f}%" in row
    assert f" {per_finance['n']} " in row
    assert "Biggest obstacle named" in result.stdout

    simulate_responses(survey=survey, n=10, seed=5, wave=survey.waves.get(name="2026-2"))
    one_wave = invoke("results", "--wave", "2026-2", "--synthetic").stdout.splitlines()[0]
    assert one_wave == f"Survey '{SLUG}': wave 2026-2, unweighted, 230 responses, synthetic responses included."
    assert invoke("results", "--wave", "2026-2").stdout.splitlines()[0] == (
        f"Survey '{SLUG}': wave 2026-2, unweighted, 220 responses, no synthetic responses.")


def test_changes_in_every_format(survey: Survey) -> None:
    result = invoke("changes", "--from", "2026-1", "--to", "2026-2", "--by", "country", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    expected = results.wave_changes(survey=survey, by=["country"], from_wave="2026-1", to_wave="2026-2")
    assert body == {"survey": SLUG, "from_wave": "2026-1", "to_wave": "2026-2", "by": ["country"],
                    "changes": plain([c.to_dict() for c in expected])}
    finance = next(c for c in body["changes"] if c["group"] == {"country": "PER"} and c["category"] == "finance")
    assert finance["to_share"] == 0.0 and finance["direction"] == "clearly_down"  # nobody rated it in wave 2

    rows = list(csv.DictReader(io.StringIO(invoke("changes", "--from", "2026-1", "--to", "2026-2", "--by",
                                                  "country", "--format", "csv").stdout)))
    assert list(rows[0]) == ["country", "category", "from_wave", "to_wave", "status", "direction", "difference",
                             "ci_low", "ci_high", "from_share", "to_share"]
    assert len(rows) == len(body["changes"])

    table = invoke("changes", "--from", "2026-1", "--to", "2026-2", "--by", "country").stdout
    assert table.startswith(f"Survey '{SLUG}': change from wave 2026-1 to wave 2026-2")
    finance_line = next(line for line in table.splitlines() if line.startswith("PER ") and " finance " in line)
    assert "clearly down" in finance_line and f"{100 * finance['difference']:+.1f} pts" in finance_line


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("results", "--by", "country,favourite_colour"), "favourite_colour"),
        (("results", "--wave", "1999-9"), "1999-9"),
        (("results", "--survey", "no-such-survey"), "no-such-survey"),
        (("changes", "--from", "2026-1", "--to", "2031-4"), "2031-4"),
        (("changes", "--from", "2026-1", "--to", "2026-2", "--by", "shoe_size"), "shoe_size"),
    ],
)
def test_errors_are_one_line_and_exit_2(survey: Survey, args: tuple[str, ...], named: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and named in result.stderr
