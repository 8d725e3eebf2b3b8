"""Selector: curators' corrections as labelled rows in the gold format, so the lens can learn from them.

One row per provision with an active curation (the latest one wins), in the format of
``../shared/lens-gold/dev.jsonl`` — ``agreement``, ``article_id`` (the ToTA article identifier, i.e. the
provision's ``source_ref``), ``language``, ``stratum`` ("curated"), ``relevance``, ``categories``,
``binding``, ``note`` — plus what training needs when the agreement's source file is not at hand:
``text``, ``heading`` and ``chapter``, and ``provision_id``/``curated_at`` to trace it back.

A curation whose provision is no longer stored (its agreement was deleted) cannot give a text: it is
returned separately (``orphans``) so that the command can name it, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msmelens.agreements.models import Provision


@dataclass
class CuratedLabels:
    rows: list[dict[str, Any]] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # provision ids of curations with no stored provision


def curated_label_rows() -> CuratedLabels:
    """Every active curation as a gold-format row (sorted by agreement, then reading order)."""
    from msmelens.agreements.services import latest_curations

    latest = latest_curations()
    provisions = {
        p.provision_id: p
        for p in Provision.objects.filter(provision_id__in=list(latest)).select_related("agreement")
    }
    out = CuratedLabels()
    keyed: list[tuple[tuple[str, int], dict[str, Any]]] = []
    for provision_id, cur in latest.items():
        p = provisions.get(provision_id)
        if p is None:
            out.orphans.append(provision_id)
            continue
        agreement_id = p.agreement.lens_id
        row = {
            "agreement": agreement_id,
            "article_id": p.source_ref or p.provision_id,
            "language": p.language or p.agreement.language,
            "stratum": "curated",
            "relevance": cur.relevance,
            "categories": list(cur.categories),
            "binding": cur.binding,
            "note": cur.note,
            "provision_id": p.provision_id,
            "unit": p.unit,
            "curated_at": cur.created_at.isoformat(),
            "text": p.text,
            "heading": str(p.path[-1]) if len(p.path) > 1 else "",
            "chapter": p.chapter,
        }
        keyed.append(((agreement_id, p.ordinal), row))
    out.rows = [row for _key, row in sorted(keyed, key=lambda kv: kv[0])]
    out.orphans.sort()
    return out
