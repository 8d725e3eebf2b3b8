"""Per-country reads: the list of parties with their figures, and one country's agreements as a heatmap."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msmelens.agreements import selectors as agreements
from msmelens.agreements.search import fold
from msmelens.countries.names import country_name
from msmelens.lens.taxonomy import CATEGORIES
from msmelens.web.cache import cached_for_data_version


@dataclass(slots=True)
class CountrySummary:
    iso3: str
    name: str
    n_agreements: int
    n_with_explicit: int
    mean_coverage: float  # mean overall MSME coverage of its agreements, 0..1


@dataclass(slots=True)
class CountryAgreement:
    agreement: Any  # an agreement as the agreements app's selectors give it
    profile: dict[str, Any]
    coverage: dict[str, float]  # category -> 0..1


@dataclass(slots=True)
class CountryDetail:
    iso3: str
    name: str
    agreements: list[CountryAgreement]  # newest first
    categories: list[str] = field(default_factory=lambda: list(CATEGORIES))
    # heatmap rows: one per category, one cell per agreement (same order as ``agreements``)
    heatmap: list[dict[str, Any]] = field(default_factory=list)

    @property
    def n_agreements(self) -> int:
        return len(self.agreements)


def country_list(*, language: str = "en") -> list[CountrySummary]:
    """Every party to a stored agreement, sorted by name in ``language``."""

    def compute() -> list[tuple[str, int, int, float]]:
        stats: dict[str, list[float]] = {}
        for iso3, n_explicit, coverage in agreements.party_agreement_rows():
            s = stats.setdefault(iso3, [0, 0, 0.0])
            s[0] += 1
            s[1] += 1 if n_explicit else 0
            s[2] += coverage or 0.0
        return [
            (iso3, int(s[0]), int(s[1]), round(s[2] / s[0], 4) if s[0] else 0.0) for iso3, s in stats.items()
        ]

    raw = cached_for_data_version(("country_list",), compute)
    out = [CountrySummary(iso3, country_name(iso3, language), n, n_exp, cov) for iso3, n, n_exp, cov in raw]
    return sorted(out, key=lambda c: (fold(c.name), c.iso3))


def country_detail(*, iso3: str, language: str = "en") -> CountryDetail:
    """One country's agreements (each once, by its primary version, newest first) with their profiles;
    raises ``AgreementNotFound`` (the agreements app's ``DoesNotExist``) when it has none."""
    code = (iso3 or "").strip().upper()
    stored = list(agreements.agreement_list(party=code, sort="-year")) if code else []
    if not stored:
        raise agreements.AgreementNotFound(f"No stored agreement has the party {code or '(empty)'}.")
    items = [
        CountryAgreement(
            agreement=a,
            profile=a.profile or {},
            coverage={cat: float((a.profile or {}).get("coverage", {}).get(cat, 0.0)) for cat in CATEGORIES},
        )
        for a in stored
    ]
    heatmap = [
        {
            "category": cat,
            "cells": [
                {"agreement_id": it.agreement.lens_id, "name": it.agreement.name, "value": it.coverage[cat]}
                for it in items
            ],
        }
        for cat in CATEGORIES
    ]
    return CountryDetail(iso3=code, name=country_name(code, language), agreements=items, heatmap=heatmap)
