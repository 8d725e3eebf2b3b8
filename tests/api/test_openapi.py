"""The OpenAPI document: served, described, and identical to the committed docs/openapi.json."""

from __future__ import annotations

from pathlib import Path

from django.test import Client

from msmelens.api.openapi_doc import OPENAPI_PATH, render_openapi

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_PATHS = {
    "/api/v1/agreements",
    "/api/v1/agreements/{agreement_id}",
    "/api/v1/agreements/{agreement_id}/provisions",
    "/api/v1/agreements/{agreement_id}/provisions/export",
    "/api/v1/provisions/export",
    "/api/v1/search",
    "/api/v1/countries",
    "/api/v1/countries/{iso3}",
    "/api/v1/overview",
    "/api/v1/filters",
    "/api/v1/lens/analyze",
    "/api/v1/surveys",
    "/api/v1/surveys/{slug}",
    "/api/v1/surveys/{slug}/form.xml",
    "/api/v1/surveys/{slug}/responses",
    "/api/v1/surveys/{slug}/results",
    "/api/v1/surveys/{slug}/changes",
    "/api/v1/practices",
    "/api/v1/practices/{slug}",
    "/api/v1/practices/{slug}/versions",
    "/api/v1/guide/report",
    "/api/v1/wto/agreements",
    "/api/v1/wto/agreements/{key}",
    "/api/v1/wto/beyond",
    "/api/v1/wto/beyond/{topic}",
}


def test_committed_openapi_matches_the_api() -> None:
    committed = (ROOT / OPENAPI_PATH).read_text(encoding="utf-8")
    assert committed == render_openapi(), "docs/openapi.json is stale: run scripts/gen_openapi.py"


def test_openapi_served_with_title_and_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "MSME Lens API"
    assert schema["info"]["version"]
    assert set(schema["paths"]) == EXPECTED_PATHS


def test_every_operation_and_parameter_is_described(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("description"), (method, path)
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (method, path, parameter["name"])
            assert "422" in operation["responses"] or not operation.get("parameters"), (method, path)


def test_limits_are_stated_in_the_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/agreements"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 200
    assert params["relevance"]["schema"]["enum"] == ["explicit", "implicit", "none"]
    body = schema["paths"]["/api/v1/lens/analyze"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["properties"]["text"]["maxLength"] == 2_000_000
    assert "file" in body["multipart/form-data"]["schema"]["properties"]


def test_interactive_docs_page(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
    assert b"/api/v1/openapi.json" in response.content


def test_unknown_api_path_is_json_404(client: Client) -> None:
    for method in ("get", "post", "delete"):
        response = getattr(client, method)("/api/v1/no-such-thing/here")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert "/api/v1/no-such-thing/here" in response.json()["detail"]
