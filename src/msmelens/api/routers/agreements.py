"""/agreements: list, detail, provisions, provisions export."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Path, Query, Router, Schema

from msmelens.agreements import selectors, version_selectors
from msmelens.agreements.models import Agreement
from msmelens.api import serialize
from msmelens.api.errors import not_found
from msmelens.api.export import openapi_responses, stream_provisions
from msmelens.api.schemas import (
    AgreementDetail,
    AgreementFilters,
    AgreementPage,
    ErrorOut,
    ExportFormat,
    PageParams,
    ProvisionFilters,
    ProvisionPage,
)

router = Router(tags=["agreements"])

ERRORS = {404: ErrorOut, 422: ErrorOut}


class AgreementIdPath(Schema):
    agreement_id: str = Field(
        ...,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.-]+$",
        description="The agreement's id: 'tota-N' for ToTA agreements, else 'doc-…'. Each language "
        "version has its own id.",
    )


class ExportParams(Schema):
    format: ExportFormat = Field("csv", description="'csv' (lists joined by ';') or 'json' (an array).")


def _get(agreement_id: str) -> Agreement:
    try:
        return selectors.agreement_get(lens_id=agreement_id)
    except Agreement.DoesNotExist:
        raise not_found("agreement", agreement_id) from None


@router.get(
    "",
    response={200: AgreementPage, 422: ErrorOut},
    url_name="agreement_list",
    summary="List agreements",
    description="Agreements with their MSME counts and coverage, filtered and sorted, one page at a time. "
    "An agreement stored in several languages is listed once; its versions are under 'versions'.",
)
def list_agreements(
    request: HttpRequest, filters: Query[AgreementFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = selectors.agreement_list(**filters.dict())
    count = qs.count()
    rows = list(qs[paging.offset : paging.offset + paging.limit])
    versions = version_selectors.versions_of(agreements=rows)
    items = [serialize.agreement_item(a, versions[a.pk]) for a in rows]
    return serialize.page(request, count=count, limit=paging.limit, offset=paging.offset, items=items)


@router.get(
    "/{agreement_id}",
    response={200: AgreementDetail, **ERRORS},
    url_name="agreement_detail",
    summary="One agreement",
    description="An agreement's metadata and its MSME profile (counts, coverage per category, SME chapter), "
    "and its language versions. Any version's id works; the profile is that version's.",
)
def get_agreement(request: HttpRequest, path: Path[AgreementIdPath]) -> dict[str, Any]:
    agreement = _get(path.agreement_id)
    return serialize.agreement_detail(agreement, version_selectors.agreement_versions(agreement=agreement))


@router.get(
    "/{agreement_id}/provisions",
    response={200: ProvisionPage, **ERRORS},
    url_name="agreement_provisions",
    summary="An agreement's provisions",
    description="The lens records of one agreement's provisions in reading order, filtered, one page at a time.",
)
def list_provisions(
    request: HttpRequest,
    path: Path[AgreementIdPath],
    filters: Query[ProvisionFilters],
    paging: Query[PageParams],
) -> dict[str, Any]:
    agreement = _get(path.agreement_id)
    qs = selectors.provision_list(agreement=agreement, **filters.dict())
    count = qs.count()
    rows = qs[paging.offset : paging.offset + paging.limit]
    items = [serialize.provision_record(p, agreement.lens_id) for p in rows]
    return serialize.page(request, count=count, limit=paging.limit, offset=paging.offset, items=items)


@router.get(
    "/{agreement_id}/provisions/export",
    response=ERRORS,
    url_name="agreement_provisions_export",
    summary="Export an agreement's provisions",
    description="All of one agreement's provisions matching the filters, streamed as CSV or JSON.",
    openapi_extra={"responses": openapi_responses("#/components/schemas/ProvisionOut")},
)
def export_provisions(
    request: HttpRequest,
    path: Path[AgreementIdPath],
    params: Query[ExportParams],
    filters: Query[ProvisionFilters],
) -> StreamingHttpResponse:
    agreement = _get(path.agreement_id)
    qs = selectors.provision_list(agreement=agreement, **filters.dict())
    return stream_provisions(qs, fmt=params.format, filename=f"{agreement.lens_id}-provisions")
