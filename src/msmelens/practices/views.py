"""The practice library's public pages: the list with filters and search, a record, and "what works".

Views validate the request, call selectors (practices, agreements, feedback results) and render. What a page
shows about agreements and survey results comes from those pillars' selectors and published results only.
Anonymous visitors (and signed-in users without curator rights) see published records only; an unpublished
record is a plain 404 for them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from msmelens.agreements import selectors as agreement_selectors
from msmelens.agreements.labels import category_label, relevance_label
from msmelens.agreements.search import fold
from msmelens.agreements.templatetags.msmelens_tags import provision_title
from msmelens.countries.names import country_name
from msmelens.feedback import results as feedback_results
from msmelens.feedback import selectors as feedback_selectors
from msmelens.feedback.result_types import FLAGGED, SHOWN
from msmelens.feedback.results_views import REASON_LABELS
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices import evidence, practice_charts, services
from msmelens.practices import selectors as practice_selectors
from msmelens.practices.labels import (
    instrument_label,
    region_label,
    scope_label,
    target_group_label,
)
from msmelens.practices.records import INSTRUMENTS, REGIONS, TARGET_GROUPS, region_of

PAGE_SIZE = 20
DEFAULT_SURVEY = "msme-trade-obstacles"
PUBLISHED_CELLS = (SHOWN, FLAGGED)
AGREEMENTS_PER_CATEGORY = 5  # the record page lists the agreements covering each obstacle most strongly
EXAMPLES_PER_AGREEMENT = 3

def regions_of(practice: Any) -> list[str]:
    """The UN M49 region keys of a record's countries, in the order of ``records.REGIONS``."""
    keys = {region_of(iso) for iso in practice.countries or []}
    return [k for k in REGIONS if k in keys]


def _lang() -> str:
    return (get_language() or "en").split("-")[0]


def can_see_unpublished(user: Any) -> bool:
    """Signed-in contributors and curators see drafts, proposals and withdrawn records (as on the versions
    pages); anonymous visitors and other users see published records only."""
    return bool(getattr(user, "is_authenticated", False)) and services.is_contributor(user)


