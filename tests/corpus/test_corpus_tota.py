"""The ToTA XML reader on real agreements from ../shared/tota/xml."""

from __future__ import annotations

from pathlib import Path

import pytest

from msmelens.corpus.language import detect_language
from msmelens.corpus.paragraphs import ensure_paragraphs
from msmelens.corpus.readers import iter_input_files, read_many, read_path

TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def tpp():
    return read_path(TOTA / "pta_449.xml")


def test_tpp_metadata(tpp):
    assert tpp.id == "tota-449"
    assert tpp.format == "tota-xml"
    m = tpp.meta
    assert m.name == "Trans-Pacific Partnership"
    assert m.type == "Free Trade Agreement"
    assert m.status == "Early announcement-Signed"
    assert m.date_signed == "2016-02-03"
    assert m.date_into_force is None
    assert m.year_signed == 2016
    assert m.parties == ["AUS", "BRN", "CAN", "CHL", "JPN", "MEX", "MYS", "NZL", "PER", "SGP", "USA", "VNM"]
    assert m.composition == "Plurilateral"
    assert m.region == "East Asia; North America; South America"
    assert m.language == "en"
    assert m.wto_rta_id == ""
    assert len(tpp.content_hash) == 64


def test_tpp_structure_and_ids(tpp):
    articles = list(tpp.articles())
    assert len(tpp.chapters) == 31
    assert len(articles) == 508
    assert articles[0].id == "tota-449-a39979" and articles[0].source_ref == "39979"
    sme = [c for c in tpp.chapters if c.heading == "CHAPTER 24 Small And Medium-Sized Enterprises"]
    assert len(sme) == 1
    assert [a.heading for a in sme[0].articles] == [
        "ARTICLE 24.1 Information Sharing",
        "ARTICLE 24.2 Committee On Smes",
        "ARTICLE 24.3 Non-Application Of Dispute Settlement",
    ]
    committee = sme[0].articles[1]
    assert committee.id == f"tota-449-a{committee.source_ref}"
    assert committee.path == [
        "CHAPTER 24 Small And Medium-Sized Enterprises",
        "ARTICLE 24.2 Committee On Smes",
    ]
    assert committee.text.startswith("1. The Parties hereby establish a Committee on SMEs")
    ids = [a.id for a in articles]
    assert len(set(ids)) == len(ids)


def test_tpp_offsets_quote_text(tpp):
    for chapter in tpp.chapters:
        assert tpp.text[chapter.start : chapter.end].startswith(chapter.heading)
        for article in chapter.articles:
            assert tpp.text[article.start : article.end] == article.text
            assert chapter.start <= article.start <= article.end <= chapter.end
            for p in article.paragraphs:
                assert tpp.text[p.start : p.end] == p.text


def test_tpp_paragraphs_follow_numbering(tpp):
    committee = next(a for a in tpp.articles() if a.heading == "ARTICLE 24.2 Committee On Smes")
    texts = [p.text for p in committee.paragraphs]
    assert [p.id for p in committee.paragraphs][:2] == [f"{committee.id}-p1", f"{committee.id}-p2"]
    assert texts[0].startswith("1. The Parties hereby establish")
    assert texts[1].startswith("2.") and texts[1].endswith("The Committee shall:")
    assert sum(t.startswith("(") for t in texts) >= 10  # (a) ... (j)
    assert texts[-1].startswith("4. The Committee may seek to collaborate")


def test_double_space_paragraphs_pta_1():
    doc = read_path(TOTA / "pta_1.xml")
    assert doc.meta.sources == [
        "http://www.mofa.go.jp/region/asia-paci/thailand/epa0704/agreement.pdf",
        "http://www.mofa.go.jp/region/asia-paci/thailand/epa0704/index.html",
    ]
    assert doc.meta.parties == ["JPN", "THA"]
    transparency = next(a for a in doc.articles() if a.heading == "ARTICLE 3 Transparency")
    starts = [p.text[:3] for p in transparency.paragraphs]
    assert starts == ["1. ", "2. ", "3. ", "4. "]


def test_spanish_agreement_language():
    es = [
        p
        for p in sorted(TOTA.glob("*.xml"))
        if "<language>es</language>" in p.read_text(encoding="utf-8")[:4000]
    ]
    assert es, "the corpus has Spanish agreements"
    doc = read_path(es[0])
    assert doc.meta.language == "es"


