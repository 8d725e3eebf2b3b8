"""The published results pages: /surveys/<slug>/results/ and /surveys/<slug>/results/<ISO3>/ (and /fr/, /es/).

The views read the query (``wave``, ``by``, ``synthetic``, ``from``, ``to``), call ``results.survey_results``
and ``results.wave_changes``, and render. Every figure on the page comes from those functions' objects through
their ``to_dict()``, which nulls the figures of a suppressed cell: nothing here computes from responses, so
nothing here can publish what disclosure control held back. Charts are SVG built on the server
(``results_charts``), each with its figures in a ``<details>`` table that opens without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from msmelens.agreements.labels import category_label
from msmelens.countries.names import country_name, is_known
from msmelens.feedback import access, results, selectors
from msmelens.feedback import results_charts as charts
from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.models import Survey
from msmelens.feedback.result_types import (
    CLEARLY_DOWN,
    CLEARLY_UP,
    DIMENSIONS,
    FLAGGED,
    NO_CLEAR_CHANGE,
    SUPPRESSED,
)
from msmelens.lens.taxonomy import CATEGORIES

DIMENSION_LABELS = {
    "country": gettext_lazy("Country"),
    "sector": gettext_lazy("Sector"),
    "size_class": gettext_lazy("Size class"),
    "owner_gender": gettext_lazy("Owner's gender"),
    "exporter": gettext_lazy("Exporter"),
    "location": gettext_lazy("Location"),
    "wave": gettext_lazy("Wave"),
}
assert set(DIMENSION_LABELS) == set(DIMENSIONS)

SIZE_LABELS = {
    "micro": gettext_lazy("Micro (0–9 employees)"),
    "small": gettext_lazy("Small (10–49 employees)"),
    "medium": gettext_lazy("Medium (50–249 employees)"),
    "large": gettext_lazy("Large (250+ employees)"),
}

WEIGHTING_LABELS = {
    "unweighted": gettext_lazy("Unweighted: no sampling design is known, so every response counts once."),
    "poststratification": gettext_lazy(
        "Weighted to known numbers of firms in each group (post-stratification)."
    ),
    "raking": gettext_lazy("Weighted to known shares of firms by characteristic (raking)."),
    "mixed": gettext_lazy("Weighted differently from one wave to another (post-stratification, raking or none)."),
}

DIRECTION_LABELS = {
    CLEARLY_UP: gettext_lazy("clearly up"),
    CLEARLY_DOWN: gettext_lazy("clearly down"),
    NO_CLEAR_CHANGE: gettext_lazy("no clear change"),
}


# the plain-English reasons of ``disclosure.REASONS``, in the page's language (an unknown reason is not shown)
REASON_LABELS = {
    "fewer than 5 respondents": gettext_lazy("fewer than 5 answers"),
    "too few respondents once weighted (effective sample size under 30)": gettext_lazy(
        "too few answers once weighted (effective sample size under 30)"
    ),
    "too uncertain: the 95% interval is 30 percentage points wide or more": gettext_lazy(
        "too uncertain: the interval is 30 points wide or more"
    ),
    "too uncertain: the 95% interval is wider than 130% of the estimate": gettext_lazy(
        "too uncertain: the interval is wide compared with the figure"
    ),
    "interpret with caution: the 95% interval is wide compared with the share not in the figure": gettext_lazy(
        "the interval is wide compared with the rest of the firms"
    ),
    "interpret with caution: fewer than 8 degrees of freedom": gettext_lazy("fewer than 8 degrees of freedom"),
    "interpret with caution: the estimate is 0% or 100%": gettext_lazy("the figure is 0% or 100%"),
    "suppressed so that the suppressed cell cannot be worked out from the others": gettext_lazy(
        "hidden so that another hidden figure cannot be worked out"
    ),
}


class _BadRequest(Exception):
    """A request the page cannot answer: shown as a plain message with its status (400 or 404)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Query:
    wave: str | None
    by: str | None
    synthetic: bool
    from_wave: str | None
    to_wave: str | None


def _status_label(status: str) -> str:
    if status == SUPPRESSED:
        return _("Not shown (too few answers)")
    if status == FLAGGED:
        return _("Shown: interpret with caution")
    return _("Shown")


def _choice_labels(spec: FormSpec, name: str, language: str) -> dict[str, str]:
    question = spec.by_name.get(name)
    if question is None:
        return {}
    return {c.name: spec.text(c.label, language) or c.name for c in question.choices}


