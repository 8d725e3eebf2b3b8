"""Reject absurd requests early with a clear message: the API's JSON shape under /api/, a translated page elsewhere.

JSON answers use the API's one error shape, ``{"detail": "readable message", "code": "..."}``. Pages render
``400.html`` or ``413.html`` in the language of the address (``/fr/...``, ``/es/...``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def _reject(request: HttpRequest, status: int, code: str, message: Callable[[], str]) -> HttpResponse:
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    if request.path.startswith("/api/"):
        with translation.override("en"):
            return JsonResponse({"detail": message(), "code": code}, status=status)
    with translation.override(language):
        body = render_to_string("413.html" if status == 413 else "400.html", {"message": message()}, request)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


class RequestLimitsMiddleware:
    """414 for an over-long query string, 400 for a parameter repeated too often, 413 for an oversize body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        max_query = getattr(settings, "MSMELENS_MAX_QUERY_STRING", 2000)
        if len(query) > max_query:
            return _reject(
                request,
                414,
                "query_too_long",
                lambda: _("The address is too long: its query part must stay under %(limit)s characters.")
                % {"limit": max_query},
            )
        max_repeat = getattr(settings, "MSMELENS_MAX_PARAM_REPEAT", 20)
        if query:
            counts = Counter(name for name, _value in parse_qsl(query, keep_blank_values=True))
            for name, count in counts.items():
                if count > max_repeat:
                    return _reject(
                        request,
                        400,
                        "too_many_values",
                        lambda name=name, count=count: _(
                            "The parameter “%(name)s” is given %(count)s times; at most %(limit)s are accepted."
                        )
                        % {"name": name[:40], "count": count, "limit": max_repeat},
                    )
        max_mb = getattr(settings, "MSMELENS_MAX_UPLOAD_MB", 10)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reject(
                request, 400, "bad_length", lambda: _("The request says it has a body of an unreadable size.")
            )
        # multipart overhead allowance: 1 MB above the upload limit
        if length > (max_mb + 1) * 1024 * 1024:
            return _reject(
                request,
                413,
                "too_large",
                lambda: _("The upload is too large: files up to %(limit)s MB are accepted.") % {"limit": max_mb},
            )
        return self.get_response(request)
