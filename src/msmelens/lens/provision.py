"""The per-provision working object that every pipeline stage reads and extends."""

from __future__ import annotations

from dataclasses import dataclass, field

from msmelens.lens.normalize import OffsetMap, offset_map
from msmelens.lens.record import Evidence


@dataclass(slots=True)
class Cue:
    """One lexicon hit: ``start``/``end`` are offsets into the provision's original text."""

    start: int
    end: int
    kind: str  # "size", "topic", "exclude", "heading"
    label: str  # category, exclusion name, ...
    weight: float
    committee: str = ""
    phrase: str = ""


@dataclass(slots=True)
class Provision:
    text: str
    language: str = ""
    heading: str = ""
    norm: str = ""  # lower-cased, whitespace runs collapsed to one space
    cues: list[Cue] = field(default_factory=list)
    explicit: bool = False
    topic_score: float = 0.0
    exclusion_score: float = 0.0
    relevance: str = "none"
    categories: list[str] = field(default_factory=list)
    binding: str | None = None
    committees: list[str] = field(default_factory=list)
    score: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    _offsets: OffsetMap | None = None
    _mapped: bool = False
    _evidence_keys: set[tuple[int, int, str]] = field(default_factory=set)

    def orig(self, i: int) -> int:
        """Map an offset in ``norm`` back to an offset in ``text`` (the map is built on first use)."""
        if not self._mapped:
            self._offsets = offset_map(self.text)
            self._mapped = True
        if self._offsets is None:
            return i
        return self._offsets(i)

    def add_evidence(self, start: int, end: int, supports: str) -> None:
        key = (start, end, supports)
        if key in self._evidence_keys:
            return
        self._evidence_keys.add(key)
        self.evidence.append(Evidence(start, end, self.text[start:end], supports))
