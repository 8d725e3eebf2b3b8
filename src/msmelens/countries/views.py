"""Country pages: the list of parties, and one country's agreements with a category × agreement heatmap."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from msmelens.agreements import selectors as agreement_selectors
from msmelens.agreements.labels import category_label
from msmelens.countries import selectors
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices import selectors as practice_selectors
from msmelens.practices.brief import practice_item
from msmelens.practices.brief_views import practice_url
from msmelens.web import charts
from msmelens.wto.views import country_section as wto_country_section


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def practice_timeline(iso3: str, language: str) -> dict[str, Any]:
    """The country's published practices for the timeline: oldest first, each with its years and the offset
    and width (in % of the span from the earliest start to this year) of its bar; ongoing ones run to this
    year and are marked open-ended; a record without a start year gets no bar."""
    this_year = dt.date.today().year
    items = [
        practice_item(p, language)
        for p in practice_selectors.practices_for_country(iso3)
        if getattr(p, "status", "published") == "published"
    ]
    items.sort(key=lambda p: (p.start_year is None, p.start_year or 0, p.title.casefold(), p.slug))
    starts = [p.start_year for p in items if p.start_year]
    first = min(starts, default=this_year)
    last = max([this_year, *[p.end_year or 0 for p in items], *starts])
    span = max(1, last - first + 1)
    rows = []
    for p in items:
        bar = None
        if p.start_year:
            end = p.end_year or last
            bar = {
                "left": round(100 * (p.start_year - first) / span, 2),
                "width": round(max(1.5, 100 * (max(end, p.start_year) - p.start_year + 1) / span), 2),
                "open": p.end_year is None,
            }
        rows.append({"practice": p, "url": practice_url(p.slug), "bar": bar})
    return {"rows": rows, "first": first, "last": last}


def country_list(request: HttpRequest) -> HttpResponse:
    countries = selectors.country_list(language=_lang())
    return render(request, "msmelens/country_list.html", {"countries": countries})


def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    code = iso3.upper()
    if len(code) > 8 or not code.replace("-", "").isalnum():
        raise Http404(_("No country with the code “%(code)s”.") % {"code": iso3})
    try:
        detail = selectors.country_detail(iso3=code, language=_lang())
    except agreement_selectors.AgreementNotFound:
        detail = None
    agreements = list(_get(detail, "agreements", None) or []) if detail is not None else []
    if detail is None or not agreements:
        raise Http404(_("No stored agreement has “%(code)s” as a party.") % {"code": iso3})
    rows = []
    for item in agreements:
        agreement = _get(item, "agreement", item)
        profile = _get(item, "profile", None) or _get(agreement, "profile", {}) or {}
        coverage = profile.get("coverage") or {}
        rows.append(
            {
                "agreement_id": _get(agreement, "lens_id"),
                "name": _get(agreement, "name"),
                "year": _get(agreement, "year_signed"),
                "coverage_overall": profile.get("coverage_overall", 0.0),
                "n_explicit": (profile.get("relevance_counts") or {}).get("explicit", 0),
                "values": [coverage.get(c, 0.0) for c in CATEGORIES],
            }
        )
    name = _get(detail, "name", code)
    chart = charts.heatmap(
        [f"{r['name']} ({r['year'] or '—'})" for r in rows],
        [category_label(c) for c in CATEGORIES],
        [r["values"] for r in rows],
        title=_("MSME coverage of %(country)s's agreements by category") % {"country": name},
        desc=_(
            "One row per agreement, one column per obstacle category; the darker the cell, the more "
            "strongly the agreement covers that category. The table below gives the same figures."
        ),
        row_links=[reverse("agreement_detail", args=[r["agreement_id"]]) for r in rows],
    )
    context = {
        "iso3": code,
        "name": name,
        "rows": rows,
        "category_labels": [category_label(c) for c in CATEGORIES],
        "chart": mark_safe(chart),
        "timeline": practice_timeline(code, _lang()),
        "wto": wto_country_section(code),
    }
    return render(request, "msmelens/country_detail.html", context)
