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


def run(text: str, *, language: str | None = None, heading: str = "") -> Provision:
    """Run every stage over one provision's text and return the filled working object."""
    p = Provision(text=text, language=language or "", heading=heading)
    for name, stage in STAGES:
        if name == "explicit" and not p.language and p.cues:
            p.language = detect_language(p.norm)
        stage(p)
    if not p.language:
        p.language = ""
    p.evidence.sort(key=lambda e: (e.start, e.end, e.supports))
    return p
