""""You said, we did": the public page per country, its index, and the private follow-up page for firms.

The views validate the address, read published results through ``msmelens.feedback.results`` (disclosure
control already applied: only ``to_dict()`` of its cells is used, so a suppressed cell has no figure to
show), actions through ``msmelens.feedback.actions`` and render. Server-rendered, no JavaScript; the small
bar charts are inline SVG made here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from msmelens.countries.names import country_name
from msmelens.feedback import actions, followup, results, selectors
from msmelens.feedback.access import request_language
from msmelens.feedback.models import PolicyAction, Survey
from msmelens.feedback.result_types import (
    CLEARLY_DOWN,
    CLEARLY_UP,
    FLAGGED,
    SHOWN,
    SUPPRESSED,
)
from msmelens.lens.taxonomy import CATEGORIES

PUBLISHED = (SHOWN, FLAGGED)


def _survey_or_404(slug: str) -> Survey:
    survey = selectors.get_survey(slug)
    if survey is None or not survey.is_active:
        raise Http404
    return survey


def _title(survey: Survey, language: str) -> str:
    return selectors.form_spec(selectors.current_form(survey)).title_in(language) or survey.title


def _status_labels() -> dict[str, str]:
    return {
        PolicyAction.PLANNED: _("Planned"),
        PolicyAction.IN_PROGRESS: _("In progress"),
        PolicyAction.DONE: _("Done"),
        PolicyAction.DROPPED: _("Dropped"),
    }


def _choice_label(survey: Survey, question: str, value: str, language: str) -> str:
    """A choice's label in the page's language, from the survey's current form (the value if none)."""
    spec = selectors.form_spec(selectors.current_form(survey))
    q = spec.by_name.get(question)
    for choice in q.choices if q is not None else []:
        if choice.name == value:
            return spec.text(choice.label, language) or value
    return value


def share_bar(cell: dict[str, Any]) -> SafeString:
    """A 0–100% bar with its 95% interval, for a published cell (empty for a suppressed one)."""
    share, ci = cell.get("share_major"), cell.get("ci")
    if cell.get("status") not in PUBLISHED or share is None:
        return SafeString("")
    width, height = 160, 14
    x = round(share * width, 1)
    parts = [
        format_html('<rect x="0" y="3" width="{}" height="8" fill="#eef2f6"/>', width),
        format_html('<rect x="0" y="3" width="{}" height="8" fill="#1f5f8b"/>', x),
    ]
    if ci is not None:
        lo, hi = round(ci[0] * width, 1), round(ci[1] * width, 1)
        parts.append(format_html('<line x1="{}" x2="{}" y1="7" y2="7" stroke="#d08c2f" stroke-width="2"/>', lo, hi))
        parts.append(format_html('<line x1="{}" x2="{}" y1="1" y2="13" stroke="#d08c2f" stroke-width="2"/>', lo, lo))
        parts.append(format_html('<line x1="{}" x2="{}" y1="1" y2="13" stroke="#d08c2f" stroke-width="2"/>', hi, hi))
    return format_html(
        '<svg class="share-bar" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}">{body}'
        "</svg>",
        w=width, h=height, label=_("%(share)s of firms") % {"share": f"{share * 100:.0f}%"},
        body=SafeString("".join(parts)),
    )


def _change_text(change: dict[str, Any] | None) -> str:
    if change is None:
        return ""
    if change["status"] == SUPPRESSED or change["direction"] is None:
        return _("Not enough answers to compare with %(wave)s.") % {"wave": change["from_wave"]}
    if change["direction"] == CLEARLY_UP:
        return _("More firms find this a major obstacle than in %(wave)s.") % {"wave": change["from_wave"]}
    if change["direction"] == CLEARLY_DOWN:
        return _("Fewer firms find this a major obstacle than in %(wave)s.") % {"wave": change["from_wave"]}
    return _("No clear change since %(wave)s.") % {"wave": change["from_wave"]}


