"""The results API: GET /api/v1/surveys/{slug}/results and /changes give exactly what the results functions
compute (their to_dict()), in JSON or CSV; errors in the {"detail", "code"} shape naming the parameter;
restricted surveys behind a collector's token or a staff session. Real database, Django's test client."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from tests.feedback.test_no_suppressed_leak import add_responses

from msmelens.feedback import results, services
from msmelens.feedback.models import Survey
from msmelens.feedback.result_types import STATUSES
from msmelens.feedback.simulate import simulate_responses
from msmelens.lens.taxonomy import CATEGORIES

SLUG = "msme-trade-obstacles"
RESULTS = f"/api/v1/surveys/{SLUG}/results"
CHANGES = f"/api/v1/surveys/{SLUG}/changes"
TABLE_KEYS = {"survey", "wave", "by", "weighted", "weighting", "n_responses", "synthetic", "cells",
              "biggest_obstacle", "notes"}
CELL_KEYS = {"group", "category", "share_major", "ci", "mean_severity", "mean_ci", "n", "n_eff", "status", "reason"}
SHARE_KEYS = {"group", "answer", "share", "ci", "n", "n_eff", "status", "reason"}
CHANGE_KEYS = {"group", "category", "from_wave", "to_wave", "status", "direction", "difference", "ci",
               "from_share", "to_share"}
CSV_FIGURES = ["category", "status", "reason", "share_major", "ci_low", "ci_high", "mean_severity",
               "mean_ci_low", "mean_ci_high", "n", "n_eff"]


@pytest.fixture
def default_survey(db: None) -> Survey:
    return services.ensure_default_survey()


@pytest.fixture
def two_countries(default_survey: Survey) -> Survey:
    add_responses(default_survey, 120, seed=11, prefix="per", country="PER")
    add_responses(default_survey, 60, seed=12, prefix="col", country="COL")
    return default_survey


@pytest.fixture
def two_waves(default_survey: Survey) -> Survey:
    first = services.add_wave(survey=default_survey, name="2026-1", starts_on=dt.date(2026, 1, 1),
                              ends_on=dt.date(2026, 6, 30))
    second = services.add_wave(survey=default_survey, name="2026-2", starts_on=dt.date(2026, 7, 1))
    add_responses(default_survey, 120, seed=21, prefix="w1", country="PER", wave=first)
    add_responses(default_survey, 120, seed=22, prefix="w2", country="PER", wave=second,
                  obstacle_border_procedures="4")
    return default_survey


def plain(document: Any) -> Any:
    """What JSON makes of a document (tuples become lists)."""
    return json.loads(json.dumps(document))


def csv_rows(response: Any) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- results -------------------------------------------------------------------------------------------------


def test_results_json_is_exactly_survey_results(client: Client, two_countries: Survey) -> None:
    response = client.get(RESULTS, {"by": "country,size_class"})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = results.survey_results(survey=two_countries, by=["country", "size_class"]).to_dict()
    assert body == plain(expected)
    assert set(body) == TABLE_KEYS
    assert body["survey"] == SLUG and body["by"] == ["country", "size_class"] and body["wave"] is None
    assert body["n_responses"] == 180 and body["synthetic"] is False
    assert body["weighted"] is False and body["weighting"] == "unweighted"
    assert body["cells"] and all(set(c) == CELL_KEYS for c in body["cells"])
    assert body["biggest_obstacle"] and all(set(c) == SHARE_KEYS for c in body["biggest_obstacle"])
    assert {c["category"] for c in body["cells"]} == set(CATEGORIES)
    assert {c["status"] for c in body["cells"]} <= set(STATUSES)
    assert {tuple(sorted(c["group"])) for c in body["cells"]} == {("country", "size_class")}


def test_results_without_by_is_one_group(client: Client, two_countries: Survey) -> None:
    body = client.get(RESULTS).json()
    assert body["by"] == [] and {json.dumps(c["group"]) for c in body["cells"]} == {"{}"}
    assert len(body["cells"]) == len(CATEGORIES)
    assert body == plain(results.survey_results(survey=two_countries).to_dict())
    shown = [c for c in body["cells"] if c["status"] != "suppressed"]
    assert len(shown) == len(CATEGORIES)  # 180 respondents together: every category is published
    assert all(len(c["ci"]) == 2 and c["ci"][0] <= c["share_major"] <= c["ci"][1] for c in shown)
    assert all(c["n"] > 150 and c["mean_ci"][0] <= c["mean_severity"] <= c["mean_ci"][1] for c in shown)


def test_results_wave_and_synthetic(client: Client, two_waves: Survey) -> None:
    simulate_responses(survey=two_waves, n=30, seed=3, wave=two_waves.waves.get(name="2026-1"))
    real = client.get(RESULTS, {"wave": "2026-1"}).json()
    assert real["wave"] == "2026-1" and real["n_responses"] == 120 and real["synthetic"] is False
    with_demo = client.get(RESULTS, {"wave": "2026-1", "synthetic": "1"}).json()
    assert with_demo["n_responses"] == 150 and with_demo["synthetic"] is True
    assert with_demo == plain(results.survey_results(survey=two_waves, wave="2026-1",
                                                     include_synthetic=True).to_dict())


def test_results_csv_has_one_row_per_cell(client: Client, two_countries: Survey) -> None:
    response = client.get(RESULTS, {"by": "country", "format": "csv"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["country", *CSV_FIGURES]
    rows = csv_rows(response)
    cells = client.get(RESULTS, {"by": "country"}).json()["cells"]
    assert len(rows) == len(cells) == 2 * len(CATEGORIES)
    for row, cell in zip(rows, cells, strict=True):
        assert (row["country"], row["category"], row["status"], row["reason"]) == (
            cell["group"]["country"], cell["category"], cell["status"], cell["reason"])
        if cell["status"] == "suppressed":
            assert row["share_major"] == row["ci_low"] == row["n"] == ""
        else:
            assert float(row["share_major"]) == cell["share_major"]
            assert [float(row["ci_low"]), float(row["ci_high"])] == cell["ci"]
            assert float(row["mean_severity"]) == cell["mean_severity"]
            assert [float(row["mean_ci_low"]), float(row["mean_ci_high"])] == cell["mean_ci"]
            assert int(row["n"]) == cell["n"] and float(row["n_eff"]) == cell["n_eff"]


def test_unknown_dimension_is_a_422_naming_it(client: Client, two_countries: Survey) -> None:
    response = client.get(RESULTS, {"by": "country,favourite_colour"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_parameter" and "favourite_colour" in body["detail"]
    assert set(body) == {"detail", "code"}


def test_unknown_wave_is_refused_naming_it(client: Client, two_waves: Survey) -> None:
    response = client.get(RESULTS, {"wave": "1999-9"})
    assert response.status_code in (404, 422)
    assert "1999-9" in response.json()["detail"] and response.json()["code"]


def test_unknown_survey_and_bad_format(client: Client, default_survey: Survey) -> None:
    response = client.get("/api/v1/surveys/no-such-survey/results")
    assert response.status_code == 404
    assert response.json() == {"detail": "No survey with the address 'no-such-survey' was found. See "
                                         "/api/v1/surveys.", "code": "not_found"}
    bad = client.get(RESULTS, {"format": "xlsx"})
    assert bad.status_code == 422 and "format" in bad.json()["detail"]


# --- changes -------------------------------------------------------------------------------------------------


def test_changes_json_is_exactly_wave_changes(client: Client, two_waves: Survey) -> None:
    response = client.get(CHANGES, {"from": "2026-1", "to": "2026-2"})
    assert response.status_code == 200, response.content
    body = response.json()
    expected = results.wave_changes(survey=two_waves, from_wave="2026-1", to_wave="2026-2")
    assert body == {"survey": SLUG, "from_wave": "2026-1", "to_wave": "2026-2", "by": [],
                    "changes": plain([c.to_dict() for c in expected])}
    assert len(body["changes"]) == len(CATEGORIES) and all(set(c) == CHANGE_KEYS for c in body["changes"])
    border = next(c for c in body["changes"] if c["category"] == "border_procedures")
    assert border["to_share"] == 1.0 and border["direction"] == "clearly_up"  # everyone rated it 4 in wave 2


def test_changes_csv(client: Client, two_waves: Survey) -> None:
    response = client.get(CHANGES, {"from": "2026-1", "to": "2026-2", "by": "country", "format": "csv"})
    assert response.status_code == 200
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header == ["country", "category", "from_wave", "to_wave", "status", "direction", "difference",
                      "ci_low", "ci_high", "from_share", "to_share"]
    rows = csv_rows(response)
    border = next(r for r in rows if r["category"] == "border_procedures")
    assert border["country"] == "PER" and border["direction"] == "clearly_up" and border["to_share"] == "1.0"


def test_changes_errors(client: Client, two_waves: Survey) -> None:
    missing = client.get(CHANGES, {"to": "2026-2"})
    assert missing.status_code == 422 and "'from'" in missing.json()["detail"]
    unknown = client.get(CHANGES, {"from": "2026-1", "to": "2031-4"})
    assert unknown.status_code in (404, 422) and "2031-4" in unknown.json()["detail"]
    dimension = client.get(CHANGES, {"from": "2026-1", "to": "2026-2", "by": "shoe_size"})
    assert dimension.status_code == 422 and "shoe_size" in dimension.json()["detail"]


# --- who may see ---------------------------------------------------------------------------------------------


def test_restricted_survey_results_need_a_collector_or_staff(client: Client, two_countries: Survey) -> None:
    services.set_survey_access(survey=two_countries, access="restricted")
    anonymous = client.get(RESULTS)
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthorized"
    assert anonymous["WWW-Authenticate"].startswith("Token")
    assert client.get(RESULTS, HTTP_AUTHORIZATION="Token not-a-key").status_code == 401

    _user, token = services.add_collector(username="ana", survey=two_countries)
    with_token = client.get(RESULTS, {"by": "country"}, HTTP_AUTHORIZATION=f"Token {token}")
    assert with_token.status_code == 200 and with_token.json()["n_responses"] == 180
    assert client.get(CHANGES, {"from": "x", "to": "y"}).status_code == 401

    users = get_user_model()
    client.force_login(users.objects.create_user(username="visitor", password="x"))
    assert client.get(RESULTS).status_code == 403
    client.force_login(users.objects.create_user(username="analyst", password="x", is_staff=True))
    assert client.get(RESULTS).status_code == 200


# --- documentation -------------------------------------------------------------------------------------------


def test_openapi_documents_both_operations_and_the_shapes(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path in (f"/api/v1/surveys/{{slug}}/{name}" for name in ("results", "changes")):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and "suppressed" in operation["description"]
        assert all(p.get("description") for p in operation["parameters"])
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
        assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}
    parameters = {p["name"] for p in schema["paths"]["/api/v1/surveys/{slug}/changes"]["get"]["parameters"]}
    assert {"from", "to", "by", "format", "synthetic"} <= parameters
    components = schema["components"]["schemas"]
    assert set(components["ResultTableOut"]["properties"]) == TABLE_KEYS
    assert set(components["CellOut"]["properties"]) == CELL_KEYS
    assert set(components["ShareCellOut"]["properties"]) == SHARE_KEYS
    assert set(components["ChangeOut"]["properties"]) == CHANGE_KEYS
    assert components["CellOut"]["properties"]["status"]["enum"] == list(STATUSES)
