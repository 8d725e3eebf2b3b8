"""Reads of the practice library: lists with filters and search, one practice, its versions and the difference
between two of them, practices by country and by obstacle, pending proposals, and text in a language.

Only published practices are shown unless ``include_unpublished`` (curators' pages, exports). Filters on list
fields are a ``LIKE`` on the delimited keys ("|PER|CHL|") and search is a ``LIKE`` on ``search_text`` per word,
so both work the same on SQLite and PostgreSQL. Regions are UN M49 regions (``records.REGIONS``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from msmelens.practices.models import Practice, Proposal
from msmelens.practices.records import (
    FIELDS,
    INSTRUMENTS,
    LANGUAGES,
    OPTIONAL_FIELDS,
    REGION_OF,
    REGIONS,
    TARGET_GROUPS,
    changed_fields,
    fold_text,
    record_of,
    region_countries,
)

TEXT_FIELDS: tuple[str, ...] = ("title", "summary", "implementer")


def _published(include_unpublished: bool) -> QuerySet[Practice]:
    qs = Practice.objects.all()
    return qs if include_unpublished else qs.filter(status=Practice.PUBLISHED)


def _key_filter(name: str, value: str) -> Q:
    return Q(**{f"{name}_key__contains": f"|{value}|"})


def practice_list(*, country: str | None = None, region: str | None = None, obstacle: str | None = None,
                  instrument: str | None = None, target_group: str | None = None, evidence_min: int | None = None,
                  evidence: int | str | None = None, year_from: int | None = None, year_to: int | None = None,
                  q: str | None = None, include_unpublished: bool = False) -> QuerySet[Practice]:
    """Practices matching every filter given, by title.

    ``country`` an ISO3 code; ``region`` a UN M49 key (africa, americas, asia, europe, oceania); ``evidence``
    an exact level, or ``"none"`` for records without outcome evidence; ``evidence_min`` a level or higher;
    ``year_from``/``year_to`` keep practices running at some time in that span (no end year: still running);
    ``q`` words that must all appear (accents and case ignored) in the title, summary, implementer,
    translations, indicators or countries' names."""
    qs = _published(include_unpublished)
    if country:
        qs = qs.filter(_key_filter("countries", country.strip().upper()))
    if region:
        codes = region_countries(region)
        match = Q(pk__in=[])
        for code in codes:
            match |= _key_filter("countries", code)
        qs = qs.filter(match)
    if obstacle:
        qs = qs.filter(_key_filter("obstacles", obstacle.strip()))
    if instrument:
        qs = qs.filter(instrument=instrument.strip())
    if target_group:
        qs = qs.filter(_key_filter("target_groups", target_group.strip()))
    if evidence_min is not None:
        qs = qs.filter(evidence_level__gte=int(evidence_min))
    if evidence is not None and evidence != "":
        qs = qs.filter(evidence_level__isnull=True) if str(evidence).lower() == "none" \
            else qs.filter(evidence_level=int(evidence))
    if year_from is not None:
        qs = qs.filter(Q(end_year__gte=int(year_from)) | Q(end_year__isnull=True))
    if year_to is not None:
        qs = qs.filter(start_year__lte=int(year_to))
    for word in fold_text(q or "").split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("title", "slug")


def practice_get(slug: str, include_unpublished: bool = False) -> Practice | None:
    """The practice with this id (published only unless ``include_unpublished``), or None."""
    return _published(include_unpublished).filter(slug=(slug or "").strip().lower()).first()


def practice_record(practice: Practice) -> dict[str, Any]:
    """The practice in the seed file's format (what export writes and import reads)."""
    return record_of(practice)


def export_records(*, include_unpublished: bool = False) -> list[dict[str, Any]]:
    """Every practice (published only unless asked) in the seed format, by id."""
    return [record_of(p) for p in _published(include_unpublished).order_by("slug")]


def practices_for_country(iso3: str) -> list[Practice]:
    """A country's published practices for its timeline: by start year (unknown last), then title."""
    qs = practice_list(country=iso3)
    return sorted(qs, key=lambda p: (p.start_year is None, p.start_year or 0, p.title))


def practices_for_category(category: str) -> list[Practice]:
    """Published practices addressing an obstacle category, strongest evidence first (none last)."""
    qs = practice_list(obstacle=category)
    return sorted(qs, key=lambda p: (-(p.evidence_level or 0), p.title))


def filter_choices() -> dict[str, Any]:
    """What the library's filters offer: countries and regions that have published practices, the
    instruments, target groups, evidence levels, and the range of start years."""
    countries: set[str] = set()
    years: list[int] = []
    for codes, start in _published(False).values_list("countries", "start_year"):
        countries.update(codes or [])
        if start is not None:
            years.append(start)
    regions = sorted({REGION_OF[c] for c in countries if c in REGION_OF})
    return {
        "countries": sorted(countries),
        "regions": [(key, REGIONS[key]) for key in regions],
        "instruments": list(INSTRUMENTS),
        "target_groups": list(TARGET_GROUPS),
        "evidence_levels": [1, 2, 3, 4, 5],
        "year_min": min(years) if years else None,
        "year_max": max(years) if years else None,
    }


