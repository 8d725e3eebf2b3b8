"""No publishing path shows a suppressed cell: API JSON and CSV, CLI json/csv/table, the results pages, and the
response export (which is not a results path: it exists only for the operator, through the CLI).

The survey has a large country (PER, 200 respondents), a middling one (COL, 40) and a tiny one (KEN, 3): every
KEN cell must be suppressed. The tiny country's estimates are computed here from the raw answers, and must
appear nowhere; its respondent count must be neither shown nor recoverable from the figures that are shown.
Real database, real results functions, Django's test client and click's runner.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from tests.feedback.conftest import valid_answers

from msmelens.cli.main import cli
from msmelens.feedback import services
from msmelens.feedback.models import Survey, Wave
from msmelens.lens.taxonomy import CATEGORIES

SLUG = "msme-trade-obstacles"
SMALL = "KEN"
SMALL_RATINGS = ("4", "3", "1")  # border_procedures in the tiny country: share 2/3 major, mean 8/3
SMALL_BIGGEST = ("finance", "finance", "digital")


def add_responses(
    survey: Survey, n: int, *, seed: int, prefix: str, wave: Wave | None = None, **fixed: Any
) -> list[dict[str, Any]]:
    """Store ``n`` valid, varied, non-synthetic responses (``fixed`` answers kept); return their answers."""
    rng = random.Random(seed)
    stored = []
    for i in range(n):
        ratings = {f"obstacle_{c}": rng.choice("01234") if rng.random() > 0.06 else "dk" for c in CATEGORIES}
        answers = valid_answers(
            **{
                **ratings,
                "employees": rng.choice([2, 7, 15, 30, 80, 400]),
                "exporter": rng.choice(["yes", "no"]),
                "location": rng.choice(["urban", "rural"]),
                "biggest_obstacle": rng.choice(CATEGORIES),
                **fixed,
            }
        )
        outcome = services.submit_response(
            survey=survey, instance_id=f"uuid:{prefix}-{i}", answers=answers, raw=json.dumps(answers),
            raw_format="json", channel="api", payload_hash=services.canonical_hash(answers), wave=wave,
        )
        assert outcome.status == "created", [p.to_dict() for p in outcome.problems]
        stored.append(outcome.response.answers)
    return stored


def add_small_country(survey: Survey) -> list[dict[str, Any]]:
    stored = []
    for i, (rating, biggest) in enumerate(zip(SMALL_RATINGS, SMALL_BIGGEST, strict=True)):
        stored += add_responses(
            survey, 1, seed=900 + i, prefix=f"small-{i}", country=SMALL, obstacle_border_procedures=rating,
            biggest_obstacle=biggest,
        )
    return stored


@pytest.fixture
def panel(default_survey: Survey) -> dict[str, Any]:
    """PER 200, COL 40, KEN 3 respondents; KEN's own figures computed from its raw answers."""
    add_responses(default_survey, 200, seed=1, prefix="per", country="PER")
    add_responses(default_survey, 40, seed=2, prefix="col", country="COL")
    small = add_small_country(default_survey)
    rated = [int(a["obstacle_border_procedures"]) for a in small]
    share = sum(r >= 3 for r in rated) / len(rated)
    mean = sum(rated) / len(rated)
    biggest = {answer: SMALL_BIGGEST.count(answer) / len(SMALL_BIGGEST) for answer in set(SMALL_BIGGEST)}
    return {"survey": default_survey, "share": share, "mean": mean, "biggest": biggest, "n": len(small)}


def tokens(value: float) -> set[str]:
    """How a figure could be written: as a float, rounded, or as a percentage."""
    return {repr(value), f"{value:.4f}", f"{value:.3f}", f"{100 * value:.1f}%", f"{100 * value:.2f}",
            f"{100 * value:.0f}%", f"{100 * value:.0f} %"}


def shown_values(document: dict[str, Any]) -> set[float]:
    values: set[float] = set()
    for cell in [*document["cells"], *document["biggest_obstacle"]]:
        for key in ("share_major", "mean_severity", "share", "n_eff"):
            if cell.get(key) is not None:
                values.add(cell[key])
        for key in ("ci", "mean_ci"):
            if cell.get(key):
                values.update(cell[key])
    return values