def _cells_for(table: Any, group: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The published form (``to_dict()``) of each category's cell for exactly this group."""
    return {c.category: c.to_dict() for c in table.cells if c.group == group}


def _biggest_for(table: Any, group: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {c.answer: c.to_dict() for c in table.biggest if c.group == group}


def _published_share(cell: dict[str, Any] | None) -> dict[str, Any] | None:
    """A published, non-zero share of firms naming the category their biggest obstacle (else nothing)."""
    if cell is None or cell["status"] not in PUBLISHED or not cell.get("share"):
        return None
    return cell


def _ranked(cells: dict[str, dict[str, Any]]) -> list[str]:
    """Categories with a published share first, highest share first; then the others in taxonomy order."""
    shown = [k for k in CATEGORIES if k in cells and cells[k]["status"] in PUBLISHED
             and cells[k]["share_major"] is not None]
    shown.sort(key=lambda k: -float(cells[k]["share_major"]))
    return shown + [k for k in CATEGORIES if k not in shown]


def _last_two_waves(survey: Survey) -> tuple[str, str] | None:
    names = [w.name for w in selectors.waves(survey)]
    return (names[-2], names[-1]) if len(names) >= 2 else None


def _changes_for(survey: Survey, by: Sequence[str], group: dict[str, str]) -> dict[str, dict[str, Any]]:
    pair = _last_two_waves(survey)
    if pair is None:
        return {}
    try:
        changes = results.wave_changes(survey=survey, by=list(by), from_wave=pair[0], to_wave=pair[1])
    except results.ResultsError:  # e.g. a wave without usable answers: show no change rather than fail
        return {}
    return {c.category: c.to_dict() for c in changes if c.group == group}


def _action_items(items: list[PolicyAction]) -> list[dict[str, Any]]:
    labels = _status_labels()
    lens_ids = actions.provision_agreements(pid for action in items for pid in action.provision_ids)
    out = []
    for action in items:
        out.append({
            "title": action.title,
            "description": action.description,
            "responsible": action.responsible,
            "status": action.status,
            "status_label": labels.get(action.status, action.status),
            "started_on": action.started_on,
            "completed_on": action.completed_on,
            "provisions": [{"id": pid, "lens_id": lens_ids.get(pid, "")} for pid in action.provision_ids],
            "practices": [
                {"ref": ref, "url": ref if ref.startswith(("https://", "http://")) else ""}
                for ref in action.practice_refs
            ],
        })
    return out


def country_context(survey: Survey, iso3: str) -> dict[str, Any]:
    """Everything the country view shows: each obstacle's published figures (highest first), the change since
    the previous wave, and the actions taken on it."""
    group = {"country": iso3}
    table = results.survey_results(survey=survey, by=["country"])
    cells = _cells_for(table, group)
    biggest = _biggest_for(table, group)
    changes = _changes_for(survey, ["country"], group)
    by_category = actions.actions_by_category(survey, iso3)
    rows = []
    for key in _ranked(cells):
        cell = cells.get(key)
        acts = _action_items(by_category.get(key, []))
        if cell is None and not acts:
            continue
        rows.append({
            "key": key,
            "cell": cell,
            "published": cell is not None and cell["status"] in PUBLISHED,
            "bar": share_bar(cell) if cell is not None else SafeString(""),
            "biggest": _published_share(biggest.get(key)),
            "change": _change_text(changes.get(key)),
            "actions": acts,
        })
    return {
        "rows": rows,
        "weighted": table.weighted,
        "wave": table.wave,
        "waves": _last_two_waves(survey),
        "has_results": any(r["published"] for r in rows),
        "notes": table.notes,
    }


def _country_or_404(iso3: str) -> str:
    try:
        return actions.clean_country(iso3)
    except actions.ActionError:
        raise Http404 from None


@require_http_methods(["GET", "HEAD"])
def country_actions(request: HttpRequest, slug: str, iso3: str) -> HttpResponse:
    """/surveys/<slug>/you-said-we-did/<ISO3>/: what the country's firms said, and what was done."""
    survey = _survey_or_404(slug)
    code = _country_or_404(iso3)
    language = request_language(request)
    context = {
        "survey": survey,
        "survey_title": _title(survey, language),
        "iso3": code,
        "name": country_name(code, language),
        "status_labels": _status_labels(),
        **country_context(survey, code),
    }
    return render(request, "feedback/actions/country.html", context)


@require_http_methods(["GET", "HEAD"])
def actions_index(request: HttpRequest, slug: str) -> HttpResponse:
    """/surveys/<slug>/you-said-we-did/: countries with published results or recorded actions."""
    survey = _survey_or_404(slug)
    language = request_language(request)
    table = results.survey_results(survey=survey, by=["country"])
    with_results = {c.group.get("country", "") for c in table.cells if c.status in PUBLISHED}
    counts = actions.countries_with_actions(survey)
    codes = sorted(with_results.union(counts) - {""}, key=lambda c: country_name(c, language))
    items = [
        {"iso3": c, "name": country_name(c, language), "actions": counts.get(c, 0), "results": c in with_results}
        for c in codes
    ]
    return render(request, "feedback/actions/index.html",
                  {"survey": survey, "survey_title": _title(survey, language), "items": items})


@require_http_methods(["GET", "HEAD"])
def followup_page(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """/surveys/<slug>/followup/<token>/: the country view plus the sector's published figures, for a firm
    that asked to hear back. The token names survey, country and sector only; a bad one is a 404."""
    try:
        target = followup.read_token(token)
    except followup.BadToken:
        raise Http404 from None
    if target.survey != slug:
        raise Http404
    survey = _survey_or_404(slug)
    code = _country_or_404(target.country)
    language = request_language(request)
    context: dict[str, Any] = {
        "survey": survey,
        "survey_title": _title(survey, language),
        "iso3": code,
        "name": country_name(code, language),
        "status_labels": _status_labels(),
        "private": True,
        **country_context(survey, code),
    }
    sector_rows: list[dict[str, Any]] = []
    if target.sector:
        group = {"country": code, "sector": target.sector}
        cells = _cells_for(results.survey_results(survey=survey, by=["country", "sector"]), group)
        changes = _changes_for(survey, ["country", "sector"], group)
        for key in _ranked(cells):
            cell = cells.get(key)
            if cell is None:
                continue
            sector_rows.append({
                "key": key, "cell": cell, "published": cell["status"] in PUBLISHED, "bar": share_bar(cell),
                "change": _change_text(changes.get(key)),
            })
    context["sector"] = target.sector
    context["sector_name"] = _choice_label(survey, "sector", target.sector, language) if target.sector else ""
    context["sector_rows"] = sector_rows
    response = render(request, "feedback/actions/country.html", context)
    # a private link: keep it out of search engines, shared caches and other sites' referrer logs
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