# --- versions ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Version:
    """One saved version of a practice: its number, history id (for restoring), when, by whom, why, and the
    fields it changed from the version before (all fields for the first)."""

    number: int
    history_id: int
    date: dt.datetime
    user: str
    reason: str
    status: str
    changed_fields: list[str] = field(default_factory=list)


def _history(practice: Practice) -> list[Any]:
    return list(practice.history.select_related("history_user").order_by("history_date", "history_id"))


def versions(practice: Practice) -> list[Version]:
    """Every version of the practice, newest first."""
    rows = _history(practice)
    out: list[Version] = []
    previous: dict[str, Any] | None = None
    for row in rows:
        record = _full_record(row)
        if previous is None:
            changes = [f for f in FIELDS + OPTIONAL_FIELDS if f != "id"]
        else:
            changes = changed_fields(previous, record)
            if previous.get("status") != row.status:
                changes.append("status")
        record["status"] = row.status
        user = row.history_user.get_username() if row.history_user is not None else ""
        out.append(Version(number=row.version, history_id=row.history_id, date=row.history_date, user=user,
                           reason=row.history_change_reason or "", status=row.status, changed_fields=changes))
        previous = record
    out.reverse()
    return out


def _full_record(row: Any) -> dict[str, Any]:
    record = record_of(row)
    record.setdefault("original_language", "en")
    record.setdefault("translations", {})
    return record


def version_record(practice: Practice, number: int) -> dict[str, Any] | None:
    """The seed-format record of version ``number`` (with its status), or None if there is no such version."""
    row = practice.history.filter(version=number).order_by("-history_id").first()
    if row is None:
        return None
    return {**_full_record(row), "status": row.status}


@dataclass(slots=True)
class FieldDiff:
    """One field that differs between two versions. For text fields ``words`` is a word-level diff: a list of
    ``(op, text)`` with op ``equal``, ``delete`` or ``insert``, to show deletions and insertions in place."""

    field: str
    old: Any
    new: Any
    words: list[tuple[str, str]] | None = None


@dataclass(slots=True)
class VersionDiff:
    slug: str
    a: int
    b: int
    fields: list[FieldDiff]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` to ``new`` word by word (spaces are tokens too), via difflib; runs of one op merged."""
    a = re.findall(r"\s+|\S+", old or "")
    b = re.findall(r"\s+|\S+", new or "")
    out: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return out


def version_diff(practice: Practice, a: int, b: int) -> VersionDiff:
    """The fields that differ between versions ``a`` and ``b`` (old = a, new = b); raises ``LookupError``
    naming the missing version."""
    old, new = version_record(practice, a), version_record(practice, b)
    for number, record in ((a, old), (b, new)):
        if record is None:
            raise LookupError(f"'{practice.slug}' has no version {number} (it is at version {practice.version}).")
    assert old is not None and new is not None
    fields: list[FieldDiff] = []
    for name in [*changed_fields(old, new), *(["status"] if old["status"] != new["status"] else [])]:
        words = word_diff(old[name], new[name]) if name in TEXT_FIELDS else None
        fields.append(FieldDiff(field=name, old=old[name], new=new[name], words=words))
    return VersionDiff(slug=practice.slug, a=a, b=b, fields=fields)


# --- proposals and languages ---------------------------------------------------------------------------


def pending_proposals() -> QuerySet[Proposal]:
    """Proposals waiting for a curator, oldest first."""
    return Proposal.objects.filter(status=Proposal.PENDING).select_related("practice", "proposed_by") \
        .order_by("created_at", "id")


def proposal_get(pk: int) -> Proposal | None:
    """One proposal by number, or None."""
    return Proposal.objects.select_related("practice", "proposed_by", "reviewed_by").filter(pk=pk).first()


def proposals_for(practice: Practice) -> QuerySet[Proposal]:
    """A practice's change proposals, newest first."""
    return practice.proposals.select_related("proposed_by", "reviewed_by").order_by("-created_at", "-id")


def display_text(practice: Practice, language: str) -> tuple[str, str, bool]:
    """``(title, summary, is_translated)`` in ``language``: the original when that is its language, else its
    translation; without one (or with only part of one), the original text with ``is_translated`` False so
    that the page can say it is shown in the original language."""
    lang = (language or "en").split("-")[0].lower()
    lang = lang if lang in LANGUAGES else "en"
    if lang == (practice.original_language or "en"):
        return practice.title, practice.summary, True
    entry = (practice.translations or {}).get(lang) or {}
    title, summary = entry.get("title"), entry.get("summary")
    if title and (summary or not practice.summary):
        return title, summary or "", True
    return practice.title, practice.summary, False
