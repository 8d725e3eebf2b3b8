"""/api/v1/agreements: list, filters, pagination, detail, provisions (values on the real sample agreements)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.sample import JAPAN_THAILAND, SAMPLE_IDS, TPP_EN, TPP_ES, WAEMU_FR

N_AGREEMENTS = len(SAMPLE_IDS) - 1  # the TPP's English and Spanish texts are one agreement

pytestmark = pytest.mark.usefixtures("sample_db")


def get(client: Client, url: str, **params: object) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_list_has_every_sample_agreement_with_counts_and_links(client: Client) -> None:
    data = get(client, "/api/v1/agreements", limit=200)
    assert data["count"] == N_AGREEMENTS
    assert data["next"] is None
    by_id = {item["agreement_id"]: item for item in data["items"]}
    assert set(by_id) == set(SAMPLE_IDS) - {TPP_ES}
    assert "lens_id" not in by_id[TPP_EN]
    tpp = by_id[TPP_EN]
    assert tpp["has_sme_chapter"] is True
    assert tpp["counts"]["explicit"] > 0
    assert tpp["counts"]["provisions"] >= tpp["counts"]["explicit"] + tpp["counts"]["implicit"]
    assert 0.0 <= tpp["coverage_overall"] <= 1.0
    assert tpp["links"]["self"] == f"/api/v1/agreements/{TPP_EN}"
    assert tpp["links"]["export_csv"].endswith("/provisions/export?format=csv")
    assert set(by_id[JAPAN_THAILAND]["parties"]) == {"JPN", "THA"}
    assert by_id[WAEMU_FR]["language"] == "fr"


def test_default_sort_is_coverage_descending(client: Client) -> None:
    items = get(client, "/api/v1/agreements")["items"]
    coverages = [i["coverage_overall"] for i in items]
    assert coverages == sorted(coverages, reverse=True)


def test_sort_by_year(client: Client) -> None:
    years = [i["year"] for i in get(client, "/api/v1/agreements", sort="year")["items"] if i["year"]]
    assert years == sorted(years)
    years_desc = [i["year"] for i in get(client, "/api/v1/agreements", sort="-year")["items"] if i["year"]]
    assert years_desc == sorted(years_desc, reverse=True)


def test_party_and_year_filters(client: Client) -> None:
    data = get(client, "/api/v1/agreements", party="JPN")
    assert JAPAN_THAILAND in [i["agreement_id"] for i in data["items"]]
    assert all("JPN" in i["parties"] for i in data["items"])
    recent = get(client, "/api/v1/agreements", year_from=2010)["items"]
    assert recent and all(i["year"] >= 2010 for i in recent)
    assert TPP_EN in [i["agreement_id"] for i in recent]
    old = get(client, "/api/v1/agreements", year_to=1990)["items"]
    assert old and all(i["year"] <= 1990 for i in old)


def test_relevance_filter_keeps_agreements_with_explicit_provisions(client: Client) -> None:
    items = get(client, "/api/v1/agreements", relevance="explicit")["items"]
    assert TPP_EN in [i["agreement_id"] for i in items]
    assert all(i["counts"]["explicit"] > 0 for i in items)


def test_pagination_next_and_offset(client: Client) -> None:
    first = get(client, "/api/v1/agreements", limit=2, sort="name")
    assert first["count"] == N_AGREEMENTS
    assert (first["limit"], first["offset"], len(first["items"])) == (2, 0, 2)
    assert first["next"] is not None and "offset=2" in first["next"] and "sort=name" in first["next"]
    second = client.get(first["next"]).json()
    assert second["offset"] == 2
    seen = [i["agreement_id"] for i in first["items"] + second["items"]]
    assert len(set(seen)) == 4
    all_names = [i["agreement_id"] for i in get(client, "/api/v1/agreements", limit=200, sort="name")["items"]]
    assert seen == all_names[:4]
    last = get(client, "/api/v1/agreements", limit=2, offset=N_AGREEMENTS - 1)
    assert len(last["items"]) == 1 and last["next"] is None


def test_detail_has_metadata_and_profile(client: Client) -> None:
    data = get(client, f"/api/v1/agreements/{TPP_EN}")
    assert data["agreement_id"] == TPP_EN
    assert "Trans-Pacific" in data["name"]
    assert data["year"] == 2016
    assert data["source_format"] == "tota-xml"
    profile = data["profile"]
    assert profile["n_provisions"] == data["counts"]["provisions"]
    assert profile["relevance_counts"]["explicit"] == data["counts"]["explicit"]
    assert profile["sme_chapter"] is not None
    assert "Small" in profile["sme_chapter"]["heading"]
    assert profile["sme_chapter"]["provision_ids"]


def test_unknown_agreement_is_json_404_naming_the_id(client: Client) -> None:
    for url in ("/api/v1/agreements/tota-999999", "/api/v1/agreements/tota-999999/provisions"):
        response = client.get(url)
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "not_found"
        assert "tota-999999" in body["detail"]


def test_tpp_explicit_provisions_include_chapter_24(client: Client) -> None:
    data = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", relevance="explicit", limit=200)
    items = data["items"]
    assert data["count"] == len(items) > 0
    assert all(i["relevance"] == "explicit" for i in items)
    chapter_24 = [i for i in items if any("24" in part and "Small" in part for part in i["path"][:1])]
    assert chapter_24, [i["path"] for i in items][:5]
    record = items[0]
    for key in ("provision_id", "source_ref", "path", "unit", "text", "relevance", "categories", "binding"):
        assert key in record
    assert record["agreement_id"] == TPP_EN and record["unit"] == "article"
    for ev in record["evidence"]:
        assert record["text"][ev["start"] : ev["end"]] == ev["text"]


def test_provision_count_matches_agreement_counts(client: Client) -> None:
    detail = get(client, f"/api/v1/agreements/{TPP_EN}")
    all_items = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", limit=1)
    assert all_items["count"] == detail["counts"]["provisions"]
    none = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", relevance="none", limit=1)
    explicit = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", relevance="explicit", limit=1)
    implicit = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", relevance="implicit", limit=1)
    assert none["count"] + explicit["count"] + implicit["count"] == all_items["count"]
    assert explicit["count"] == detail["counts"]["explicit"]


def test_category_and_binding_filters(client: Client) -> None:
    profile = get(client, f"/api/v1/agreements/{TPP_EN}")["profile"]
    category = max(profile["category_counts"], key=lambda c: profile["category_counts"][c])
    data = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", category=category, limit=200)
    assert data["count"] == profile["category_counts"][category] > 0
    assert all(category in i["categories"] for i in data["items"])
    binding = get(client, f"/api/v1/agreements/{TPP_EN}/provisions", binding="binding", limit=200)
    assert all(i["binding"] == "binding" for i in binding["items"])
    assert binding["count"] == profile["binding_counts"]["binding"]


def test_provisions_pagination_walks_every_provision_once(client: Client) -> None:
    url = f"/api/v1/agreements/{JAPAN_THAILAND}/provisions?limit=50"
    seen: list[str] = []
    count = None
    while url:
        data = client.get(url).json()
        count = data["count"]
        seen += [i["provision_id"] for i in data["items"]]
        url = data["next"]
    assert count == len(seen) == len(set(seen))


def test_bad_parameters_are_422_naming_the_parameter(client: Client) -> None:
    cases = {
        "limit=500": "limit",
        "limit=0": "limit",
        "offset=-1": "offset",
        "relevance=maybe": "relevance",
        "category=cheese": "category",
        "sort=random": "sort",
        "year_from=abc": "year_from",
    }
    for query, name in cases.items():
        response = client.get(f"/api/v1/agreements?{query}")
        assert response.status_code == 422, query
        body = response.json()
        assert body["code"] == "invalid_parameter"
        assert f"'{name}'" in body["detail"], body
        assert body["detail"].count("Parameter") == 1, body  # one sentence, no pydantic union noise
        assert "literal[" not in body["detail"] and "should be None" not in body["detail"]
    body = client.get(f"/api/v1/agreements/{TPP_EN}/provisions?committee=nope").json()
    assert "'committee'" in body["detail"] and "msme_iwg" in body["detail"]
