"""Agreement profile and corpus figures on a hand-made document."""

from __future__ import annotations

from msmelens.corpus.model import AgreementMeta
from msmelens.lens import analyze
from msmelens.lens.profile import corpus_figures, profile_agreement
from msmelens.lens.record import ProvisionResult
from msmelens.lens.taxonomy import CATEGORIES

from ._docs import make_document


def _result(pid: str, relevance: str, cats: list[str], binding: str | None) -> ProvisionResult:
    return ProvisionResult(
        "doc-test", pid, pid, [], "article", "", relevance, cats, binding, [], 0.9, [], "en"
    )


def test_profile_counts_and_sme_chapter() -> None:
    doc = make_document()
    prof = profile_agreement(doc, analyze(doc)).to_dict()
    assert prof["agreement_id"] == "doc-test" and prof["n_provisions"] == 4
    assert prof["relevance_counts"] == {"explicit": 2, "implicit": 1, "none": 1}
    assert prof["binding_counts"] == {"binding": 2, "soft": 1}
    assert prof["binding_share"] == round(2 / 3, 4)
    assert set(prof["category_counts"]) == set(CATEGORIES)
    assert prof["category_counts"]["border_procedures"] >= 1
    assert prof["sme_chapter"] == {
        "heading": "Chapter 3 Small and Medium-Sized Enterprises",
        "provision_ids": ["doc-test-c3-a1", "doc-test-c3-a2"],
    }
    assert prof["committees"]["msme_iwg"] == 2
    assert 0.0 <= prof["coverage_overall"] <= 1.0


def test_coverage_is_top_three_weighted_and_capped() -> None:
    doc = make_document()
    results = [
        _result("a", "explicit", ["finance"], "binding"),  # 1.0
        _result("b", "explicit", ["finance"], "soft"),  # 0.6
        _result("c", "implicit", ["finance", "digital"], "soft"),  # 0.3
        _result("d", "implicit", ["finance"], "soft"),  # 0.3 (4th strongest: ignored)
        _result("e", "explicit", ["skills"], "binding"),
        _result("f", "explicit", ["skills"], "binding"),
        _result("g", "explicit", ["skills"], "binding"),
        _result("h", "explicit", ["skills"], "binding"),
        _result("i", "none", [], None),
    ]
    prof = profile_agreement(doc, results)
    assert prof.coverage["finance"] == round((1.0 + 0.6 + 0.3) / 3, 4)
    assert prof.coverage["digital"] == 0.1
    assert prof.coverage["skills"] == 1.0
    assert prof.coverage["infrastructure"] == 0.0
    assert prof.coverage_overall == round(sum(prof.coverage.values()) / 8, 4)
    assert prof.sme_chapter is not None  # heading names SMEs even though ids do not match


def test_corpus_figures_by_year_region_and_category() -> None:
    doc = make_document()
    prof = profile_agreement(doc, analyze(doc))
    meta_b = AgreementMeta(name="B", date_signed="2020-01-01", region="Europe")
    prof_b = {
        "relevance_counts": {"explicit": 0, "implicit": 2, "none": 5},
        "category_counts": {"digital": 2},
    }
    meta_c = AgreementMeta(name="C", date_signed=None, region="")
    prof_c = {"relevance_counts": {"explicit": 0, "implicit": 0, "none": 3}, "category_counts": {}}
    figs = corpus_figures([(doc.meta, prof), (meta_b, prof_b), (meta_c, prof_c)])
    assert figs["n_agreements"] == 3
    assert figs["n_with_explicit"] == 1 and figs["n_with_implicit"] == 2
    assert figs["share_explicit"] == round(1 / 3, 4) and figs["share_implicit"] == round(2 / 3, 4)
    assert figs["by_year"] == [{"year": 2020, "n": 2, "share_explicit": 0.5, "share_implicit": 1.0}]
    assert figs["by_region"] == [
        {"region": "Asia", "n": 1, "share_explicit": 1.0, "share_implicit": 1.0},
        {"region": "Europe", "n": 2, "share_explicit": 0.5, "share_implicit": 1.0},
    ]
    assert figs["category_coverage"]["digital"] == round(1 / 3, 4)
    assert figs["category_coverage"]["infrastructure"] == 0.0
