"""/api/v1/practices, /api/v1/practices/{slug} and /{slug}/versions on the seeded library: filters and search
(same as the page), pagination, shapes and values, versions after an import and an edit, 404 for unpublished
records, and the API's error shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.practices.conftest import SEED_PATH

from msmelens.practices import selectors, services

SEED = {r["id"]: r for r in (json.loads(x) for x in SEED_PATH.read_text(encoding="utf-8").splitlines() if x.strip())}
URL = "/api/v1/practices"


def _all(client: Any, **params: Any) -> list[str]:
    out: list[str] = []
    url: str | None = URL
    query: dict[str, Any] | None = {**params, "limit": 25}
    while url:
        body = client.get(url, query).json()
        out += [item["id"] for item in body["items"]]
        url, query = body["next"], None
    return out


def test_list_pages_through_every_published_record(client, seeded) -> None:  # type: ignore[no-untyped-def]
    body = client.get(URL, {"limit": 2}).json()
    assert body["count"] == 73 and body["limit"] == 2 and body["offset"] == 0
    assert body["next"] == "/api/v1/practices?limit=2&offset=2"
    assert [i["id"] for i in body["items"]] == [
        "adb-trade-supply-chain-finance-program", "asean-single-window"
    ]  # by title
    ids = _all(client)
    assert sorted(ids) == sorted(SEED) and len(ids) == 73
    last = client.get(URL, {"limit": 50, "offset": 50}).json()
    assert len(last["items"]) == 23 and last["next"] is None


def test_filters_and_search_match_the_seed(client, seeded) -> None:  # type: ignore[no-untyped-def]
    assert sorted(_all(client, obstacle="finance")) == sorted(k for k, r in SEED.items() if "finance" in r["obstacles"])
    assert sorted(_all(client, country="ken")) == sorted(k for k, r in SEED.items() if "KEN" in r["countries"])
    assert sorted(_all(client, evidence_min=4, region="africa")) == [
        "egypt-rug-export-rct", "ethiopia-waln-business-training", "kenya-get-ahead-business-training"
    ]
    assert sorted(_all(client, instrument="matching_grant", target_group="small")) == sorted(
        k for k, r in SEED.items() if r["instrument"] == "matching_grant" and "small" in r["target_groups"]
    )
    assert _all(client, q="Rúg MAKERS") == ["egypt-rug-export-rct"]
    assert _all(client, q="hamis carpets") == ["egypt-rug-export-rct"]  # the implementer
    assert set(_all(client, year_from=2100)) == {k for k, r in SEED.items() if r["end_year"] is None}


def test_record_shape_and_values(client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"{URL}/egypt-rug-export-rct")
    assert response.status_code == 200
    body = response.json()
    seed = SEED["egypt-rug-export-rct"]
    for key in ("title", "summary", "countries", "scope", "start_year", "end_year", "implementer", "instrument",
                "obstacles", "target_groups", "evidence_level", "verified"):
        assert body[key] == seed[key], key
    assert body["id"] == "egypt-rug-export-rct" and body["regions"] == ["africa"]
    assert body["status"] == "published" and body["version"] == 1 and body["original_language"] == "en"
    assert body["outcomes"] == [
        {key: o[key] for key in ("indicator", "value", "unit", "baseline", "year", "design", "note")}
        for o in seed["outcomes"]
    ]
    assert body["sources"] == seed["sources"]
    assert "at random" in body["evidence_explained"]
    assert body["versions_url"] == "/api/v1/practices/egypt-rug-export-rct/versions"
    assert body["translations"] == {}


def test_versions_after_an_import_change_and_an_edit(client, seeded, curator, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    changed = {**SEED["egypt-rug-export-rct"], "summary": "A shorter summary for the test."}
    path = tmp_path / "change.jsonl"
    path.write_text(json.dumps(changed) + "\n", encoding="utf-8")
    report = services.import_practices(path=path)
    assert list(report.updated) == ["egypt-rug-export-rct"]
    practice = selectors.practice_get("egypt-rug-export-rct")
    services.update_practice(practice=practice, data={"verified": False}, expected_version=practice.version,
                             user=curator, reason="the J-PAL page moved")
    body = client.get(f"{URL}/egypt-rug-export-rct/versions").json()
    assert body["id"] == "egypt-rug-export-rct" and body["count"] == 3
    newest, middle, first = body["items"]
    assert [v["number"] for v in body["items"]] == [3, 2, 1]
    assert newest["user"] == "carla-curator" and newest["reason"] == "the J-PAL page moved"
    assert newest["changed_fields"] == ["verified"]
    assert middle["user"] is None and "summary" in middle["changed_fields"] and "title" not in middle["changed_fields"]
    assert "title" in first["changed_fields"]
    assert newest["date"] >= middle["date"] >= first["date"]
    assert client.get(f"{URL}/egypt-rug-export-rct").json()["summary"] == "A shorter summary for the test."


def test_unpublished_records_are_404_for_anonymous_callers(client, seeded, curator) -> None:  # type: ignore[no-untyped-def]
    services.withdraw(practice=selectors.practice_get("egypt-rug-export-rct"), user=curator, reason="recheck")
    for url in (f"{URL}/egypt-rug-export-rct", f"{URL}/egypt-rug-export-rct/versions"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found" and "egypt-rug-export-rct" in response.json()["detail"]
    assert client.get(URL).json()["count"] == 72
    assert "egypt-rug-export-rct" not in _all(client, country="EGY")
    client.force_login(curator)
    body = client.get(f"{URL}/egypt-rug-export-rct").json()
    assert body["status"] == "withdrawn"
    assert client.get(URL).json()["count"] == 73


def test_errors_are_readable_json(client, seeded) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"obstacle": "cheese"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_parameter" and "obstacle" in body["detail"]
    response = client.get(URL, {"evidence_min": 9})
    assert response.status_code == 422 and "evidence_min" in response.json()["detail"]
    response = client.get(f"{URL}/no-such-record")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_operations_are_documented(client, db) -> None:  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/practices", "/api/v1/practices/{slug}", "/api/v1/practices/{slug}/versions"):
        operation = schema["paths"][path]["get"]
        assert operation["summary"] and len(operation["description"]) > 80, path
        assert "404" in operation["responses"] or path == "/api/v1/practices"
