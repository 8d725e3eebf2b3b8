"""Agreement-level profile of lens results, and corpus-level figures over many profiles.

Coverage of a category is a saturating score of the category's three strongest provisions:
each provision weighs 1.0 (explicit, binding), 0.6 (explicit soft, or implicit binding) or 0.3
(implicit soft); the three largest weights are summed, divided by 3 and capped at 1.
``coverage_overall`` is the mean over the eight categories.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from msmelens.corpus.model import AgreementMeta, Document
from msmelens.lens.record import ProvisionResult
from msmelens.lens.taxonomy import CATEGORIES, COMMITTEES

WEIGHTS: dict[tuple[str, str | None], float] = {
    ("explicit", "binding"): 1.0,
    ("explicit", "soft"): 0.6,
    ("explicit", None): 0.6,
    ("implicit", "binding"): 0.6,
    ("implicit", "soft"): 0.3,
    ("implicit", None): 0.3,
}
TOP_N = 3

SME_HEADING = re.compile(
    r"\b(?:sme|smes|msme|msmes|pymes?|mipymes?|pme|mpme)\b"
    r"|small\s+(?:and|&)\s+medium|small\s+business"
    r"|peque[nñ]as?\s+y\s+medianas?\s+empresas?"
    r"|petites?\s+et\s+moyennes?\s+entreprises?",
    re.IGNORECASE,
)


@dataclass(slots=True)
class AgreementProfile:
    agreement_id: str
    n_provisions: int
    relevance_counts: dict[str, int]
    category_counts: dict[str, int]
    binding_counts: dict[str, int]
    binding_share: float
    coverage: dict[str, float]
    coverage_overall: float
    sme_chapter: dict[str, Any] | None = None
    committees: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement_id": self.agreement_id,
            "n_provisions": self.n_provisions,
            "relevance_counts": dict(self.relevance_counts),
            "category_counts": dict(self.category_counts),
            "binding_counts": dict(self.binding_counts),
            "binding_share": self.binding_share,
            "coverage": dict(self.coverage),
            "coverage_overall": self.coverage_overall,
            "sme_chapter": None
            if self.sme_chapter is None
            else {
                "heading": self.sme_chapter["heading"],
                "provision_ids": list(self.sme_chapter["provision_ids"]),
            },
            "committees": dict(self.committees),
        }


def provision_weight(result: ProvisionResult) -> float:
    """Weight of one provision in its categories' coverage (0 when not relevant)."""
    return WEIGHTS.get((result.relevance, result.binding), 0.0)


def _coverage(results: list[ProvisionResult]) -> dict[str, float]:
    per_cat: dict[str, list[float]] = {cat: [] for cat in CATEGORIES}
    for r in results:
        w = provision_weight(r)
        if w <= 0:
            continue
        for cat in r.categories:
            if cat in per_cat:
                per_cat[cat].append(w)
    out: dict[str, float] = {}
    for cat, weights in per_cat.items():
        top = sorted(weights, reverse=True)[:TOP_N]
        out[cat] = round(min(1.0, sum(top) / TOP_N), 4)
    return out


def _sme_chapter(document: Document, results: list[ProvisionResult]) -> dict[str, Any] | None:
    by_id = {r.provision_id: r for r in results}

    def chapter_results(chapter_articles: list[str]) -> list[ProvisionResult]:
        prefixes = tuple(a + "-p" for a in chapter_articles)
        ids = set(chapter_articles)
        return [r for r in results if r.provision_id in ids or r.provision_id.startswith(prefixes)]

    best: tuple[float, dict[str, Any]] | None = None
    for chapter in document.chapters:
        art_ids = [a.id for a in chapter.articles]
        if not art_ids:
            continue
        members = chapter_results(art_ids) if by_id else []
        ids = [r.provision_id for r in members]
        if SME_HEADING.search(chapter.heading or ""):
            return {"heading": chapter.heading, "provision_ids": ids}
        n_explicit = sum(1 for r in members if r.relevance == "explicit")
        if members and n_explicit >= 2 and n_explicit / len(members) > 0.5:
            share = n_explicit / len(members)
            if best is None or share > best[0]:
                best = (share, {"heading": chapter.heading, "provision_ids": ids})
    return best[1] if best else None


