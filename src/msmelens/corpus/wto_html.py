"""WTO legal-text pages as plain text: HTML to lines, web-page noise removed (used by ``wto_reader``).

``html_to_text`` keeps the text of block elements as lines, drops page chrome (script, style; nav, header and
footer outside main/article/section) and the breadcrumbs before the page's ``<h1>``, writes ``<sup>1</sup>`` footnote markers as "(1)" and
puts a "Footnotes" line before each run of footnotes (elements whose class or id names "footnote", or that
open with the footnote's own anchor ``<a name="fnt-1">``). ``clean_text`` removes "Back to top" (also run
together with a heading) and its French and Spanish forms, and lines such as "Share".
"""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from msmelens.corpus.text_formats import normalise

_NOISE_AT_END = re.compile(
    r"[ \t]*(?:back to top|top of page|haut de (?:la )?page|retour en haut(?: de (?:la )?page)?|"
    r"volver (?:al principio|arriba|al inicio)|principio de p[aá]gina)[ \t]*[↑^]?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_NOISE_LINES = frozenset(
    {
        "top",
        "share",
        "print",
        "↑",
        "partager",
        "imprimer",
        "compartir",
        "imprimir",
        "arriba",
        "subir",
    }
)
_NOISE_LINE_START = re.compile(
    r"^(?:problems viewing this page\?|des difficult[ée]s pour visualiser cette page|"
    r"¿problemas para ver esta p[aá]gina\?)",
    re.IGNORECASE,
)

_FOOTNOTE_ANCHOR = re.compile(r"^(?:fn|fnt|fntext|footnote|ftn|note)[-_]?\d{1,3}$", re.IGNORECASE)


class _WtoHTML(HTMLParser):
    _BLOCK = frozenset((
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div", "dl", "dt",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
        "section", "table", "tbody", "td", "th", "thead", "tr", "ul",
    ))  # fmt: skip
    _SKIP = frozenset(("script", "style", "head", "noscript", "template", "svg", "button", "select"))
    _CHROME = frozenset(("nav", "header", "footer"))  # skipped outside <main>, <article>, <section>
    _CONTENT = frozenset(("main", "article", "section"))

    def __init__(self, notes_label: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.content_depth = 0
        self.sup: list[str] | None = None
        self.notes_label = notes_label
        self.prev_note = False  # the last block with text was a footnote
        self.cur_note = False
        self.text_since_heading = True
        self.h1: list[str] | None = None
        self.title = ""
        self.block_has_text = False

    def _notes_start(self) -> None:
        """A footnote block starts: give it a heading the reader knows (once per run of footnotes)."""
        if self.skip:
            return
        self.cur_note = True
        if not self.prev_note and self.text_since_heading:
            self.parts.append(f"\n{self.notes_label}\n")
            self.text_since_heading = False

    def _skipped(self, tag: str) -> bool:
        return tag in self._SKIP or (tag in self._CHROME and not self.content_depth)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._CONTENT:
            self.content_depth += 1
        if self._skipped(tag):
            self.skip += 1
        elif tag == "sup" and not self.skip:
            self.sup = []
        elif tag == "a" and not self.block_has_text:
            # a footnote's own anchor (<a name="fnt-1">) opening a block starts the footnotes; the markers in
            # the text (<a href="#fnt-1">) always follow some words
            names = [v or "" for k, v in attrs if k in ("name", "id")]
            if any(_FOOTNOTE_ANCHOR.match(n) for n in names):
                self._notes_start()
        elif tag in self._BLOCK:
            if tag == "h1" and not self.title and not self.skip:
                self.h1 = []
            self._end_block()
            self.cur_note = False
            marks = " ".join(v or "" for k, v in attrs if k in ("class", "id")).lower()
            if "footnote" in marks:
                self._notes_start()
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._CONTENT:
            self.content_depth = max(0, self.content_depth - 1)
        if self._skipped(tag):
            self.skip = max(0, self.skip - 1)
        elif tag == "sup" and self.sup is not None:
            mark = "".join(self.sup).strip()
            self.parts.append(f"({mark.strip('()[]')})" if mark.strip("()[]").isdigit() else mark)
            self.sup = None
        elif tag in self._BLOCK:
            if tag == "h1" and self.h1 is not None:
                self.title = " ".join("".join(self.h1).split())
                self.h1 = None
            self._end_block()
            self.parts.append("\n")

    def _end_block(self) -> None:
        if self.block_has_text:
            self.prev_note = self.cur_note
        self.block_has_text = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if data.strip():
            self.block_has_text = True
            self.text_since_heading = True
        if self.h1 is not None:
            self.h1.append(data)
        if self.sup is not None:
            self.sup.append(data)
        else:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


NOTES_LABELS = {"en": "Footnotes", "fr": "Notes", "es": "Notas"}


def html_to_text(html: str, *, notes_label: str = "Footnotes") -> str:
    """The text of a WTO legal-texts page: one line per block element, footnote markers as "(1)".

    Footnotes in an element whose class or id names "footnote" get a heading line ``notes_label``. Lines
    before the page's first ``<h1>`` (breadcrumbs, menus) are dropped.
    """
    parser = _WtoHTML(notes_label)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; keep whatever was read
        pass
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    if parser.title and parser.title in lines:
        lines = lines[lines.index(parser.title) :]
    return "\n".join(lines)


def clean_text(text: str) -> str:
    """Normalise layout and remove web-page noise ("Back to top", "Share", …)."""
    text = normalise(text)
    text = _NOISE_AT_END.sub("", text)
    lines = [
        line
        for line in text.split("\n")
        if line.strip().lower() not in _NOISE_LINES and not _NOISE_LINE_START.match(line.strip())
    ]
    return normalise("\n".join(lines))


def fold(text: str) -> str:
    """Lower-case without accents (for matching headings across languages)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
