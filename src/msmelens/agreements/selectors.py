"""Reads for pages and the API: filtered lists, search, corpus figures, comparisons. No writes here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, Max, Min, OuterRef, QuerySet

from msmelens.agreements.models import Agreement, AgreementParty, Provision
from msmelens.corpus.model import AgreementMeta
from msmelens.lens.taxonomy import CATEGORIES, RELEVANCE_LEVELS
from msmelens.web.cache import cached_for_data_version
from msmelens.web.charts import is_small_n

SORTS: dict[str, list[Any]] = {
    "coverage": ["-coverage", "name", "lens_id"],
    "name": ["name", "lens_id"],
    "year": [F("year_signed").asc(nulls_last=True), "name", "lens_id"],
    "-year": [F("year_signed").desc(nulls_last=True), "name", "lens_id"],
}
# raised when no stored agreement answers a read (other apps catch it without importing the models)
AgreementNotFound = Agreement.DoesNotExist
MAX_SEARCH_LIMIT = 100
MAX_SEARCH_OFFSET = 10_000


@dataclass(slots=True)
class SearchHit:
    provision: Provision
    agreement: Agreement
    snippet_html: str  # HTML-escaped text with <mark> around matched words: safe to render as-is
    rank: float


@dataclass(slots=True)
class SearchPage:
    total: int
    hits: list[SearchHit]
    query: str = ""
    terms: tuple[str, ...] = ()
    limit: int = 20
    offset: int = 0


def _party_key(party: str) -> str:
    return f"|{party.strip().upper()}|"


def agreement_list(
    *,
    party: str | None = None,
    region: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    status: str | None = None,
    category: str | None = None,
    relevance: str | None = None,
    sort: str = "coverage",
) -> QuerySet[Agreement]:
    """Agreements matching every given filter. ``category``/``relevance`` keep agreements having at least
    one provision with that category and/or relevance (labels in force). Sort: coverage, name, year, -year.
    An agreement stored in several languages is listed once, by its primary version (``version_selectors``
    gives the others)."""
    qs = Agreement.objects.filter(is_primary=True).defer("text")
    if party:
        qs = qs.filter(parties_key__contains=_party_key(party))
    if region:
        qs = qs.filter(region__icontains=region.strip())
    if year_from is not None:
        qs = qs.filter(year_signed__gte=year_from)
    if year_to is not None:
        qs = qs.filter(year_signed__lte=year_to)
    if status:
        qs = qs.filter(status__iexact=status.strip())
    if category or relevance:
        provisions = Provision.objects.filter(agreement=OuterRef("pk"))
        if category:
            provisions = provisions.filter(categories_key__contains=f"|{category}|")
            if not relevance:
                provisions = provisions.exclude(relevance="none")
        if relevance:
            provisions = provisions.filter(relevance=relevance)
        qs = qs.filter(Exists(provisions))
    return qs.order_by(*SORTS.get(sort, SORTS["coverage"]))


def agreement_get(*, lens_id: str) -> Agreement:
    """The agreement with this lens id; raises ``Agreement.DoesNotExist``."""
    return Agreement.objects.get(lens_id=lens_id)


def provision_list(
    *,
    agreement: Agreement | str | None = None,
    relevance: str | None = None,
    category: str | None = None,
    committee: str | None = None,
    binding: str | None = None,
    curated: bool | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    order: str = "reading",
) -> QuerySet[Provision]:
    """Provisions in reading order (``order="score"``: least sure first, ``"-score"``: surest first);
    ``agreement`` is an Agreement or its lens id; ``min_score``/``max_score`` bound the lens's score."""
    qs = Provision.objects.select_related("agreement").defer("agreement__text")
    if isinstance(agreement, Agreement):
        qs = qs.filter(agreement=agreement)
    elif agreement:
        qs = qs.filter(agreement__lens_id=agreement)
    if relevance:
        qs = qs.filter(relevance=relevance)
    if category:
        qs = qs.filter(categories_key__contains=f"|{category}|")
    if committee:
        qs = qs.filter(committees_key__contains=f"|{committee}|")
    if binding:
        qs = qs.filter(binding=binding)
    if curated is not None:
        qs = qs.filter(curated=curated)
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if max_score is not None:
        qs = qs.filter(score__lte=max_score)
    if order == "score":
        return qs.order_by("score", "agreement__lens_id", "ordinal")
    if order == "-score":
        return qs.order_by("-score", "agreement__lens_id", "ordinal")
    return qs.order_by("agreement__lens_id", "ordinal")


