"""Cheap language guess (en / es / fr) from function-word counts, for text without metadata."""

from __future__ import annotations

import re

_WORDS = {
    "en": re.compile(r"\b(?:the|and|shall|of|to|with)\b"),
    "es": re.compile(r"\b(?:el|los|las|del|y|para|con)\b"),
    "fr": re.compile(r"\b(?:le|les|des|du|et|pour|avec)\b"),
}


def detect_language(norm: str) -> str:
    """Return "en", "es" or "fr" for lower-cased text (first 2,000 characters are enough)."""
    sample = norm[:2000]
    counts = {lang: len(rx.findall(sample)) for lang, rx in _WORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else "en"
