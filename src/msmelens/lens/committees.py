"""Stages ``committees`` (WTO bodies whose work overlaps the provision) and ``score`` (confidence 0..1)."""

from __future__ import annotations

import math

from msmelens.lens.provision import Provision
from msmelens.lens.taxonomy import COMMITTEES

# A category brings its committee even when no cue named one.
CATEGORY_COMMITTEE: dict[str, str] = {
    "finance": "trade_finance",
    "digital": "ecommerce",
    "skills": "trade_and_development",
    "border_procedures": "trade_facilitation",
}


def committees(p: Provision) -> None:
    """Map the relevant provision's categories and cues to committee keys (explicit ones to ``msme_iwg``)."""
    if p.relevance == "none":
        return
    keys: set[str] = set()
    if p.relevance == "explicit":
        keys.add("msme_iwg")
    for cat in p.categories:
        if cat in CATEGORY_COMMITTEE:
            keys.add(CATEGORY_COMMITTEE[cat])
    for c in p.cues:
        if c.kind == "topic" and c.committee and c.label in p.categories and c.committee not in keys:
            keys.add(c.committee)
            p.add_evidence(p.orig(c.start), p.orig(c.end), "committee:" + c.committee)
    p.committees = [k for k in COMMITTEES if k in keys]


def score(p: Provision) -> None:
    """Confidence in the relevance label: high for explicit size words, a logistic of the cue margin otherwise."""
    if p.relevance == "explicit":
        p.score = 0.97
        return
    margin = p.topic_score - p.exclusion_score - 2.0
    prob_relevant = 1.0 / (1.0 + math.exp(-0.8 * margin)) if p.topic_score else 0.02
    p.score = round(prob_relevant if p.relevance == "implicit" else 1.0 - prob_relevant, 4)
