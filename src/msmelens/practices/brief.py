"""A country brief as plain data: the country's agreements and their MSME coverage, the obstacles its firms
report, its practices, and the gaps with practices from elsewhere that addressed them.

One function, :func:`country_brief`, gathers everything through the other pillars' selectors (agreements via
``countries.selectors``, feedback via ``feedback.results``, practices via ``practices.selectors``) and returns
a :class:`Brief`: no HTML, no PDF. The web page (``brief_views``) and the PDF (``brief_pdf``) only lay it out,
so both always say the same thing.

Survey figures come only from the published results (``Cell.to_dict()``): a suppressed cell arrives without
any figure and is reported as "not enough answers"; nothing here reads responses.

The gap rule (stated on the page, see :data:`GAP_RULE`): a category is a gap when

* its firms rank it high: its published share of firms calling it a major or very severe obstacle is above
  zero and at least the median of the country's published shares (suppressed cells never count); or
* the country's agreements cover it only softly (some provision is relevant to it, none of them binding) or
  not at all (checked only when the country has stored agreements).

Each gap lists up to :data:`MAX_ELSEWHERE` published practices from other countries (or global initiatives) in
that category, strongest evidence first (``practices.evidence.rank``).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from msmelens.agreements import selectors as agreement_selectors
from msmelens.agreements.labels import category_label
from msmelens.countries import selectors as country_selectors
from msmelens.countries.names import country_name
from msmelens.feedback import results as feedback_results
from msmelens.feedback import selectors as feedback_selectors
from msmelens.feedback.result_types import FLAGGED, SHOWN
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.practices import evidence
from msmelens.practices import selectors as practice_selectors
from msmelens.practices.labels import instrument_label

DEFAULT_SURVEY = "msme-trade-obstacles"
MAX_ELSEWHERE = 3
PUBLISHED = (SHOWN, FLAGGED)

# coverage levels of a category across the country's agreements
BINDING, SOFT, NONE = "binding", "soft", "none"
# why a category is a gap
RANKED_HIGH, COVERED_SOFTLY, NOT_COVERED = "ranked_high", "covered_softly", "not_covered"

GAP_RULE = _(
    "How gaps are chosen: an obstacle is a gap when the share of the country's firms calling it a major or "
    "very severe obstacle is at least the median of its published shares (figures held back for too few "
    "answers never count); a category is a gap when the country's agreements cover it only softly (no "
    "binding provision) or not at all. Each gap lists up to three practices from other countries in the same "
    "category, strongest evidence first."
)


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """One of the country's agreements with its MSME coverage (0..1) per category."""

    lens_id: str
    name: str
    year: int | None
    coverage_overall: float
    coverage: dict[str, float]
    binding_categories: frozenset[str]  # categories with at least one relevant, binding provision


@dataclass(frozen=True, slots=True)
class CategoryCoverage:
    """A category across all the country's agreements: the best coverage and whether any provision binds."""

    category: str
    label: str
    best: float  # the highest coverage among the country's agreements, 0..1
    n_agreements: int  # agreements with some coverage of the category
    level: str  # binding, soft, none


@dataclass(frozen=True, slots=True)
class ObstacleFigure:
    """The published figure for one obstacle category among the country's firms (no figure when suppressed)."""

    category: str
    label: str
    status: str  # shown, flagged, suppressed
    reason: str
    share_major: float | None
    ci: tuple[float, float] | None
    n: int | None

    @property
    def published(self) -> bool:
        return self.status in PUBLISHED and self.share_major is not None


@dataclass(frozen=True, slots=True)
class PracticeItem:
    """A practice as the brief shows it: its title and summary in the brief's language where translated."""

    slug: str
    title: str
    summary: str
    is_translated: bool  # False: shown in its original language
    countries: list[str]
    country_names: list[str]
    start_year: int | None
    end_year: int | None
    instrument: str
    instrument_label: str
    obstacles: list[str]
    evidence_level: int | None
    evidence_label: str
    outcomes: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Gap:
    category: str
    label: str
    reasons: list[str]  # ranked_high, covered_softly, not_covered
    share_major: float | None  # the published share when the firms rank it high
    elsewhere: list[PracticeItem]


