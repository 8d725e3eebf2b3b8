"""Model-language suggestions for a draft, over the stored sample provisions."""

from __future__ import annotations

import pytest

from msmelens.agreements.drafting import categories_needing_help, suggest_model_language
from msmelens.agreements.models import Provision
from msmelens.corpus.readers import read_bytes
from msmelens.lens import analyze
from msmelens.lens.taxonomy import CATEGORIES

pytestmark = pytest.mark.django_db

DRAFT = """Chapter 1 Small and Medium-Sized Enterprises

Article 1.1 Information Sharing
1. Each Party shall establish and maintain a publicly accessible website containing information for small and
medium-sized enterprises, including customs regulations and procedures, and an enquiry point.

Article 1.2 Cooperation
The Parties shall endeavour to cooperate to promote training for SMEs and their participation in trade.
"""


@pytest.fixture
def draft_results():
    return analyze(read_bytes(DRAFT.encode(), "draft.txt"))


def test_needs_are_missing_or_soft_categories(draft_results):
    needs = categories_needing_help(draft_results)
    covered_binding = {
        c for r in draft_results if r.relevance != "none" and r.binding == "binding" for c in r.categories
    }
    soft_only = {c for r in draft_results if r.relevance != "none" for c in r.categories} - covered_binding
    assert covered_binding, "the draft's first article is a binding MSME provision"
    assert set(needs) == set(CATEGORIES) - covered_binding
    assert {c for c, n in needs.items() if n == "soft"} == soft_only
    assert all(n == "missing" for c, n in needs.items() if c not in soft_only)


def test_suggestions_rank_explicit_and_binding_first_one_per_agreement(sample_db, draft_results):
    suggestions = suggest_model_language(results=draft_results, per_category=3)
    needs = categories_needing_help(draft_results)
    assert set(suggestions) == set(needs)
    assert any(suggestions.values())
    for cat, items in suggestions.items():
        assert len(items) <= 3
        agreements = [s["agreement_id"] for s in items]
        assert len(agreements) == len(set(agreements))
        keys = [
            (s["language"] not in ("en", ""), s["relevance"] != "explicit", s["binding"] != "binding")
            for s in items
        ]
        assert keys == sorted(keys)
        for s in items:
            stored = Provision.objects.get(provision_id=s["provision_id"])
            assert cat in stored.categories and stored.relevance != "none"
            assert stored.agreement.lens_id == s["agreement_id"]
            assert 0.0 <= s["similarity"] <= 1.0 + 1e-9
            assert s["need"] == needs[cat]
    # English draft: English stored provisions come first wherever there are any
    first = [items[0] for items in suggestions.values() if items]
    assert all(s["language"] == "en" for s in first)


def test_similarity_orders_equally_strong_candidates(sample_db, draft_results):
    suggestions = suggest_model_language(results=draft_results, per_category=5)
    for items in suggestions.values():
        for a, b in zip(items, items[1:], strict=False):
            same_rank = (a["language"], a["relevance"], a["binding"]) == (
                b["language"],
                b["relevance"],
                b["binding"],
            )
            if same_rank:
                assert a["similarity"] >= b["similarity"]


def test_no_stored_provisions_gives_empty_lists(db, draft_results):
    Provision.objects.all().delete()
    suggestions = suggest_model_language(results=draft_results)
    assert suggestions and all(items == [] for items in suggestions.values())