def secret_tokens(panel: dict[str, Any], document: dict[str, Any]) -> set[str]:
    """The small country's figures as text, minus any that a published cell legitimately has (none expected
    with this data: checked, so that a coincidence cannot hide a leak)."""
    secrets = {panel["share"], panel["mean"], *panel["biggest"].values()}
    legit = {t for v in shown_values(document) for t in tokens(v)}
    found = {t for s in secrets for t in tokens(s)}
    clash = found & legit
    assert not {repr(s) for s in secrets} & clash, "test data clash: pick other ratings for the small country"
    return found - legit


def assert_small_cells_hidden(document: dict[str, Any]) -> None:
    small_cells = [c for c in document["cells"] if c["group"].get("country") == SMALL]
    small_shares = [c for c in document["biggest_obstacle"] if c["group"].get("country") == SMALL]
    assert len(small_cells) == len(CATEGORIES) and small_shares
    for cell in small_cells:
        assert cell["status"] == "suppressed"
        assert (cell["share_major"], cell["ci"], cell["mean_severity"], cell["mean_ci"], cell["n"],
                cell["n_eff"]) == (None, None, None, None, None, None)
    for cell in small_shares:
        assert cell["status"] == "suppressed"
        assert (cell["share"], cell["ci"], cell["n"], cell["n_eff"]) == (None, None, None, None)


def assert_n_not_recoverable(document: dict[str, Any]) -> None:
    """The small country's count is not shown, and neither it nor its figures follow from the siblings that
    are shown: in every category (and biggest-obstacle answer) a second country is hidden with it
    (complementary suppression), so "all respondents" minus the countries shown is never one country."""
    assert all(c["n"] is None for c in document["cells"] if c["group"].get("country") == SMALL)
    for category in CATEGORIES:
        hidden = [c for c in document["cells"] if c["category"] == category and c["status"] == "suppressed"]
        assert len(hidden) >= 2, f"{category}: only {SMALL} is hidden; its figures follow from the others"
        hidden = [c for c in document["biggest_obstacle"] if c["answer"] == category and c["status"] == "suppressed"]
        assert len(hidden) >= 2, f"biggest {category}: only {SMALL} is hidden"


def assert_text_has_none(text: str, secrets: set[str], where: str) -> None:
    for token in secrets:
        assert token not in text, f"{where}: the suppressed figure {token} is published"


# --- the API -------------------------------------------------------------------------------------------------


def api_document(client: Client) -> dict[str, Any]:
    response = client.get(f"/api/v1/surveys/{SLUG}/results", {"by": "country"})
    assert response.status_code == 200, response.content
    return response.json()