@dataclass(slots=True)
class Brief:
    iso3: str
    name: str
    language: str
    generated: dt.date
    agreements: list[AgreementRow]
    coverage: list[CategoryCoverage]  # one per category, taxonomy order
    survey: str  # the survey's slug
    survey_title: str
    n_responses: int  # responses behind the published results (all countries)
    obstacles: list[ObstacleFigure]  # the country's cells: published highest first, then suppressed
    practices: list[PracticeItem]
    gaps: list[Gap]
    median_share: float | None  # the median used by the gap rule (None without published figures)
    gap_rule: str
    sources: list[str] = field(default_factory=list)

    @property
    def has_agreements(self) -> bool:
        return bool(self.agreements)

    @property
    def has_feedback(self) -> bool:
        return bool(self.obstacles)

    @property
    def published_obstacles(self) -> list[ObstacleFigure]:
        return [o for o in self.obstacles if o.published]


DESIGN_LABELS = {
    "monitoring": _("monitoring"),
    "before_after": _("before and after"),
    "comparison_group": _("comparison group"),
    "quasi_experimental": _("quasi-experimental"),
    "randomised": _("randomised trial"),
}


def _outcome(raw: dict[str, Any]) -> dict[str, Any]:
    """An outcome as stored, plus ``design_label``: how it was measured, in the active language."""
    design = raw.get("design") or ""
    return {**raw, "design_label": str(DESIGN_LABELS[design]) if design in DESIGN_LABELS else design}


def practice_item(practice: Any, language: str) -> PracticeItem:
    """The brief's view of one practice (title and summary through ``display_text``, in ``language``)."""
    title, summary, is_translated = practice_selectors.display_text(practice, language)
    countries = list(practice.countries or [])
    return PracticeItem(
        slug=practice.slug,
        title=title,
        summary=summary,
        is_translated=bool(is_translated),
        countries=countries,
        country_names=[country_name(c, language) for c in countries],
        start_year=practice.start_year,
        end_year=practice.end_year,
        instrument=practice.instrument,
        instrument_label=instrument_label(practice.instrument),
        obstacles=list(practice.obstacles or []),
        evidence_level=practice.evidence_level,
        evidence_label=evidence.level_name(practice.evidence_level),
        outcomes=[_outcome(o) for o in practice.outcomes or [] if isinstance(o, dict)],
    )


def _binding_categories(lens_id: str) -> frozenset[str]:
    """Categories in which the agreement has at least one relevant provision labelled binding."""
    rows = agreement_selectors.provision_list(agreement=lens_id, binding=BINDING).values_list(
        "relevance", "categories"
    )
    found: set[str] = set()
    for relevance, categories in rows:
        if relevance != "none":
            found.update(c for c in categories or [] if c in CATEGORIES)
    return frozenset(found)


def _agreements(iso3: str, language: str) -> list[AgreementRow]:
    try:
        detail = country_selectors.country_detail(iso3=iso3, language=language)
    except ObjectDoesNotExist:  # the countries selector's answer for a country with no stored agreement
        return []
    return [
        AgreementRow(
            lens_id=item.agreement.lens_id,
            name=item.agreement.name,
            year=item.agreement.year_signed,
            coverage_overall=float(item.profile.get("coverage_overall", 0.0) or 0.0),
            coverage=dict(item.coverage),
            binding_categories=_binding_categories(item.agreement.lens_id),
        )
        for item in detail.agreements
    ]


def _coverage(rows: list[AgreementRow]) -> list[CategoryCoverage]:
    out = []
    for cat in CATEGORIES:
        values = [r.coverage.get(cat, 0.0) for r in rows]
        covering = sum(1 for v in values if v > 0)
        if any(cat in r.binding_categories for r in rows):
            level = BINDING
        elif covering:
            level = SOFT
        else:
            level = NONE
        out.append(CategoryCoverage(cat, str(category_label(cat)), max(values, default=0.0), covering, level))
    return out


def _obstacles(iso3: str, survey_slug: str, include_synthetic: bool) -> tuple[str, int, list[ObstacleFigure]]:
    """The survey's title, its responses used, and the country's published cells (empty without data)."""
    survey = feedback_selectors.get_survey(survey_slug)
    if survey is None:
        return "", 0, []
    table = feedback_results.survey_results(survey=survey, by=["country"], include_synthetic=include_synthetic)
    group = {"country": iso3}
    cells = [c.to_dict() for c in table.cells if c.group == group]
    figures = [
        ObstacleFigure(
            category=c["category"],
            label=str(category_label(c["category"])),
            status=c["status"],
            reason=c["reason"] or "",
            share_major=c["share_major"],
            ci=tuple(c["ci"]) if c["ci"] is not None else None,  # type: ignore[arg-type]
            n=c["n"],
        )
        for c in cells
        if c["category"] in CATEGORIES
    ]
    shown = sorted((f for f in figures if f.published), key=lambda f: (-float(f.share_major or 0.0), f.category))
    hidden = [f for f in figures if not f.published]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    hidden.sort(key=lambda f: order[f.category])
    return survey.title, table.n_responses, shown + hidden


