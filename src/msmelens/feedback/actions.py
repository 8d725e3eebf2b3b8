"""Policy actions ("you said, we did"): what was done about the obstacles firms reported.

Curators record an action against a survey, a country and the obstacle categories it addresses, with who is
responsible, when it started (and ended), its status, and links: agreement provisions (checked through
``msmelens.agreements.selectors``) and practice references (free ids or URLs until the practice library of
issue 8 exists). Writes are the keyword-only, atomic services below; each one appends to the action's
``history`` who changed which fields and when. Reads are the selectors at the end of the module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from msmelens.countries.names import is_known
from msmelens.feedback.models import PolicyAction, Survey
from msmelens.lens.taxonomy import CATEGORIES

STATUSES: tuple[str, ...] = (
    PolicyAction.PLANNED, PolicyAction.IN_PROGRESS, PolicyAction.DONE, PolicyAction.DROPPED
)
MAX_LINKS = 50
MAX_LINK_LENGTH = 500
# fields a change may touch, and the history names them by these keys
EDITABLE: tuple[str, ...] = (
    "country", "categories", "title", "description", "responsible", "started_on", "completed_on", "status",
    "practice_refs", "provision_ids",
)


class ActionError(ValueError):
    """An action that cannot be recorded as given; the message says what to fix, for non-programmers."""


# --- checks -----------------------------------------------------------------------------------------------


def clean_country(value: str) -> str:
    """An ISO 3166-1 alpha-3 code, upper-cased; refuses anything pycountry does not know."""
    code = (value or "").strip().upper()
    if len(code) != 3 or not code.isalpha() or not is_known(code):
        raise ActionError(f"'{value}' is not a country code: give the three-letter ISO code, such as PER or KEN.")
    return code


def clean_categories(values: Iterable[str]) -> list[str]:
    """Known obstacle categories, at least one, each once, in the taxonomy's order."""
    given = [str(v).strip() for v in values if str(v).strip()]
    unknown = [v for v in given if v not in CATEGORIES]
    if unknown:
        raise ActionError(
            f"Unknown obstacle categor{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)}. "
            f"Choose from: {', '.join(CATEGORIES)}."
        )
    if not given:
        raise ActionError(f"Say which obstacle the action addresses (at least one of: {', '.join(CATEGORIES)}).")
    return [c for c in CATEGORIES if c in given]


def clean_status(value: str) -> str:
    status = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if status not in STATUSES:
        raise ActionError(f"Status '{value}' is not known: use one of {', '.join(STATUSES)}.")
    return status


def _clean_links(values: Iterable[str], what: str) -> list[str]:
    out: list[str] = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        if len(text) > MAX_LINK_LENGTH:
            raise ActionError(f"A {what} is longer than {MAX_LINK_LENGTH} characters: '{text[:40]}…'.")
        if text not in out:
            out.append(text)
    if len(out) > MAX_LINKS:
        raise ActionError(f"An action links to at most {MAX_LINKS} {what}s ({len(out)} given).")
    return out


