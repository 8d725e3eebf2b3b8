"""/practices: the practice library's JSON API (list with filters and search, one record, its versions).

Anonymous callers (and signed-in users who are neither contributors nor curators) see published records only;
an unpublished record answers 404 exactly like a missing one, so its existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Path, Query, Router

from msmelens.api import serialize
from msmelens.api.errors import ApiError
from msmelens.api.practice_schemas import PracticeDetail, PracticeFilters, PracticePage, SlugPath, VersionList
from msmelens.api.schemas import ErrorOut
from msmelens.practices import evidence, services
from msmelens.practices import selectors as practice_selectors
from msmelens.practices.records import REGIONS, region_of

router = Router(tags=["practices"])

ERRORS = {404: ErrorOut, 422: ErrorOut}


def _can_see_unpublished(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(getattr(user, "is_authenticated", False)) and services.is_contributor(user)


def _get(request: HttpRequest, slug: str) -> Any:
    practice = practice_selectors.practice_get(slug, include_unpublished=_can_see_unpublished(request))
    if practice is None:
        raise ApiError(
            404, "not_found",
            f"No published practice with id '{slug}' was found. The list is at /api/v1/practices.",
        )
    return practice


def _regions(countries: list[str]) -> list[str]:
    keys = {region_of(c) for c in countries}
    return [k for k in REGIONS if k in keys]


def _item(practice: Any) -> dict[str, Any]:
    countries = list(practice.countries or [])
    return {
        "id": practice.slug,
        "url": f"/api/v1/practices/{practice.slug}",
        "title": practice.title,
        "original_language": practice.original_language or "en",
        "countries": countries,
        "regions": _regions(countries),
        "scope": practice.scope,
        "start_year": practice.start_year,
        "end_year": practice.end_year,
        "instrument": practice.instrument,
        "obstacles": list(practice.obstacles or []),
        "target_groups": list(practice.target_groups or []),
        "evidence_level": practice.evidence_level,
        "status": practice.status,
        "version": practice.version,
    }


def _outcome(o: dict[str, Any]) -> dict[str, Any]:
    row = {key: o.get(key) for key in ("value", "unit", "baseline", "year", "design", "note")}
    return {"indicator": str(o.get("indicator") or ""), **row}


def _detail(practice: Any) -> dict[str, Any]:
    return {
        **_item(practice),
        "summary": practice.summary,
        "translations": {
            lang: {"title": t.get("title"), "summary": t.get("summary")}
            for lang, t in (practice.translations or {}).items()
            if isinstance(t, dict)
        },
        "implementer": practice.implementer,
        "outcomes": [_outcome(o) for o in practice.outcomes or [] if isinstance(o, dict)],
        "sources": [
            {key: s.get(key) for key in ("title", "publisher", "year", "url")}
            for s in practice.sources or [] if isinstance(s, dict)
        ],
        "verified": practice.verified,
        "evidence_explained": _english(evidence.explain, practice.evidence_level),
        "updated_at": practice.updated_at,
        "versions_url": f"/api/v1/practices/{practice.slug}/versions",
    }


def _english(function: Any, *args: Any) -> str:
    with translation.override("en"):
        return str(function(*args))


@router.get(
    "",
    response={200: PracticePage, 422: ErrorOut},
    url_name="practice_list",
    summary="List practices",
    description=(
        "Country experiences and programmes that help small firms trade, by title, filtered (country, UN M49 "
        "region, obstacle, instrument, target group, minimum evidence level, years running) and searched "
        "(`q`: every word must occur in the title, summary or implementer, in any language; accents and case "
        "ignored), one page at a time. Anonymous callers see published records only."
    ),
)
def list_practices(request: HttpRequest, filters: Query[PracticeFilters]) -> dict[str, Any]:
    params = filters.dict()
    limit, offset = params.pop("limit"), params.pop("offset")
    qs = practice_selectors.practice_list(**params, include_unpublished=_can_see_unpublished(request))
    count = qs.count()
    items = [_item(p) for p in qs[offset : offset + limit]]
    return serialize.page(request, count=count, limit=limit, offset=offset, items=items)


@router.get(
    "/{slug}",
    response={200: PracticeDetail, **ERRORS},
    url_name="practice_detail",
    summary="One practice",
    description=(
        "A record in full: summary and translations, implementer, outcomes (indicator, value, unit, baseline, "
        "year, design, note), evidence level on the Maryland scale with its meaning in plain words, and "
        "sources. 404 for an unknown id, and for an unpublished record when the caller may not see it."
    ),
)
def get_practice(request: HttpRequest, path: Path[SlugPath]) -> dict[str, Any]:
    return _detail(_get(request, path.slug))


@router.get(
    "/{slug}/versions",
    response={200: VersionList, **ERRORS},
    url_name="practice_versions",
    summary="A practice's versions",
    description=(
        "Every saved version of a record, newest first: its number, when it was saved, by whom (a username, "
        "or null for an import from the command line), why, and which fields changed from the version "
        "before (every field for the first version)."
    ),
)
def list_versions(request: HttpRequest, path: Path[SlugPath]) -> dict[str, Any]:
    practice = _get(request, path.slug)
    rows = practice_selectors.versions(practice)
    items = [
        {
            "number": v.number,
            "date": v.date,
            "user": v.user or None,
            "reason": v.reason,
            "changed_fields": list(v.changed_fields),
        }
        for v in rows
    ]
    return {"id": practice.slug, "count": len(items), "items": items}