def profile_agreement(document: Document, results: list[ProvisionResult]) -> AgreementProfile:
    """Summarise one agreement's lens results (see the module docstring for coverage)."""
    relevance_counts = {"explicit": 0, "implicit": 0, "none": 0}
    category_counts = {cat: 0 for cat in CATEGORIES}
    binding_counts = {"binding": 0, "soft": 0}
    committees: dict[str, int] = {}
    for r in results:
        relevance_counts[r.relevance] = relevance_counts.get(r.relevance, 0) + 1
        if r.relevance == "none":
            continue
        for cat in r.categories:
            if cat in category_counts:
                category_counts[cat] += 1
        if r.binding in binding_counts:
            binding_counts[r.binding] += 1
        for key in r.committees:
            if key in COMMITTEES:
                committees[key] = committees.get(key, 0) + 1
    n_bind = binding_counts["binding"] + binding_counts["soft"]
    coverage = _coverage(results)
    return AgreementProfile(
        agreement_id=document.id,
        n_provisions=len(results),
        relevance_counts=relevance_counts,
        category_counts=category_counts,
        binding_counts=binding_counts,
        binding_share=round(binding_counts["binding"] / n_bind, 4) if n_bind else 0.0,
        coverage=coverage,
        coverage_overall=round(sum(coverage.values()) / len(coverage), 4),
        sme_chapter=_sme_chapter(document, results),
        committees=dict(sorted(committees.items())),
    )


def _as_dict(profile: AgreementProfile | dict[str, Any]) -> dict[str, Any]:
    return profile.to_dict() if isinstance(profile, AgreementProfile) else profile


def _share(k: int, n: int) -> float:
    return round(k / n, 4) if n else 0.0


def corpus_figures(
    items: Iterable[tuple[AgreementMeta, AgreementProfile | dict[str, Any]]],
) -> dict[str, Any]:
    """Corpus-level figures: how many agreements have explicit/implicit provisions, by year and region.

    Agreements without a signature year are left out of ``by_year``; an agreement whose ``region`` lists
    several regions ("South America; East Asia") counts once in each.
    """
    n = n_exp = n_imp = 0
    years: dict[int, list[int]] = {}
    regions: dict[str, list[int]] = {}
    cat_hits = {cat: 0 for cat in CATEGORIES}
    for meta, prof in items:
        d = _as_dict(prof)
        rc = d.get("relevance_counts", {})
        has_exp = int(rc.get("explicit", 0) > 0)
        has_imp = int(rc.get("implicit", 0) > 0)
        n += 1
        n_exp += has_exp
        n_imp += has_imp
        cc = d.get("category_counts", {})
        for cat in CATEGORIES:
            if cc.get(cat, 0) > 0:
                cat_hits[cat] += 1
        year = meta.year_signed
        if year is not None:
            y = years.setdefault(year, [0, 0, 0])
            y[0] += 1
            y[1] += has_exp
            y[2] += has_imp
        for region in {p.strip() for p in (meta.region or "").split(";") if p.strip()}:
            g = regions.setdefault(region, [0, 0, 0])
            g[0] += 1
            g[1] += has_exp
            g[2] += has_imp
    return {
        "n_agreements": n,
        "n_with_explicit": n_exp,
        "n_with_implicit": n_imp,
        "share_explicit": _share(n_exp, n),
        "share_implicit": _share(n_imp, n),
        "by_year": [
            {"year": y, "n": v[0], "share_explicit": _share(v[1], v[0]), "share_implicit": _share(v[2], v[0])}
            for y, v in sorted(years.items())
        ],
        "by_region": [
            {
                "region": r,
                "n": v[0],
                "share_explicit": _share(v[1], v[0]),
                "share_implicit": _share(v[2], v[0]),
            }
            for r, v in sorted(regions.items())
        ],
        "category_coverage": {cat: _share(cat_hits[cat], n) for cat in CATEGORIES},
    }
