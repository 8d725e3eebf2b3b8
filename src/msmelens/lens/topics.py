"""Stages ``topics``, ``relevance`` and ``categories``.

``topics`` sums the cues: the *strength* is the sum of the weights of the distinct topic phrases found (weight
>= 2 only: those naming an obstacle-lowering measure), the *exclusion* the sum of the distinct exclusion phrases
(definitions, national treatment, dispute settlement, tariffs, origin criteria, institutions...), plus 3 when the
article heading names such a subject and 2 for government-to-government exchange.
``relevance``: explicit when the ``explicit`` stage said so; implicit when strength - exclusion >= IMPLICIT_MARGIN
and strength >= IMPLICIT_MIN; otherwise none.
``categories``: a category is kept when its distinct cues weigh >= CATEGORY_MIN_EXPLICIT (explicit
provisions, which often list fields of cooperation) or CATEGORY_MIN_IMPLICIT; a relevant provision always gets
at least its strongest category.
"""

from __future__ import annotations

from msmelens.lens.provision import Provision
from msmelens.lens.taxonomy import CATEGORIES

IMPLICIT_MIN = 3.0
IMPLICIT_MARGIN = 2.0
CATEGORY_MIN_EXPLICIT = 1.0
CATEGORY_MIN_IMPLICIT = 3.0
DEFAULT_EXPLICIT_CATEGORY = "dialogue_and_data"


def topics(p: Provision) -> None:
    """Compute ``p.topic_score`` and ``p.exclusion_score`` from the cues."""
    strong: dict[str, float] = {}
    excl: dict[str, float] = {}
    for c in p.cues:
        if c.kind in ("topic", "heading_topic") and c.weight >= 2:
            strong[c.phrase] = max(strong.get(c.phrase, 0.0), c.weight)
        elif c.kind in ("exclude", "heading"):
            excl[c.phrase] = max(excl.get(c.phrase, 0.0), c.weight)
    p.topic_score = sum(strong.values())
    p.exclusion_score = sum(excl.values())


def relevance(p: Provision) -> None:
    """Decide explicit / implicit / none and record the implicit evidence."""
    if p.explicit:
        p.relevance = "explicit"
        return
    if p.topic_score >= IMPLICIT_MIN and p.topic_score - p.exclusion_score >= IMPLICIT_MARGIN:
        p.relevance = "implicit"
        for c in p.cues:
            if c.kind == "topic" and c.weight >= 2:
                p.add_evidence(p.orig(c.start), p.orig(c.end), "implicit")
    else:
        p.relevance = "none"
        if p.topic_score < IMPLICIT_MIN:
            return  # nothing came close: no evidence needed
        for c in p.cues:  # a near miss: show what excluded it
            if c.kind == "exclude":
                p.add_evidence(p.orig(c.start), p.orig(c.end), "exclusion")


def categories(p: Provision) -> None:
    """Pick the obstacle categories of a relevant provision, with their evidence."""
    if p.relevance == "none":
        return
    per_cat: dict[str, dict[str, float]] = {cat: {} for cat in CATEGORIES}
    for c in p.cues:
        if c.kind in ("topic", "heading_topic"):
            seen = per_cat[c.label]
            seen[c.phrase] = max(seen.get(c.phrase, 0.0), c.weight)
    scores = {cat: sum(v.values()) for cat, v in per_cat.items()}
    threshold = CATEGORY_MIN_EXPLICIT if p.relevance == "explicit" else CATEGORY_MIN_IMPLICIT
    chosen = [cat for cat in CATEGORIES if scores[cat] >= threshold]
    if not chosen:
        best = max(CATEGORIES, key=lambda cat: scores[cat])
        chosen = [best] if scores[best] > 0 else [DEFAULT_EXPLICIT_CATEGORY]
    p.categories = chosen
    for c in p.cues:
        if c.kind == "topic" and c.label in chosen:
            p.add_evidence(p.orig(c.start), p.orig(c.end), c.label)