def provision_search(
    *,
    q: str,
    relevance: str | None = None,
    category: str | None = None,
    party: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Ranked search in the words typed: their other forms match (stems; case and accents ignored), every
    word must occur. Never raises on odd input. ``search_selectors.provision_search`` also crosses languages
    and filters by language; the search page and the API use it."""
    from msmelens.agreements import search_selectors  # it builds on this module's SearchPage and SearchHit

    return search_selectors.provision_search(
        q=q,
        cross_lingual=False,
        relevance=relevance,
        category=category,
        party=party,
        year_from=year_from,
        year_to=year_to,
        limit=limit,
        offset=offset,
    )


def _meta(row: dict[str, Any]) -> AgreementMeta:
    signed = row["date_signed"].isoformat() if row["date_signed"] else None
    if signed is None and row["year_signed"]:
        signed = f"{row['year_signed']:04d}-01-01"
    return AgreementMeta(name=row["name"], region=row["region"], date_signed=signed, status=row["status"])


def corpus_overview() -> dict[str, Any]:
    """Corpus figures (keys of ``msmelens.lens.profile.corpus_figures``) plus ``n_provisions``; cached.

    Each agreement counts once: an agreement stored in several languages by its primary version."""

    def compute() -> dict[str, Any]:
        from msmelens.lens.profile import corpus_figures

        primaries = Agreement.objects.filter(is_primary=True)
        rows = primaries.values("name", "region", "date_signed", "year_signed", "status", "profile")
        figures = corpus_figures((_meta(r), r["profile"] or {}) for r in rows.iterator())
        figures["n_provisions"] = Provision.objects.filter(agreement__is_primary=True).count()
        figures["small_n"] = is_small_n(int(figures.get("n_agreements", 0)))
        for key in ("by_year", "by_region"):
            for row in figures.get(key, []):
                row["small_n"] = is_small_n(int(row.get("n", 0)))
        return figures

    return cached_for_data_version(("corpus_overview",), compute)


def filter_choices() -> dict[str, Any]:
    """Values offered by list filters: regions, statuses, parties (ISO3), year range, categories, relevance."""

    def compute() -> dict[str, Any]:
        regions: set[str] = set()
        for value in Agreement.objects.order_by().values_list("region", flat=True).distinct():
            regions.update(part.strip() for part in (value or "").split(";") if part.strip())
        statuses = sorted(
            s for s in Agreement.objects.order_by().values_list("status", flat=True).distinct() if s
        )
        parties = sorted(AgreementParty.objects.order_by().values_list("iso3", flat=True).distinct())
        years = Agreement.objects.aggregate(lo=Min("year_signed"), hi=Max("year_signed"))
        return {
            "regions": sorted(regions),
            "statuses": statuses,
            "parties": parties,
            "year_min": years["lo"],
            "year_max": years["hi"],
            "categories": list(CATEGORIES),
            "relevance": list(RELEVANCE_LEVELS),
        }

    return cached_for_data_version(("filter_choices",), compute)


def compare_agreements(*, a: Agreement | str, b: Agreement | str) -> dict[str, Any]:
    """Two agreements side by side, per category: each one's coverage and its relevant provisions there.

    Returns ``{"a": Agreement, "b": Agreement, "categories": [{"category", "a": {"coverage", "provisions"},
    "b": {...}}]}`` where provisions are ``Provision`` objects (labels in force, relevance not "none").
    Raises ``Agreement.DoesNotExist`` for an unknown lens id.
    """
    left = a if isinstance(a, Agreement) else agreement_get(lens_id=a)
    right = b if isinstance(b, Agreement) else agreement_get(lens_id=b)
    relevant = {
        ag.pk: list(Provision.objects.filter(agreement=ag).exclude(relevance="none").order_by("ordinal"))
        for ag in (left, right)
    }
    rows = []
    for cat in CATEGORIES:
        row: dict[str, Any] = {"category": cat}
        for side, ag in (("a", left), ("b", right)):
            row[side] = {
                "coverage": float((ag.profile or {}).get("coverage", {}).get(cat, 0.0)),
                "provisions": [p for p in relevant[ag.pk] if cat in p.categories],
            }
        rows.append(row)
    return {"a": left, "b": right, "categories": rows}


def agreements_between(*, country: str, partner: str) -> list[Agreement]:
    """Stored agreements having both ISO3 codes among their parties (bilateral, plurilateral or regional),
    by lens id; empty when the codes are equal or either is blank."""
    a, b = (country or "").strip().upper(), (partner or "").strip().upper()
    if not a or not b or a == b:
        return []
    qs = (
        Agreement.objects.filter(parties_key__contains=_party_key(a))
        .filter(parties_key__contains=_party_key(b))
        .defer("text")
    )
    return list(qs.order_by("lens_id"))


def party_agreement_rows() -> Iterator[tuple[str, int, float]]:
    """One row per (party, agreement) pair, each agreement once (its primary version):
    ``(iso3, n_explicit, coverage)``."""
    rows = AgreementParty.objects.filter(agreement__is_primary=True).values_list(
        "iso3", "agreement__n_explicit", "agreement__coverage"
    )
    return rows.iterator()


def agreement_parties(*, agreement: Agreement) -> list[str]:
    """The agreement's parties (ISO3 codes), sorted."""
    return sorted(agreement.parties.values_list("iso3", flat=True))
