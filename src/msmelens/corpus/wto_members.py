"""WTO members and GPA 2012 parties with the dates they joined, from CSV files shipped in the package.

``members()`` maps ISO 3166-1 alpha-3 codes (the European Union is ``"EUN"``) to the date the country or customs
territory became a WTO member; ``gpa_parties()`` maps the parties to the Agreement on Government Procurement
as amended in 2012 to the date it took effect for them. The EU takes part in the GPA for its 27 member
states: ``gpa_parties()`` lists ``"EUN"`` and each member state with the EU's date; ``gpa_parties(
include_eu_states=False)`` gives the 22 parties as the WTO lists them. Sources are named in the CSV headers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

EU = "EUN"
_ALIASES = {"EU": EU, "EUR": EU}  # other codes for the EU (msmelens.countries.names knows all three)
MEMBERS_FILE = "wto_members.csv"
GPA_FILE = "wto_gpa_parties.csv"


@dataclass(frozen=True, slots=True)
class Membership:
    iso3: str
    name: str
    since: date
    through: str = ""  # "EU" when a GPA party only through the European Union


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("msmelens.corpus").joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


@lru_cache(maxsize=1)
def member_list() -> tuple[Membership, ...]:
    """Every WTO member with its English name as the WTO writes it and its membership date."""
    return tuple(
        Membership(r["iso3"], r["name"], date.fromisoformat(r["member_since"])) for r in _rows(MEMBERS_FILE)
    )


@lru_cache(maxsize=1)
def gpa_list() -> tuple[Membership, ...]:
    """Every GPA 2012 party (EU member states included, marked ``through="EU"``)."""
    return tuple(
        Membership(r["iso3"], r["name"], date.fromisoformat(r["gpa2012_since"]), r.get("through") or "")
        for r in _rows(GPA_FILE)
    )


def members() -> dict[str, date]:
    """ISO3 code -> date of WTO membership, for all 166 members (the EU as ``"EUN"``)."""
    return {m.iso3: m.since for m in member_list()}


def _code(iso3: str) -> str:
    code = (iso3 or "").strip().upper()
    return _ALIASES.get(code, code)


def is_member(iso3: str, on: date | None = None) -> bool:
    """True when ``iso3`` is a WTO member (on the date ``on``, when given); "EU"/"EUR" mean ``"EUN"``."""
    since = members().get(_code(iso3))
    return since is not None and (on is None or since <= on)


def gpa_parties(*, include_eu_states: bool = True) -> dict[str, date]:
    """ISO3 code -> date the GPA 2012 took effect for it.

    With ``include_eu_states`` (the default) the 27 EU member states are listed too, with the EU's date,
    since the GPA covers them through the EU; without it, the 22 parties as the WTO lists them.
    """
    return {p.iso3: p.since for p in gpa_list() if include_eu_states or not p.through}


def is_gpa_party(iso3: str, on: date | None = None) -> bool:
    """True when the GPA 2012 applies to ``iso3`` (on the date ``on``, when given)."""
    since = gpa_parties().get(_code(iso3))
    return since is not None and (on is None or since <= on)


def parties_for(parties: str, on: date | None = None) -> list[str]:
    """Sorted ISO3 codes of ``"members"`` (all WTO members) or ``"gpa"`` (GPA 2012 parties), on ``on``."""
    table = members() if parties == "members" else gpa_parties() if parties == "gpa" else None
    if table is None:
        raise ValueError(f"unknown parties {parties!r}: use 'members' or 'gpa'")
    return sorted(code for code, since in table.items() if on is None or since <= on)
