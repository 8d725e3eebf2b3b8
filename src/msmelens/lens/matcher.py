"""Stage ``match``: one Aho-Corasick pass over the normalised provision text finds every cue of every lexicon.

Two automata are compiled once at import: a small *gate* (size words and strong topic cues) that runs on every
provision, and the *full* one that runs only on provisions the gate let through.
"""

from __future__ import annotations

import re
from typing import Any

import ahocorasick

from msmelens.lens import lexicon_en, lexicon_es, lexicon_fr
from msmelens.lens.normalize import normalise
from msmelens.lens.provision import Cue, Provision
from msmelens.lens.topics import IMPLICIT_MIN

LEXICONS = {"en": lexicon_en, "es": lexicon_es, "fr": lexicon_fr}

# entry = (kind, label, weight, committee, prefix, phrase)
Entry = tuple[str, str, float, str, bool, str]


def _entries() -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    for lex in LEXICONS.values():
        for phrase in lex.SIZE_TRIGGERS:
            out.append((phrase, ("size", "size", 0.0, "", phrase.endswith("*"), phrase)))
        for category, cues in lex.TOPICS.items():
            for phrase, weight, committee in cues:
                out.append(
                    (phrase, ("topic", category, float(weight), committee, phrase.endswith("*"), phrase))
                )
        for phrase, weight in lex.EXCLUDE:
            out.append((phrase, ("exclude", "exclude", float(weight), "", phrase.endswith("*"), phrase)))
        for phrase in lex.GOVERNMENT_ONLY:
            out.append((phrase, ("exclude", "government_only", 1.0, "", False, phrase)))
    return out


# A cue must start a word: every key is stored once per character that may precede a word, and the text is
# scanned with one leading space, so mid-word hits ("sme" in "assessment", "ports" in "imports") never fire.
BOUNDARY_CHARS = " (\"“‘'/-[«¿¡.,;:”"


def _build(entries: list[tuple[str, Entry]]) -> Any:
    table: dict[str, list[Entry]] = {}
    for phrase, entry in entries:
        key = normalise(phrase.rstrip("*"))
        if entry not in table.setdefault(key, []):
            table[key].append(entry)
    automaton = ahocorasick.Automaton()
    for key, items in table.items():
        value = (len(key), tuple(items))
        for boundary in BOUNDARY_CHARS:
            automaton.add_word(boundary + key, value)
    automaton.make_automaton()
    return automaton


_ALL = _entries()
FULL = _build(_ALL)
GATE = _build([(p, e) for p, e in _ALL if e[0] == "size" or (e[0] == "topic" and e[2] >= 2)])

HEADING_VETO_WEIGHT = 100.0
_HEADING_VETO = re.compile(
    "|".join(
        sorted({re.escape(normalise(h)) for lex in LEXICONS.values() for h in lex.HEADING_VETO}, key=len)[
            ::-1
        ]
    )
)
_HEADING_EXCLUDE = re.compile(
    "|".join(
        sorted({re.escape(normalise(h)) for lex in LEXICONS.values() for h in lex.HEADING_EXCLUDE}, key=len)[
            ::-1
        ]
    )
)


def gate_hit(norm: str, heading: str = "") -> bool:
    """True when the provision may be relevant: a size word, or strong topic cues (text and heading) that
    reach the implicit threshold. Anything the gate rejects could not be explicit or implicit anyway."""
    return gate_scan(norm, heading)[0]


def cue_hit(norm: str, heading: str = "") -> bool:
    """True when the text or heading holds any cue of the gate (a size word or a strong topic phrase).

    Wider than ``gate_hit`` (one cue is enough): it decides which provisions the learned stage looks at."""
    return gate_scan(norm, heading)[1]


def gate_scan(norm: str, heading: str = "") -> tuple[bool, bool]:
    """``(gate_hit, cue_hit)`` in one pass of the gate automaton."""
    seen = False
    strength: dict[str, float] = {}
    for text, tag in ((norm, ""), (heading, "heading:")):
        if not text:
            continue
        padded = " " + text
        n = len(padded)
        for end, (_length, entries) in GATE.iter(padded):
            after = end + 1
            right_ok = after >= n or not padded[after].isalnum()
            for kind, _label, weight, _committee, prefix, phrase in entries:
                if not (right_ok or prefix):
                    continue
                seen = True
                if kind == "size":
                    return True, True
                key = tag + phrase
                if weight > strength.get(key, 0.0):
                    strength[key] = weight
                    if sum(strength.values()) >= IMPLICIT_MIN:
                        return True, True
    return False, seen


def _scan(norm: str, automaton: Any) -> dict[tuple[str, str, int], Cue]:
    """All cues of ``automaton`` in ``norm`` (offsets into ``norm``), one per (kind, label, start)."""
    padded = " " + norm
    n = len(norm)
    best: dict[tuple[str, str, int], Cue] = {}
    for end, (length, entries) in automaton.iter(padded):
        start = end - length  # in norm coordinates (the padding shifts by one)
        stop = end
        right_ok = stop >= n or not norm[stop].isalnum()
        for kind, label, weight, committee, prefix, phrase in entries:
            if prefix:  # extend the span to the end of the word
                while stop < n and norm[stop].isalnum():
                    stop += 1
            elif not right_ok:
                continue
            key = (kind, label, start)
            prev = best.get(key)
            if prev is None or prev.end < stop or prev.weight < weight:
                best[key] = Cue(start, stop, kind, label, weight, committee, phrase)
    return best


def match(p: Provision, norm: str | None = None, heading: str | None = None, *, gated: bool = False) -> None:
    """Fill ``p.norm`` and ``p.cues`` (cue offsets are into ``p.norm``); ``norm``/``heading`` may pass the
    already normalised text and heading, ``gated=True`` says ``gate_hit(norm, heading)`` was already true."""
    if norm is None:
        norm = normalise(p.text)
    p.norm = norm
    if heading is None:
        heading = normalise(p.heading) if p.heading else ""
    if not gated and not gate_hit(norm, heading):
        return
    cues = p.cues
    cues.extend(_scan(norm, FULL).values())
    if heading:
        if _HEADING_VETO.search(heading):
            cues.append(Cue(0, 0, "heading", "heading_veto", HEADING_VETO_WEIGHT, "", p.heading))
        elif _HEADING_EXCLUDE.search(heading):
            cues.append(Cue(0, 0, "heading", "heading_exclude", 3.0, "", p.heading))
        cues.extend(_heading_topics(heading))


def _heading_topics(heading: str) -> list[Cue]:
    """Strong topic cues in the article heading (they add to the strength but carry no text offsets)."""
    return [
        Cue(0, 0, "heading_topic", c.label, c.weight, c.committee, "heading:" + c.phrase)
        for c in _scan(heading, FULL).values()
        if c.kind == "topic" and c.weight >= 2
    ]
