"""Cheap language guess (en/es/fr) from stopword counts on a sample of the text."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")


def _words(s: str) -> frozenset[str]:
    return frozenset(_WORD.findall(s))


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the of and to in shall be that for with by this or any party parties which"),
    "es": _words("el la los las de del y en que por con para una partes parte se su al"),
    "fr": _words("le la les des du et en que pour avec une au aux sur est ses leur parties partie"),
}


def detect_language(text: str, sample: int = 20000) -> str:
    """Return "en", "es", "fr" or "" (too little text to tell)."""
    words = _WORD.findall(text[:sample].lower())
    if len(words) < 5:
        return ""
    scores = {lang: sum(1 for w in words if w in stops) for lang, stops in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 2:
        return ""
    return best
