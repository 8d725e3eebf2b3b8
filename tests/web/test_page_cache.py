"""The whole-response cache: hits for repeated anonymous GETs, never for users, POSTs or stale data."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from tests.sample import TPP_EN as TPP

from msmelens.web.cache import new_data_version

pytestmark = pytest.mark.django_db



def test_second_anonymous_get_is_served_from_the_cache_with_the_same_body(sample_db: None) -> None:
    client = Client()
    first = client.get(f"/agreements/{TPP}/")
    second = client.get(f"/agreements/{TPP}/")
    assert first.status_code == second.status_code == 200
    assert first["X-MSME-Lens-Cache"] == "miss"
    assert second["X-MSME-Lens-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_languages_and_query_strings_are_cached_apart(sample_db: None) -> None:
    client = Client()
    english = client.get(f"/agreements/{TPP}/")
    french = client.get(f"/fr/agreements/{TPP}/")
    assert b'lang="fr"' in french.content and b'lang="fr"' not in english.content[:200]
    client.get("/api/v1/agreements?limit=1")
    other = client.get("/api/v1/agreements?limit=2")
    assert other["X-MSME-Lens-Cache"] == "miss"
    assert len(other.json()["items"]) == 2


def test_a_new_data_version_makes_the_next_request_render_again(sample_db: None) -> None:
    client = Client()
    client.get("/api/v1/overview")
    assert client.get("/api/v1/overview")["X-MSME-Lens-Cache"] == "hit"
    new_data_version()
    assert client.get("/api/v1/overview")["X-MSME-Lens-Cache"] == "miss"


def test_signed_in_users_and_posts_bypass_the_cache(sample_db: None) -> None:
    user = User.objects.create_user("reader", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    client.get("/agreements/")
    response = client.get("/agreements/")
    assert response.status_code == 200
    assert "X-MSME-Lens-Cache" not in response
    posted = Client().post("/analyze/", {"text": "Each Party shall publish its customs laws on the internet."})
    assert "X-MSME-Lens-Cache" not in posted


def test_the_language_switcher_works_without_a_csrf_token(sample_db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/es/agreements/"})
    assert response.status_code == 302
    assert response["Location"] == "/es/agreements/"
    page = client.get("/agreements/")
    assert b'name="csrfmiddlewaretoken"' not in page.content


@pytest.mark.parametrize(
    "url",
    ["/practices/", "/what-works/finance/", "/countries/PER/brief/", "/surveys/msme-trade-obstacles/results/"],
)
def test_pages_that_change_with_responses_or_edits_are_never_served_from_the_cache(
    sample_db: None, url: str
) -> None:
    client = Client()
    first = client.get(url)
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert "X-MSME-Lens-Cache" not in second


def test_search_pages_are_neither_kept_nor_read(sample_db: None) -> None:
    """Nearly every search is asked once: keeping them would only push the pre-rendered pages out."""
    from django.core.cache import cache

    from msmelens.web.cache import cache_key, data_version

    client = Client()
    for prefix in ("", "/fr", "/es"):
        first = client.get(f"{prefix}/search/?q=customs")
        second = client.get(f"{prefix}/search/?q=customs")
        assert first.status_code == second.status_code == 200
        assert "X-MSME-Lens-Cache" not in first and "X-MSME-Lens-Cache" not in second
        key = cache_key([data_version(), "page", prefix.strip("/") or "en", f"{prefix}/search/?q=customs"])
        assert cache.get(key) is None
    assert client.get(f"/agreements/{TPP}/")["X-MSME-Lens-Cache"] == "miss"  # other pages still are
