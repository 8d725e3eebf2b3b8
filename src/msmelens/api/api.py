"""The JSON API, mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Endpoints only validate, call selectors/services/the lens, and serialise. Every error is JSON
``{"detail": ..., "code": ...}`` (see ``errors``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Router
from ninja.operation import Operation

from msmelens import __version__
from msmelens.api import docs_page
from msmelens.api.docs_page import LocalSwagger
from msmelens.api.errors import ApiError, error_response, install_handlers
from msmelens.api.routers import agreements, countries, lens, overview, practices, provisions, search, surveys
from msmelens.api.routers.guide import router as guide_router
from msmelens.api.routers.survey_results import router as survey_results_router
from msmelens.api.routers.wto import router as wto_router

DESCRIPTION = """\
Trade agreements seen through the MSME lens: which provisions matter to micro, small and medium-sized
enterprises (explicitly or implicitly), in which of eight obstacle categories, binding or soft, and which WTO
bodies' work they overlap. Also runs the lens on your own text or file (nothing is stored).

Surveys (`/surveys`) collect small firms' reports of the obstacles they meet: list the forms and their
questions, and submit responses (`POST /surveys/{slug}/responses`; restricted surveys take a collector's
`Authorization: Token <key>`). A response is acknowledged only once it is stored, and the same instance id
with the same answers is stored once.

Errors are always JSON `{"detail": "readable message", "code": "machine_code"}`. Lists are paginated with
`limit` (1 to 200; search 1 to 100) and `offset`; the response carries `count` and a `next` URL.
"""


def _json_method_not_allowed(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer HEAD like GET without a body, and give ninja's plain-text 405 the API's JSON error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "HEAD":
            request.method = "GET"
            response = view(request, *args, **kwargs)
            request.method = "HEAD"
            if isinstance(response, StreamingHttpResponse):
                response.streaming_content = []  # never run the export's query
            elif isinstance(response, HttpResponse):
                response.content = b""
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            json_response = error_response(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed at {request.path}: use {allowed}.",
            )
            json_response["Allow"] = allowed
            return json_response
        return response

    return wrapper


class MsmeLensAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # short, unique names: list_agreements, analyze, ...

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = super()._get_urls()
        for pattern in urls:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return urls


api = MsmeLensAPI(
    title="MSME Lens API",
    version=__version__,
    description=DESCRIPTION,
    urls_namespace="api",
    docs=LocalSwagger(),
)
install_handlers(api)

api.add_router("/agreements", agreements.router)
api.add_router("/provisions", provisions.router)
api.add_router("/search", search.router)
api.add_router("/countries", countries.router)
api.add_router("/lens", lens.router)
api.add_router("/surveys", surveys.router)
api.add_router("/practices", practices.router)
api.add_router("/wto", wto_router)
api.add_router("/guide", guide_router)
api.add_router("/surveys", survey_results_router)
api.add_router("", overview.router)
api.add_router("", docs_page.router)


fallback = Router(tags=["fallback"])


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False, url_name="not_found"
)
def unknown_endpoint(request: HttpRequest, rest: str) -> None:
    """Any other path under /api/v1/: a JSON 404 instead of an HTML page."""
    hint = f" Did you mean {request.path.rstrip('/')}?" if request.path.endswith("/") else ""
    raise ApiError(404, "not_found", f"There is no API endpoint at {request.path}.{hint} See /api/v1/docs.")


api.add_router("", fallback)  # last, so it only catches what no other route matched
