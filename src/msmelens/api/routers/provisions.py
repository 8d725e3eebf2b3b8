"""/provisions/export: corpus-wide streamed export."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router

from msmelens.agreements import selectors
from msmelens.api.export import openapi_responses, stream_provisions
from msmelens.api.schemas import CorpusExportFilters, ErrorOut

router = Router(tags=["provisions"])


@router.get(
    "/export",
    response={422: ErrorOut},
    url_name="provisions_export",
    summary="Export provisions of all agreements",
    description="Every stored provision matching the filters, across agreements, streamed as CSV or JSON.",
    openapi_extra={"responses": openapi_responses("#/components/schemas/ProvisionOut")},
)
def export_corpus(request: HttpRequest, filters: Query[CorpusExportFilters]) -> StreamingHttpResponse:
    params = filters.dict()
    fmt = params.pop("format")
    qs = selectors.provision_list(agreement=None, **params)
    suffix = "-".join(str(v) for v in params.values() if v is not None)
    return stream_provisions(qs, fmt=fmt, filename="msmelens-provisions" + (f"-{suffix}" if suffix else ""))
