"""Reader for WTO legal texts (the WTO's legal-texts web pages, as HTML or as scraped text).

WTO texts are structured differently from ToTA: Parts and Sections, "Article 7" / "ARTICLE VII" /
"Article 7.4" headings, or (in annexes such as the GATS Annex on Telecommunications) numbered headings
"2. Scope"; numbered paragraphs, lettered (a) and roman (i) sub-paragraphs, footnotes and annexes.

What the reader does, in order:

1. HTML becomes text (``msmelens.corpus.wto_html``: block elements are lines; ``<sup>1</sup>`` footnote
   markers become "(1)"); page chrome (script, style, nav, header, footer) is dropped.
2. Web-page noise is removed: "Back to top" (also run together with a heading, "2. ScopeBack to top") and
   its French and Spanish forms, and lines such as "Share" or "Problems viewing this page?".
3. For a text that shares its page with others (the GATS annexes), only its own part is kept: from the
   heading named in ``WtoSource.sections`` to the next annex heading.
4. The cleaned text is ``Document.text``; every node quotes it through its offsets.
   Chapters: the text before the first Part/Annex heading (headed by the document's first line), each Part,
   each Annex. Articles: "Article …" headings; in a chapter without them, numbered headings ("2. Scope",
   "A. Objectives"). Text before a chapter's first article is an article of its own ("Preamble").
   Paragraphs: numbered paragraphs and (a)/(i) sub-paragraphs, each its own paragraph, with a
   ``source_ref`` such as ``5#5(b)(ii)``.
5. Footnotes are kept as their own nodes: a "Footnotes"/"Notes"/"Notas" block becomes one article per
   footnote ("Footnote 1", ``source_ref`` "fn1"); a block at the end of the text becomes a last chapter
   "Footnotes", a block in the middle belongs to the chapter it is in. The "(1)" markers stay in the text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from msmelens.corpus.errors import ReadError
from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document, Paragraph
from msmelens.corpus.paragraphs import split_spans
from msmelens.corpus.text_formats import decode_text
from msmelens.corpus.wto_html import NOTES_LABELS, clean_text, fold, html_to_text
from msmelens.corpus.wto_members import parties_for
from msmelens.corpus.wto_sources import LANGUAGES, WtoSource, source

_ROMAN = r"[IVXLC]{1,7}"
_SUFFIX = r"(?:\s*(?:bis|ter|quater))?"
_PART = re.compile(
    rf"^(?:part|partie|parte)\s+(?P<num>{_ROMAN}|\d{{1,3}}|[A-Z])\b(?P<rest>.*)$", re.IGNORECASE
)
_ANNEX = re.compile(
    r"^(?P<pre>(?:second|deuxi[eè]me|segundo)\s+)?(?P<kw>annex|annexe|anexo|appendix|appendice|ap[eé]ndice)"
    r"\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_SECTION = re.compile(
    rf"^(?:section|secci[oó]n|sous-section)\s+(?P<num>{_ROMAN}|\d{{1,3}}|[A-Z])\b(?P<rest>.*)$", re.IGNORECASE
)
_ARTICLE = re.compile(
    rf"^(?:article|art[ií]culo)\s+(?P<num>premier|primero|\d{{1,3}}(?:\.\d{{1,3}})*{_SUFFIX}|{_ROMAN}{_SUFFIX})"
    r"(?![\w(])(?P<rest>.*)$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?P<num>\d{1,2}|[A-Z])\.?[ \t]+(?P<rest>\S.*)$")
_FOOTNOTE_HEAD = re.compile(
    r"^(?:footnotes?|notes?|notes de bas de page|notas?|notas de pie de p[aá]gina)\s*:?$", re.IGNORECASE
)
_FOOTNOTE_ENTRY = re.compile(r"^(?:\((?P<a>\d{1,3})\)|\[(?P<b>\d{1,3})\]|(?P<c>\d{1,3})\.?(?=\s))\s*")
_SEP = re.compile(r"^[\s:.\-–—]*")
_MARK = re.compile(r"^(?:(?P<num>\d{1,3}(?:\.\d{1,3})*)\.?(?=\s)|\(?(?P<par>[a-z]{1,3}|\d{1,3})\)(?=\s))")
_ROMAN_LOWER = re.compile(r"^[ivxlc]+$")
_MAX_HEADING = 200


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class _Head:
    kind: str  # "part", "annex", "section", "article", "numbered", "footnotes"
    num: str
    heading: str
    start: int  # start of the heading line
    body: int  # where the text under it starts


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            out.append(_Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def crop_section(text: str, pattern: str) -> tuple[str, bool]:
    """The part of ``text`` from a line matching ``pattern`` (folded) to the next annex heading; of several
    matching lines (a table of contents, then the annex itself) the one with the longest part wins."""
    rx = re.compile(pattern, re.IGNORECASE)
    lines = _lines(text)
    best: tuple[int, int] | None = None
    for i, line in enumerate(lines):
        if not rx.search(fold(line.text)):
            continue
        end = len(text)
        for nxt in lines[i + 1 :]:
            if _ANNEX.match(nxt.text) and _is_heading_text(nxt.text) and not rx.search(fold(nxt.text)):
                end = nxt.start
                break
        if best is None or end - line.start > best[1] - best[0]:
            best = (line.start, end)
    if best is None:
        return text, False
    return text[best[0] : best[1]].strip(), True


# ----------------------------------------------------------------------------------------------- headings


def _is_heading_text(line: str) -> bool:
    if len(line) > _MAX_HEADING or line.endswith((",", ";")):
        return False
    return not (line.endswith(".") and len(line.split()) > 10)


def _title_ok(rest: str) -> bool:
    """The text after a heading keyword and number: empty, or a title (not a running sentence)."""
    if not rest.strip():
        return True
    sep = _SEP.match(rest)
    title = rest[sep.end() :] if sep else rest
    if not title:
        return True
    if not (sep and sep.group().strip()) and title[:1].islower():
        return False  # "Article 5 shall apply …"
    if sep and ":" in sep.group() and title[:1].isdigit():
        return False  # a reference, "Article XXIV:5 …"
    return not title.endswith((",", ";"))


def _short_title(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 12
        and len(text) <= 100
        and not text.endswith((".", ";", ":", ","))
        and (text[:1].isupper() or text[:1] in "“\"'«")
    )


def _classify(line: str) -> tuple[str, str] | None:
    """(kind, number) of a structural heading line, else None (numbered headings are decided later)."""
    if not _is_heading_text(line):
        return None
    if _FOOTNOTE_HEAD.match(line):
        return ("footnotes", "")
    for kind, rx in (("part", _PART), ("section", _SECTION), ("article", _ARTICLE)):
        m = rx.match(line)
        if m and _title_ok(m.group("rest")):
            return (kind, m.group("num"))
    m = _ANNEX.match(line)
    if m and len(line.split()) <= 16 and (_title_ok(m.group("rest")) or not line.endswith((".", ",", ";"))):
        return ("annex", m.group("rest").strip(" :.-–—") or "")
    return None


def _numbered(line: str) -> str | None:
    m = _NUMBERED.match(line)
    if m and _short_title(m.group("rest")):
        return m.group("num")
    return None


def _upper_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 4
        and sum(c.isupper() for c in letters) >= 0.9 * len(letters)  # "… OF ARTICLE II:1(b) OF …"
        and len(line) <= _MAX_HEADING
        and not line.endswith((".", ";", ","))
    )


def _find_heads(lines: list[_Line], text: str) -> list[_Head]:
    heads: list[_Head] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        found = _classify(line.text)
        if found is None:
            if i > 0 and len(line.text.split()) >= 2 and _upper_heading(line.text):
                heads.append(_Head("section", "", line.text, line.start, line.end))  # "GENERAL PROVISIONS"
            i += 1
            continue
        kind, num = found
        heading, body = line.text, line.end
        if kind == "annex":
            m = _ANNEX.match(line.text)
            rest = (m.group("rest") if m else "").strip(" :.-–—")
            rest_empty = not rest or bool(re.fullmatch(r"[0-9A-Z][0-9A-Z.\-]{0,5}", rest))
        else:
            rest_empty = kind in ("part", "section", "article") and not _SEP.sub("", _rest(kind, line.text))
        if rest_empty and i + 1 < len(lines):
            nxt = lines[i + 1].text
            if (
                (_short_title(nxt) or _upper_heading(nxt))
                and _classify(nxt) is None
                and not _MARK.match(nxt)
                and not _NUMBERED.match(nxt)
            ):
                heading, body = f"{line.text} {nxt}", lines[i + 1].end
                i += 1
        heads.append(_Head(kind, num, heading, line.start, body))
        i += 1
    return heads


def _rest(kind: str, line: str) -> str:
    rx = {"part": _PART, "section": _SECTION, "article": _ARTICLE}[kind]
    m = rx.match(line)
    return m.group("rest") if m else ""


# ----------------------------------------------------------------------------------------------- building


def _slug(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(value)).strip("-") or "x"


class _Builder:
    def __init__(self, text: str, doc_id: str, title: str) -> None:
        self.text = text
        self.doc_id = doc_id
        self.title = title
        self.chapters: list[Chapter] = []
        self.used: set[str] = set()

    def unique(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def chapter(self, heading: str, ref: str, start: int) -> Chapter:
        ch = Chapter(
            id=self.unique(f"{self.doc_id}-c{len(self.chapters) + 1}"),
            source_ref=ref,
            heading=heading,
            start=start,
            end=start,
        )
        self.chapters.append(ch)
        return ch

    def article(
        self,
        chapter: Chapter,
        *,
        ref: str,
        heading: str,
        path: list[str],
        start: int,
        end: int,
        prefix: str = "a",
    ) -> Article | None:
        s, e = start, end
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        if s >= e:
            return None
        art = Article(
            id=self.unique(f"{chapter.id}-{prefix}{_slug(ref)}"),
            source_ref=ref,
            heading=heading,
            path=path,
            start=s,
            end=e,
            text=self.text[s:e],
        )
        art.paragraphs = _paragraphs(art, self.text)
        chapter.articles.append(art)
        chapter.end = max(chapter.end, e)
        return art

    def footnotes(self, chapter: Chapter, start: int, end: int, path: list[str], label: str) -> None:
        entries: list[tuple[str, int]] = []  # (number, start of text after the marker)
        marks: list[int] = []
        for line in _lines(self.text[start:end]):
            m = _FOOTNOTE_ENTRY.match(line.text)
            if m:
                entries.append(
                    (m.group("a") or m.group("b") or m.group("c") or "", start + line.start + m.end())
                )
                marks.append(start + line.start)
        if not entries:
            self.article(chapter, ref="notes", heading=label, path=path, start=start, end=end, prefix="n")
            return
        for k, (num, body) in enumerate(entries):
            stop = marks[k + 1] if k + 1 < len(marks) else end
            self.article(
                chapter,
                ref=f"fn{num}",
                heading=f"{label} {num}",
                path=[*path, f"{label} {num}"],
                start=body,
                end=stop,
                prefix="",
            )


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs of an article's text: one per line, except that a line starting in
    lower case after a line that does not end a clause continues it (a wrapped line); a text on one line
    is split at numbered markers by the generic splitter."""
    lines = _lines(text)
    if len(lines) <= 1:
        return split_spans(text)
    spans: list[tuple[int, int]] = []
    for line in lines:
        if (
            spans
            and line.text[:1].islower()
            and not _MARK.match(line.text)
            and text[spans[-1][1] - 1] not in ".;:!?"
        ):
            spans[-1] = (spans[-1][0], line.end)
        else:
            spans.append((line.start, line.end))
    return spans


