"""Rebuild Chapter → Article hierarchy of a plain text from its headings (English, Spanish, French).

Recognised headings (a line of their own, optionally with a title): "Chapter 24", "CHAPTER TWENTY-FOUR",
"Chapter 24: Small and Medium-Sized Enterprises", "Capítulo III", "Chapitre 2", "Part II", "Annex 3-A",
"Anexo", "Annexe", "Section B", "Article 24.2", "Article 5 bis", "Artículo 5", "Article premier".
Text before the first heading is the "Preamble" chapter ("Full text" when there is no heading at all). Section headings go into the path of the
articles under them. Chapter or section text that precedes its first article becomes an article of its own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from msmelens.corpus.language import detect_language
from msmelens.corpus.model import AgreementMeta, Article, Chapter, Document
from msmelens.corpus.paragraphs import make_paragraphs

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|"
    "first|premier|première|primero|primera|único|única|unique|uno|dos|tres|cuatro|cinco|seis|siete|ocho|"
    "nueve|diez|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix"
)
_NUM = (
    r"(?:\d{1,4}(?:[.\-]\d{1,4})*(?:[.\-]?[A-Z](?![a-z]))?"
    r"|[IVXLCDM]{1,7}\b(?:[.\-]\d{1,3})?(?:-[A-Z]\b)?"
    r"|[A-Z](?:[.\-]\d{1,3})?\b"
    rf"|(?:{_NUMBER_WORDS})(?:[\s\-](?:{_NUMBER_WORDS}))?\b)"
    r"(?:\s+(?:bis|ter|quater|quinquies)\b)?"
)
_CHAPTER_KW = {
    "chapter",
    "chapitre",
    "capítulo",
    "capitulo",
    "part",
    "parte",
    "partie",
    "title",
    "título",
    "titre",
}
_ANNEX_KW = {"annex", "annexe", "anexo", "appendix", "apéndice", "apendice", "schedule"}
_SECTION_KW = {"section", "sección", "seccion", "sous-section", "subsection", "subsección"}
_KW = sorted(
    _CHAPTER_KW | _ANNEX_KW | _SECTION_KW | {"article", "artículo", "articulo"}, key=len, reverse=True
)
_HEADING = re.compile(
    r"^[ \t\u00a0]*(?P<kw>(?:" + "|".join(_KW) + r")\b|art\.)"
    r"(?:(?:[ \t\u00a0]*[-–—][ \t\u00a0]*|[ \t\u00a0]+)(?P<num>" + _NUM + r"))?"
    r"[ \t\u00a0]*(?P<sep>[:.\-–—][ \t\u00a0]*)?(?P<title>[^\n]*)$",
    re.IGNORECASE | re.MULTILINE,
)
_MAX_TITLE = 200
_RUNS_ON = frozenset(  # a title ending in one of these lower-case words is running text cut by a line wrap
    re.findall(
        r"\S+",
        "of the a an and or to in on by for with from that which under as at "  # en
        "de del la las el los y o en por para con que al "  # es
        "du des le les et ou à au aux dans par pour sur",  # fr
    )
)
_NEXT_LINE = re.compile(r"[ \t\u00a0]*\n(?:[ \t\u00a0]*\n)?[ \t\u00a0]*([^\n]*\S)[ \t\u00a0]*(?=\n|$)")


@dataclass(slots=True)
class Heading:
    level: int  # 1 chapter/annex, 2 section, 3 article
    text: str
    start: int  # start of the heading line
    body: int  # where the text under it starts


def _level(kw: str) -> int:
    k = kw.lower()
    if k in _CHAPTER_KW or k in _ANNEX_KW:
        return 1
    if k in _SECTION_KW:
        return 2
    return 3


def _title_case(s: str) -> bool:
    """Upper case, or every word longer than three letters capitalised."""
    if s.isupper():
        return True
    words = [w for w in re.split(r"[\s\-]+", s) if len(w) > 3]
    return bool(words) and all(w[0].isupper() or not w[0].isalpha() for w in words)


def _looks_like_title(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 120 or s[-1] in ".;:," or not any(c.isalpha() for c in s):
        return False
    return _title_case(s)


def _continues_sentence(text: str, line_start: int) -> bool:
    before = text[max(0, line_start - 200) : line_start].rstrip()
    return bool(before) and (before[-1].islower() or before[-1] == ",")


def _sentence_after_number(kw: str, num: str | None, title: str) -> bool:
    """An article number followed on its line by a sentence ("Article 3. Each Party shall ..."), not a title."""
    return (
        _level(kw) == 3
        and num is not None
        and bool(title)
        and title[0].isupper()
        and (len(title) > 60 or title[-1] in ".;:")
        and not _title_case(title.rstrip(".;:"))
    )


def find_headings(text: str) -> list[Heading]:
    """The structural headings of ``text`` in order."""
    out: list[Heading] = []
    for m in _HEADING.finditer(text):
        kw = m.group("kw").lower()
        num = m.group("num")
        title = m.group("title").strip()
        if num is None and kw not in _ANNEX_KW:
            continue
        if m.group("kw")[0].islower():  # "artículo 6 del GATT": a cross-reference wrapped onto a new line
            continue
        if title.startswith("(") and not title.endswith(")"):
            continue  # "Article 21.2 (Security) or Article 20.5": a reference, not "Article 3 (Definitions)"
        after_heading = bool(out) and not text[out[-1].body : m.start()].strip()
        ends_with_stop = not title and (m.group("sep") or "").strip() == "."
        if _sentence_after_number(kw, num, title):
            if (not after_heading and _continues_sentence(text, m.start())) or (out and out[-1].body > m.start()):
                continue  # "... as provided in\nArticle 29. Each Party ...": a wrapped cross-reference
            label = " ".join(text[m.start() : m.start("title")].split()).rstrip(" .:-–—")
            out.append(Heading(3, label, m.start(), m.start("title")))
            continue  # "Article 3. Each Party shall publish ...": the heading, then the body on the same line
        if ends_with_stop and not after_heading and _continues_sentence(text, m.start()):
            continue  # "... as provided in\nArticle 29." continues a sentence, it is not a heading
        if num is None and title and not m.group("sep") and kw in _ANNEX_KW and not title[:1].isupper():
            continue
        if title and (
            len(title) > _MAX_TITLE
            or title[-1] in ",;"
            or (not m.group("sep") and not title[0].isupper() and title[0] not in "([«“\"'")
            or title.rsplit(None, 1)[-1] in _RUNS_ON
            or (not m.group("sep") and len(title) > 60 and not _title_case(title))
        ):
            continue  # a wrapped line of running text that happens to start with "Article 5 ..."
        if out and out[-1].body > m.start():
            continue  # the line was absorbed as a title of the previous heading
        heading = " ".join(m.group(0).split())
        body = m.end()
        if not title:  # the title may be on the next line ("CHAPTER 24" / "SMALL AND MEDIUM-SIZED ...")
            nxt_m = _NEXT_LINE.match(text, body)
            if nxt_m and _looks_like_title(nxt_m.group(1)) and not _HEADING.match(nxt_m.group(1)):
                heading = f"{heading} {' '.join(nxt_m.group(1).split())}"
                body = nxt_m.end()
        out.append(Heading(_level(kw), heading, m.start(), body))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    seg = text[start:end]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    if lead == len(seg):
        return start, start
    return start + lead, end - trail


def title_line(text: str) -> str:
    """The agreement's title when its first lines obviously give it, else ""."""
    for line in text[:3000].splitlines()[:15]:
        s = " ".join(line.split())
        if not s:
            continue
        if len(s) <= 250 and re.search(
            r"\b(agreement|treaty|protocol|convention|acuerdo|tratado|protocolo|convenio|accord|traité)\b",
            s,
            re.I,
        ):
            return s
    return ""


