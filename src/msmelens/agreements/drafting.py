"""Model language for a draft: the strongest comparable stored provisions for each category it lacks.

A category "needs help" when the draft has no relevant provision in it, or only soft ones. Candidates are
stored provisions labelled with that category; they are ranked same language as the draft first, then
explicit first, binding first, then by TF-IDF
cosine similarity to the draft's text (the draft's own provisions in that category when it has some), with at
most one suggestion per agreement. The fitted vectoriser is cached per data version.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from msmelens.agreements.models import Provision
from msmelens.agreements.templatetags.msmelens_tags import provision_title_of
from msmelens.lens.record import ProvisionResult
from msmelens.lens.taxonomy import CATEGORIES

EXCERPT_CHARS = 700


@dataclass(slots=True)
class _Index:
    vectorizer: TfidfVectorizer
    matrix: Any  # sparse (n_provisions × n_terms), L2-normalised rows
    rows: list[dict[str, Any]]  # one per matrix row
    by_category: dict[str, np.ndarray]  # category -> row indexes


_lock = threading.Lock()
_cache: dict[str, _Index] = {}


def _data_version() -> str:
    try:
        from msmelens.web.cache import data_version

        return f"v{data_version()}"
    except Exception:  # the cache helper is optional: fall back on the table's size
        agg = Provision.objects.exclude(relevance="none")
        last = agg.order_by("-pk").values_list("pk", flat=True).first()
        return f"n{agg.count()}-{last}"


def _build_index() -> _Index | None:
    qs = (
        Provision.objects.exclude(relevance="none")
        .select_related("agreement")
        .only(
            "provision_id",
            "text",
            "relevance",
            "binding",
            "language",
            "categories",
            "source_ref",
            "path",
            "agreement__lens_id",
            "agreement__name",
            "agreement__year_signed",
        )
        .order_by("pk")
    )
    rows: list[dict[str, Any]] = []
    texts: list[str] = []
    for p in qs.iterator(chunk_size=2000):
        rows.append(
            {
                "provision_id": p.provision_id,
                "source_ref": p.source_ref,
                "title": provision_title_of(p.path, p.source_ref, p.provision_id),
                "relevance": p.relevance,
                "binding": p.binding,
                "language": p.language or "",
                "categories": list(p.categories or []),
                "agreement_id": p.agreement.lens_id,
                "agreement_name": p.agreement.name,
                "year": p.agreement.year_signed,
                "excerpt": _excerpt(p.text),
            }
        )
        texts.append(p.text or "")
    if not rows:
        return None
    vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=1, max_df=0.9, strip_accents="unicode")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary
        return None
    by_category = {
        cat: np.array([i for i, r in enumerate(rows) if cat in r["categories"]], dtype=np.int64)
        for cat in CATEGORIES
    }
    return _Index(vectorizer, matrix, rows, by_category)


def _index() -> _Index | None:
    key = _data_version()
    with _lock:
        if key not in _cache:
            _cache.clear()
            built = _build_index()
            if built is None:
                return None
            _cache[key] = built
        return _cache[key]


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def categories_needing_help(results: Sequence[ProvisionResult]) -> dict[str, str]:
    """Category -> "missing" (no relevant provision) or "soft" (only soft ones) for the draft."""
    status: dict[str, str] = {}
    for cat in CATEGORIES:
        hits = [r for r in results if r.relevance != "none" and cat in r.categories]
        if not hits:
            status[cat] = "missing"
        elif all(r.binding != "binding" for r in hits):
            status[cat] = "soft"
    return status


def suggest_model_language(
    *, results: Sequence[ProvisionResult], profile: Any = None, per_category: int = 3
) -> dict[str, list[dict[str, Any]]]:
    """For each category the draft lacks or covers only softly: up to ``per_category`` stored provisions.

    Each suggestion is a dict: provision_id, source_ref, title, relevance, binding, agreement_id, agreement_name,
    year, excerpt, similarity (0..1), need ("missing" | "soft"). ``profile`` is accepted for symmetry with the
    report (the needs are computed from ``results``).
    """
    needs = categories_needing_help(results)
    if not needs:
        return {}
    index = _index()
    if index is None:
        return {cat: [] for cat in needs}
    whole = " ".join(r.text for r in results)
    languages = Counter(r.language for r in results if r.language)
    language = languages.most_common(1)[0][0] if languages else ""
    out: dict[str, list[dict[str, Any]]] = {}
    for cat, need in needs.items():
        candidates = index.by_category.get(cat)
        if candidates is None or len(candidates) == 0:
            out[cat] = []
            continue
        own = " ".join(r.text for r in results if cat in r.categories) or whole
        query = index.vectorizer.transform([own])
        sims = np.asarray((index.matrix[candidates] @ query.T).todense()).ravel()
        order = sorted(
            range(len(candidates)),
            key=lambda k: (
                bool(language) and index.rows[candidates[k]]["language"] not in (language, ""),
                index.rows[candidates[k]]["relevance"] != "explicit",
                index.rows[candidates[k]]["binding"] != "binding",
                -float(sims[k]),
            ),
        )
        picked: list[dict[str, Any]] = []
        seen: set[str] = set()
        for k in order:
            row = index.rows[candidates[k]]
            if row["agreement_id"] in seen:
                continue
            seen.add(row["agreement_id"])
            picked.append({**row, "similarity": round(float(sims[k]), 4), "need": need})
            if len(picked) >= per_category:
                break
        out[cat] = picked
    return out
