"""Shape stored models and lens objects into plain dicts matching ``schemas`` (no queries, no logic)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from msmelens.agreements.models import Agreement, Provision

API_PREFIX = "/api/v1"


def parties_of(agreement: Agreement) -> list[str]:
    return [p for p in (agreement.parties_key or "").split("|") if p]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def version_item(version: Agreement) -> dict[str, Any]:
    """One language version of an agreement, as listed under it."""
    return {
        "agreement_id": version.lens_id,
        "name": version.name,
        "language": version.language,
        "primary": version.is_primary,
        "links": {
            "self": f"{API_PREFIX}/agreements/{version.lens_id}",
            "page": f"/agreements/{version.group_key or version.lens_id}/?version={version.lens_id}",
        },
    }


def agreement_item(agreement: Agreement, versions: list[Agreement] | None = None) -> dict[str, Any]:
    """``versions``: the agreement's language versions (primary first); only itself when not given."""
    agreement_id = agreement.lens_id
    base = f"{API_PREFIX}/agreements/{agreement_id}"
    return {
        "agreement_id": agreement_id,
        "name": agreement.name,
        "agreement_type": agreement.agreement_type,
        "parties": parties_of(agreement),
        "year": agreement.year_signed,
        "status": agreement.status,
        "region": agreement.region,
        "language": agreement.language,
        "counts": {
            "provisions": agreement.n_provisions,
            "explicit": agreement.n_explicit,
            "implicit": agreement.n_implicit,
        },
        "coverage_overall": float(agreement.coverage or 0.0),
        "has_sme_chapter": agreement.has_sme_chapter,
        "links": {
            "self": base,
            "provisions": f"{base}/provisions",
            "export_csv": f"{base}/provisions/export?format=csv",
            "export_json": f"{base}/provisions/export?format=json",
            "page": f"/agreements/{agreement_id}/",
        },
        "versions": [version_item(v) for v in (versions or [agreement])],
    }


def agreement_detail(agreement: Agreement, versions: list[Agreement] | None = None) -> dict[str, Any]:
    data = agreement_item(agreement, versions)
    data.update(
        {
            "date_signed": _iso(agreement.date_signed),
            "date_into_force": _iso(agreement.date_into_force),
            "composition": agreement.composition,
            "wto_rta_id": agreement.wto_rta_id,
            "source_format": agreement.source_format,
            "source_name": agreement.source_name,
            "lens_version": agreement.lens_version,
            "profile": dict(agreement.profile or {}),
        }
    )
    return data


def provision_record(provision: Provision, agreement_id: str) -> dict[str, Any]:
    return {
        "agreement_id": agreement_id,
        "provision_id": provision.provision_id,
        "source_ref": provision.source_ref,
        "path": list(provision.path or []),
        "chapter": provision.chapter,
        "unit": provision.unit,
        "text": provision.text,
        "relevance": provision.relevance,
        "categories": list(provision.categories or []),
        "binding": provision.binding or None,
        "committees": list(provision.committees or []),
        "score": float(provision.score or 0.0),
        "evidence": list(provision.evidence or []),
        "language": provision.language,
        "curated": provision.curated,
    }


def page(request: HttpRequest, *, count: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    """A page envelope; ``next`` repeats the request's query with the offset moved on."""
    next_url = None
    if offset + limit < count:
        query = request.GET.copy()
        query["offset"] = str(offset + limit)
        query["limit"] = str(limit)
        next_url = f"{request.path}?{urlencode(sorted(query.items()))}"
    return {"count": count, "limit": limit, "offset": offset, "next": next_url, "items": items}
