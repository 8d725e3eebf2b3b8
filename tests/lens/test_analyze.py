"""``analyze``: one record per article (or paragraph), with ids and offsets that hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from msmelens.lens import LENS_VERSION, analyze, analyze_text
from msmelens.lens.taxonomy import CATEGORIES, COMMITTEES

from ._docs import make_document

TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"


def test_one_record_per_article_in_order() -> None:
    doc = make_document()
    results = analyze(doc)
    assert [r.provision_id for r in results] == [a.id for a in doc.articles()]
    assert [r.relevance for r in results] == ["none", "implicit", "explicit", "explicit"]
    assert all(r.agreement_id == "doc-test" and r.unit == "article" for r in results)
    assert results[1].path == ["Chapter 2 Customs", "Article 2.1 Advance Rulings"]
    assert results[1].binding == "binding" and results[3].binding == "soft"


def test_paragraph_unit_gives_one_record_per_paragraph() -> None:
    doc = make_document()
    results = analyze(doc, unit="paragraph")
    assert [r.provision_id for r in results] == [p.id for p in doc.paragraphs()]
    assert all(r.unit == "paragraph" for r in results)
    assert results[3].relevance == "explicit"  # "information for SMEs"


def test_paragraph_unit_on_unsplit_article_gives_the_article() -> None:
    doc = make_document()
    for article in doc.articles():
        article.paragraphs = []
    results = analyze(doc, unit="paragraph")
    assert [r.provision_id for r in results] == [a.id for a in doc.articles()]
    assert all(r.unit == "paragraph" for r in results)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="paragraph"):
        analyze(make_document(), unit="sentence")


def test_record_values_are_in_the_vocabulary_and_evidence_quotes_text() -> None:
    for r in analyze(make_document()) + analyze(make_document(), unit="paragraph"):
        assert set(r.categories) <= set(CATEGORIES)
        assert set(r.committees) <= set(COMMITTEES)
        assert 0.0 <= r.score <= 1.0
        for e in r.evidence:
            assert r.text[e.start : e.end] == e.text
        d = r.to_dict()
        assert d["relevance"] == r.relevance and d["evidence"] == [e.to_dict() for e in r.evidence]


def test_analyze_text_returns_one_provision() -> None:
    r = analyze_text("Cada Parte publicará en internet sus procedimientos aduaneros.", language="es")
    assert r.relevance == "implicit" and r.language == "es" and r.unit == "article"
    assert isinstance(LENS_VERSION, str) and LENS_VERSION


@pytest.mark.corpus
def test_tota_file_gives_exactly_one_record_per_article() -> None:
    from msmelens.corpus.readers import read_path

    doc = read_path(TOTA / "pta_7.xml")
    results = analyze(doc)
    articles = list(doc.articles())
    assert len(results) == len(articles) > 100
    assert [r.source_ref for r in results] == [a.source_ref for a in articles]
    assert len({r.provision_id for r in results}) == len(results)
    for r in results:
        for e in r.evidence:
            assert r.text[e.start : e.end] == e.text
    by_ref = {r.source_ref: r for r in results}
    assert by_ref["637"].relevance == "explicit"  # the SME cooperation article
    assert by_ref["528"].relevance == "none"  # the preamble