def _elsewhere(category: str, iso3: str, language: str) -> list[PracticeItem]:
    """Up to ``MAX_ELSEWHERE`` published practices of other countries (or global ones) in the category."""
    others = [
        p for p in practice_selectors.practices_for_category(category)
        if iso3 not in (p.countries or []) and getattr(p, "status", "published") == "published"
    ]
    return [practice_item(p, language) for p in evidence.rank(others)[:MAX_ELSEWHERE]]


def _gaps(
    iso3: str, language: str, coverage: list[CategoryCoverage], obstacles: list[ObstacleFigure], has_agreements: bool
) -> tuple[float | None, list[Gap]]:
    shares = [float(o.share_major) for o in obstacles if o.published and o.share_major is not None]
    median = statistics.median(shares) if shares else None
    reasons: dict[str, list[str]] = {cat: [] for cat in CATEGORIES}
    share_of: dict[str, float] = {}
    for o in obstacles:
        share = o.share_major if o.published else None
        if median is not None and share is not None and share > 0 and share >= median:
            reasons[o.category].append(RANKED_HIGH)
            share_of[o.category] = float(share)
    if has_agreements:
        for c in coverage:
            if c.level == SOFT:
                reasons[c.category].append(COVERED_SOFTLY)
            elif c.level == NONE:
                reasons[c.category].append(NOT_COVERED)
    # firms' high-ranked obstacles first (highest share first), then coverage gaps in taxonomy order
    cats = [c for c in CATEGORIES if reasons[c]]
    order = {c: i for i, c in enumerate(CATEGORIES)}
    cats.sort(key=lambda c: (0 if c in share_of else 1, -share_of.get(c, 0.0), order[c]))
    gaps = [
        Gap(c, str(category_label(c)), reasons[c], share_of.get(c), _elsewhere(c, iso3, language)) for c in cats
    ]
    return median, gaps


def _sources(brief_survey: str, n_responses: int, has_feedback: bool, practices: list[PracticeItem]) -> list[str]:
    out = [str(_("Agreement texts: the ToTA corpus of trade agreements (CC BY-NC), read by the MSME Lens."))]
    if has_feedback:
        out.append(
            str(_("Obstacles: the survey “%(survey)s”, published results (%(n)s responses in all countries)."))
            % {"survey": brief_survey, "n": n_responses}
        )
    if practices:
        out.append(str(_("Practices: the MSME Lens library of country experiences; each record lists its sources.")))
    return out


def country_brief(
    iso3: str, language: str, *, survey: str = DEFAULT_SURVEY, include_synthetic: bool = False
) -> Brief:
    """Everything a country brief says about ``iso3``, with labels in ``language`` (en, fr, es).

    Works for any known country code, including one without stored agreements or survey answers (the brief
    then says so). Synthetic (demo) survey responses count only with ``include_synthetic``, as on the results
    pages. The caller checks that the code names a country."""
    code = (iso3 or "").strip().upper()
    lang = (language or "en").split("-")[0].lower()
    with translation.override(lang):
        agreements = _agreements(code, lang)
        coverage = _coverage(agreements)
        survey_title, n_responses, obstacles = _obstacles(code, survey, include_synthetic)
        practices = [
            practice_item(p, lang)
            for p in practice_selectors.practices_for_country(code)
            if getattr(p, "status", "published") == "published"
        ]
        practices.sort(key=lambda p: (-(p.start_year or 0), p.title.casefold(), p.slug))
        median, gaps = _gaps(code, lang, coverage, obstacles, bool(agreements))
        return Brief(
            iso3=code,
            name=country_name(code, lang),
            language=lang,
            generated=dt.date.today(),
            agreements=agreements,
            coverage=coverage,
            survey=survey,
            survey_title=survey_title,
            n_responses=n_responses,
            obstacles=obstacles,
            practices=practices,
            gaps=gaps,
            median_share=median,
            gap_rule=str(GAP_RULE),
            sources=_sources(survey_title or survey, n_responses, bool(obstacles), practices),
        )
