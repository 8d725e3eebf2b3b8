"""Whitespace-normalised, lower-cased view of a provision, with a (lazy) map back to original offsets.

``normalise`` lower-cases, unifies dashes and apostrophes, drops leading/trailing whitespace and collapses every
whitespace run to one space (OCR line breaks and double spaces then never hide a cue). Every character keeps its
length, so the only offset shifts come from collapsed runs; ``OffsetMap`` records them as break points.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

_ODD = re.compile("[\u2010-\u2014\u00ad\u2019]")
_ODD_MAP = (
    ("\u2010", "-"),
    ("\u2011", "-"),
    ("\u2012", "-"),
    ("\u2013", "-"),
    ("\u2014", "-"),
    ("\u00ad", "-"),
    ("\u2019", "'"),
)
_COLLAPSE = re.compile(r"\s\s+")


def lower_same_length(text: str) -> str:
    """``text.lower()`` keeping one character per character (so offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    low = text.replace("\u0130", "i").lower()  # Turkish dotted capital I is the usual culprit
    if len(low) == len(text):
        return low
    return "".join(c.lower()[:1] or c for c in text)


def normalise(text: str) -> str:
    """Lower-case, unify hyphens/apostrophes and collapse whitespace runs to one space."""
    low = lower_same_length(text)
    if not low.isascii() and _ODD.search(low):
        for odd, plain in _ODD_MAP:
            if odd in low:
                low = low.replace(odd, plain)
    return " ".join(low.split())


class OffsetMap:
    """Maps offsets in ``normalise(text)`` back to offsets in ``text``."""

    __slots__ = ("_points", "_shifts")

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _COLLAPSE.finditer(text)]
        lead = 0
        if text[:1].isspace():  # leading whitespace disappears
            lead = len(text) - len(text.lstrip())
            spans = [(a, b) for a, b in spans if a >= lead]
        # shift before run k is shifts[k]; a run [a, b) becomes one space, so the shift grows by b - a - 1
        shifts = list(accumulate((b - a - 1 for a, b in spans), initial=lead))
        self._points = [0] + [a - shift + 1 for (a, _b), shift in zip(spans, shifts, strict=False)]
        self._shifts = shifts

    def __call__(self, i: int) -> int:
        k = bisect_right(self._points, i) - 1
        return i + self._shifts[k]


def offset_map(text: str) -> OffsetMap | None:
    """The offset map for ``text``, or None when normalising changes no offset."""
    if not text[:1].isspace() and not _COLLAPSE.search(text):
        return None  # single whitespace characters become one space each: offsets unchanged
    return OffsetMap(text)
