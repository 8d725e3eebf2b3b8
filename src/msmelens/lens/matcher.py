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


def _build(entries: list[tuple[str, Entry]]) -> Any:
    table: dict[str, list[Entry]] = {}
    for phrase, entry in entries:
        key = normalise(phrase.rstrip("*"))
        if entry not in table.setdefault(key, []):
            table[key].append(entry)
    automaton = ahocorasick.Automaton()
    for key, items in table.items():
        automaton.add_word(key, (len(key), tuple(items)))
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


def _word_char(c: str) -> bool:
    return c.isalnum()


def gate_hit(norm: str) -> bool:
    """True when the cheap gate automaton finds any size word or strong topic cue (with word boundaries)."""
    n = len(norm)
    for end, (length, entries) in GATE.iter(norm):
        start = end - length + 1
        if start > 0 and norm[start - 1].isalnum():
            continue
        after = norm[end + 1] if end + 1 < n else " "
        if not after.isalnum() or any(e[4] for e in entries):
            return True
    return False


def match(p: Provision) -> None:
    """Fill ``p.norm`` and ``p.cues`` (cue offsets are into ``p.norm``)."""
    norm = p.norm = normalise(p.text)
    if not gate_hit(norm):
        return
    n = len(norm)
    cues = p.cues
    best: dict[tuple[str, str, int], Cue] = {}
    for end, (length, entries) in FULL.iter(norm):
        start = end - length + 1
        if start and norm[start - 1].isalnum():
            continue
        stop = end + 1
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
    cues.extend(best.values())
    if p.heading:
        heading = normalise(p.heading)
        if _HEADING_VETO.search(heading):
            cues.append(Cue(0, 0, "heading", "heading_veto", HEADING_VETO_WEIGHT, "", p.heading))
        elif _HEADING_EXCLUDE.search(heading):
            cues.append(Cue(0, 0, "heading", "heading_exclude", 3.0, "", p.heading))
        cues.extend(_heading_topics(heading))


def _heading_topics(heading: str) -> list[Cue]:
    """Strong topic cues in the article heading (they add to the strength but carry no text offsets)."""
    out: list[Cue] = []
    n = len(heading)
    for end, (length, entries) in FULL.iter(heading):
        start = end - length + 1
        if start > 0 and heading[start - 1].isalnum():
            continue
        right_ok = end + 1 >= n or not heading[end + 1].isalnum()
        for kind, label, weight, committee, prefix, phrase in entries:
            if kind == "topic" and weight >= 2 and (prefix or right_ok):
                out.append(Cue(0, 0, "heading_topic", label, weight, committee, "heading:" + phrase))
    return out
