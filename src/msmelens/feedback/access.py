"""Who is submitting, from where, in which language: shared by the web form, the API and OpenRosa.

A survey is open (anyone may submit, rate-limited per address by ``MSMELENS_SUBMISSION_RATE``) or
restricted to its collector accounts: HTTP Basic for OpenRosa clients, ``Authorization: Token <key>`` (or
``Bearer``) for the API, the signed-in session for the web form.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import translation

from msmelens.feedback import selectors, services
from msmelens.feedback.models import Survey

LANGUAGES = ("en", "fr", "es")


def client_address(request: HttpRequest) -> str:
    """The client's address (the socket peer; put a proxy's real-IP handling in front of the server)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]


def basic_auth_user(request: HttpRequest) -> Any:
    """The active user named by an HTTP Basic ``Authorization`` header with the right password, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep or not username:
        return None
    user = authenticate(request, username=username, password=password)
    return user if user is not None and user.is_active else None


def token_user(request: HttpRequest) -> Any:
    """The user of an ``Authorization: Token <key>`` or ``Bearer <key>`` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() not in ("token", "bearer") or not value.strip():
        return None
    return services.user_for_token(value.strip())


def session_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def may_submit(survey: Survey, user: Any) -> bool:
    """Open surveys take anyone; restricted ones their collectors (and superusers)."""
    if not survey.is_active:
        return False
    return survey.access == Survey.OPEN or selectors.user_can_collect(survey, user)


def within_rate(request: HttpRequest, user: Any) -> bool:
    """Signed-in collectors are not rate-limited; anonymous submissions count against their address."""
    if user is not None and getattr(user, "is_authenticated", False):
        return True
    return services.allow_submission(address=client_address(request))


def request_language(request: HttpRequest, explicit: str | None = None) -> str:
    """``explicit`` (a ``lang`` parameter) if supported, else the language of a /fr/ or /es/ page, else the
    first supported language of Accept-Language, else English."""
    # a page's language comes from its address (/fr/...); LocaleMiddleware sets LANGUAGE_CODE to the
    # default on unprefixed paths (/api/, /openrosa/), where Accept-Language is what says it
    from_path = translation.get_language_from_path(request.path_info)
    for candidate in (explicit, from_path and getattr(request, "LANGUAGE_CODE", None)):
        code = (candidate or "").split("-")[0].lower()
        if code in LANGUAGES:
            return code
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().split("-")[0].lower()
        if code in LANGUAGES:
            return code
    return "en"
