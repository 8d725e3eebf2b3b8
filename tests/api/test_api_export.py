"""Streamed CSV/JSON exports: same rows in both formats, filters applied, CSV lists joined by ';'."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from tests.sample import SAMPLE_IDS, TPP_EN

pytestmark = pytest.mark.usefixtures("sample_db")


def body_of(response: StreamingHttpResponse) -> str:
    assert isinstance(response, StreamingHttpResponse)  # streamed, not built as one string
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_agreement_export_csv_and_json_agree(client: Client) -> None:
    url = f"/api/v1/agreements/{TPP_EN}/provisions/export"
    csv_response = client.get(url, {"format": "csv", "relevance": "explicit"})
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert f'filename="{TPP_EN}-provisions.csv"' in csv_response["Content-Disposition"]
    text = body_of(csv_response)
    header = text.lstrip("\ufeff").split("\r\n", 1)[0]
    assert header.split(",")[:3] == ["agreement_id", "provision_id", "source_ref"]
    rows = read_csv(text)

    json_response = client.get(url, {"format": "json", "relevance": "explicit"})
    assert json_response["Content-Type"].startswith("application/json")
    records = json.loads(body_of(json_response))
    listed = client.get(
        f"/api/v1/agreements/{TPP_EN}/provisions", {"relevance": "explicit", "limit": 1}
    ).json()

    assert len(rows) == len(records) == listed["count"] > 0
    assert [r["provision_id"] for r in rows] == [r["provision_id"] for r in records]
    assert all(r["relevance"] == "explicit" and r["agreement_id"] == TPP_EN for r in rows)
    for row, record in zip(rows, records, strict=True):
        assert row["categories"] == ";".join(record["categories"])
        assert row["committees"] == ";".join(record["committees"])
        assert json.loads(row["evidence"]) == record["evidence"]
        assert row["text"].lstrip("'") == record["text"]


def test_export_defaults_to_csv_with_every_provision(client: Client) -> None:
    response = client.get(f"/api/v1/agreements/{TPP_EN}/provisions/export")
    rows = read_csv(body_of(response))
    detail = client.get(f"/api/v1/agreements/{TPP_EN}").json()
    assert len(rows) == detail["counts"]["provisions"]


def test_corpus_export_filters_across_agreements(client: Client) -> None:
    response = client.get("/api/v1/provisions/export", {"format": "json", "relevance": "explicit"})
    assert response.status_code == 200
    records = json.loads(body_of(response))
    assert records and all(r["relevance"] == "explicit" for r in records)
    expected = sum(
        client.get(f"/api/v1/agreements/{agreement_id}").json()["counts"]["explicit"]
        for agreement_id in SAMPLE_IDS  # every language version keeps its own lens results
    )
    assert len(records) == expected
    assert {r["agreement_id"] for r in records} <= set(SAMPLE_IDS)

    csv_rows = read_csv(body_of(client.get("/api/v1/provisions/export", {"relevance": "explicit"})))
    assert len(csv_rows) == len(records)


def test_corpus_export_category_filter(client: Client) -> None:
    records = json.loads(
        body_of(client.get("/api/v1/provisions/export", {"format": "json", "category": "dialogue_and_data"}))
    )
    assert records and all("dialogue_and_data" in r["categories"] for r in records)


def test_export_bad_format_is_422(client: Client) -> None:
    response = client.get("/api/v1/provisions/export", {"format": "xlsx"})
    assert response.status_code == 422
    assert "'format'" in response.json()["detail"] and "csv" in response.json()["detail"]
    assert client.get("/api/v1/agreements/tota-0/provisions/export").status_code == 404