def clean_provision_ids(values: Iterable[str]) -> list[str]:
    """Provision ids that exist in the stored agreements ("tota-449:..."), each once, in the order given."""
    ids = _clean_links(values, "provision id")
    if not ids:
        return ids
    from msmelens.agreements import selectors as agreements

    found = set(agreements.provision_list().filter(provision_id__in=ids).values_list("provision_id", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ActionError(
            f"No stored agreement has the provision{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
            "Copy the id from the provision on its agreement's page (it looks like tota-449:art-3)."
        )
    return ids


def clean_practice_refs(values: Iterable[str]) -> list[str]:
    """Practice references: free ids or URLs for now (the practice library is not built yet)."""
    return _clean_links(values, "practice reference")


def _clean_text(value: str, what: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ActionError(f"The action needs a {what}.")
    if len(text) > limit:
        raise ActionError(f"The {what} is longer than {limit} characters.")
    return text


def _clean_dates(started_on: dt.date, completed_on: dt.date | None) -> None:
    if not isinstance(started_on, dt.date):
        raise ActionError("The action needs the date it started (YYYY-MM-DD).")
    if completed_on is not None and completed_on < started_on:
        raise ActionError(f"The action cannot be completed ({completed_on}) before it started ({started_on}).")


def _who(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return str(user.get_username())


def _history_entry(user: Any, what: str, fields: Sequence[str]) -> dict[str, Any]:
    return {"at": timezone.now().isoformat(), "by": _who(user), "what": what, "fields": list(fields)}


def _key(categories: Sequence[str]) -> str:
    return "|" + "|".join(categories) + "|"


# --- services ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_action(
    *,
    survey: Survey,
    country: str,
    categories: Iterable[str],
    title: str,
    responsible: str,
    started_on: dt.date,
    description: str = "",
    completed_on: dt.date | None = None,
    status: str = PolicyAction.PLANNED,
    practice_refs: Iterable[str] = (),
    provision_ids: Iterable[str] = (),
    recorded_by: Any = None,
) -> PolicyAction:
    """Record a new policy action. Raises :class:`ActionError` with a plain message for anything unusable."""
    cats = clean_categories(categories)
    _clean_dates(started_on, completed_on)
    now = timezone.now()
    action = PolicyAction(
        survey=survey,
        country=clean_country(country),
        categories=cats,
        categories_key=_key(cats),
        title=_clean_text(title, "title", 300),
        description=_clean_text(description, "description", 10_000, required=False),
        responsible=_clean_text(responsible, "responsible body (who)", 300),
        started_on=started_on,
        completed_on=completed_on,
        status=clean_status(status),
        practice_refs=clean_practice_refs(practice_refs),
        provision_ids=clean_provision_ids(provision_ids),
        recorded_by=recorded_by if _who(recorded_by) else None,
        history=[_history_entry(recorded_by, "created", [])],
        created_at=now,
        updated_at=now,
    )
    action.save()
    return action


_CLEANERS: dict[str, Any] = {
    "country": clean_country,
    "categories": clean_categories,
    "title": lambda v: _clean_text(v, "title", 300),
    "description": lambda v: _clean_text(v, "description", 10_000, required=False),
    "responsible": lambda v: _clean_text(v, "responsible body (who)", 300),
    "status": clean_status,
    "practice_refs": clean_practice_refs,
    "provision_ids": clean_provision_ids,
}


@transaction.atomic
def update_action(*, action: PolicyAction, changes: Mapping[str, Any], changed_by: Any = None) -> PolicyAction:
    """Change some fields of an action (keys of :data:`EDITABLE`); the history records which changed, by whom
    and when. Fields given with their current value are not counted as changed."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ActionError(f"These fields of an action cannot be changed: {', '.join(unknown)}.")
    action = PolicyAction.objects.select_for_update().get(pk=action.pk)
    changed: list[str] = []
    for name in EDITABLE:
        if name not in changes:
            continue
        value = changes[name]
        if name in _CLEANERS:
            value = _CLEANERS[name](value)
        if getattr(action, name) != value:
            setattr(action, name, value)
            changed.append(name)
    _clean_dates(action.started_on, action.completed_on)
    if not changed:
        return action
    action.categories_key = _key(action.categories)
    action.updated_at = timezone.now()
    action.history = [*action.history, _history_entry(changed_by, "changed", changed)]
    action.save()
    return action


def set_action_status(
    *, action: PolicyAction, status: str, changed_by: Any = None, completed_on: dt.date | None = None
) -> PolicyAction:
    """Move an action to another status. ``done`` without a completion date is completed today."""
    status = clean_status(status)
    changes: dict[str, Any] = {"status": status}
    if completed_on is not None:
        changes["completed_on"] = completed_on
    elif status == PolicyAction.DONE and action.completed_on is None:
        changes["completed_on"] = max(timezone.localdate(), action.started_on)
    return update_action(action=action, changes=changes, changed_by=changed_by)


# --- selectors --------------------------------------------------------------------------------------------


def get_action(pk: int) -> PolicyAction | None:
    return PolicyAction.objects.select_related("survey").filter(pk=pk).first()


def list_actions(
    *,
    survey: Survey | None = None,
    country: str | None = None,
    category: str | None = None,
    statuses: Sequence[str] | None = None,
) -> QuerySet[PolicyAction]:
    """Actions, newest start first within each country; filtered by survey, country, category and status."""
    qs = PolicyAction.objects.select_related("survey")
    if survey is not None:
        qs = qs.filter(survey=survey)
    if country:
        qs = qs.filter(country=country.strip().upper())
    if category:
        qs = qs.filter(categories_key__contains=f"|{category}|")
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return qs.order_by("country", "-started_on", "-id")


def actions_by_category(survey: Survey, country: str) -> dict[str, list[PolicyAction]]:
    """A country's actions under each category they address (an action addressing two appears under both);
    every category is a key, in the taxonomy's order."""
    out: dict[str, list[PolicyAction]] = {c: [] for c in CATEGORIES}
    for action in list_actions(survey=survey, country=country):
        for category in action.categories:
            if category in out:
                out[category].append(action)
    return out


def provision_agreements(provision_ids: Iterable[str]) -> dict[str, str]:
    """Provision id → lens id of its agreement, for linking to the agreement's page (unknown ids left out)."""
    ids = list(dict.fromkeys(provision_ids))
    if not ids:
        return {}
    from msmelens.agreements import selectors as agreements

    rows = agreements.provision_list().filter(provision_id__in=ids).values_list("provision_id", "agreement__lens_id")
    return dict(rows)


def countries_with_actions(survey: Survey) -> dict[str, int]:
    """ISO3 code → number of actions recorded for the country in this survey."""
    counts: dict[str, int] = {}
    for code in PolicyAction.objects.filter(survey=survey).values_list("country", flat=True):
        counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))
