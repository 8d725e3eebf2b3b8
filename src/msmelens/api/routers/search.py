"""/search: full-text search over provision texts, in English, French and Spanish."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from msmelens.agreements import search_selectors
from msmelens.api import serialize
from msmelens.api.schemas import ErrorOut, NotNull, Out, SearchHitOut, SearchParams

router = Router(tags=["search"])

SearchLanguage = Literal["en", "fr", "es"]


class LanguageSearchParams(SearchParams):
    language: SearchLanguage | NotNull = Field(
        None, description="Only provisions written in this language: 'en', 'fr' or 'es'."
    )
    cross_lingual: bool = Field(
        True,
        description=(
            "true (default): known trade terms also find their translations ('ventanilla única' finds "
            "'single window' and 'guichet unique'); false: only the words typed, in their other forms."
        ),
    )


class LanguageSearchHitOut(SearchHitOut):
    language: str = Field(description="Language the provision is written in: 'en', 'fr', 'es' or '' (unknown).")


class LanguageSearchPage(Out):
    count: int
    limit: int
    offset: int
    next: str | None
    items: list[LanguageSearchHitOut]


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
        "language": search_selectors.hit_language(hit),
        "snippet_html": hit.snippet_html,
        "rank": float(hit.rank),
    }


@router.get(
    "",
    response={200: LanguageSearchPage, 422: ErrorOut},
    url_name="search",
    summary="Search provisions",
    description=(
        "Ranked full-text search over provision texts in English, French and Spanish: case and accents "
        "ignored, words matched in their other forms (stems), known trade terms matched across the three "
        "languages; every hit says its language. Filters, and HTML snippets where matches are wrapped in <mark>."
    ),
)
def search(request: HttpRequest, params: Query[LanguageSearchParams]) -> dict[str, Any]:
    result = search_selectors.provision_search(**params.dict())
    items = [_hit(h) for h in result.hits]
    return serialize.page(request, count=result.total, limit=params.limit, offset=params.offset, items=items)
