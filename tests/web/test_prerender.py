"""After an import, the most visited pages are rendered into the page cache ahead of the first visitor."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.sample import SAMPLE_IDS, TPP_EN

from msmelens.agreements.models import Agreement
from msmelens.web.cache import new_data_version
from msmelens.web.prerender import pages_to_prerender, prerender_pages

pytestmark = pytest.mark.django_db


def test_the_page_list_covers_every_agreement_in_every_language(sample_db: None) -> None:
    paths = pages_to_prerender()
    for lens_id in SAMPLE_IDS:
        assert f"/agreements/{lens_id}/" in paths
        assert f"/fr/agreements/{lens_id}/" in paths
        assert f"/es/agreements/{lens_id}/" in paths
    assert {"/", "/fr/", "/es/", "/countries/JPN/"} <= set(paths)
    assert len(paths) == len(set(paths))


def test_prerendered_pages_are_cache_hits_for_the_first_visitor(sample_db: None) -> None:
    new_data_version()
    count = prerender_pages(languages=["en"])
    assert count == len(pages_to_prerender(languages=["en"]))
    assert count >= Agreement.objects.count() + 3
    response = Client().get(f"/agreements/{TPP_EN}/")
    assert response.status_code == 200
    assert response["X-MSME-Lens-Cache"] == "hit"
    assert Client().get(f"/fr/agreements/{TPP_EN}/")["X-MSME-Lens-Cache"] == "miss"