def build_document(
    text: str, data: bytes, source: str, fmt: str, *, name: str = "", paragraphs: bool = True
) -> Document:
    """Segment ``text`` into chapters and articles and wrap it as a Document (id from the content hash)."""
    digest = hashlib.sha256(data).hexdigest()
    doc_id = f"doc-{digest[:12]}"
    chapters: list[Chapter] = []

    def new_chapter(heading: str, start: int) -> Chapter:
        ch = Chapter(
            id=f"{doc_id}-c{len(chapters) + 1}", source_ref=heading, heading=heading, start=start, end=start
        )
        chapters.append(ch)
        return ch

    def add_article(ch: Chapter, heading: str, path: list[str], start: int, end: int) -> None:
        s, e = _strip_span(text, start, end)
        if s == e and not heading:
            return
        art = Article(
            id=f"{ch.id}-a{len(ch.articles) + 1}",
            source_ref=" > ".join(path),
            heading=heading,
            path=path,
            start=s,
            end=e,
            text=text[s:e],
        )
        if paragraphs:
            art.paragraphs = make_paragraphs(art)
        ch.articles.append(art)
        ch.end = max(ch.end, e)

    headings = find_headings(text)
    first = headings[0].start if headings else len(text)
    if text[:first].strip():
        label = "Preamble" if headings else "Full text"  # no headings at all: the text is one provision
        pre = new_chapter(label, _strip_span(text, 0, first)[0])
        add_article(pre, "", [label], 0, first)
    chapter: Chapter | None = None
    section = ""
    for i, h in enumerate(headings):
        nxt = headings[i + 1].start if i + 1 < len(headings) else len(text)
        if h.level == 1 or chapter is None:
            if h.level == 1:
                chapter = new_chapter(h.text, h.start)
                section = ""
                chapter.end = h.start + len(text[h.start : h.body].rstrip())
                add_article(chapter, "", [h.text], h.body, nxt)
                continue
            chapter = new_chapter("", h.start)
        if h.level == 2:
            section = h.text
            chapter.end = max(chapter.end, h.start + len(text[h.start : h.body].rstrip()))
            add_article(chapter, "", [p for p in (chapter.heading, section) if p], h.body, nxt)
            continue
        path = [p for p in (chapter.heading, section, h.text) if p]
        add_article(chapter, h.text, path, h.body, nxt)
        art = chapter.articles[-1]
        if art.start == art.end:  # empty body: point at the heading itself
            art.start = art.end = h.body
        chapter.end = max(chapter.end, art.end)
    for ch in chapters:
        ch.end = max(ch.end, ch.start)
    doc_name = name or title_line(text) or PurePath(source).name or source
    return Document(
        id=doc_id,
        source=source,
        format=fmt,
        meta=AgreementMeta(name=doc_name, language=detect_language(text)),
        text=text,
        chapters=chapters,
        content_hash=digest,
    )
