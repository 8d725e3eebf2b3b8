"""Who may do what on the editing pages, with the Django client on the real database.

Anonymous visitors read published records' versions and are sent to the sign-in page for everything else;
contributors propose but cannot edit, restore or review (a 403 page in plain words); curators do everything.
"""

from __future__ import annotations

from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from msmelens.practices import selectors, services
from msmelens.practices.models import Practice, Proposal

PASSWORD = "a-long-test-password-123"
RECORD = {
    "id": "test-single-window", "title": "Single window for exporters", "countries": ["KEN"],
    "scope": "national", "start_year": 2013, "end_year": None, "implementer": "KenTrade",
    "instrument": "single_window", "obstacles": ["border_procedures"], "target_groups": ["all_firms"],
    "summary": "One online window for all export documents.", "outcomes": [], "evidence_level": None,
    "sources": [], "verified": False,
}


@pytest.fixture
def published(curator: Any) -> Practice:
    return services.create_practice(data=RECORD, user=curator, reason="entered", publish=True)


@pytest.fixture
def draft(curator: Any) -> Practice:
    return services.create_practice(data={**RECORD, "id": "test-draft", "title": "Draft only"}, user=curator,
                                    reason="entered", publish=False)


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Addresses from ``reverse`` in English whatever an earlier request in this thread activated."""
    with translation.override("en"):
        yield


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def editing_urls(slug: str) -> dict[str, str]:
    return {
        "edit": reverse("practices:edit", args=[slug]),
        "propose_change": reverse("practices:propose_change", args=[slug]),
        "propose_new": reverse("practices:propose_new"),
        "review": reverse("practices:review"),
        "proposal_sent": reverse("practices:proposal_sent"),
    }


# --- anonymous ----------------------------------------------------------------------------------------------


def test_anonymous_reads_published_versions_only(published: Practice, draft: Practice) -> None:
    client = Client()
    page = client.get(reverse("practices:versions", args=[published.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Single window for exporters" in html
    for hidden in ("Edit this record", "Propose a change", "Restore this version", 'method="post" class="card"'):
        assert hidden not in html
    assert client.get(reverse("practices:versions", args=[draft.slug])).status_code == 404
    assert client.get(reverse("practices:diff", args=[draft.slug]), {"a": 1, "b": 1}).status_code == 404
    assert client.get(reverse("practices:diff", args=[published.slug]), {"a": 1, "b": 1}).status_code == 200


def test_anonymous_is_sent_to_sign_in_from_every_editing_page(published: Practice) -> None:
    client = Client()
    sign_in = reverse("practices:sign_in")
    for name, url in editing_urls(published.slug).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"] == f"{sign_in}?next={quote(url)}", name
    restore = reverse("practices:restore", args=[published.slug, 1])
    response = client.post(restore, {"reason": "try"})
    assert response.status_code == 302 and response["Location"].startswith(sign_in)
    response = client.post(reverse("practices:edit", args=[published.slug]), {"title": "Hacked", "reason": "x"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert (published.title, published.version) == ("Single window for exporters", 1)


def test_anonymous_in_french_gets_the_french_sign_in_page(published: Practice) -> None:
    response = Client().get("/fr/practices/review/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/practices/sign-in/?next=/fr/practices/review/"
    page = Client().get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode()


def test_sign_in_and_back_to_the_page_asked_for(published: Practice, curator: Any) -> None:
    client = Client()
    url = reverse("practices:edit", args=[published.slug])
    login = reverse("practices:sign_in")
    wrong = client.post(login, {"username": "carla-curator", "password": "nope", "next": url})
    assert wrong.status_code == 200
    assert "The user name and password do not match an active account." in wrong.content.decode()
    ok = client.post(login, {"username": "carla-curator", "password": PASSWORD, "next": url})
    assert ok.status_code == 302 and ok["Location"] == url
    assert client.get(url).status_code == 200
    assert "Signed in as carla-curator." in client.get(url).content.decode()
    out = client.post(reverse("practices:sign_out"))
    assert out.status_code == 302
    assert client.get(url).status_code == 302


def test_sign_in_without_next_goes_to_the_users_starting_point(contributor: Any, curator: Any) -> None:
    login = reverse("practices:sign_in")
    as_contributor = Client().post(login, {"username": "omar-contributor", "password": PASSWORD})
    assert as_contributor["Location"] == reverse("practices:propose_new")
    as_curator = Client().post(login, {"username": "carla-curator", "password": PASSWORD})
    assert as_curator["Location"] == reverse("practices:review")
    User.objects.create_user(username="reader", password=PASSWORD)
    assert Client().post(login, {"username": "reader", "password": PASSWORD})["Location"] == reverse("overview")


def test_sign_in_refuses_an_outside_next(curator: Any) -> None:
    response = Client().post(reverse("practices:sign_in"),
                             {"username": "carla-curator", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("practices:review")


# --- signed in without a role, and contributors ---------------------------------------------------------


def test_a_signed_in_user_without_a_role_is_refused_in_plain_words(published: Practice) -> None:
    reader = User.objects.create_user(username="reader", password=PASSWORD)
    client = signed_in(reader)
    for name, url in editing_urls(published.slug).items():
        response = client.get(url)
        assert response.status_code == 403, name
    text = unescape(client.get(reverse("practices:propose_new")).content.decode())
    assert "Only contributors can propose records and changes." in text
    assert client.get(reverse("practices:versions", args=[published.slug])).status_code == 200


def test_contributors_propose_but_cannot_edit_restore_or_review(published: Practice, contributor: Any) -> None:
    client = signed_in(contributor)
    assert client.get(reverse("practices:propose_new")).status_code == 200
    assert client.get(reverse("practices:propose_change", args=[published.slug])).status_code == 200
    versions = client.get(reverse("practices:versions", args=[published.slug])).content.decode()
    assert "Propose a change to this record" in versions
    assert "Edit this record" not in versions and "Restore this version" not in versions

    for url in (reverse("practices:edit", args=[published.slug]), reverse("practices:review")):
        response = client.get(url)
        assert response.status_code == 403
        text = unescape(response.content.decode())
        assert "Only curators can edit, restore or review records." in text
        assert "propose a change" in text
        assert 'href="/practices/propose/"' in text

    edit = client.post(reverse("practices:edit", args=[published.slug]),
                       {"title": "Changed by a contributor", "reason": "x", "expected_version": 1})
    restore = client.post(reverse("practices:restore", args=[published.slug, 1]), {"reason": "x"})
    assert (edit.status_code, restore.status_code) == (403, 403)
    published.refresh_from_db()
    assert (published.title, published.version) == ("Single window for exporters", 1)


def test_contributors_cannot_accept_their_own_proposal(published: Practice, contributor: Any) -> None:
    proposal = services.propose_change(practice=published, data={"title": "Better title"}, base_version=1,
                                       user=contributor, reason="clearer")
    response = signed_in(contributor).post(reverse("practices:review"),
                                           {"proposal": proposal.pk, "decision": "accept", "note": ""})
    assert response.status_code == 403
    proposal.refresh_from_db()
    published.refresh_from_db()
    assert proposal.status == Proposal.PENDING and published.title == "Single window for exporters"


def test_contributors_cannot_publish_or_restore_through_the_services(
        published: Practice, draft: Practice, contributor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.publish(practice=draft, user=contributor, reason="go")
    with pytest.raises(PermissionDenied):
        services.restore_version(practice=published, history_id=selectors.versions(published)[0].history_id,
                                 user=contributor, reason="go")
    draft.refresh_from_db()
    assert draft.status == Practice.DRAFT


def test_contributors_see_and_propose_on_drafts_but_the_public_does_not(draft: Practice, contributor: Any) -> None:
    client = signed_in(contributor)
    assert client.get(reverse("practices:versions", args=[draft.slug])).status_code == 200
    assert Client().get(reverse("practices:versions", args=[draft.slug])).status_code == 404


# --- curators -------------------------------------------------------------------------------------------


def test_curators_reach_every_page(published: Practice, curator: Any) -> None:
    client = signed_in(curator)
    for name, url in editing_urls(published.slug).items():
        assert client.get(url).status_code == 200, name
    versions = client.get(reverse("practices:versions", args=[published.slug])).content.decode()
    assert "Edit this record" in versions
    assert "csrfmiddlewaretoken" in versions


def test_restore_needs_post_and_csrf(published: Practice, curator: Any) -> None:
    services.update_practice(practice=published, data={"title": "Second"}, expected_version=1, user=curator,
                             reason="second")
    url = reverse("practices:restore", args=[published.slug, 1])
    assert signed_in(curator).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(curator)
    assert strict.post(url, {"reason": "no token"}).status_code == 403
    published.refresh_from_db()
    assert (published.title, published.version) == ("Second", 2)


def test_editing_pages_are_never_cached_for_the_public(published: Practice, curator: Any) -> None:
    """A curator's page (with its CSRF token) must not be served to someone else from the page cache."""
    signed_in(curator).get(reverse("practices:edit", args=[published.slug]))
    response = Client().get(reverse("practices:edit", args=[published.slug]))
    assert response.status_code == 302


def test_the_public_versions_page_shows_a_new_version_at_once(published: Practice, curator: Any) -> None:
    """Public pages are cached per data version: an edit must start a new one, or readers see stale history."""
    url = reverse("practices:versions", args=[published.slug])
    assert 'id="version-2"' not in Client().get(url).content.decode()
    response = signed_in(curator).post(reverse("practices:edit", args=[published.slug]), {
        "title": "Single window for all exporters", "summary": published.summary, "countries": "KEN",
        "scope": "national", "start_year": "2013", "implementer": "KenTrade", "instrument": "single_window",
        "obstacles": ["border_procedures"], "target_groups": ["all_firms"], "outcomes": "[]", "sources": "[]",
        "reason": "wider", "expected_version": "1",
    })
    assert response.status_code == 302
    assert 'id="version-2"' in Client().get(url).content.decode()
