"""Collector tokens on the API: who a ``Token``/``Bearer`` header names, and the 401 that asks for one.

Shared by the surveys router (submissions, forms) and the survey-results router (restricted results).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from msmelens.api.errors import ApiError, error_response
from msmelens.feedback import access


def token_caller(request: HttpRequest) -> Any:
    """The collector named by a Token/Bearer header, None without one; 401 for a key that is not valid."""
    scheme = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[0].lower()
    user = access.token_user(request)
    if user is None and scheme in ("token", "bearer"):
        raise ApiError(
            401, "unauthorized", "The API token is not valid (or was revoked): ask the survey's team for a new one."
        )
    return user


def challenge(exc: ApiError) -> HttpResponse:
    """The JSON error for ``exc``; a 401 also carries ``WWW-Authenticate: Token`` (the scheme to use)."""
    response = error_response(exc.status, exc.code, exc.detail)
    if exc.status == 401:
        response["WWW-Authenticate"] = 'Token realm="msmelens"'
    return response