class LibraryFilterForm(forms.Form):
    """The library's GET filters; every field is optional and an empty form lists everything."""

    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    obstacle = forms.ChoiceField(label=gettext_lazy("Obstacle"), required=False)
    instrument = forms.ChoiceField(label=gettext_lazy("Instrument"), required=False)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)
    evidence_min = forms.TypedChoiceField(
        label=gettext_lazy("Evidence level (at least)"), required=False, coerce=int, empty_value=None
    )
    year_from = forms.IntegerField(
        label=gettext_lazy("Running in or after (year)"), required=False, min_value=1900, max_value=2100
    )
    year_to = forms.IntegerField(
        label=gettext_lazy("Running in or before (year)"), required=False, min_value=1900, max_value=2100
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], regions: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + countries
        self.fields["region"].choices = [("", _("Any region"))] + regions
        self.fields["obstacle"].choices = [("", _("Any obstacle"))] + [(c, category_label(c)) for c in CATEGORIES]
        self.fields["instrument"].choices = [("", _("Any instrument"))] + [
            (i, instrument_label(i)) for i in INSTRUMENTS
        ]
        self.fields["target_group"].choices = [("", _("Any target group"))] + [
            (g, target_group_label(g)) for g in TARGET_GROUPS
        ]
        self.fields["evidence_min"].choices = [("", _("Any level"))] + [
            (str(n), evidence.level_name(n)) for n in (1, 2, 3, 4, 5)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        lo, hi = data.get("year_from"), data.get("year_to")
        if lo and hi and lo > hi:
            raise forms.ValidationError(_("The first year must not be after the last year."))
        return data


def _original_language_name(code: str, language: str) -> str:
    """The name of language ``code`` in the page's language ("English", "anglais", "inglés")."""
    try:
        name = str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name if language == "en" else name.lower()


def practice_item(practice: Any, language: str) -> dict[str, Any]:
    """What a list shows of one record: its title in ``language`` (or the original, marked), countries,
    years, instrument, obstacles and evidence level."""
    title, summary, is_translated = practice_selectors.display_text(practice, language)
    original = getattr(practice, "original_language", "en") or "en"
    return {
        "slug": practice.slug,
        "title": title,
        "summary": summary,
        "shown_in_original": not is_translated and original != language,
        "original_language": original,
        "original_language_name": _original_language_name(original, language),
        "countries": [(iso, country_name(iso, language)) for iso in practice.countries or []],
        "scope": scope_label(practice.scope),
        "start_year": practice.start_year,
        "end_year": practice.end_year,
        "instrument": instrument_label(practice.instrument),
        "obstacles": [(c, category_label(c)) for c in practice.obstacles or []],
        "target_groups": [target_group_label(g) for g in practice.target_groups or []],
        "evidence_level": practice.evidence_level,
        "evidence_name": evidence.level_name(practice.evidence_level),
        "status": practice.status,
        "verified": practice.verified,
    }


def _filter_choices(language: str) -> dict[str, list[tuple[str, str]]]:
    """Countries (by name in ``language``) and regions that have published records."""
    fc = practice_selectors.filter_choices()
    countries = sorted(
        ((iso, country_name(iso, language)) for iso in fc["countries"]), key=lambda p: (fold(p[1]), p[0])
    )
    return {"countries": countries, "regions": [(key, str(label)) for key, label in fc["regions"]]}


@require_http_methods(["GET", "HEAD"])
def practice_list(request: HttpRequest) -> HttpResponse:
    """/practices/: the library, filtered and searched through GET parameters, a page at a time."""
    language = _lang()
    form = LibraryFilterForm(request.GET or None, **_filter_choices(language))
    status = 200
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    elif form.is_bound:
        status = 400
    practices: Any = []
    if status == 200:
        practices = practice_selectors.practice_list(
            country=filters.get("country"),
            region=filters.get("region"),
            obstacle=filters.get("obstacle"),
            instrument=filters.get("instrument"),
            target_group=filters.get("target_group"),
            evidence_min=filters.get("evidence_min"),
            evidence=None,
            year_from=filters.get("year_from"),
            year_to=filters.get("year_to"),
            q=filters.get("q"),
            include_unpublished=can_see_unpublished(request.user),
        )
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "items": [practice_item(p, language) for p in page.object_list],
        "n_filters": len(filters),
    }
    return render(request, "practices/library.html", context, status=status)


def get_visible(request: HttpRequest, slug: str) -> Any:
    """The record with this slug if the visitor may see it, else a 404 with a plain message."""
    practice = practice_selectors.practice_get(slug, include_unpublished=can_see_unpublished(request.user))
    if practice is None:
        raise Http404(_("No published practice with the identifier “%(slug)s”.") % {"slug": slug})
    return practice


def _versions_url(slug: str) -> str:
    try:
        return reverse("practices:versions", args=[slug])
    except NoReverseMatch:
        return reverse("practices:practice_detail", args=[slug]) + "versions/"


