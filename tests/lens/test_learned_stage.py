"""The shipped model in the lens: provenance, size, decisions with evidence, a calibrated score, switching off."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests.lens._docs import make_document
from tests.lens.test_learned import synthetic

from msmelens.lens import LENS_VERSION, analyze, analyze_text
from msmelens.lens.calibration import Calibrator, fit_calibrator, reliability, score_of_call
from msmelens.lens.learned import load_examples, load_model, merge_labels, training_hash
from msmelens.lens.learned_stage import ENV_VAR, MODEL_PATH, Item, apply_learned, current_model
from msmelens.lens.record import ProvisionResult

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def test_the_model_ships_small_inspectable_and_for_this_lens() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size < 5_000_000
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))  # plain JSON, no pickle
    assert data["format"] == "msmelens-lens-learned/1"
    assert data["use_rules"] is True
    assert data["meta"]["lens_version"] == LENS_VERSION
    assert len(data["meta"]["training_sha256"]) == 64
    assert set(data["calibration"]) == {"slope", "explicit_weight", "intercept"}
    assert data["calibration"]["slope"] > 0  # a higher model probability never lowers the calibrated one


@pytest.mark.corpus
def test_the_shipped_model_was_trained_on_the_current_gold_rows() -> None:
    rows = [json.loads(line) for line in (SHARED / "lens-gold" / "dev.jsonl").read_text().splitlines() if line]
    examples, missing = load_examples(rows, SHARED / "tota" / "xml")
    assert missing == []
    meta = load_model(MODEL_PATH).meta
    assert meta["n_examples"] == len(rows)
    assert meta["training_sha256"] == training_hash(examples), "run `msmelens lens train` to rebuild the model"


def test_explicit_mentions_stay_with_the_rules_and_every_decision_quotes_the_text() -> None:
    doc = make_document()
    rules = analyze(doc, rules_only=True)
    final = analyze(doc)
    assert [r.provision_id for r in final] == [r.provision_id for r in rules]
    for r, f in zip(rules, final, strict=True):
        assert (r.relevance == "explicit") == (f.relevance == "explicit")
        assert 0.0 <= f.score <= 1.0
        for e in f.evidence:
            assert f.text[e.start : e.end] == e.text
            assert e.by in ("rules", "model")
        if f.relevance == "none":
            assert f.categories == [] and f.binding is None
        else:
            assert f.categories and f.binding in ("binding", "soft")


def _item(text: str, relevance: str = "none", cues: list[str] | None = None) -> Item:
    r = ProvisionResult("a", "p1", "1", [], "article", text, relevance, language="en")
    return Item(r, cues or [], heading="", chapter="")


def test_a_model_decision_carries_the_spans_of_its_heaviest_terms() -> None:
    from msmelens.lens.learned import fit_model

    model = fit_model(synthetic(), use_rules=False, inner_folds=0, scoped=False)
    text = "Parties zorbly goods quextal the parties shall review."
    out = apply_learned([_item(text)], model)[0]
    assert out.relevance == "implicit" and out.categories == ["digital"]
    by_model = [e for e in out.evidence if e.by == "model"]
    assert by_model and all(text[e.start : e.end] == e.text for e in by_model)
    assert {e.text.lower() for e in by_model if e.supports == "implicit"} >= {"zorbly"}
    assert any(e.supports == "digital" and "quextal" in e.text.lower() for e in by_model)
    assert out.to_dict()["evidence"][0].get("by") == "model"
    none = apply_learned([_item("Parties goods tariff schedule annex.")], model)[0]
    assert none.relevance == "none" and none.evidence == [] and none.categories == []


def test_rules_only_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "rules")
    assert current_model() is None
    text = "Each Party shall publish its advance rulings on the internet."
    assert analyze_text(text).to_dict() == analyze_text(text, rules_only=True).to_dict()
    monkeypatch.setenv(ENV_VAR, "/nonexistent/model.json")
    assert current_model() is None


def test_score_is_the_probability_that_the_call_is_right() -> None:
    assert score_of_call(0.8, True) == 0.8
    assert score_of_call(0.8, False) == pytest.approx(0.2)
    rng = np.random.default_rng(0)
    p = rng.uniform(0.01, 0.99, 4000)
    y = (rng.uniform(size=4000) < p).astype(int)  # p is already a true probability
    cal = fit_calibrator(p, np.zeros(4000, dtype=bool), y)
    assert cal.slope == pytest.approx(1.0, abs=0.15) and cal.intercept == pytest.approx(0.0, abs=0.15)
    squashed = 1 / (1 + np.exp(-3 * np.log(p / (1 - p))))  # over-confident scores get pulled back
    cal = fit_calibrator(squashed, np.zeros(4000, dtype=bool), y)
    assert cal.slope == pytest.approx(1 / 3, abs=0.08)
    assert Calibrator.from_dict(cal.to_dict()) == cal


def test_reliability_figures_by_hand() -> None:
    rel = reliability([0.95, 0.95, 0.15, 0.55], [True, False, False, True], n_bins=10)
    assert rel.n == 4
    assert rel.brier == pytest.approx((0.05**2 + 0.95**2 + 0.15**2 + 0.45**2) / 4)
    # bins: [0.9,1.0) mean .95 acc .5; [0.1,0.2) mean .15 acc 0; [0.5,0.6) mean .55 acc 1
    assert rel.ece == pytest.approx((2 * 0.45 + 0.15 + 0.45) / 4)
    nine = rel.bins[9]
    assert (nine.n, nine.mean_score, nine.accuracy) == (2, pytest.approx(0.95), 0.5)
    assert "| 0.9–1.0 | 2 | 0.950 | 0.500 |" in rel.format_table()


def test_a_curated_row_replaces_the_gold_row_of_its_article_and_new_ones_are_added() -> None:
    gold = [
        {"agreement": "tota-1", "article_id": "5", "relevance": "none"},
        {"agreement": "tota-1", "article_id": "6", "relevance": "none"},
    ]
    curated = [
        {"agreement": "tota-1", "article_id": "6", "relevance": "implicit", "text": "x"},
        {"agreement": "doc-abc", "article_id": "a1", "relevance": "explicit", "text": "y"},
    ]
    merged, replaced = merge_labels(gold, curated)
    assert replaced == 1
    assert [(r["article_id"], r["relevance"]) for r in merged] == [("5", "none"), ("6", "implicit"), ("a1", "explicit")]


def test_rows_that_carry_their_text_need_no_source_file(tmp_path: Path) -> None:
    rows = [
        {
            "agreement": "doc-abc",
            "article_id": "a1",
            "language": "en",
            "relevance": "implicit",
            "categories": ["digital", "not-a-category"],
            "binding": "soft",
            "text": "The Parties shall endeavour to promote paperless trading.",
            "heading": "Paperless trading",
            "chapter": "Electronic Commerce",
        }
    ]
    examples, missing = load_examples(rows, tmp_path)
    assert missing == []
    (ex,) = examples
    assert ex.categories == ["digital"] and ex.chapter == "Electronic Commerce" and ex.rule is not None
