"""Private follow-up links for firms that agreed to be contacted.

A link names a survey, a country and a sector, signed with ``django.core.signing`` under its own salt so that
no other signed value of the site can be replayed as one. It holds no response id and no contact detail:
every consenting firm of the same country and sector gets the same link, and the page it opens shows only
published (disclosure-controlled) aggregates, never anything about one response. The payload is signed,
not encrypted: anyone holding the link can read its survey, country and sector, which is what the page shows.

Tokens carry no timestamp and do not expire (a firm may come back a year later), so the same country and
sector always give the same link. To withdraw every link at once, change
:data:`SALT` (``...v2``) or the site's secret key; links are rebuilt by ``msmelens feedback followup-links``.
The operator sends them: the app never sends e-mail.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from msmelens.feedback.models import ContactDetail, Survey

SALT = "msmelens.feedback.followup.v1"
CONSENT_QUESTION = "consent_followup"
CONSENT_YES = "yes"


@dataclass(frozen=True, slots=True)
class FollowupTarget:
    """What a follow-up link opens: one survey's results for a country and a sector."""

    survey: str  # slug
    country: str  # ISO3
    sector: str  # ISIC section letter ("" when the firm gave none)


class BadToken(ValueError):
    """The token was not made by this site (tampered with, truncated, or signed with another key)."""


def make_token(*, survey: Survey, country: str, sector: str) -> str:
    """The signed, URL-safe token for a survey, country and sector."""
    payload = {"s": survey.slug, "c": (country or "").upper(), "k": sector or ""}
    return signing.Signer(salt=SALT).sign_object(payload)


def read_token(token: str) -> FollowupTarget:
    """The target a token names; raises :class:`BadToken` for anything this site did not sign."""
    try:
        payload = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from exc
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("s", "c", "k")):
        raise BadToken("unexpected payload")
    return FollowupTarget(survey=payload["s"], country=payload["c"], sector=payload["k"])


def link_path(*, survey: Survey, country: str, sector: str) -> str:
    """The link's path on this site, in the site's default language (the page offers the others)."""
    token = make_token(survey=survey, country=country, sector=sector)
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("feedback:followup", args=[survey.slug, token])


@dataclass(frozen=True, slots=True)
class FollowupLink:
    email: str
    country: str
    sector: str
    path: str  # to be joined to the site's address


def followup_links(survey: Survey) -> Iterator[FollowupLink]:
    """One link per current response that consented to follow-up and still has an e-mail address (not
    erased), with that address. Reads contact details, so only the operator's command calls it."""
    contacts = (
        ContactDetail.objects.filter(
            response__survey=survey, response__is_current=True, erased_at__isnull=True
        )
        .exclude(email="")
        .order_by("response__received_at", "response__id")
        .values_list("email", "response__answers")
    )
    for email, answers in contacts.iterator(chunk_size=500):
        answers = answers or {}
        if answers.get(CONSENT_QUESTION) != CONSENT_YES:
            continue
        country = str(answers.get("country") or "").upper()
        if not country:
            continue
        sector = str(answers.get("sector") or "")
        yield FollowupLink(
            email=email, country=country, sector=sector,
            path=link_path(survey=survey, country=country, sector=sector),
        )
