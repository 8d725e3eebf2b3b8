"""Property tests: readers never crash on arbitrary input, and offsets always quote the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.corpus.paragraphs import split_spans
from msmelens.corpus.readers import read_bytes

NAMES = ["x.txt", "x.xml", "x.html", "x.pdf", "x.docx", "x", "x.bin"]
HEADINGS = [
    "Chapter 1",
    "CHAPTER TWO",
    "Article 3.1",
    "Artículo 5",
    "Article premier",
    "Section B",
    "Annex 3-A",
    "Anexo",
    "1.",
    "(a)",
    "Preamble",
]


def _assert_offsets(doc: Document) -> None:
    for ch in doc.chapters:
        assert 0 <= ch.start <= ch.end <= len(doc.text)
        for a in ch.articles:
            assert doc.text[a.start : a.end] == a.text
            for p in a.paragraphs:
                assert doc.text[p.start : p.end] == p.text
                assert p.text.strip() == p.text and p.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), name=st.sampled_from(NAMES))
def test_arbitrary_bytes_give_document_or_read_error(data: bytes, name: str):
    try:
        doc = read_bytes(data, name)
    except ReadError as err:
        assert err.code.startswith("MSL1") and name in err.message
    else:
        _assert_offsets(doc)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(HEADINGS), st.text(max_size=60)), max_size=30),
    st.sampled_from(["\n", "\n\n", "  ", " "]),
)
def test_offsets_quote_text_for_heading_soup(lines: list[str], sep: str):
    data = sep.join(lines).encode("utf-8", "surrogatepass")
    try:
        doc = read_bytes(data, "soup.txt")
    except ReadError as err:
        assert err.code in {"MSL102", "MSL109", "MSL111"}
    else:
        _assert_offsets(doc)


@given(st.text(max_size=400))
def test_paragraph_spans_cover_all_text(text: str):
    spans = split_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())
    assert all(s < e for s, e in spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
