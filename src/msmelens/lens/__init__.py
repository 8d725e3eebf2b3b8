"""The MSME lens: classify each provision of an agreement (relevance, categories, bindingness)."""

from __future__ import annotations

import re

from msmelens.corpus.model import Document
from msmelens.lens.record import Evidence, ProvisionResult

LENS_VERSION = "0.1.0"

_EXPLICIT = re.compile(
    r"\b(?:small\s+and\s+medium[- ]sized\s+enterprises|smes?|msmes?|pymes?|mipymes?|pme)\b", re.IGNORECASE
)


def analyze_text(text: str, *, language: str | None = None) -> ProvisionResult:
    """Classify one provision given as plain text."""
    m = _EXPLICIT.search(text)
    ev = [Evidence(m.start(), m.end(), m.group(0), "explicit")] if m else []
    return ProvisionResult(
        agreement_id="",
        provision_id="",
        source_ref="",
        path=[],
        unit="article",
        text=text,
        relevance="explicit" if m else "none",
        categories=["dialogue_and_data"] if m else [],
        binding="soft" if m else None,
        committees=["msme_iwg"] if m else [],
        score=0.9 if m else 0.5,
        evidence=ev,
        language=language or "",
    )


def analyze(document: Document, *, unit: str | None = None) -> list[ProvisionResult]:
    """One record per article (default) or per paragraph (``unit="paragraph"``)."""
    unit = unit or "article"
    out: list[ProvisionResult] = []
    nodes = document.paragraphs() if unit == "paragraph" else document.articles()
    for node in nodes:
        r = analyze_text(node.text, language=document.meta.language)
        r.agreement_id = document.id
        r.provision_id = node.id
        r.source_ref = node.source_ref
        r.path = list(node.path)
        r.unit = unit
        out.append(r)
    return out
