"""Readers for plain text, HTML and non-ToTA XML: extract text, then segment it by headings."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import Document
from msmelens.corpus.segment import build_document

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANKS = re.compile(r"[ \t\u00a0]*\n[ \t\u00a0\n]*\n")
_TRAILING = re.compile(r"[ \t\u00a0]+\n")


def decode_text(data: bytes, source: str) -> str:
    """Decode text bytes: UTF-16 with BOM, UTF-8 (with or without BOM), then Windows-1252; else MSL111."""
    name = Path(source).name
    text: str | None = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    if text is None:
        for enc in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if text is None:
        raise ReadError("MSL111", name)
    controls = len(_CONTROL.findall(text, 0, 100_000))
    if controls and controls > max(2, len(text[:100_000]) // 100):
        raise ReadError("MSL111", name, "it looks like a binary file, not text")
    return text


def normalise(text: str) -> str:
    """Unify newlines, drop control characters and trailing spaces, keep at most one blank line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = _CONTROL.sub("", text)
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


def _finish(text: str, data: bytes, source: str, fmt: str, *, name: str = "", paragraphs: bool) -> Document:
    text = normalise(text)
    if not text:
        raise ReadError("MSL109", Path(source).name)
    return build_document(text, data, source, fmt, name=name, paragraphs=paragraphs)


def read_text(data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Read a plain-text agreement."""
    return _finish(decode_text(data, source), data, source, "text", paragraphs=paragraphs)


_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
)
_SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg"})


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def read_html(data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Read an HTML agreement (text of the body; block elements become lines)."""
    text = decode_text(data, source)
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser is lenient; anything raised means the file is not HTML
        raise ReadError(
            "MSL107", Path(source).name, f"HTML could not be parsed: {type(exc).__name__}"
        ) from None
    body = "".join(parser.parts)
    lines = "\n".join(line.strip() for line in body.split("\n"))
    title = " ".join("".join(parser.title).split())
    return _finish(lines, data, source, "html", name=title, paragraphs=paragraphs)


def _xml_text(root: Element) -> str:
    parts: list[str] = []

    def walk(el: Element) -> None:
        if el.text and el.text.strip():
            parts.append(el.text.strip())
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                parts.append(child.tail.strip())
        parts.append("\n")

    walk(root)
    return "\n".join(p for p in "\n".join(parts).split("\n"))


def read_xml_root(root: Element, data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Read a non-ToTA XML document: its text content, one element per line."""
    return _finish(_xml_text(root), data, source, "xml", paragraphs=paragraphs)
