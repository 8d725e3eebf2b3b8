"""Whole-response cache for anonymous GET requests, one entry per data version, language and URL.

Every import or curation starts a new data version (``msmelens.web.cache``), so a cached page is never
stale. Only public, cookie-free answers are kept: no admin, no signed-in user, no response that sets a
cookie, uses the CSRF token or varies on cookies, and no streamed export.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import has_vary_header

from msmelens.web.cache import cache_key, data_version

CACHEABLE_STATUSES = frozenset({200, 404})
MAX_CACHED_BYTES = 2 * 1024 * 1024
# feedback: survey lists and forms change without a data version, and OpenRosa answers depend on who asks
SKIPPED_PREFIXES = ("/admin/", "/static/", "/i18n/", "/openrosa/", "/api/v1/surveys", "/api/v1/practices",
                    "/api/v1/guide")
# pages that show survey figures or the curated library change with every response or edit, not with a data
# version: they are rendered fresh (in any language prefix)
LIVE_PARTS = ("/surveys/", "/practices/", "/what-works/", "/brief", "/guide")
# search pages are neither read nor kept: nearly every query string is asked once, so keeping them only
# filled the cache and made its culls drop the pre-rendered agreement pages
UNCACHED_PATHS = ("/search/",)
TIMEOUT_SECONDS = 24 * 3600


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PREFIXES) or any(part in request.path for part in LIVE_PARTS):
        return False
    if request.path.endswith(UNCACHED_PATHS):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code in CACHEABLE_STATUSES
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not has_vary_header(response, "Cookie")
        and len(response.content) <= MAX_CACHED_BYTES
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable_request(request):
            return self.get_response(request)
        key = cache_key([data_version(), "page", getattr(request, "LANGUAGE_CODE", ""), request.get_full_path()])
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-MSME-Lens-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            headers = [(n, v) for n, v in response.items() if n.lower() not in ("content-length", "set-cookie")]
            cache.set(key, (response.status_code, headers, response.content), timeout=TIMEOUT_SECONDS)
            response["X-MSME-Lens-Cache"] = "miss"
        return response
