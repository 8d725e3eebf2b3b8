"""Reject absurd requests early with a clear message: HTML for pages, JSON under /api/."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def _reject(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Request refused</title></head>'
        f"<body><h1>Request refused</h1><p>{html.escape(message)}</p>"
        '<p><a href="/">Back to MSME Lens</a></p></body></html>'
    )
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
                f"The address is too long: its query part must stay under {max_query} characters.",
            )
        max_repeat = getattr(settings, "MSMELENS_MAX_PARAM_REPEAT", 20)
        if query:
            counts = Counter(name for name, _ in parse_qsl(query, keep_blank_values=True))
            for name, count in counts.items():
                if count > max_repeat:
                    return _reject(
                        request,
                        400,
                        "too_many_values",
                        f"The parameter “{name[:40]}” is given {count} times; at most {max_repeat} are accepted.",
                    )
        max_mb = getattr(settings, "MSMELENS_MAX_UPLOAD_MB", 10)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _reject(
                request, 400, "bad_length", "The request says it has a body of an unreadable size."
            )
        # multipart overhead allowance: 1 MB above the upload limit
        if length > (max_mb + 1) * 1024 * 1024:
            return _reject(
                request, 413, "too_large", f"The upload is too large: files up to {max_mb} MB are accepted."
            )
        return self.get_response(request)
