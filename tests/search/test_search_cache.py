"""The ranked ids of broad searches kept per process (``agreements.search_cache``; SQLite and PostgreSQL).

On the sample agreements no search reaches the real threshold (1,000 hits), so these tests lower it: a
broad search is ranked once, later pages of it come from the kept ranking with the same hits in the same
order, and a curation (a new data version) is seen at once.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from msmelens.agreements import search_cache
from msmelens.agreements.search_selectors import provision_search
from msmelens.agreements.services import curate_provision

pytestmark = pytest.mark.usefixtures("sample_db")


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> search_cache.RankedSearches:
    ranked = search_cache.RankedSearches(16)
    monkeypatch.setattr(search_cache, "RANKED", ranked)
    monkeypatch.setattr(search_cache, "BROAD_HITS", 20)
    return ranked


def ranking_queries(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "COUNT(*) OVER ()" in q["sql"]]


def hits(page) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    return [(h.provision.provision_id, h.rank) for h in page.hits]


def test_a_broad_search_is_ranked_once_and_its_pages_match_a_full_run(kept, monkeypatch):
    with CaptureQueriesContext(connection) as first:
        page1 = provision_search(q="customs", limit=10)
    assert page1.total >= 20 and len(ranking_queries(first)) == 1 and len(kept) == 1
    with CaptureQueriesContext(connection) as later:
        again = provision_search(q="customs", limit=10)
        page2 = provision_search(q="customs", limit=10, offset=10)
    assert ranking_queries(later) == []  # both answered from the kept ranking
    assert hits(again) == hits(page1) and again.total == page1.total
    monkeypatch.setattr(search_cache, "RANKED", search_cache.RankedSearches(0))  # off: everything runs
    assert hits(provision_search(q="customs", limit=10, offset=10)) == hits(page2)
    assert hits(provision_search(q="customs", limit=10)) == hits(page1)


def test_narrow_searches_and_deep_pages_always_run(kept, monkeypatch):
    narrow = provision_search(q="advance rulings", limit=5)
    assert 0 < narrow.total < 20 and len(kept) == 0
    monkeypatch.setattr(search_cache, "DEPTH", 10)
    with CaptureQueriesContext(connection) as ctx:
        provision_search(q="customs", limit=10, offset=10)  # past DEPTH: not kept, not read
    assert len(ranking_queries(ctx)) == 1 and len(kept) == 0


def test_filters_and_languages_are_kept_apart(kept):
    everything = provision_search(q="customs", limit=50)
    spanish = provision_search(q="customs", language="es", limit=50)
    assert spanish.total < everything.total
    assert {h.provision.language or h.agreement.language for h in spanish.hits} == {"es"}
    assert len(kept) == 2


def test_a_curation_is_seen_at_once(kept, django_user_model):
    before = provision_search(q="customs", relevance="explicit", limit=50)
    explicit_before = before.total
    page = provision_search(q="customs", limit=50)
    target = next(h.provision for h in page.hits if h.provision.relevance != "explicit")
    curator = django_user_model.objects.create(username="curator")
    curate_provision(provision=target, curator=curator, relevance="explicit", categories=["border_procedures"], binding="soft")
    after = provision_search(q="customs", relevance="explicit", limit=50)
    assert after.total == explicit_before + 1
    assert target.provision_id in {h.provision.provision_id for h in after.hits}
