"""API errors: one JSON shape, ``{"detail": "readable message", "code": "..."}``, for every failure.

Handlers are registered on the ``NinjaAPI`` by :func:`install_handlers`. Messages are written for people who
are not programmers: they name the parameter, file or id, and say what is allowed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

logger = logging.getLogger("msmelens.api")


class ApiError(Exception):
    """An expected failure with an HTTP status, a stable machine code and a readable message."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def not_found(kind: str, ident: str) -> ApiError:
    return ApiError(404, "not_found", f"No {kind} with id '{ident}' was found.")


def error_response(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def _describe_location(loc: tuple[Any, ...] | list[Any]) -> str:
    # ninja locations look like ("query", "limit") or ("query", "relevance", "literal['explicit',...]"):
    # parameters are flat, so the name is the first part after the source; the rest names union branches
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "form", "file", "payload", "filters")]
    return parts[0] if parts else "request"


def _describe_error(err: dict[str, Any]) -> str:
    where = _describe_location(err.get("loc", ()))
    kind = err.get("loc", ("",))[0] if err.get("loc") else ""
    label = {"query": "Parameter", "path": "Path parameter", "body": "Field"}.get(str(kind), "Field")
    msg = str(err.get("msg", "is not valid"))
    if err.get("type") == "missing":
        msg = "is required"
    value = err.get("input")
    shown = ""
    if isinstance(value, str | int | float) and not isinstance(value, bool) and err.get("type") != "missing":
        text = str(value)
        shown = f" (got '{text[:40]}{'…' if len(text) > 40 else ''}')"
    return f"{label} '{where}': {msg}{shown}."


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One readable sentence per faulty parameter (an optional one also fails its "must be null" branch:
    that error is noise and is dropped)."""
    by_name: dict[str, dict[str, Any]] = {}
    for err in errors:
        name = _describe_location(err.get("loc", ()))
        if err.get("type") == "none_required" and name in by_name:
            continue
        if name not in by_name or by_name[name].get("type") == "none_required":
            by_name[name] = err
    return " ".join(_describe_error(e) for e in list(by_name.values())[:5])


def install_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so every error is the same readable JSON shape."""

    def on_api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc.status, exc.code, exc.detail)

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        return error_response(422, "invalid_parameter", validation_message(list(exc.errors)))

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, HttpError)
        return error_response(exc.status_code, f"http_{exc.status_code}", str(exc))

    def on_404(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(404, "not_found", f"Nothing was found at {request.path}.")

    def on_suspicious(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return error_response(413, "too_large", "The request body is too large.")
        return error_response(400, "bad_request", "The request could not be understood.")

    def on_exception(request: HttpRequest, exc: Any) -> HttpResponse:
        # last resort: log the traceback, never show it
        logger.exception("Unhandled error in API request %s %s", request.method, request.path)
        return error_response(
            500, "server_error", "Something went wrong on our side. Please try again later."
        )

    api.add_exception_handler(Exception, on_exception)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ApiError, on_api_error)
