"""/countries: parties with their agreements and MSME profiles (names in en/fr/es)."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from msmelens.api.errors import not_found
from msmelens.api.lazy import country_selectors
from msmelens.api.schemas import ErrorOut

router = Router(tags=["countries"])


class LangParams(Schema):
    lang: Literal["en", "fr", "es"] = Field("en", description="Language of country names: en, fr or es.")


class Iso3Path(Schema):
    iso3: str = Field(..., min_length=2, max_length=16, description="The party's code, e.g. 'JPN'.")


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


@router.get(
    "",
    response={200: list[dict[str, Any]], 422: ErrorOut},
    url_name="country_list",
    summary="List countries",
    description="Every party to a stored agreement, with its number of agreements and MSME figures.",
)
def list_countries(request: HttpRequest, params: Query[LangParams]) -> list[Any]:
    return _plain(country_selectors.country_list(language=params.lang))


@router.get(
    "/{iso3}",
    response={200: dict[str, Any], 404: ErrorOut, 422: ErrorOut},
    url_name="country_detail",
    summary="One country",
    description="A party's agreements with their MSME profiles (the category × agreement heatmap data).",
)
def get_country(request: HttpRequest, path: Path[Iso3Path], params: Query[LangParams]) -> Any:
    try:
        detail = country_selectors.country_detail(iso3=path.iso3.upper(), language=params.lang)
    except LookupError:
        raise not_found("country", path.iso3) from None
    if detail is None:
        raise not_found("country", path.iso3)
    return _plain(detail)
