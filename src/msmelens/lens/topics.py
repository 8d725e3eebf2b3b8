"""Stages ``topics``, ``relevance`` and ``categories``.

``topics`` sums the cues: the *strength* is the sum of the weights of the distinct topic phrases found (weight
>= 2 only: those naming an obstacle-lowering measure), the *exclusion* the sum of the distinct exclusion phrases
(definitions, national treatment, dispute settlement, tariffs, origin criteria, institutions...), plus 3 when the
article heading names such a subject, 1 for government-to-government exchange, and a veto (100) for a heading
in the guidelines' "none" list (definitions, preamble, dispute settlement, final provisions...) or a text made
of definitions.
``relevance``: explicit when the ``explicit`` stage said so; implicit when strength - exclusion >= IMPLICIT_MARGIN
and strength >= IMPLICIT_MIN; otherwise none.
``categories``: a category is kept when its distinct cues weigh >= CATEGORY_MIN_EXPLICIT (explicit
provisions, which often list fields of cooperation) or CATEGORY_MIN_IMPLICIT; a relevant provision always gets
at least its strongest category.
"""

from __future__ import annotations

import re

from msmelens.lens.provision import Provision
from msmelens.lens.taxonomy import CATEGORIES

IMPLICIT_MIN = 3.0
IMPLICIT_MARGIN = 2.0
CATEGORY_MIN_EXPLICIT = 1.0
CATEGORY_MIN_IMPLICIT = 3.0
DEFAULT_EXPLICIT_CATEGORY = "dialogue_and_data"
DEFINITIONS_WEIGHT = 100.0

# A definitions article: opens with "for the purposes of this ..." and defines at least two terms.
_DEFINITIONS_OPENING = re.compile(
    r"^(?:\W*\w{0,4}\W+)?(?:for the purposes? of this|para (?:los )?efectos de (?:este|el presente)"
    r"|aux fins (?:du présent|de la présente))"
)
_DEFINES = re.compile(r"\b(?:means|significa|se entiende por|s'entend|désigne)\b")


def is_definitions(norm: str) -> bool:
    """True for an article made of definitions (no operative content for the lens)."""
    return bool(_DEFINITIONS_OPENING.match(norm)) and len(_DEFINES.findall(norm, 0, 20000)) >= 2


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
    if p.topic_score and is_definitions(p.norm):
        p.exclusion_score += DEFINITIONS_WEIGHT


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
