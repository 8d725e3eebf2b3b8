"""POST /api/v1/guide/report: the report as JSON, partial answers, languages, readable errors, nothing stored."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.guide.conftest import PERU_FIRM

from msmelens.guide.models import Assessment

URL = "/api/v1/guide/report"


def _post(client: Client, body: object, **headers: str):  # type: ignore[no-untyped-def]
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_the_issue_example_returns_the_report(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, PERU_FIRM)
    assert response.status_code == 200, response.content
    data = response.json()
    assert {"stage", "strengths", "gaps", "practices", "markets", "next_steps"} <= set(data)
    assert data["stage"] == "awareness"
    assert data["firm"] == {"country": "PER", "country_name": "Peru", "sector": "C", "employees": 12,
                            "size_class": "small", "markets": ["KOR", "NPL"]}
    kor, npl = data["markets"]
    assert set(kor) >= {"market", "agreements", "note"}
    assert kor["market"] == "KOR" and kor["agreements"][0]["agreement_id"] == "tota-380"
    assert set(kor["agreements"][0]) >= {"agreement_id", "name", "status", "provisions"}
    assert "lens_id" not in json.dumps(data)
    assert kor["agreements"][0]["provisions"][0]["url"].startswith("/agreements/tota-380/#")
    assert npl["agreements"] == [] and npl["multilateral"]["wto_members"] is True
    assert [g["question"] for g in data["gaps"] if g["known"]][:1] == ["aware_agreements"]
    assert any(s["question"] == "obstacle_finance" for s in data["strengths"])
    assert Assessment.objects.count() == 0  # the API stores nothing
    assert "X-MSME-Lens-Cache" not in response


@pytest.mark.django_db
def test_empty_answers_count_as_not_yet_known(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    data = _post(client, {"country": "PER", "markets": ["CHL"]}).json()
    assert data["stage"] == "awareness" and data["strengths"] == []
    assert data["gaps"] and all(g["known"] is False for g in data["gaps"])
    assert [a["status"] for a in data["markets"][0]["agreements"]] == ["in_force", "in_force", "signed"]


@pytest.mark.django_db
def test_language_from_the_body_or_the_header(client: Client, guide_db) -> None:  # type: ignore[no-untyped-def]
    fr = _post(client, {**PERU_FIRM, "language": "fr"}).json()
    assert fr["firm"]["country_name"] == "Pérou" and fr["markets"][0]["name"] == "Corée du Sud"
    es = _post(client, PERU_FIRM, HTTP_ACCEPT_LANGUAGE="es").json()
    assert es["firm"]["country_name"] == "Perú"


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "fragment"), [
    ({"country": "XXQ"}, "three-letter ISO code"),
    ({"country": "PER", "answers": {"obstacle_finance": "9"}}, "must be one of"),
    ({"country": "PER", "answers": {"colour": "blue"}}, "no question 'colour'"),
    ({"country": "PER", "markets": ["KOR"] * 11}, ""),
    ({"country": "PER", "employees": -1}, ""),
])
def test_bad_input_is_a_readable_422(client: Client, body: dict, fragment: str) -> None:
    response = _post(client, body)
    assert response.status_code == 422
    error = response.json()
    assert set(error) == {"detail", "code"} and fragment in error["detail"]
