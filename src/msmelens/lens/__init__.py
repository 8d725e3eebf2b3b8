"""The MSME lens: classify each provision of an agreement (relevance, categories, bindingness).

Public API: ``LENS_VERSION``, ``analyze(document, unit=None)``, ``analyze_text(text, language=None)``.
The rules stages are in ``msmelens.lens.pipeline``; the ``learned`` stage that follows them over a whole
document (the shipped model, ``msmelens.lens.learned_stage``) decides implicit relevance, categories,
bindingness and the calibrated ``score``. ``rules_only=True`` (or ``MSMELENS_LENS_MODEL=rules``) skips it.
"""

from __future__ import annotations

from typing import Any

from msmelens.corpus.model import Document
from msmelens.lens.learned_stage import Item, apply_learned
from msmelens.lens.matcher import gate_scan
from msmelens.lens.normalize import normalise
from msmelens.lens.pipeline import run
from msmelens.lens.record import ProvisionResult

LENS_VERSION = "2.0.0"

UNITS = ("article", "paragraph")

__all__ = ["LENS_VERSION", "UNITS", "analyze", "analyze_text"]


def rules_result(
    text: str,
    language: str | None,
    heading: str = "",
    norm: str | None = None,
    heading_norm: str | None = None,
    gated: bool = False,
) -> tuple[ProvisionResult, list[str]]:
    """The rules' record of one provision (no place in an agreement yet) and its cue labels (``kind:label``)."""
    p = run(text, language=language, heading=heading, norm=norm, heading_norm=heading_norm, gated=gated)
    return result_of(p, text), [f"{c.kind}:{c.label}" for c in p.cues]


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


def analyze_text(
    text: str, *, language: str | None = None, heading: str = "", chapter: str = "", rules_only: bool = False
) -> ProvisionResult:
    """Classify one provision given as plain text (language "en", "es", "fr", or None to guess).

    ``heading`` and ``chapter`` (the article's title and its chapter's name) help the learned stage.
    """
    result, cues = rules_result(text, language, heading)
    if rules_only:
        return result
    return apply_learned([Item(result, cues, heading, chapter)])[0]


def analyze(document: Document, *, unit: str | None = None, rules_only: bool = False) -> list[ProvisionResult]:
    """One record per article (default) or one per paragraph (``unit="paragraph"``), in document order.

    With ``unit="paragraph"`` an article that has no paragraphs (not split by its reader) gives one record.
    ``rules_only=True`` gives the rules' records without the learned stage.
    """
    unit = unit or "article"
    if unit not in UNITS:
        raise ValueError(f"Unknown unit {unit!r}: use 'article' or 'paragraph'.")
    language = document.meta.language or None
    chapter_of = {a.id: ch.heading for ch in document.chapters for a in ch.articles}
    out: list[Item] = []
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
            cues: list[str] = []
            gated, in_scope = gate_scan(norm, heading_norm)
            if gated:
                r, cues = rules_result(text, language, heading, norm, heading_norm, gated=True)
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
            out.append(Item(r, cues, heading, chapter_of.get(article.id, ""), in_scope))
    if rules_only:
        return [it.result for it in out]
    return apply_learned(out)