class Labels:
    """Translated names for the values of each dimension: countries from their ISO codes, size classes
    from their definitions, the rest from the form's own choice labels in the page's language."""

    def __init__(self, spec: FormSpec, language: str) -> None:
        self.spec, self.language = spec, language
        self._choices: dict[str, dict[str, str]] = {}

    def value(self, dimension: str, value: str) -> str:
        if value in ("", None):
            return _("Not answered")
        if dimension == "country":
            return country_name(value, self.language)
        if dimension == "size_class" and value in SIZE_LABELS:
            return str(SIZE_LABELS[value])
        if dimension == "wave":
            return value
        if dimension not in self._choices:
            self._choices[dimension] = _choice_labels(self.spec, dimension, self.language)
        return self._choices[dimension].get(value, value)


def _query(request: HttpRequest, survey: Survey, *, allowed: Sequence[str]) -> Query:
    """Read and check the query string; unknown dimensions are a bad request, unknown waves are not found."""
    by = request.GET.get("by", "").strip() or None
    if by is not None and by not in allowed:
        names = ", ".join(allowed)
        raise _BadRequest(
            400,
            _("Results cannot be broken down by “%(by)s”. Choose one of: %(names)s.") % {"by": by, "names": names},
        )
    wave_names = [w.name for w in selectors.waves(survey)]
    values: dict[str, str | None] = {}
    for key in ("wave", "from", "to"):
        name = request.GET.get(key, "").strip() or None
        if name is not None and name not in wave_names:
            raise _BadRequest(
                404,
                _("This survey has no wave called “%(name)s”. Pick a wave from the list on the results page.")
                % {"name": name},
            )
        values[key] = name
    if (values["from"] is None) != (values["to"] is None) or (values["from"] and values["from"] == values["to"]):
        raise _BadRequest(400, _("To compare waves, choose two different waves: one to compare from and one to."))
    return Query(
        wave=values["wave"],
        by=by,
        synthetic=request.GET.get("synthetic", "") in ("1", "on", "yes", "true"),
        from_wave=values["from"],
        to_wave=values["to"],
    )


def _in(group: dict[str, Any], fixed: dict[str, str]) -> bool:
    return all(group.get(k) == v for k, v in fixed.items())


def _figure_row(cell: dict[str, Any], label: str) -> dict[str, Any]:
    """A row of a "show the figures" table, from a published cell's dict (null figures when suppressed)."""
    ci = cell.get("ci")
    mean_ci = cell.get("mean_ci")
    return {
        "key": cell.get("category") or cell.get("answer") or "",
        "label": label,
        "status": cell["status"],
        "status_label": _status_label(cell["status"]),
        "reason": str(REASON_LABELS.get(cell.get("reason") or "", "")),
        "hidden": cell["status"] == SUPPRESSED,
        "share": cell.get("share_major", cell.get("share")),
        "low": ci[0] if ci else None,
        "high": ci[1] if ci else None,
        "mean": cell.get("mean_severity"),
        "mean_low": mean_ci[0] if mean_ci else None,
        "mean_high": mean_ci[1] if mean_ci else None,
        "n": cell.get("n"),
        "n_eff": cell.get("n_eff"),
    }


def _bar(row: dict[str, Any], link: str | None = None) -> charts.Bar:
    return charts.Bar(
        key=row["key"], label=row["label"], status=row["status"], value=row["share"], low=row["low"],
        high=row["high"], link=link,
    )


