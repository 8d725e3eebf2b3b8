"""Reader for ToTA XML (``<treaty><meta>…</meta><body><chapter><article>…``).

Document.text joins chapter headings, article headings and article texts with newlines; every chapter,
article and paragraph quotes its own text through its offsets. Parsed with defusedxml (no DTD, no entities).
"""

from __future__ import annotations

import hashlib
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from msmelens.corpus.errors import ReadError
from msmelens.corpus.language import detect_language
from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document
from msmelens.corpus.paragraphs import make_paragraphs


def parse_xml(data: bytes, source: str) -> Element:
    """Parse XML safely; DTDs and entity declarations are refused (MSL108), broken XML is MSL107."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ReadError("MSL108", source, type(exc).__name__) from None
    except ParseError as exc:
        raise ReadError("MSL107", source, str(exc)) from None
    except (ValueError, UnicodeError) as exc:
        raise ReadError("MSL107", source, str(exc)[:120]) from None


def is_tota(root: Element) -> bool:
    """True when the XML root looks like a ToTA treaty."""
    return root.tag == "treaty" and root.find("meta") is not None and root.find("body") is not None


def _text(meta: Element, tag: str) -> str:
    el = meta.find(tag)
    return (el.text or "").strip() if el is not None else ""


def read_meta(meta: Element) -> AgreementMeta:
    """Metadata of a ToTA ``<meta>`` element."""
    parties_el = meta.find("parties")
    if parties_el is None:
        parties_el = meta.find("parties_original")
    parties = (
        [] if parties_el is None else [(p.text or "").strip() for p in parties_el if (p.text or "").strip()]
    )
    return AgreementMeta(
        name=_text(meta, "name"),
        type=_text(meta, "type"),
        status=_text(meta, "status"),
        date_signed=_text(meta, "date_signed") or None,
        date_into_force=_text(meta, "date_into_force") or None,
        parties=parties,
        composition=_text(meta, "composition"),
        region=_text(meta, "region"),
        language=_text(meta, "language"),
        wto_rta_id=_text(meta, "wto_rta_id"),
        sources=[(s.text or "").strip() for s in meta.findall("source") if (s.text or "").strip()],
    )


def _heading(el: Element) -> str:
    number = (el.get("number") or "").strip()
    name = (el.get("name") or "").strip()
    if number and name and name.lower() != number.lower():
        return f"{number} {name}"
    return number or name


def build_tota(root: Element, data: bytes, source: str, *, paragraphs: bool = True) -> Document:
    """Build the Document of a parsed ToTA treaty."""
    meta_el = root.find("meta")
    body = root.find("body")
    if meta_el is None or body is None:
        raise ReadError("MSL112", source, "no <meta> or <body>")
    treaty_id = _text(meta_el, "treaty_identifier")
    if not treaty_id:
        raise ReadError("MSL112", source, "no <treaty_identifier>")
    meta = read_meta(meta_el)
    doc_id = f"tota-{treaty_id}"
    parts: list[str] = []
    pos = 0
    chapters: list[Chapter] = []
    for c_index, ch in enumerate(body.iter("chapter"), 1):
        c_head = _heading(ch) or f"Chapter {c_index}"
        c_start = pos
        parts.append(c_head)
        parts.append("\n")
        pos += len(c_head) + 1
        chapter = Chapter(
            id=f"{doc_id}-c{ch.get('chapter_identifier') or c_index}",
            source_ref=ch.get("chapter_identifier") or str(c_index),
            heading=c_head,
            start=c_start,
            end=c_start,
        )
        for art in ch.iter("article"):
            a_ref = (art.get("article_identifier") or "").strip() or f"{c_index}.{len(chapter.articles) + 1}"
            a_head = _heading(art)
            if a_head:
                parts.append(a_head)
                parts.append("\n")
                pos += len(a_head) + 1
            text = "".join(art.itertext()).strip()
            a_id = f"{doc_id}-a{a_ref}"
            path = [c_head, a_head] if a_head else [c_head]
            article = Article(
                id=a_id,
                source_ref=a_ref,
                heading=a_head,
                path=path,
                start=pos,
                end=pos + len(text),
                text=text,
            )
            if paragraphs:
                article.paragraphs = make_paragraphs(article)
            parts.append(text)
            parts.append("\n\n")
            pos += len(text) + 2
            chapter.articles.append(article)
        chapter.end = chapter.articles[-1].end if chapter.articles else c_start + len(c_head)
        chapters.append(chapter)
    full = "".join(parts)
    if not meta.language:
        meta.language = detect_language(full)
    if not chapters or not any(c.articles for c in chapters):
        raise ReadError("MSL109", source, "the ToTA file has no articles")
    return Document(
        id=doc_id,
        source=source,
        format="tota-xml",
        meta=meta,
        text=full,
        chapters=chapters,
        content_hash=hashlib.sha256(data).hexdigest(),
    )
