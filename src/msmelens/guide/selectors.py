"""Reads of the firm guide: a saved assessment by its token, and what other pillars hold for a firm (agreements
between two countries and their provisions, practices in its country, actions taken on its obstacles, WTO
membership), read through those pillars' selectors only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from msmelens.agreements import selectors as agreements
from msmelens.guide.models import Assessment
from msmelens.guide.services import token_hash

IN_FORCE, SIGNED, INACTIVE, UNKNOWN = "in_force", "signed", "inactive", "unknown"
STATUS_ORDER = {IN_FORCE: 0, SIGNED: 1, INACTIVE: 2, UNKNOWN: 3}
MIN_TOKEN_LENGTH = 20


def assessment_by_token(token: str) -> Assessment | None:
    """The assessment a private link opens, or None (also for anything too short to be a token)."""
    if not token or len(token) < MIN_TOKEN_LENGTH or len(token) > 200:
        return None
    return Assessment.objects.filter(token_hash=token_hash(token)).first()


def status_of(status: str, date_into_force: dt.date | None) -> str:
    """ToTA's status in one of four plain keys: in_force, signed (not yet in force), inactive, unknown."""
    text = (status or "").strip().lower()
    if text == "in force":
        return IN_FORCE
    if "signed" in text:
        return SIGNED
    if text == "inactive":
        return INACTIVE
    return IN_FORCE if date_into_force and date_into_force <= dt.date.today() else UNKNOWN


@dataclass(slots=True)
class Between:
    """One agreement between two countries, with its plain status and its number of parties."""

    agreement: Any
    status: str
    n_parties: int
    other_versions: list[str]  # lens ids of other language versions of the same text, left out


def agreements_between(country: str, market: str, language: str = "en") -> list[Between]:
    """The agreements having both countries as parties: in force first (latest entry into force first), then
    signed, then others. Several stored language versions of one agreement (``agreements.version_selectors``)
    count once: the version in ``language`` if there is one, else the primary version."""
    from msmelens.agreements import version_selectors

    found = agreements.agreements_between(country=country, partner=market)
    versions = version_selectors.versions_of(agreements=found)
    out: list[Between] = []
    seen: set[tuple[int, ...]] = set()
    for ag in found:
        group = versions.get(ag.pk) or [ag]
        ids = tuple(sorted(v.pk for v in group))
        if ids in seen:
            continue
        seen.add(ids)
        chosen = version_selectors.version_to_show(agreement=group[0], versions=group, language=language)
        out.append(Between(
            agreement=chosen, status=status_of(chosen.status, chosen.date_into_force),
            n_parties=len(agreements.agreement_parties(agreement=chosen)),
            other_versions=[v.lens_id for v in group if v.pk != chosen.pk],
        ))

    def key(b: Between) -> tuple[int, int, str]:
        a = b.agreement
        when = a.date_into_force or a.date_signed
        return (STATUS_ORDER[b.status], -(when.toordinal() if when else 0), a.name)

    return sorted(out, key=key)


def relevant_provisions(agreement: Any, categories: list[str]) -> list[Any]:
    """The agreement's explicit and implicit provisions in any of ``categories``, in reading order."""
    wanted = set(categories)
    rows = agreements.provision_list(agreement=agreement).exclude(relevance="none")
    return [p for p in rows if wanted.intersection(p.categories or [])]


def wto_member(iso3: str) -> bool | None:
    """Whether the country is a WTO member today; None when membership cannot be checked."""
    try:
        from msmelens.corpus import wto_members
    except ImportError:  # pragma: no cover - the module ships with the corpus package
        return None
    return bool(wto_members.is_member(iso3))


def practices_for(country: str, categories: list[str]) -> list[Any]:
    """Published practices in the country that address any of the categories, strongest evidence first."""
    from msmelens.practices import selectors as practices

    wanted = set(categories)
    found = [p for p in practices.practice_list(country=country) if wanted.intersection(p.obstacles or [])]
    return sorted(found, key=lambda p: (-(p.evidence_level or 0), p.title))


def practices_elsewhere(country: str, category: str, limit: int) -> list[Any]:
    """The best-evidenced published practices for one category in other countries."""
    from msmelens.practices import selectors as practices

    rows = [p for p in practices.practices_for_category(category) if country not in (p.countries or [])]
    return rows[:limit]


def practice_text(practice: Any, language: str) -> tuple[str, str]:
    from msmelens.practices import selectors as practices

    title, summary, _translated = practices.display_text(practice, language)
    return title, summary


def actions_for(country: str, categories: list[str]) -> list[Any]:
    """Actions recorded under the default survey for the country on any of the categories, newest first."""
    from msmelens.feedback import actions
    from msmelens.feedback import selectors as feedback

    survey = feedback.get_survey(feedback.DEFAULT_SURVEY_SLUG)
    if survey is None or not categories:
        return []
    wanted = set(categories)
    return [a for a in actions.list_actions(survey=survey, country=country) if wanted.intersection(a.categories)]


def survey_response_current(instance_id: str) -> bool:
    """Whether the default survey holds this response as current (not replaced)."""
    from msmelens.feedback import selectors as feedback

    survey = feedback.get_survey(feedback.DEFAULT_SURVEY_SLUG)
    if survey is None or not instance_id:
        return False
    response = feedback.find_response(survey, instance_id)
    return bool(response is not None and response.is_current)