def _outcome_charts(outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for series in practice_charts.outcome_series(outcomes):
        unit = f" ({series.unit})" if series.unit else ""
        svg = practice_charts.outcome_chart(
            series,
            title=f"{series.indicator}{unit}",
            desc=_("One column per year; the table under the chart gives the same figures."),
        )
        out.append({"series": series, "svg": mark_safe(svg)})  # noqa: S308 - built from escaped text
    return out


@require_http_methods(["GET", "HEAD"])
def practice_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """/practices/<slug>/: the record, its outcomes (table, chart over the years), sources, evidence in plain
    words, related agreement provisions and the reported obstacle before and after it started."""
    practice = get_visible(request, slug)
    language = _lang()
    item = practice_item(practice, language)
    countries = list(practice.countries or [])
    obstacles = [c for c in practice.obstacles or [] if c in CATEGORIES]
    context = {
        "practice": practice,
        "item": item,
        "outcomes": [o for o in practice.outcomes or [] if isinstance(o, dict)],
        "outcome_charts": _outcome_charts(list(practice.outcomes or [])),
        "sources": [s for s in practice.sources or [] if isinstance(s, dict)],
        "evidence_explained": evidence.explain(practice.evidence_level),
        "provisions": related_provisions(countries=countries, categories=obstacles),
        "before_after": before_after(
            countries=countries, categories=obstacles, start_year=practice.start_year
        ),
        "versions_url": _versions_url(practice.slug),
        "regions": [region_label(k) for k in regions_of(practice)],
    }
    return render(request, "practices/detail.html", context)


def _category_or_404(category: str) -> str:
    if category not in CATEGORIES:
        raise Http404(_("“%(key)s” is not one of the eight obstacle categories.") % {"key": category})
    return category


@require_http_methods(["GET", "HEAD"])
def what_works_index(request: HttpRequest) -> HttpResponse:
    """/what-works/: the eight obstacle categories with the number of published records and how many of them
    are evaluated at level 3 or above."""
    rows = []
    for key in CATEGORIES:
        records = list(practice_selectors.practices_for_category(key))
        strong = sum(1 for p in records if (p.evidence_level or 0) >= evidence.STRONG_LEVEL)
        rows.append({"key": key, "label": category_label(key), "n": len(records), "strong": strong})
    return render(request, "practices/what_works_index.html", {"rows": rows})


@require_http_methods(["GET", "HEAD"])
def what_works(request: HttpRequest, category: str) -> HttpResponse:
    """/what-works/<category>/: records addressing the obstacle, ranked (see ``evidence``), counts by evidence
    level (chart and table), and the gaps: instruments and regions without an evaluation at level 3+."""
    key = _category_or_404(category)
    language = _lang()
    ranked = evidence.rank(practice_selectors.practices_for_category(key))
    counts = evidence.counts_by_level(ranked)
    labels = [evidence.level_name(level) for level, _n in counts]
    chart = practice_charts.level_chart(
        labels,
        [n for _level, n in counts],
        title=_("Records by evidence level"),
        desc=_("One bar per evidence level, strongest first; the table next to the chart gives the same counts."),
    )
    found = evidence.gaps(ranked, regions_of=regions_of, all_regions=list(REGIONS))
    items = []
    for p in ranked:
        item = practice_item(p, language)
        item["quantified"] = evidence.has_quantified_outcome(p)
        item["latest_year"] = evidence.latest_outcome_year(p)
        items.append(item)
    context = {
        "key": key,
        "label": category_label(key),
        "items": items,
        "counts": list(zip(labels, [n for _level, n in counts], [level for level, _n in counts], strict=True)),
        "chart": mark_safe(chart),  # noqa: S308 - built from escaped text
        "gap_instruments": [instrument_label(i) for i in found.instruments],
        "gap_regions": [
            {"label": region_label(k), "n": found.region_counts.get(k, 0)} for k in found.regions
        ],
        "n_strong": found.strong,
        "ranking_note": evidence.RANKING_NOTE,
        "strong_level": evidence.STRONG_LEVEL,
    }
    return render(request, "practices/what_works.html", context)


def related_provisions(*, countries: list[str], categories: list[str]) -> list[dict[str, Any]]:
    """For each obstacle category: agreements to which one of ``countries`` is a party that have provisions
    relevant to small firms (explicitly or implicitly) in it, the most strongly covering first (at most
    :data:`AGREEMENTS_PER_CATEGORY`, the rest counted), each with its counts and a few example provisions.
    Reads through ``agreements.selectors`` only."""
    groups = []
    for category in categories:
        found: dict[str, Any] = {}
        for iso in countries:
            for agreement in agreement_selectors.agreement_list(party=iso, category=category):
                found.setdefault(agreement.lens_id, agreement)
        ordered = sorted(
            found.values(),
            key=lambda a: (-float(((a.profile or {}).get("coverage") or {}).get(category, 0.0)), a.name, a.lens_id),
        )
        rows = []
        for agreement in ordered[:AGREEMENTS_PER_CATEGORY]:
            explicit = agreement_selectors.provision_list(agreement=agreement, category=category, relevance="explicit")
            implicit = agreement_selectors.provision_list(agreement=agreement, category=category, relevance="implicit")
            examples = list(explicit[:EXAMPLES_PER_AGREEMENT])
            if len(examples) < EXAMPLES_PER_AGREEMENT:
                examples += list(implicit[: EXAMPLES_PER_AGREEMENT - len(examples)])
            rows.append({
                "lens_id": agreement.lens_id,
                "name": agreement.name,
                "year": agreement.year_signed,
                "n_explicit": explicit.count(),
                "n_implicit": implicit.count(),
                "examples": [
                    {
                        "title": provision_title(p),
                        "excerpt": Truncator(p.text or "").words(24),
                        "relevance": p.relevance,
                        "relevance_label": relevance_label(p.relevance),
                    }
                    for p in examples
                ],
            })
        if rows:
            groups.append({
                "category": category,
                "label": category_label(category),
                "agreements": rows,
                "more": max(0, len(ordered) - AGREEMENTS_PER_CATEGORY),
            })
    return groups


def _published_cell(cell: Any) -> dict[str, Any] | None:
    data = cell.to_dict()
    if data["status"] not in PUBLISHED_CELLS or data["share_major"] is None:
        return None
    return data


def before_after(*, countries: list[str], categories: list[str], start_year: int | None) -> dict[str, Any]:
    """The share of firms rating each of the record's obstacles major or very severe, per country, in survey
    waves of the default survey that ended before ``start_year`` and in waves that started after it.

    Only published cells (shown or flagged; ``Cell.to_dict()``) are used, and a country × obstacle is listed
    only when it has a published figure on both sides. ``rows`` is empty when there is nothing to compare."""
    empty: dict[str, Any] = {"rows": [], "before": [], "after": []}
    survey = feedback_selectors.get_survey(DEFAULT_SURVEY)
    if survey is None or start_year is None or not countries or not categories:
        return empty
    waves = feedback_selectors.waves(survey)
    before = [w for w in waves if w.ends_on is not None and w.ends_on.year < start_year]
    after = [w for w in waves if w.starts_on.year > start_year]
    if not before or not after:
        return empty
    wanted = {(iso, cat) for iso in countries for cat in categories}
    found: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for period, chosen in (("before", before), ("after", after)):
        for wave in chosen:
            try:
                table = feedback_results.survey_results(survey=survey, by=["country"], wave=wave.name)
            except feedback_results.ResultsError:
                continue
            for cell in table.cells:
                key = (cell.group.get("country", ""), cell.category)
                data = _published_cell(cell) if key in wanted else None
                if data is not None:
                    found.setdefault(key, {"before": [], "after": []})[period].append(
                        {"wave": wave.name, **data}
                    )
    language = _lang()
    rows = []
    for iso in countries:
        for cat in categories:
            sides = found.get((iso, cat))
            if not sides or not sides["before"] or not sides["after"]:
                continue
            for period in ("before", "after"):
                for data in sides[period]:
                    rows.append({
                        "iso3": iso,
                        "country": country_name(iso, language),
                        "category": cat,
                        "label": category_label(cat),
                        "wave": data["wave"],
                        "period": period,
                        "share": data["share_major"],
                        "ci": data["ci"],
                        "flagged": data["status"] == FLAGGED,
                        "reason": str(REASON_LABELS.get(data["reason"] or "", "")),
                    })
    return {"rows": rows, "before": [w.name for w in before], "after": [w.name for w in after]}
