"""Search reads for the search page and the API: stemmed, cross-lingual, filtered by language. No writes.

``provision_search`` is the selector the search page and ``/api/v1/search`` call; ``hit_language`` tells
the language a hit's provision is written in.
"""

from __future__ import annotations

from dataclasses import dataclass

from msmelens.agreements import search
from msmelens.agreements.models import Provision
from msmelens.agreements.selectors import MAX_SEARCH_LIMIT, MAX_SEARCH_OFFSET, SearchHit, SearchPage
from msmelens.corpus import stemming
from msmelens.lens.concepts import QueryUnit

SEARCH_LANGUAGES: tuple[str, ...] = stemming.LANGUAGES
# what the search page and /api/v1/search show of a hit (the rest of a provision is not read)
HIT_FIELDS = (
    "provision_id", "source_ref", "path", "language", "text", "relevance", "categories", "binding", "curated",
    "agreement__lens_id", "agreement__name", "agreement__year_signed", "agreement__language",
)


@dataclass(slots=True)
class LanguageSearchPage(SearchPage):
    language: str = ""  # the language filter applied ("" for all)
    cross_lingual: bool = True
    units: tuple[QueryUnit, ...] = ()


def hit_language(hit: SearchHit) -> str:
    """The language a hit's provision is written in ("en", "fr", "es"), or "" when unknown."""
    return stemming.language_of(hit.provision.language or hit.agreement.language)


def provision_search(
    *,
    q: str,
    language: str | None = None,
    cross_lingual: bool = True,
    relevance: str | None = None,
    category: str | None = None,
    party: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> LanguageSearchPage:
    """Ranked search over provisions in English, French and Spanish; never raises on odd input.

    Words match their other forms (Snowball stems; case and accents ignored) and every word must occur; with
    ``cross_lingual`` (default) a phrase the shared concepts know ("ventanilla única") also finds its
    translations ("single window", "guichet unique"). ``language`` keeps provisions written in it."""
    limit = max(1, min(int(limit), MAX_SEARCH_LIMIT))
    offset = max(0, min(int(offset), MAX_SEARCH_OFFSET))
    lang = stemming.language_of(language)
    units = search.query_units(q, cross_lingual=cross_lingual)
    page = LanguageSearchPage(
        total=0,
        hits=[],
        query=q or "",
        terms=tuple(w for u in units for w in u.words),
        limit=limit,
        offset=offset,
        language=lang,
        cross_lingual=cross_lingual,
        units=tuple(units),
    )
    if not units:
        return page
    filters = search.Filters(
        relevance=relevance,
        category=category,
        party=party,
        year_from=year_from,
        year_to=year_to,
        language=lang or None,
    )
    total, rows = search.search_units(search.plan(q, units), filters, limit=limit, offset=offset)
    by_pk = (
        Provision.objects.select_related("agreement")
        .only(*HIT_FIELDS)
        .in_bulk([pk for pk, _ in rows])
    )
    page.total = total
    for pk, rank in rows:
        p = by_pk.get(pk)
        if p is not None:
            text_language = p.language or p.agreement.language
            page.hits.append(
                SearchHit(
                    provision=p,
                    agreement=p.agreement,
                    snippet_html=search.snippet_html(p.text, units=units, language=text_language),
                    rank=rank,
                )
            )
    return page