def _paragraphs(article: Article, text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    number = article.source_ref if re.fullmatch(r"\d{1,3}", article.source_ref) else ""
    letter = roman = ""
    for k, (s, e) in enumerate(paragraph_spans(article.text), 1):
        ptext = article.text[s:e]
        label = ""
        m = _MARK.match(ptext)
        if m and m.group("num"):
            number, letter, roman = m.group("num"), "", ""
            label = number
        elif m and m.group("par"):
            par = m.group("par")
            if par.isdigit():
                label = f"{number}({par})" if number else f"({par})"
            elif _is_roman_next(par, letter, roman):
                roman = par
                label = f"{number}({letter})({roman})" if letter else f"{number}({roman})"
            else:
                letter, roman = par, ""
                label = f"{number}({letter})"
        elif letter or number:
            label = ""
        ref = f"{article.source_ref}#{label}" if label else f"{article.source_ref}#p{k}"
        out.append(
            Paragraph(
                id=f"{article.id}-p{k}",
                start=article.start + s,
                end=article.start + e,
                text=ptext,
                path=article.path,
                source_ref=ref,
            )
        )
    return out


_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_value(numeral: str) -> int:
    """Value of a lower-case roman numeral ("iv" -> 4); 0 when it is not one."""
    if not _ROMAN_LOWER.match(numeral):
        return 0
    total = 0
    values = [_ROMAN_VALUES[c] for c in numeral]
    for k, v in enumerate(values):
        total += -v if k + 1 < len(values) and values[k + 1] > v else v
    return total


def _is_roman_next(par: str, letter: str, roman: str) -> bool:
    """Is "(par)" a roman sub-paragraph (not a letter) after letter ``letter`` and roman ``roman``?"""
    if letter and len(letter) == 1 and len(par) == 1 and ord(par) == ord(letter) + 1:
        return False  # "(c)" after "(b)", "(i)" after "(h)", "(v)" after "(u)"
    if roman:
        return roman_value(par) == roman_value(roman) + 1
    return par == "i"


def _build(text: str, doc_id: str, title: str) -> list[Chapter]:
    b = _Builder(text, doc_id, title)
    lines = _lines(text)
    if not lines:
        return []
    heads = _find_heads(lines, text)
    # numbered headings ("2. Scope") count only in chapters without "Article" headings
    bounds = [0] + [h.start for h in heads if h.kind in ("part", "annex")] + [len(text)]
    extra: list[_Head] = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if any(h.kind == "article" and lo <= h.start < hi for h in heads):
            continue
        in_notes = False
        for line in lines:
            if not lo <= line.start < hi:
                continue
            if any(h.start == line.start for h in heads):
                in_notes = any(h.start == line.start and h.kind == "footnotes" for h in heads)
                continue
            if in_notes:
                continue
            num = _numbered(line.text)
            if num is not None:
                extra.append(_Head("numbered", num, line.text, line.start, line.end))
    heads = sorted(heads + extra, key=lambda h: h.start)
    # document title: the first line, when it is no structural heading
    first = lines[0]
    if heads and heads[0].start == first.start and heads[0].kind in ("part", "annex"):
        chapter = None
    else:
        chapter = b.chapter(first.text if _is_heading_text(first.text) else title, "main", 0)
    section = ""
    pending = 0 if chapter is None else (first.end if chapter.heading == first.text else 0)
    pending_head: _Head | None = None

    def flush(until: int) -> None:
        nonlocal chapter
        if chapter is None:
            if pending_head is None and not text[pending:until].strip():
                return
            chapter = b.chapter(title, "main", 0)
        path = [chapter.heading, section] if section else [chapter.heading]
        if pending_head is None:
            if text[pending:until].strip():
                label = section or ("Preamble" if chapter.source_ref == "main" else chapter.heading)
                b.article(
                    chapter,
                    ref="preamble" if label == "Preamble" else "intro",
                    heading=label,
                    path=path,
                    start=pending,
                    end=until,
                )
        elif pending_head.kind == "footnotes":
            target = chapter
            if until >= len(text) and chapter.articles:
                target = b.chapter(pending_head.heading, "footnotes", pending_head.start)
                path = [target.heading]
            b.footnotes(target, pending_head.body, until, path, _footnote_label(pending_head.heading))
        else:
            ref = pending_head.num
            b.article(
                chapter,
                ref=ref,
                heading=pending_head.heading,
                path=[*path, pending_head.heading],
                start=pending_head.body,
                end=until,
            )

    for h in heads:
        if h.kind in ("part", "annex"):
            flush(h.start)
            ref = f"Part {h.num}" if h.kind == "part" else h.heading
            chapter = b.chapter(h.heading, ref, h.start)
            chapter.end = h.body
            section, pending, pending_head = "", h.body, None
        elif h.kind == "section":
            flush(h.start)
            section, pending, pending_head = h.heading, h.body, None
        else:
            flush(h.start)
            pending, pending_head = h.body, h
    flush(len(text))
    return [c for c in b.chapters if c.articles]


def _footnote_label(heading: str) -> str:
    h = fold(heading)
    if h.startswith("nota"):
        return "Nota"
    if h.startswith("note") and not h.startswith("notes de"):
        return "Note"
    if h.startswith("notes de"):
        return "Note"
    return "Footnote"


# ----------------------------------------------------------------------------------------------- public API


def read_wto_text(text: str, *, key: str, language: str, source_name: str = "") -> Document:
    """Read a WTO legal text (HTML or plain text) into a ``Document`` with id ``wto-<key>-<language>``."""
    name = source_name or f"{key}.{language}"
    data = text.encode("utf-8", "surrogatepass")
    head = text[:2048].lstrip().lower()
    is_html = head.startswith(("<!doctype html", "<html")) or ("<html" in head and head.startswith("<"))
    body = html_to_text(text, notes_label=NOTES_LABELS.get(language, "Footnotes")) if is_html else text
    body = clean_text(body)
    src: WtoSource | None
    try:
        src = source(key)
    except KeyError:
        src = None
    warnings: list[str] = []
    pattern = src.sections.get(language, "") if src else ""
    if pattern:
        body, found = crop_section(body, pattern)
        if not found:
            warnings.append(
                f"the heading of {src.short_title if src else key} was not found; the whole page is kept"
            )
    if not body.strip():
        raise ReadError("MSL109", name)
    doc_id = f"wto-{_slug(key)}-{language}"
    title = src.title if src else key
    chapters = _build(body, doc_id, title)
    if not chapters:
        raise ReadError("MSL109", name)
    meta = AgreementMeta(
        name=title,
        type="WTO agreement" if src is None or src.parties == "members" else "WTO plurilateral agreement",
        status="In force",
        date_signed=src.date_signed if src else None,
        date_into_force=src.date_into_force if src else None,
        parties=parties_for(src.parties if src else "members"),
        composition="Plurilateral" if src is not None and src.parties == "gpa" else "Multilateral",
        language=language,
        sources=[src.urls[language]] if src and language in src.urls else [],
    )
    return Document(
        id=doc_id,
        source=source_name or name,
        format="html" if is_html else "text",
        meta=meta,
        text=body,
        chapters=chapters,
        content_hash=hashlib.sha256(data).hexdigest(),
        warnings=warnings,
    )


def split_name(path: str | Path) -> tuple[str, str | None]:
    """(key, language) from a file name ``<key>.<lang>.html|txt`` (language None when absent)."""
    stem = Path(path).name
    for suffix in (".html", ".htm", ".txt", ".text"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    base, dot, lang = stem.rpartition(".")
    if dot and lang.lower() in LANGUAGES:
        return base, lang.lower()
    return stem, None


def read_wto_file(path: str | Path, *, key: str | None = None, language: str | None = None) -> Document:
    """Read a downloaded WTO text; key and language default to the file name ``<key>.<lang>.html``."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError("MSL101", str(p)) from None
    except OSError as exc:
        raise ReadError("MSL101", str(p), exc.strerror or type(exc).__name__) from None
    if not data.strip():
        raise ReadError("MSL102", str(p))
    name_key, name_lang = split_name(p)
    text = decode_text(data, str(p))
    doc = read_wto_text(text, key=key or name_key, language=language or name_lang or "en", source_name=str(p))
    doc.content_hash = hashlib.sha256(data).hexdigest()
    return doc
