"""Hostile or absurd input gets a JSON 4xx naming the problem, never a 5xx."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.sample import TPP_EN

pytestmark = pytest.mark.usefixtures("sample_db")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements?offset=99999999999999999999999",
        "/api/v1/agreements?limit=-5",
        "/api/v1/agreements?year_from=99999999999999999999",
        "/api/v1/agreements?year_to=1e9",
        "/api/v1/agreements?party=%00",
        "/api/v1/agreements?region=a%00b",
        "/api/v1/agreements?status=" + "x" * 201,
        f"/api/v1/agreements/{TPP_EN}/provisions?curated=perhaps",
        f"/api/v1/agreements/{TPP_EN}/provisions?binding=maybe",
        f"/api/v1/agreements/{TPP_EN}/provisions?offset=abc",
        "/api/v1/search?q=%00",
        "/api/v1/search?q=ok&limit=101",
        "/api/v1/search?q=ok&offset=10001",
        "/api/v1/provisions/export?format=../../etc/passwd",
        "/api/v1/countries?lang=%00",
    ],
)
def test_bad_query_values_are_422_json(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422, (url, response.status_code, response.content[:200])
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert body["detail"].startswith("Parameter '")


@pytest.mark.parametrize(
    "agreement_id",
    ["x" * 65, "tota-1%00", "..%2F..%2Fetc%2Fpasswd", "%3Cscript%3E", "tota-449'--", "tota-449%20OR%201=1"],
)
def test_odd_ids_are_404_or_422_json(client: Client, agreement_id: str) -> None:
    response = client.get(f"/api/v1/agreements/{agreement_id}")
    assert response.status_code in (404, 422), (agreement_id, response.status_code)
    body = response.json()
    assert body["code"] in ("not_found", "invalid_parameter")
    assert "<script>" not in response.content.decode() or response["Content-Type"].startswith(
        "application/json"
    )


def test_unknown_parameters_are_ignored_not_fatal(client: Client) -> None:
    response = client.get("/api/v1/agreements", {"colour": "blue", "limit": 1})
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1


def test_write_methods_on_read_endpoints_are_rejected(client: Client) -> None:
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/v1/agreements")
        assert response.status_code == 405, (method, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "method_not_allowed"
        assert "GET" in response["Allow"] and "GET" in response.json()["detail"]


def test_many_repeated_parameters_are_refused(client: Client) -> None:
    response = client.get("/api/v1/agreements?" + "&".join(["party=JPN"] * 50))
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code"} and "party" in body["detail"]


def test_over_long_query_is_refused_as_json(client: Client) -> None:
    response = client.get("/api/v1/search", {"q": "x" * 5000})
    assert response.status_code == 414
    assert set(response.json()) == {"detail", "code"}


def test_last_resort_handler_is_json_500_without_internals(rf) -> None:  # type: ignore[no-untyped-def]
    from msmelens.api.api import api

    request = rf.get("/api/v1/agreements")
    response = api.on_exception(request, RuntimeError("secret internal detail"))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["code"] == "server_error"
    assert "secret internal detail" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_head_answers_like_get_without_a_body(client: Client) -> None:
    get = client.get("/api/v1/agreements")
    head = client.head("/api/v1/agreements")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == get["Content-Type"]
    export = client.head(f"/api/v1/agreements/{TPP_EN}/provisions/export?format=csv")
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    assert b"".join(export.streaming_content) == b""
    assert client.head("/api/v1/agreements/tota-0").status_code == 404


def test_trailing_slash_gets_a_hint(client: Client) -> None:
    response = client.get("/api/v1/agreements/")
    assert response.status_code == 404
    assert "Did you mean /api/v1/agreements?" in response.json()["detail"]
