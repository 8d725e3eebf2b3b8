"""/search: full-text search over provision texts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from msmelens.agreements import selectors
from msmelens.api import serialize
from msmelens.api.schemas import ErrorOut, SearchPage, SearchParams

router = Router(tags=["search"])


def _hit(hit: Any) -> dict[str, Any]:
    provision, agreement = hit.provision, hit.agreement
    return {
        "provision_id": provision.provision_id,
        "source_ref": provision.source_ref,
        "path": list(provision.path or []),
        "relevance": provision.relevance,
        "categories": list(provision.categories or []),
        "binding": provision.binding or None,
        "curated": provision.curated,
        "agreement": {"lens_id": agreement.lens_id, "name": agreement.name, "year": agreement.year_signed},
        "snippet_html": hit.snippet_html,
        "rank": float(hit.rank),
    }


@router.get(
    "",
    response={200: SearchPage, 422: ErrorOut},
    url_name="search",
    summary="Search provisions",
    description=(
        "Ranked full-text search over provision texts (case and accents ignored), with filters and "
        "HTML snippets where matches are wrapped in <mark>."
    ),
)
def search(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    result = selectors.provision_search(**params.dict())
    items = [_hit(h) for h in result.hits]
    return serialize.page(request, count=result.total, limit=params.limit, offset=params.offset, items=items)
