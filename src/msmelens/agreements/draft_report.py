"""The /analyze/ report of a draft as plain data, and its JSON / CSV / Markdown downloads (stateless)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from msmelens.agreements import labels
from msmelens.agreements.templatetags.msmelens_tags import provision_title_of
from msmelens.corpus.model import Document
from msmelens.lens import LENS_VERSION
from msmelens.lens.record import ProvisionResult
from msmelens.lens.tabular import CSV_FIELDS, csv_row


def build_report(
    *,
    document: Document,
    results: Sequence[ProvisionResult],
    profile: dict[str, Any],
    suggestions: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """Everything the report shows, JSON-serialisable."""
    return {
        "lens_version": LENS_VERSION,
        "document": {
            "id": document.id,
            "source": document.source,
            "name": document.meta.name,
            "language": document.meta.language,
            "format": document.format,
            "warnings": list(document.warnings),
        },
        "profile": profile,
        "provisions": [r.to_dict() for r in results if r.relevance != "none"],
        "suggestions": suggestions,
    }


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def report_csv(report: dict[str, Any]) -> str:
    """One row per relevant provision, in the one CSV shape of provision records (``msmelens.lens.tabular``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for p in report["provisions"]:
        writer.writerow(csv_row(p))
    return buf.getvalue()


def report_markdown(report: dict[str, Any]) -> str:
    doc, profile = report["document"], report["profile"]
    rel = profile.get("relevance_counts", {})
    lines = [
        f"# MSME lens report: {doc['name'] or doc['source']}",
        "",
        f"- Lens version: {report['lens_version']}",
        f"- Provisions: {profile.get('n_provisions', 0)} "
        f"(explicit {rel.get('explicit', 0)}, implicit {rel.get('implicit', 0)}, none {rel.get('none', 0)})",
        f"- Overall MSME coverage: {profile.get('coverage_overall', 0) * 100:.0f}%",
        "",
        "## Coverage by category",
        "",
        "| Category | Coverage | Provisions |",
        "|---|---:|---:|",
    ]
    for cat, share in (profile.get("coverage") or {}).items():
        n = (profile.get("category_counts") or {}).get(cat, 0)
        lines.append(f"| {labels.category_label(cat)} | {share * 100:.0f}% | {n} |")
    lines += ["", "## Relevant provisions", ""]
    for p in report["provisions"]:
        cats = ", ".join(labels.category_label(c) for c in p["categories"])
        lines.append(f"### {provision_title_of(p['path'], p['source_ref'], p['provision_id'])}")
        lines.append("")
        lines.append(
            f"*{labels.relevance_label(p['relevance'])}* · {labels.binding_label(p['binding'])} · {cats}"
        )
        lines.append("")
        lines.append("> " + " ".join(p["text"].split()))
        lines.append("")
    if report["suggestions"]:
        lines += ["## Model language from stored agreements", ""]
        for cat, items in report["suggestions"].items():
            lines.append(f"### {labels.category_label(cat)}")
            lines.append("")
            if not items:
                lines.append("(no stored provision in this category)")
            for s in items:
                lines.append(
                    f"- **{s['agreement_name']}** ({s['year'] or '—'}), {s['title']}: {s['excerpt']}"
                )
            lines.append("")
    return "\n".join(lines) + "\n"