def _ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Published rows by share, highest first; suppressed ones last, in their original order."""
    shown = sorted((r for r in rows if not r["hidden"]), key=lambda r: -(r["share"] or 0.0))
    return shown + [r for r in rows if r["hidden"]]


def _category_rows(cells: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key = {c["category"]: c for c in cells}
    return [_figure_row(by_key[k], category_label(k)) for k in CATEGORIES if k in by_key]


def _biggest_rows(cells: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key = {c["answer"]: c for c in cells}
    order = [k for k in CATEGORIES if k in by_key] + sorted(k for k in by_key if k not in CATEGORIES)
    return [_figure_row(by_key[k], category_label(k)) for k in order]


def _url(name: str, args: Sequence[str], params: dict[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse(name, args=list(args)) + (f"?{query}" if query else "")


def _groups_section(
    survey: Survey,
    q: Query,
    fixed: dict[str, str],
    labels: Labels,
    keep: dict[str, str | None],
    wave_names: list[str],
) -> dict[str, Any]:
    """The breakdown by ``q.by``: one figures table per group, and a compact groups × categories grid."""
    assert q.by is not None
    table = results.survey_results(
        survey=survey, by=[*fixed, q.by], wave=q.wave, include_synthetic=q.synthetic
    ).to_dict()
    cells: dict[str, list[dict[str, Any]]] = {}
    for cell in table["cells"]:
        if _in(cell["group"], fixed):
            cells.setdefault(str(cell["group"].get(q.by, "")), []).append(cell)
    biggest: dict[str, list[dict[str, Any]]] = {}
    for cell in table["biggest_obstacle"]:
        if _in(cell["group"], fixed):
            biggest.setdefault(str(cell["group"].get(q.by, "")), []).append(cell)
    if q.by == "country":  # countries by their name in the page's language
        groups = sorted(cells, key=lambda v: labels.value("country", v).casefold())
    else:  # size classes from micro to large, waves in time order, others alphabetical
        groups = results.order_labels(q.by, set(cells), wave_names)
    items: list[dict[str, Any]] = []
    for value in groups:
        link = None
        if q.by == "country" and not fixed and is_known(value):
            link = _url("feedback:survey_results_country", [survey.slug, value], keep)
        rows = _category_rows(cells[value])
        items.append({
            "key": value,
            "label": labels.value(q.by, value),
            "link": link,
            "rows": rows,
            "biggest": _biggest_rows(biggest.get(value, [])),
            "any_shown": any(not r["hidden"] for r in rows),
        })
    col_labels = [category_label(k) for k in CATEGORIES]
    grid = []
    for item in items:
        by_key = {r["key"]: r for r in item["rows"]}
        grid.append([_bar(by_key[k]) if k in by_key else None for k in CATEGORIES])
    dimension = str(DIMENSION_LABELS[q.by]).lower()
    chart = charts.group_grid(
        [i["label"] for i in items],
        [i["key"] for i in items],
        col_labels,
        grid,
        title=_("Share of firms rating each obstacle major or very severe, by %(dimension)s")
        % {"dimension": dimension},
        desc=_(
            "One row per group, one column per obstacle; darker cells mean more firms rate it a major obstacle. "
            "Hatched cells are not shown because too few firms answered. The figures are in the table below."
        ),
        row_links=[i["link"] for i in items],
    )
    return {"dimension": dimension, "items": items, "chart": mark_safe(chart), "notes": table["notes"]}


def _changes_section(
    survey: Survey, q: Query, fixed: dict[str, str], wave_names: list[str]
) -> dict[str, Any] | None:
    """The change between two waves (the last two, or ``from``/``to``), when the survey has two or more."""
    if len(wave_names) < 2:
        return None
    from_wave, to_wave = (q.from_wave, q.to_wave) if q.from_wave and q.to_wave else (wave_names[-2], wave_names[-1])
    changes = [
        c.to_dict()
        for c in results.wave_changes(
            survey=survey, by=list(fixed), from_wave=from_wave, to_wave=to_wave, include_synthetic=q.synthetic
        )
    ]
    by_key = {c["category"]: c for c in changes if _in(c["group"], fixed)}
    rows = []
    for key in CATEGORIES:
        c = by_key.get(key)
        if c is None:
            continue
        ci = c.get("ci")
        direction = c.get("direction") or ""
        rows.append({
            "key": key,
            "label": category_label(key),
            "status": c["status"],
            "status_label": _status_label(c["status"]),
            "hidden": c["status"] == SUPPRESSED,
            "difference": c.get("difference"),
            "low": ci[0] if ci else None,
            "high": ci[1] if ci else None,
            "from_share": c.get("from_share"),
            "to_share": c.get("to_share"),
            "direction": direction,
            "difference_text": charts.points(c["difference"]) if c.get("difference") is not None else "",
            "low_text": charts.points(ci[0]) if ci else "",
            "high_text": charts.points(ci[1]) if ci else "",
            "direction_label": str(DIRECTION_LABELS.get(direction, "")),
        })
    bars = [
        charts.Bar(
            key=r["key"], label=r["label"], status=r["status"], value=r["difference"], low=r["low"],
            high=r["high"], note=r["direction_label"], tone=r["direction"],
        )
        for r in rows
    ]
    chart = charts.change_bars(
        bars,
        title=_("Change between %(from)s and %(to)s in the share of firms rating each obstacle major")
        % {"from": from_wave, "to": to_wave},
        desc=_(
            "For each obstacle, the change in percentage points with its %(level)s interval, and whether it is "
            "clearly up, clearly down or shows no clear change. The figures are in the table below."
        ) % {"level": "95%"},
    )
    return {"from": from_wave, "to": to_wave, "rows": rows, "chart": mark_safe(chart)}


def _page(request: HttpRequest, slug: str, iso3: str | None) -> HttpResponse:
    language = access.request_language(request)
    survey = selectors.get_survey(slug)
    if survey is None or not survey.is_active:
        return _error(request, 404, _("There is no survey at this address. See the list of surveys."), None)
    spec = selectors.form_spec(selectors.current_form(survey))
    title = spec.title_in(language) or survey.title
    labels = Labels(spec, language)
    fixed: dict[str, str] = {}
    country = None
    if iso3 is not None:
        code = iso3.strip().upper()
        if len(code) != 3 or not is_known(code):
            return _error(
                request, 404, _("“%(code)s” is not a country code we know. Country codes have three letters, "
                                 "like PER for Peru.") % {"code": iso3}, survey,
            )
        fixed = {"country": code}
        country = {"iso3": code, "name": country_name(code, language)}
    allowed = [d for d in DIMENSIONS if d not in fixed]
    try:
        q = _query(request, survey, allowed=allowed)
        wave_names = [w.name for w in selectors.waves(survey)]
        keep = {"wave": q.wave, "synthetic": "1" if q.synthetic else None}
        overall = results.survey_results(
            survey=survey, by=list(fixed), wave=q.wave, include_synthetic=q.synthetic
        ).to_dict()
        cells = [c for c in overall["cells"] if _in(c["group"], fixed)]
        rows = _category_rows(cells)
        biggest = _biggest_rows(c for c in overall["biggest_obstacle"] if _in(c["group"], fixed))
        groups = _groups_section(survey, q, fixed, labels, keep, wave_names) if q.by else None
        changes = _changes_section(survey, q, fixed, wave_names)
    except results.ResultsError as exc:
        return _error(request, 400, str(exc), survey)
    except _BadRequest as exc:
        return _error(request, exc.status, exc.message, survey)
    where = country["name"] if country else ""
    ranking = _ranked(rows)
    ranking_chart = charts.interval_bars(
        [_bar(r) for r in ranking],
        title=(_("Obstacles ranked by the share of firms in %(where)s rating them major or very severe")
               % {"where": where}) if where else
        _("Obstacles ranked by the share of firms rating them major or very severe"),
        desc=_(
            "One bar per obstacle, highest first, with its %(level)s interval as a line. Obstacles with too few "
            "answers are not shown. The figures are in the table below."
        ) % {"level": "95%"},
    )
    biggest_chart = charts.interval_bars(
        [_bar(r) for r in _ranked(biggest)],
        title=_("Share of firms naming each obstacle their biggest"),
        desc=_(
            "One bar per obstacle: the share of firms that named it their biggest obstacle, with its %(level)s "
            "interval. The figures are in the table below."
        ) % {"level": "95%"},
        css_class="biggest-bars",
    )
    base_args = [survey.slug, fixed["country"]] if fixed else [survey.slug]
    base_name = "feedback:survey_results_country" if fixed else "feedback:survey_results"
    context = {
        "survey": survey,
        "survey_title": title,
        "country": country,
        "query": q,
        "table": overall,
        "weighting_label": str(WEIGHTING_LABELS.get(overall["weighting"], overall["weighting"])),
        "wave_names": wave_names,
        "dimensions": [(d, str(DIMENSION_LABELS[d])) for d in allowed],
        "rows": rows,
        "ranked": ranking,
        "any_shown": any(not r["hidden"] for r in rows),
        "ranking_chart": mark_safe(ranking_chart),
        "biggest": biggest,
        "biggest_ranked": _ranked(biggest),
        "biggest_chart": mark_safe(biggest_chart),
        "groups": groups,
        "changes": changes,
        "action": reverse(base_name, args=base_args),
        "survey_results_url": _url("feedback:survey_results", [survey.slug], keep),
        "synthetic_toggle_url": _url(base_name, base_args, {
            "wave": q.wave, "by": q.by, "from": q.from_wave, "to": q.to_wave,
            "synthetic": None if q.synthetic else "1",
        }),
        "form_url": reverse("feedback:survey_form", args=[survey.slug]),
    }
    return render(request, "feedback/results/page.html", context)


def _error(request: HttpRequest, status: int, message: str, survey: Survey | None) -> HttpResponse:
    context = {
        "status": status,
        "message": message,
        "results_url": reverse("feedback:survey_results", args=[survey.slug]) if survey else None,
        "surveys_url": reverse("feedback:survey_list"),
    }
    return render(request, "feedback/results/error.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """A survey's published results: obstacle ranking, biggest obstacle, breakdown, change between waves."""
    return _page(request, slug, None)


@require_http_methods(["GET", "HEAD"])
def country_results(request: HttpRequest, slug: str, iso3: str) -> HttpResponse:
    """The same results for the firms of one country (and, with ``by``, broken down within it)."""
    return _page(request, slug, iso3)
