"""The MSME lens: classify each provision of an agreement (relevance, categories, bindingness).

Public API: ``LENS_VERSION``, ``analyze(document, unit=None)``, ``analyze_text(text, language=None)``.
The stages are in ``msmelens.lens.pipeline``.
"""

from __future__ import annotations

from typing import Any

from msmelens.corpus.model import Document
from msmelens.lens.matcher import gate_hit
from msmelens.lens.normalize import normalise
from msmelens.lens.pipeline import run
from msmelens.lens.record import ProvisionResult

LENS_VERSION = "1.0.1"

UNITS = ("article", "paragraph")

__all__ = ["LENS_VERSION", "UNITS", "analyze", "analyze_text"]


def _result(
    text: str,
    language: str | None,
    heading: str = "",
    norm: str | None = None,
    heading_norm: str | None = None,
    gated: bool = False,
) -> ProvisionResult:
    p = run(text, language=language, heading=heading, norm=norm, heading_norm=heading_norm, gated=gated)
    return result_of(p, text)


def result_of(p: Any, text: str) -> ProvisionResult:
    """A provision record (without its place in an agreement) from the pipeline's decisions on ``text``."""
    return ProvisionResult(
        agreement_id="",
        provision_id="",
        source_ref="",
        path=[],
        unit="article",
        text=text,
        relevance=p.relevance,
        categories=list(p.categories),
        binding=p.binding,
        committees=list(p.committees),
        score=p.score,
        evidence=list(p.evidence),
        language=p.language,
    )


# The score of a provision without any cue (what ``run`` gives when the gate finds nothing).
_NONE_SCORE = run("").score


def analyze_text(text: str, *, language: str | None = None) -> ProvisionResult:
    """Classify one provision given as plain text (language "en", "es", "fr", or None to guess)."""
    return _result(text, language)


def analyze(document: Document, *, unit: str | None = None) -> list[ProvisionResult]:
    """One record per article (default) or one per paragraph (``unit="paragraph"``), in document order.

    With ``unit="paragraph"`` an article that has no paragraphs (not split by its reader) gives one record.
    """
    unit = unit or "article"
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}: use 'article' or 'paragraph'.")
    language = document.meta.language or None
    out: list[ProvisionResult] = []
    for article in document.articles():
        if unit == "article":
            items = [(article.id, article.source_ref, article.path, article.text)]
        elif article.paragraphs:
            items = [
                (para.id, para.source_ref, para.path or article.path, para.text)
                for para in article.paragraphs
            ]
        else:  # a reader that did not split paragraphs: the article is its own single paragraph
            items = [(article.id, article.source_ref, article.path, article.text)]
        heading = article.heading
        heading_norm = normalise(heading) if heading else ""
        for node_id, source_ref, path, text in items:
            norm = normalise(text)
            if gate_hit(norm, heading_norm):
                r = _result(text, language, heading, norm, heading_norm, gated=True)
                r.agreement_id = document.id
                r.provision_id = node_id
                r.source_ref = source_ref
                r.path = list(path)
                r.unit = unit
            else:  # fast path: no cue can make it relevant, the pipeline would give exactly this
                r = ProvisionResult(
                    agreement_id=document.id,
                    provision_id=node_id,
                    source_ref=source_ref,
                    path=list(path),
                    unit=unit,
                    text=text,
                    relevance="none",
                    score=_NONE_SCORE,
                    language=language or "",
                )
            out.append(r)
    return out
