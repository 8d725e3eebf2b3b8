"""Whitespace-normalised, lower-cased view of a provision, with a (lazy) map back to original offsets."""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_RUNS = re.compile(r"\s\s+|[\n\t\r\f\v]")
_HYPHENS = str.maketrans(
    {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00ad": "-", "\u2019": "'"}
)


def lower_same_length(text: str) -> str:
    """``text.lower()`` keeping one character per character (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


def normalise(text: str) -> str:
    """Lower-case, unify hyphens/apostrophes and collapse whitespace runs to one space."""
    return _WS.sub(" ", lower_same_length(text).translate(_HYPHENS))


def offset_map(text: str) -> list[int] | None:
    """Offsets into ``text`` for each character of ``normalise(text)`` (plus the end); None if identical."""
    if not _RUNS.search(text):
        return None
    offsets: list[int] = []
    pos = 0
    for m in _WS.finditer(text):
        offsets.extend(range(pos, m.start() + 1))
        pos = m.end()
    offsets.extend(range(pos, len(text) + 1))
    return offsets
