"""/api/v1/countries, /countries/{iso3}, /overview, /filters on the sample agreements."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.sample import JAPAN_THAILAND, SAMPLE_IDS, TPP_EN, TPP_ES

pytestmark = pytest.mark.usefixtures("sample_db")


def test_country_list_with_figures(client: Client) -> None:
    response = client.get("/api/v1/countries")
    assert response.status_code == 200
    countries = {c["iso3"]: c for c in response.json()}
    assert {"JPN", "THA", "AUS", "NZL"} <= set(countries)
    japan = countries["JPN"]
    assert japan["name"] == "Japan"
    assert japan["n_agreements"] == 2  # Japan-Thailand and the TPP (its two texts count once)
    assert japan["n_with_explicit"] >= 1
    assert 0.0 <= japan["mean_coverage"] <= 1.0
    assert japan["link"] == "/api/v1/countries/JPN"


def test_country_names_follow_lang(client: Client) -> None:
    french = {c["iso3"]: c["name"] for c in client.get("/api/v1/countries", {"lang": "fr"}).json()}
    spanish = {c["iso3"]: c["name"] for c in client.get("/api/v1/countries", {"lang": "es"}).json()}
    assert french["JPN"] == "Japon"
    assert spanish["JPN"] == "Japón"
    assert client.get("/api/v1/countries", {"lang": "de"}).status_code == 422


def test_country_detail_has_agreements_profiles_and_heatmap(client: Client) -> None:
    response = client.get("/api/v1/countries/jpn", {"lang": "fr"})
    assert response.status_code == 200
    data = response.json()
    assert data["iso3"] == "JPN" and data["name"] == "Japon"
    ids = [a["agreement_id"] for a in data["agreements"]]
    assert ids == [TPP_EN, JAPAN_THAILAND]  # newest first; the TPP once, its Spanish text a version of it
    assert data["n_agreements"] == 2
    tpp = data["agreements"][ids.index(TPP_EN)]
    assert [(v["agreement_id"], v["language"], v["primary"]) for v in tpp["versions"]] == [
        (TPP_EN, "en", True),
        (TPP_ES, "es", False),
    ]
    assert tpp["profile"]["sme_chapter"] is not None
    assert set(tpp["coverage"]) == set(data["categories"])
    assert len(data["heatmap"]) == len(data["categories"]) == 8
    for row in data["heatmap"]:
        assert [cell["agreement_id"] for cell in row["cells"]] == ids
        assert row["cells"][ids.index(TPP_EN)]["value"] == tpp["coverage"][row["category"]]


def test_unknown_country_is_404_naming_it(client: Client) -> None:
    response = client.get("/api/v1/countries/ZZZ")
    assert response.status_code == 404
    assert "ZZZ" in response.json()["detail"]
    assert client.get("/api/v1/countries/a%00b").status_code in (404, 422)


def test_overview_figures(client: Client) -> None:
    data = client.get("/api/v1/overview").json()
    assert data["n_agreements"] == len(SAMPLE_IDS) - 1  # the TPP's two texts count once
    assert 1 <= data["n_with_explicit"] <= data["n_agreements"]
    assert data["share_explicit"] == pytest.approx(data["n_with_explicit"] / data["n_agreements"], abs=1e-4)
    assert data["n_provisions"] == sum(
        client.get(f"/api/v1/agreements/{i}").json()["counts"]["provisions"] for i in SAMPLE_IDS if i != TPP_ES
    )
    assert sum(row["n"] for row in data["by_year"]) == data["n_agreements"]
    assert set(data["category_coverage"]) == {
        "skills",
        "market_information",
        "border_procedures",
        "finance",
        "digital",
        "infrastructure",
        "regulatory_framework",
        "dialogue_and_data",
    }


def test_filter_choices(client: Client) -> None:
    data = client.get("/api/v1/filters").json()
    assert {"JPN", "THA"} <= set(data["parties"])
    assert data["year_min"] <= 1948 and data["year_max"] >= 2016
    assert data["relevance"] == ["explicit", "implicit", "none"]
    assert data["regions"]
