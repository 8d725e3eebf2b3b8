"""Split an article's text into paragraphs at numbered markers and layout breaks.

ToTA texts are often one line with double spaces where line breaks were; other readers keep newlines.
A break (blank line, newline or run of 2+ spaces) starts a paragraph when the text before it ends a
sentence or clause, or when the text after it is a paragraph marker ("1.", "(a)", "(iv)"), or at a blank
line unless the sentence visibly runs on (a comma before it, a lower-case word after it). A marker after
a sentence end starts a paragraph even after a single space ("... Agreement. 2. Each Party ...").
"""

from __future__ import annotations

import re

from msmelens.corpus.model import Article, Document, Paragraph

_MARKER = r"(?:\d{1,3}(?:\.\d{1,3})*\.|\(\d{1,3}\)|\(?[a-z]{1,2}\)|\([a-z]{3}\)|\([ivxlc]{1,6}\))"
_MARKER_AT = re.compile(_MARKER + r"(?=\s)")
# every alternative starts with a character class: much faster in ``re`` than a leading lookbehind
_BREAK = re.compile(r"[ \t\u00a0\n]\s+|\n|[.;:] (?=[(\d])")
_ENDS_CLAUSE = frozenset(".;:!?")
_MIN_LEN = 4


def split_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) spans of the paragraphs of ``text``, stripped, covering all non-space text."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    n = len(text)
    for m in _BREAK.finditer(text, start):
        b, e = m.span()
        if text[b] in _ENDS_CLAUSE:  # "[.;:] " before a marker: break after the punctuation
            b += 1
            if not _MARKER_AT.match(text, e):
                continue
        if e >= n or b <= start:
            continue
        prev = text[b - 1]
        if prev in _ENDS_CLAUSE or _MARKER_AT.match(text, e):
            pass
        elif text[e].islower() or prev == "," or text.count("\n", b, e) < 2:
            continue  # a sentence running on across a blank line (page break) or a layout gap
        if b - start >= _MIN_LEN:
            spans.append((start, b))
            start = e
    end = len(text.rstrip())
    if end > start:
        spans.append((start, end))
    elif spans:
        spans[-1] = (spans[-1][0], end)
    trimmed = [_trim(text, s, e) for s, e in spans]
    return [(s, e) for s, e in trimmed if s < e]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop whitespace the break pattern left at a span's edges (e.g. NEL, line separators)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def make_paragraphs(article: Article) -> list[Paragraph]:
    """Paragraphs of ``article``, with ids ``<article id>-p<k>`` and offsets into the document text."""
    text = article.text
    base = article.start
    return [
        Paragraph(
            id=f"{article.id}-p{k}",
            start=base + s,
            end=base + e,
            text=text[s:e],
            path=article.path,
            source_ref=f"{article.source_ref}#p{k}",
        )
        for k, (s, e) in enumerate(split_spans(text), 1)
    ]


def ensure_paragraphs(document: Document) -> Document:
    """Fill in paragraphs of a document read with ``paragraphs=False``; returns the same document."""
    for article in document.articles():
        if not article.paragraphs and article.text.strip():
            article.paragraphs = make_paragraphs(article)
    return document
