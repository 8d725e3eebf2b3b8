"""The search page in three languages: a language choice, each hit's language named, translations found."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.sample import TPP_EN, TPP_ES

pytestmark = pytest.mark.usefixtures("sample_db")


def badges(html: str) -> list[str]:
    return re.findall(r'<span class="badge lang"[^>]*>([^<]*)</span>', html)


def count(html: str) -> int:
    found = re.search(r"(\d+) provisions? found", html)
    assert found, html[:500]
    return int(found.group(1))


def test_a_spanish_query_finds_english_provisions_named_as_such(client: Client) -> None:
    html = client.get("/search/", {"q": "resoluciones anticipadas"}).content.decode()
    assert {"English", "Spanish"} <= set(badges(html))
    assert f"/agreements/{TPP_EN}/" in html and f"/agreements/{TPP_ES}/" in html
    assert '<p lang="en">' in html and '<p lang="es">' in html
    assert "<mark>advance</mark>" in html.lower()


def test_the_language_choice_keeps_one_language(client: Client) -> None:
    everything = client.get("/search/", {"q": "resoluciones anticipadas"}).content.decode()
    english = client.get("/search/", {"q": "resoluciones anticipadas", "language": "en"}).content.decode()
    assert set(badges(english)) == {"English"}
    assert 0 < count(english) < count(everything)
    assert '<option value="en" selected>English</option>' in english


def test_language_names_follow_the_page_language(client: Client) -> None:
    french = client.get("/fr/search/", {"q": "guichet unique entreprises"}).content.decode()
    spanish = client.get("/es/search/", {"q": "resoluciones anticipadas"}).content.decode()
    assert set(badges(spanish)) >= {"Inglés", "Español"}
    assert '<select name="language"' in french and ">Espagnol</option>" in french


def test_an_unknown_language_is_refused(client: Client) -> None:
    response = client.get("/search/", {"q": "customs", "language": "de"})
    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()


def test_each_error_is_tied_to_its_field_for_screen_readers(client: Client) -> None:
    """The field says which element describes it (aria-describedby); that element is its error list."""
    import re

    html = client.get("/search/", {"q": "customs", "language": "de", "year_from": "abc"}).content.decode()
    described = set(re.findall(r'aria-describedby="([^"]+)"', html))
    lists = set(re.findall(r'<ul class="errorlist" id="([^"]+)"', html))
    assert described == lists == {"id_language_error", "id_year_from_error"}
