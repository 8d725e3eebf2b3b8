"""The learned layer: it learns an obvious rule, its JSON model round-trips, its evidence quotes the text."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from msmelens.lens.learned import (
    Example,
    Featuriser,
    Model,
    evidence_spans,
    fit_model,
    load_model,
    rules_for,
    save_model,
    train_full,
    training_hash,
)

FILLER = [
    "parties",
    "agreement",
    "article",
    "chapter",
    "provisions",
    "measures",
    "trade",
    "goods",
    "services",
    "customs",
    "tariff",
    "schedule",
    "annex",
    "committee",
    "review",
    "implementation",
    "obligations",
    "territory",
    "rights",
    "procedures",
    "national",
    "treatment",
    "origin",
]


def synthetic(n_agreements: int = 24, per_agreement: int = 6, seed: int = 0) -> list[Example]:
    """Articles where the labels follow an obvious rule no lexicon knows.

    Relevant iff the text mentions "zorbly"; among relevant ones the category is ``digital`` iff it mentions
    "quextal" (else ``finance``); binding iff it says "shall", soft when it says "may endeavour".
    """
    rng = random.Random(seed)
    out = []
    for a in range(n_agreements):
        for i in range(per_agreement):
            words = rng.sample(FILLER, 12)
            relevant = (a + i) % 3 == 0
            digital = relevant and i % 2 == 0
            binding = relevant and (a % 2 == 0)
            if relevant:
                words.insert(rng.randrange(len(words)), "zorbly")
                words.append("quextal" if digital else "plimbit")
                words += ["the parties shall"] if binding else ["the parties may endeavour"]
            text = " ".join(words).capitalize() + "."
            rule, feats = rules_for(text, f"Article {i}", "en")
            out.append(
                Example(
                    agreement=f"syn-{a}",
                    article_id=f"{a}-{i}",
                    language="en",
                    text=text,
                    heading=f"Article {i}",
                    chapter=f"Chapter {a % 4}",
                    rule=rule,
                    rule_features=feats,
                    relevance="implicit" if relevant else "none",
                    categories=(["digital"] if digital else ["finance"]) if relevant else [],
                    binding=("binding" if binding else "soft") if relevant else None,
                )
            )
    return out


@pytest.fixture(scope="module")
def data() -> list[Example]:
    return synthetic()


def _split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [ex for ex in examples if int(ex.agreement.split("-")[1]) < 16]
    test = [ex for ex in examples if int(ex.agreement.split("-")[1]) >= 16]
    return train, test


def test_learns_an_obvious_rule_on_unseen_agreements(data: list[Example]) -> None:
    train, test = _split(data)
    model = fit_model(train, use_rules=False, scoped=False)
    preds = model.predict(test)
    assert [p.relevance != "none" for p in preds] == [ex.relevance != "none" for ex in test]
    relevant = [(p, ex) for p, ex in zip(preds, test, strict=True) if ex.relevance != "none"]
    assert relevant
    assert all(p.categories == ex.categories for p, ex in relevant)
    assert all(p.binding == ex.binding for p, ex in relevant)
    assert all(p.categories == [] and p.binding is None for p in preds if p.relevance == "none")


def test_json_model_round_trips_with_the_same_predictions(data: list[Example], tmp_path) -> None:
    train, test = _split(data)
    model = train_full(train, lens_version="9.9.9", scoped=False)
    path = tmp_path / "model.json"
    size = save_model(model, path)
    assert size == path.stat().st_size and size < 5_000_000
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["meta"]["lens_version"] == "9.9.9"
    assert stored["meta"]["training_sha256"] == training_hash(train)
    assert set(stored["heads"]) >= {"relevant", "explicit", "binding", "cat:digital"}
    assert "zorbly" in stored["features"]["vectorisers"]["text_word"]["vocabulary"]
    loaded = load_model(path)
    a, b = model.predict(test), loaded.predict(test)
    assert [(p.relevance, p.categories, p.binding) for p in a] == [
        (p.relevance, p.categories, p.binding) for p in b
    ]
    assert np.array_equal([p.p_relevant for p in a], [p.p_relevant for p in b])
    assert np.array_equal([p.p_categories["digital"] for p in a], [p.p_categories["digital"] for p in b])
    assert loaded.featuriser.names() == model.featuriser.names()


def test_training_is_deterministic(data: list[Example], tmp_path) -> None:
    train, _ = _split(data)
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    save_model(train_full(train, lens_version="x", scoped=False), one)
    save_model(train_full(list(train), lens_version="x", scoped=False), two)
    assert one.read_bytes() == two.read_bytes()


def test_load_model_rejects_other_json_in_one_line(tmp_path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="other.json") as info:
        load_model(path)
    assert "\n" not in str(info.value)


def test_evidence_offsets_quote_the_text(data: list[Example]) -> None:
    train, test = _split(data)
    model = fit_model(train, use_rules=False, scoped=False)
    ex = next(e for e in test if e.relevance != "none")
    spans = evidence_spans(model, ex, head="relevant", top=5)
    assert spans
    for e in spans:
        assert ex.text[e.start : e.end] == e.text
        assert (e.supports, e.by) == ("implicit", "model")
    assert any(e.text.lower() == "zorbly" for e in spans)
    assert [e.start for e in spans] == sorted(e.start for e in spans)


def test_rule_features_are_used_only_by_the_combined_model(data: list[Example]) -> None:
    train, _ = _split(data)
    assert Featuriser.fit(train, use_rules=False).rule_vocab is None
    combined = Featuriser.fit(train, use_rules=True)
    assert combined.rule_vocab and all(name.startswith(("rule_", "cue=")) for name in combined.rule_vocab)
    assert any(name.startswith("rules:") for name in combined.names())
    assert isinstance(Model.from_dict(fit_model(train, use_rules=True, scoped=False).to_dict()), Model)
