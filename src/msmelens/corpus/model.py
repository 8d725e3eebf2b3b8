"""The one document model every reader produces.

agreement (``Document``) → ``Chapter`` → ``Article`` → ``Paragraph``.

Every node carries a stable ``id``, the ``path`` of headings from the top, and ``start``/``end`` character
offsets into ``Document.text`` such that ``document.text[node.start:node.end] == node.text``.
Pure Python: no Django import anywhere under ``msmelens.corpus``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Paragraph:
    id: str
    start: int
    end: int
    text: str
    path: list[str] = field(default_factory=list)
    source_ref: str = ""


@dataclass(slots=True)
class Article:
    id: str
    source_ref: str
    heading: str
    path: list[str]
    start: int
    end: int
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(slots=True)
class Chapter:
    id: str
    source_ref: str
    heading: str
    start: int
    end: int
    articles: list[Article] = field(default_factory=list)


@dataclass(slots=True)
class AgreementMeta:
    name: str = ""
    type: str = ""
    status: str = ""
    date_signed: str | None = None  # ISO date "YYYY-MM-DD" or None
    date_into_force: str | None = None
    parties: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-3
    composition: str = ""
    region: str = ""
    language: str = ""  # "en", "es", "fr" or ""
    wto_rta_id: str = ""
    sources: list[str] = field(default_factory=list)

    @property
    def year_signed(self) -> int | None:
        if self.date_signed and self.date_signed[:4].isdigit():
            return int(self.date_signed[:4])
        return None


@dataclass(slots=True)
class Document:
    id: str  # "tota-449" for ToTA, otherwise "doc-<first 12 hex of content hash>"
    source: str  # file path or upload name
    format: str  # "tota-xml", "text", "html", "pdf", "docx"
    meta: AgreementMeta
    text: str
    chapters: list[Chapter] = field(default_factory=list)
    content_hash: str = ""  # sha256 hex of the source bytes
    warnings: list[str] = field(default_factory=list)

    def articles(self) -> Iterator[Article]:
        for chapter in self.chapters:
            yield from chapter.articles

    def paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph; articles read with ``paragraphs=False`` are split on first use."""
        from msmelens.corpus.paragraphs import make_paragraphs

        for article in self.articles():
            if not article.paragraphs and article.text.strip():
                article.paragraphs = make_paragraphs(article)
            yield from article.paragraphs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
