"""Provisions sorted and filtered by the lens's score (the calibrated probability that the relevance call is right)."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.sample import TPP_EN

pytestmark = pytest.mark.usefixtures("sample_db")


def _scores(client: Client, **params: object) -> tuple[int, list[float]]:
    response = client.get(f"/api/v1/agreements/{TPP_EN}/provisions", {"limit": 200, **params})
    assert response.status_code == 200, response.content
    data = response.json()
    return data["count"], [item["score"] for item in data["items"]]


def test_least_sure_first_surest_first_and_bounds(client: Client) -> None:
    total, reading = _scores(client)
    assert total > 100 and all(0.0 <= s <= 1.0 for s in reading)
    _, least = _scores(client, order="score")
    assert least == sorted(least) and least[0] == min(reading)
    _, surest = _scores(client, order="-score")
    assert surest == sorted(surest, reverse=True)
    n_low, low = _scores(client, max_score=0.8)
    n_high, high = _scores(client, min_score=0.8)
    assert low and all(s <= 0.8 for s in low) and all(s >= 0.8 for s in high)
    assert n_low + n_high >= total  # a score of exactly 0.8 is in both
    assert n_low < total


def test_a_score_outside_0_1_is_a_clear_422(client: Client) -> None:
    response = client.get(f"/api/v1/agreements/{TPP_EN}/provisions", {"min_score": 1.5})
    assert response.status_code == 422
    assert "min_score" in response.content.decode()


def test_evidence_says_whether_the_rules_or_the_model_found_it(client: Client) -> None:
    response = client.get(f"/api/v1/agreements/{TPP_EN}/provisions", {"limit": 200, "relevance": "implicit"})
    items = response.json()["items"]
    spans = [(item["text"], e) for item in items for e in item["evidence"]]
    assert spans and {e["by"] for _t, e in spans} <= {"rules", "model"}
    model = [(t, e) for t, e in spans if e["by"] == "model"]
    assert model, "the learned stage decided some implicit provisions of the TPP and quotes its terms"
    assert all(t[e["start"] : e["end"]] == e["text"] for t, e in model)
