"""/countries: parties with their agreements and MSME profiles (names in en/fr/es)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from msmelens.agreements import selectors as agreement_selectors
from msmelens.agreements import version_selectors
from msmelens.api import serialize
from msmelens.api.errors import not_found
from msmelens.api.schemas import CountryDetailOut, CountrySummaryOut, ErrorOut
from msmelens.countries import selectors as country_selectors

router = Router(tags=["countries"])


class LangParams(Schema):
    lang: Literal["en", "fr", "es"] = Field("en", description="Language of country names: en, fr or es.")


class Iso3Path(Schema):
    iso3: str = Field(
        ...,
        min_length=2,
        max_length=16,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The party's code, e.g. 'JPN'.",
    )


@router.get(
    "",
    response={200: list[CountrySummaryOut], 422: ErrorOut},
    url_name="country_list",
    summary="List countries",
    description="Every party to a stored agreement, with its number of agreements and MSME figures.",
)
def list_countries(request: HttpRequest, params: Query[LangParams]) -> list[dict[str, Any]]:
    return [
        {
            "iso3": c.iso3,
            "name": c.name,
            "n_agreements": c.n_agreements,
            "n_with_explicit": c.n_with_explicit,
            "mean_coverage": c.mean_coverage,
            "link": f"{serialize.API_PREFIX}/countries/{c.iso3}",
        }
        for c in country_selectors.country_list(language=params.lang)
    ]


@router.get(
    "/{iso3}",
    response={200: CountryDetailOut, 404: ErrorOut, 422: ErrorOut},
    url_name="country_detail",
    summary="One country",
    description="A party's agreements (newest first) with their MSME profiles, and the category × agreement "
    "coverage heatmap.",
)
def get_country(request: HttpRequest, path: Path[Iso3Path], params: Query[LangParams]) -> dict[str, Any]:
    try:
        detail = country_selectors.country_detail(iso3=path.iso3, language=params.lang)
    except agreement_selectors.AgreementNotFound:
        raise not_found("country", path.iso3) from None
    versions = version_selectors.versions_of(agreements=[item.agreement for item in detail.agreements])
    agreements = []
    for item in detail.agreements:
        row = serialize.agreement_item(item.agreement, versions[item.agreement.pk])
        row.update(profile=dict(item.profile), coverage=dict(item.coverage))
        agreements.append(row)
    return {
        "iso3": detail.iso3,
        "name": detail.name,
        "n_agreements": len(agreements),
        "categories": list(detail.categories),
        "agreements": agreements,
        "heatmap": detail.heatmap,
    }