def test_api_json_hides_the_small_country(client: Client, panel: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/surveys/{SLUG}/results", {"by": "country"})
    document = response.json()
    assert {c["group"]["country"] for c in document["cells"]} == {"PER", "COL", SMALL}
    assert_small_cells_hidden(document)
    assert_n_not_recoverable(document)
    assert_text_has_none(response.content.decode(), secret_tokens(panel, document), "API JSON")
    shown = [c for c in document["cells"] if c["group"]["country"] == "PER" and c["status"] != "suppressed"]
    assert shown and all(c["share_major"] is not None and c["n"] > 150 for c in shown)  # the others are there


def test_api_csv_hides_the_small_country(client: Client, panel: dict[str, Any]) -> None:
    document = api_document(client)
    response = client.get(f"/api/v1/surveys/{SLUG}/results", {"by": "country", "format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    small = [r for r in rows if r["country"] == SMALL]
    assert len(small) == len(CATEGORIES)
    for row in small:
        assert row["status"] == "suppressed"
        assert all(row[k] == "" for k in ("share_major", "ci_low", "ci_high", "mean_severity", "mean_ci_low",
                                          "mean_ci_high", "n", "n_eff"))
    assert_text_has_none(text, secret_tokens(panel, document), "API CSV")


def test_api_changes_hide_the_small_country(client: Client, default_survey: Survey) -> None:
    import datetime as dt

    first = services.add_wave(survey=default_survey, name="w1", starts_on=dt.date(2026, 1, 1),
                              ends_on=dt.date(2026, 6, 30))
    second = services.add_wave(survey=default_survey, name="w2", starts_on=dt.date(2026, 7, 1))
    add_responses(default_survey, 60, seed=5, prefix="a1", country="PER", wave=first)
    add_responses(default_survey, 60, seed=6, prefix="a2", country="PER", wave=second)
    add_responses(default_survey, 3, seed=7, prefix="b1", country=SMALL, wave=first)
    add_responses(default_survey, 3, seed=8, prefix="b2", country=SMALL, wave=second)
    response = client.get(f"/api/v1/surveys/{SLUG}/changes", {"from": "w1", "to": "w2", "by": "country"})
    assert response.status_code == 200, response.content
    small = [c for c in response.json()["changes"] if c["group"]["country"] == SMALL]
    assert len(small) == len(CATEGORIES)
    for change in small:
        assert change["status"] == "suppressed"
        assert {k: change[k] for k in ("direction", "difference", "ci", "from_share", "to_share")} == dict.fromkeys(
            ("direction", "difference", "ci", "from_share", "to_share"))


# --- the CLI -------------------------------------------------------------------------------------------------


def run_cli(*args: str) -> Any:
    result = CliRunner().invoke(cli, ["feedback", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_cli_json_csv_and_table_hide_the_small_country(panel: dict[str, Any]) -> None:
    document = json.loads(run_cli("results", "--survey", SLUG, "--by", "country", "--format", "json").stdout)
    assert_small_cells_hidden(document)
    assert_n_not_recoverable(document)
    secrets = secret_tokens(panel, document)

    text = run_cli("results", "--survey", SLUG, "--by", "country", "--format", "csv").stdout
    assert_text_has_none(text, secrets, "CLI CSV")
    for row in csv.DictReader(io.StringIO(text)):
        if row["country"] == SMALL:
            assert row["status"] == "suppressed" and row["share_major"] == row["n"] == row["ci_low"] == ""

    table = run_cli("results", "--survey", SLUG, "--by", "country", "--format", "table").stdout
    assert_text_has_none(table, secrets, "CLI table")
    small_lines = [line for line in table.splitlines() if line.startswith(SMALL + " ")]
    assert len(small_lines) == 2 * len(CATEGORIES)  # obstacle cells and biggest-obstacle shares
    for line in small_lines:
        assert "suppressed" in line
        figures = line.split("suppressed")[0]
        assert not re.search(r"\d", figures.removeprefix(SMALL)), f"a figure is shown for {SMALL}: {line}"


def test_export_is_an_operator_tool_not_a_results_path(client: Client, panel: dict[str, Any]) -> None:
    """The response export gives the rows themselves, for the operator's own analysis: it exists only as a
    CLI command (someone with the server and its database). No web or API address serves it."""
    exported = run_cli("export", "--survey", SLUG, "--format", "jsonl").stdout
    assert len(exported.splitlines()) == 243  # the operator does see every response
    for path in (f"/api/v1/surveys/{SLUG}/export", f"/api/v1/surveys/{SLUG}/responses.csv",
                 f"/api/v1/surveys/{SLUG}/responses", f"/surveys/{SLUG}/export/", f"/surveys/{SLUG}/responses/"):
        response = client.get(path)
        assert response.status_code in (404, 405), path
        assert b"obstacle_border_procedures" not in response.content, path


# --- the pages -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["", "/fr", "/es"])
def test_results_pages_hide_the_small_country(client: Client, panel: dict[str, Any], language: str) -> None:
    document = api_document(client)
    secrets = secret_tokens(panel, document)
    overview = client.get(f"{language}/surveys/{SLUG}/results/", {"by": "country"})
    if overview.status_code == 404:
        pytest.skip("the results pages (/surveys/<slug>/results/) do not exist yet")
    assert overview.status_code == 200
    assert_text_has_none(overview.content.decode(), secrets, f"{language}/surveys/…/results/")
    country = client.get(f"{language}/surveys/{SLUG}/results/{SMALL}/")
    if country.status_code == 404:
        pytest.skip("the country results page (/surveys/<slug>/results/<ISO3>/) does not exist yet")
    assert country.status_code == 200
    page = country.content.decode()
    assert_text_has_none(page, secrets, f"{language}/surveys/…/results/{SMALL}/")
    # the page says why nothing is shown, and shows no respondent count for the country
    n = panel["n"]
    assert not re.search(rf"(n\s*=\s*{n}\b|\b{n}\s+(respondents|responses|réponses|répondants|respuestas|encuestados)\b)",
                         page)
    for svg in re.findall(r"<svg.*?</svg>", page, flags=re.S):
        assert_text_has_none(svg, secrets, "chart")
