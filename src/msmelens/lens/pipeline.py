"""The lens pipeline: named stages run in order over one ``Provision`` working object."""

from __future__ import annotations

from collections.abc import Callable

from msmelens.lens.binding import binding
from msmelens.lens.committees import committees, score
from msmelens.lens.explicit import explicit
from msmelens.lens.language import detect_language
from msmelens.lens.matcher import match
from msmelens.lens.provision import Provision
from msmelens.lens.topics import categories, relevance, topics

Stage = Callable[[Provision], None]

STAGES: tuple[tuple[str, Stage], ...] = (
    ("match", match),
    ("explicit", explicit),
    ("topics", topics),
    ("relevance", relevance),
    ("categories", categories),
    ("binding", binding),
    ("committees", committees),
    ("score", score),
)


def run(
    text: str,
    *,
    language: str | None = None,
    heading: str = "",
    norm: str | None = None,
    heading_norm: str | None = None,
    gated: bool = False,
) -> Provision:
    """Run every stage over one provision's text and return the filled working object.

    When ``match`` finds no cue (most provisions of an agreement), the remaining stages cannot change the
    outcome ("none"), so only ``score`` runs. ``norm``/``heading_norm`` may pass ``normalise(text)`` and
    ``normalise(heading)`` when the caller already has them, and ``gated=True`` when ``gate_hit`` on them
    was already true.
    """
    p = Provision(text=text, language=language or "", heading=heading)
    match(p, norm, heading_norm, gated=gated)
    if not p.cues:
        score(p)
        return p
    if not p.language:
        p.language = detect_language(p.norm)
    for _name, stage in STAGES[1:]:
        stage(p)
    if len(p.evidence) > 1:
        p.evidence.sort(key=lambda e: (e.start, e.end, e.supports))
    return p
