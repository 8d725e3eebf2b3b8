"""Language versions: which stored texts are one agreement, and which of their provisions correspond.

Pure Python (no Django, no database), so the rule is the same for the import service, the data migration
and the tests.

Two texts are versions of one agreement when they share a non-empty WTO RTA id, or when they have the same
normalised name and the same date of signature (ToTA keeps the English and Spanish texts of the
Trans-Pacific Partnership as two files, ``pta_449`` and ``pta_450``, with the same name and date and no RTA
id). The relation is made transitive: a group is a connected set of texts. One version per group is the
*primary*: it stands for the agreement in lists, counts and corpus figures. The English text is preferred
(the lens reads English best), then the lowest identifier in natural order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PREFERRED_LANGUAGE = "en"
_NON_WORD = re.compile(r"[^0-9a-z]+")
_NUMBER = re.compile(r"\d+(?:[.\-]\d+)*")
_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True, slots=True)
class Text:
    """What the grouping rule reads of one stored text."""

    agreement_id: str
    name: str = ""
    date_signed: str = ""  # ISO "YYYY-MM-DD" or ""
    wto_rta_id: str = ""
    language: str = ""


@dataclass(frozen=True, slots=True)
class Grouping:
    """``group_of`` maps every agreement id to its primary's id; ``members`` lists each group, primary first."""

    group_of: dict[str, str]
    members: dict[str, list[str]]

    @property
    def n_groups(self) -> int:
        return len(self.members)

    def multi_version(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.members.items() if len(v) > 1}


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing ignored: "EU – Côte d'Ivoire" → "eu cote d ivoire"."""
    folded = unicodedata.normalize("NFKD", name or "").casefold()
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", plain).strip()


def natural_key(agreement_id: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of ids: "tota-9" before "tota-10" (digit runs compare as numbers)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _DIGITS.split(agreement_id) if p)


def _primary_order(text: Text) -> tuple[bool, tuple[tuple[int, int | str], ...], str]:
    return (text.language != PREFERRED_LANGUAGE, natural_key(text.agreement_id), text.agreement_id)


def group_versions(texts: Iterable[Text]) -> Grouping:
    """Group texts that are versions of one agreement (see the module docstring for the rule)."""
    items = {t.agreement_id: t for t in texts}
    parent = {key: key for key in items}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_with: dict[tuple[str, ...], str] = {}
    for key, text in items.items():
        rta = (text.wto_rta_id or "").strip()
        name = normalise_name(text.name)
        signed = (text.date_signed or "")[:10]
        for shared in (("rta", rta) if rta else None, ("name", name, signed) if name and signed else None):
            if shared is None:
                continue
            if shared in first_with:
                union(first_with[shared], key)
            else:
                first_with[shared] = key
    groups: dict[str, list[Text]] = {}
    for key in items:
        groups.setdefault(find(key), []).append(items[key])
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for group in groups.values():
        ordered = sorted(group, key=_primary_order)
        primary = ordered[0].agreement_id
        members[primary] = [t.agreement_id for t in ordered]
        for t in ordered:
            group_of[t.agreement_id] = primary
    return Grouping(group_of=group_of, members=members)


# ---------- provisions that correspond across versions ----------


@dataclass(frozen=True, slots=True)
class Position:
    """Where one provision sits in its text: what alignment reads."""

    provision_id: str
    source_ref: str
    path: Sequence[str]
    unit: str = "article"


def position_key(position: Position) -> str:
    """The provision's place as numbers only: "CHAPTER 3 / ARTICLE 3.15" and "CAPÍTULO 3 / ARTÍCULO 3.15"
    both give "3/3.15"; a heading without a number ("Preamble") counts as "-"; a paragraph adds its number."""
    parts = []
    for heading in position.path:
        found = _NUMBER.search(heading or "")
        parts.append(found.group(0) if found else "-")
    key = "/".join(parts)
    if position.unit == "paragraph":
        tail = position.provision_id.rsplit("-p", 1)
        key += f"#p{tail[1]}" if len(tail) == 2 else ""
    return key


def _unique(keys: list[str]) -> dict[str, int]:
    """key → index for keys that occur exactly once (a repeated key cannot say which provision it is)."""
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for i, key in enumerate(keys):
        if key in seen:
            repeated.add(key)
        seen[key] = i
    return {k: i for k, i in seen.items() if k not in repeated}


def align(left: Sequence[Position], right: Sequence[Position]) -> list[tuple[int, int]]:
    """Index pairs (left, right) of provisions that correspond, in the left text's order.

    By ``source_ref`` when the two texts share most of their references (e.g. "Article 3"); otherwise by
    position (chapter and article numbers, see ``position_key``). Keys that repeat within a text are left out.
    """
    refs_l = _unique([p.source_ref for p in left])
    refs_r = _unique([p.source_ref for p in right])
    shared = set(refs_l) & set(refs_r) - {""}
    if left and right and len(shared) * 2 >= min(len(left), len(right)):
        return [(refs_l[k], refs_r[k]) for k in sorted(shared, key=lambda k: refs_l[k])]
    keys_l = _unique([position_key(p) for p in left])
    keys_r = _unique([position_key(p) for p in right])
    common = set(keys_l) & set(keys_r)
    return [(keys_l[k], keys_r[k]) for k in sorted(common, key=lambda k: keys_l[k])]
