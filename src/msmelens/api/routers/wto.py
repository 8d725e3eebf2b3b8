"""/wto: the WTO agreements with their MSME coverage, and Beyond the WTO (what regional agreements add)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from msmelens.api import serialize
from msmelens.api.errors import ApiError
from msmelens.api.schemas import ErrorOut
from msmelens.api.wto_schemas import BeyondOut, BeyondParams, TopicOut, TopicPath, WtoAgreementOut, WtoKeyPath
from msmelens.lens.wto_topics import Finding, ProvisionFacts, TopicComparison
from msmelens.wto import labels, selectors

router = Router(tags=["wto"])


def _agreement(item: selectors.WtoListItem) -> dict[str, Any]:
    r = item.record
    return {
        "key": r.source_key,
        "agreement_id": r.agreement_id,
        "name": item.agreement.name,
        "short_title": r.short_title,
        "language": r.language,
        "languages": item.languages,
        "administering_body": r.administering_body,
        "administering_body_key": r.body_key,
        "overlapping_bodies": item.overlaps,
        "parties": r.parties,
        "n_parties": item.n_parties,
        "n_provisions": item.n_provisions,
        "n_explicit": item.n_explicit,
        "n_implicit": item.n_implicit,
        "coverage_overall": item.coverage_overall,
        "coverage": item.coverage,
        "link": f"{serialize.API_PREFIX}/agreements/{r.agreement_id}",
    }


def _ref(p: ProvisionFacts) -> dict[str, Any]:
    return {
        "agreement_id": p.agreement_id,
        "provision_id": p.provision_id,
        "source_ref": p.source_ref,
        "name": p.name,
        "year": p.year,
        "text": p.text,
        "link": f"{serialize.API_PREFIX}/agreements/{p.agreement_id}/provisions",
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        **_ref(f.provision),
        "binding": f.binding,
        "sme": f.sme,
        "instruments": f.instruments,
        "reasons": f.reasons,
        "new_instruments": f.new_instruments,
    }


def _topic(c: TopicComparison) -> dict[str, Any]:
    b = c.baseline
    beyond = [f for a in selectors.agreements_beyond(c) for f in a.findings]
    return {
        "topic": c.topic.key,
        "label": labels.topic_label(c.topic.key),
        "category": c.topic.category,
        "committee": c.topic.committee,
        "baseline": {
            "level": b.level,
            "sme": b.sme,
            "instruments": b.instruments,
            "wto_keys": list(c.topic.wto_keys),
            "provisions": [_ref(p) for p in b.provisions],
        },
        "n_agreements_on_topic": len({f.provision.agreement_id for f in c.findings}),
        "n_agreements_beyond": len(c.agreements_beyond()),
        "by_reason": c.reason_counts(),
        "by_year": [{"year": y, "n": n} for y, n in c.by_year().items()],
        "beyond": [_finding(f) for f in beyond],
    }


@router.get(
    "/agreements",
    response={200: list[WtoAgreementOut]},
    url_name="wto_agreement_list",
    summary="List the WTO agreements",
    description="Every stored WTO text (English version when stored) with its administering body, parties and "
    "MSME coverage by category.",
)
def list_wto_agreements(request: HttpRequest) -> list[dict[str, Any]]:
    return [_agreement(item) for item in selectors.wto_agreement_list(language="en")]


@router.get(
    "/beyond",
    response={200: BeyondOut, 422: ErrorOut},
    url_name="wto_beyond",
    summary="Beyond the WTO",
    description="For each MSME-relevant topic of the WTO agreements: what the WTO text says (binding, best "
    "endeavour, absent), and the regional provisions going beyond it (binding where the WTO is soft, naming SMEs "
    "where it is silent, an instrument it lacks), with counts by year of signature.",
)
def beyond(request: HttpRequest, params: Query[BeyondParams]) -> dict[str, Any]:
    country = params.country.upper() if params.country else None
    comparisons = selectors.beyond(topic_key=params.topic, country=country)
    return {"country": country, "topics": [_topic(c) for c in comparisons]}


@router.get(
    "/beyond/{topic}",
    response={200: TopicOut, 422: ErrorOut},
    url_name="wto_beyond_topic",
    summary="Beyond the WTO on one topic",
    description="The comparison for one topic (all regional agreements).",
)
def beyond_topic(request: HttpRequest, path: Path[TopicPath]) -> dict[str, Any]:
    return _topic(selectors.beyond(topic_key=path.topic)[0])


@router.get(
    "/agreements/{key}",
    response={200: WtoAgreementOut, 404: ErrorOut, 422: ErrorOut},
    url_name="wto_agreement",
    summary="One WTO agreement",
    description="A WTO text by its key ('tfa', 'tbt', 'gpa2012', ...).",
)
def get_wto_agreement(request: HttpRequest, path: Path[WtoKeyPath]) -> dict[str, Any]:
    key = path.key
    for item in selectors.wto_agreement_list(language="en"):
        if item.record.source_key == key:
            return _agreement(item)
    raise ApiError(404, "not_found", f"No WTO agreement '{key}' is stored. The list is at /api/v1/wto/agreements.")
