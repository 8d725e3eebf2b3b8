"""/overview and /filters: corpus figures and the values usable in filters."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from msmelens.agreements import selectors
from msmelens.api.schemas import FilterChoicesOut, OverviewOut

router = Router(tags=["overview"])


@router.get(
    "/overview",
    response=OverviewOut,
    url_name="overview",
    summary="Corpus figures",
    description=(
        "How many agreements have explicit or implicit MSME provisions, by year of signature and region, "
        "and the share of agreements covering each category."
    ),
)
def overview(request: HttpRequest) -> dict[str, Any]:
    return selectors.corpus_overview()


@router.get(
    "/filters",
    response=FilterChoicesOut,
    url_name="filters",
    summary="Filter values",
    description=(
        "The regions, statuses, parties and year range present in the stored agreements, "
        "and the category and relevance values."
    ),
)
def filters(request: HttpRequest) -> dict[str, Any]:
    return selectors.filter_choices()