def test_whole_corpus_reads_with_offsets():
    files = list(iter_input_files([TOTA]))
    assert len(files) == 450
    assert files[:3] == [TOTA / "pta_1.xml", TOTA / "pta_2.xml", TOTA / "pta_3.xml"]
    n_articles = 0
    ids = set()
    article_ids: set[str] = set()
    for doc in read_many([TOTA], paragraphs=False):
        assert not isinstance(doc, Exception), str(doc)
        assert doc.id.startswith("tota-") and doc.id not in ids
        assert detect_language(doc.text) == doc.meta.language  # the stopword guess agrees with ToTA
        ids.add(doc.id)
        for article in doc.articles():
            n_articles += 1
            article_ids.add(article.id)
            assert doc.text[article.start : article.end] == article.text
            assert article.paragraphs == []
    assert n_articles == 40_993
    assert len(article_ids) == n_articles  # provision ids are unique across the corpus


def test_ensure_paragraphs_matches_eager_read(tpp):
    lazy = ensure_paragraphs(read_path(TOTA / "pta_449.xml", paragraphs=False))
    assert [p.id for p in lazy.paragraphs()] == [p.id for p in tpp.paragraphs()]
    assert [p.text for p in lazy.paragraphs()] == [p.text for p in tpp.paragraphs()]


def _headings_via_text_reader(name: str) -> tuple[list[str], list[str]]:
    from msmelens.corpus.readers import read_bytes

    tota = read_path(TOTA / name, paragraphs=False)
    plain = read_bytes(tota.text.encode("utf-8"), name.replace(".xml", ".txt"), paragraphs=False)
    return [a.heading for a in tota.articles() if a.heading], [
        a.heading for a in plain.articles() if a.heading
    ]


@pytest.mark.parametrize("name", ["pta_449.xml", "pta_1.xml", "pta_450.xml", "pta_28.xml"])
def test_text_segmenter_recovers_tota_articles(name: str):
    """The ToTA text read back as plain text gives the same article headings (en and es agreements)."""
    want, got = _headings_via_text_reader(name)
    assert len(want) > 100
    assert got == want


def test_text_segmenter_agrees_with_tota_on_a_sample():
    names = [p.name for p in list(iter_input_files([TOTA]))[::10]]
    exact = 0
    for name in names:
        want, got = _headings_via_text_reader(name)
        exact += want == got
    assert exact / len(names) >= 0.85, f"{exact}/{len(names)}"


def test_paragraphs_are_split_on_first_use(tpp):
    lazy = read_path(TOTA / "pta_449.xml", paragraphs=False)
    assert all(a.paragraphs == [] for a in lazy.articles())
    assert [p.id for p in lazy.paragraphs()] == [p.id for p in tpp.paragraphs()]
    assert all(a.paragraphs for a in lazy.articles() if a.text.strip())


def test_wrapped_multipage_pdf_of_tpp_chapters(tpp):
    """TPP chapters 20-25 typeset as a wrapped, multi-page PDF: the PDF reader finds the same structure."""
    import textwrap

    from tests.corpus.builders import multipage_pdf

    from msmelens.corpus.readers import read_bytes

    lines = ["Trans-Pacific Partnership Agreement"]
    want_chapters, want_articles = [], []
    for chapter in tpp.chapters[20:26]:
        lines.append(chapter.heading)
        want_chapters.append(chapter.heading)
        for article in chapter.articles:
            lines.append(article.heading)
            want_articles.append(article.heading)
            for paragraph in article.paragraphs:
                lines += textwrap.wrap(paragraph.text, 85)
    lines = [line.encode("latin-1", "replace").decode("latin-1") for line in lines]
    doc = read_bytes(multipage_pdf(lines), "tpp-extract.pdf")
    assert doc.format == "pdf" and doc.meta.name == "Trans-Pacific Partnership Agreement"
    assert [a.heading for a in doc.articles() if a.heading] == want_articles
    assert [c.heading for c in doc.chapters if c.heading.startswith("CHAPTER")] == want_chapters
    sme = next(c for c in doc.chapters if c.heading == "CHAPTER 24 Small And Medium-Sized Enterprises")
    assert sme.articles[1].text.startswith("1. The Parties hereby establish a Committee on SMEs")
    assert sme.articles[1].text.count("\n") > 5  # the wrapped lines are kept in the text ...
    original = next(c for c in tpp.chapters if c.heading == sme.heading).articles[1]
    markers = [p.text[:3] for p in sme.articles[1].paragraphs]  # ... but paragraphs follow the numbering
    assert markers == [p.text[:3] for p in original.paragraphs] and len(markers) == 14
