"""Stage ``explicit``: does the provision name enterprises (businesses, firms, suppliers...) by their size?

Runs only when ``match`` found a size word. Traps handled: size words qualifying something else ("small-scale
fisheries", "small island developing States", "medium-term", "small quantities", "small economies") never match
because a firm noun must follow; "SME" as *square metre equivalent* (textile quotas); size words inside a
heading line (e.g. the next chapter's title "Chapter 24 Small and Medium-Sized Enterprises" caught at the end
of an article) do not count.
"""

from __future__ import annotations

import re

from msmelens.lens.provision import Provision

_EN_SIZE = r"(?:micro|small|medium|mid)(?:\s?-?\s?(?:sized?|scale|size))?"
_EN_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or|&)\s+|\s*-\s*|\s*/\s*|\s+)"
_EN_NOUN = (
    r"(?:enterprises?|businesses|business|firms?|compan(?:y|ies)|suppliers?|producers?|entrepreneurs?"
    r"|exporters?|undertakings?|traders?|manufacturers?|industr(?:y|ies))"
)
# An adjective may sit between the size words and the noun ("small and medium-sized local enterprises").
_EN_GAP = (
    r"(?:\s?-?\s?(?!(?:term|terms|island|islands|quantit|econom|states?|countr|amount|sums?|value)\b)[a-z]+)?"
)
EN = re.compile(
    rf"\b{_EN_SIZE}(?:{_EN_SEP}{_EN_SIZE})*{_EN_GAP}\s?-?\s?{_EN_NOUN}\b"
    r"|\bmicro-?enterprises?\b|\bm?smes?\b|\bsmmes?\b|\bsmis\b"
)

_ES_SIZE = r"(?:micro|pequeñ[ao]s?|median[ao]s?|mini)"
_ES_SEP = r"(?:\s*,\s*|\s+(?:y|o|e|u)\s+|\s*-\s*|\s*/\s*)"
_ES_NOUN = (
    r"(?:empresas?|negocios?|firmas?|compañías?|proveedores|productores|empresarios|emprendedores|exportadores"
    r"|industrias?)"
)
ES = re.compile(
    rf"\b{_ES_SIZE}(?:{_ES_SEP}{_ES_SIZE})*\s+{_ES_NOUN}\b"
    rf"|\b{_ES_NOUN}\s+(?:micro|pequeñ[ao]s?|median[ao]s?)(?:{_ES_SEP}(?:micro|pequeñ[ao]s?|median[ao]s?))*\b"
    r"|\bmicroempresas?\b|\b(?:mi)?pym(?:e|es|is)\b|\bmipymis\b"
)

_FR_SIZE = r"(?:micro|très\s+petites?|petites?|petits|moyennes?|moyens)"
_FR_SEP = r"(?:\s*,\s*|\s+(?:et|ou)\s+|\s*-\s*|\s*/\s*)"
_FR_NOUN = r"(?:entreprises?|sociétés|firmes|fournisseurs|producteurs|entrepreneurs|exportateurs|industries)"
FR = re.compile(
    rf"\b{_FR_SIZE}(?:{_FR_SEP}{_FR_SIZE})*\s+{_FR_NOUN}\b"
    rf"|\b{_FR_NOUN}\s+(?:petites|moyennes)(?:{_FR_SEP}(?:petites|moyennes))*\b"
    r"|\bmicro-?entreprises?\b|\bpme\b|\bpmes\b|\bpmi\b|\bmpme\b"
)

PATTERNS = {"en": EN, "es": ES, "fr": FR}
# A firm noun may precede the size words by this much (Spanish/French) and the match may run this far after.
WINDOW_BEFORE = 60
WINDOW_AFTER = 160

_SQUARE_METRE = re.compile(r"square met(?:re|er)s?\s+equivalent|\d[\d.,]*\s*(?:million\s+)?smes?\b")
_ACRONYM = re.compile(r"m?smes?|smmes?")
_HEADING_LINE = re.compile(
    r"(?im)^[ \t]*(?:chapter|section|part|title|annex|capítulo|sección|título|anexo|chapitre|titre|partie)"
    r"[ \t]+[0-9ivxlc]+[0-9.a-z]*\b[^\n]{0,100}$"
)


def _heading_spans(text: str) -> list[tuple[int, int]]:
    if "\n" not in text:
        return []
    return [(m.start(), m.end()) for m in _HEADING_LINE.finditer(text)]


def explicit(p: Provision) -> None:
    """Set ``p.explicit`` and add ``explicit`` evidence spans (patterns run only in windows around size words)."""
    sizes = sorted({c.start for c in p.cues if c.kind == "size"})
    if not sizes:
        return
    langs = [p.language] if p.language in PATTERNS else list(PATTERNS)
    headings: list[tuple[int, int]] | None = None
    square_metre = bool(_SQUARE_METRE.search(p.norm)) if "sme" in p.norm else False
    seen: set[tuple[int, int]] = set()
    for lang in langs:
        pattern = PATTERNS[lang]
        done = 0  # windows overlap: never scan the same text twice
        for at in sizes:
            lo = max(done, at - WINDOW_BEFORE)
            hi = at + WINDOW_AFTER
            if lo >= hi:
                continue
            for m in pattern.finditer(p.norm, lo, hi):
                if (m.start(), m.end()) in seen:
                    continue
                seen.add((m.start(), m.end()))
                if square_metre and _ACRONYM.fullmatch(m.group(0)):
                    continue
                start, end = p.orig(m.start()), p.orig(m.end())
                if headings is None:
                    headings = _heading_spans(p.text)
                if any(hs <= start and end <= he for hs, he in headings):
                    continue
                p.explicit = True
                p.add_evidence(start, end, "explicit")
            done = hi
        if p.explicit:
            return
