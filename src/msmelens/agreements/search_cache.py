"""The ranked ids of broad searches, kept in each web process for the current data version.

A search that matches thousands of provisions ("customs", "cooperation", "publication") spends nearly all of
its time ranking them: bm25 (SQLite) or ts_rank_cd (PostgreSQL) is computed for every hit before the first
twenty can be shown, 10–20 ms on the whole ToTA corpus. A query that narrows its hits ranks few and answers
in a millisecond or two. Broad searches are made of the commonest words, so there are few of them and they
come back again and again; like Solr's query result cache, each process keeps the first ``DEPTH`` ranked ids
of a search that found at least ``BROAD_HITS`` provisions, and serves its first pages from them.

Nothing stale is ever served: the key holds the data version (``web.cache``), which every import and
curation renews, the database, and the exact query and filters. Narrow searches, pages past ``DEPTH`` and a
search a process has not run before are run in full. ``MSMELENS_SEARCH_CACHE`` (settings) sets how many
searches a process keeps (default 256, each at most ``DEPTH`` ids, a few kilobytes); ``0`` turns it off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from django.conf import settings

BROAD_HITS = 1000  # a search with at least this many hits is worth keeping
DEPTH = 200  # ranked ids kept per search: its first ten pages of twenty
DEFAULT_SIZE = 256


@dataclass(frozen=True, slots=True)
class Ranked:
    total: int
    ranks: tuple[tuple[int, float], ...]  # (provision pk, rank), best first; at most DEPTH


class RankedSearches:
    """A bounded, thread-safe, least-recently-used map of search keys to their ranked ids."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[Hashable, Ranked] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Ranked | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, ranked: Ranked) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = ranked
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


RANKED = RankedSearches(int(getattr(settings, "MSMELENS_SEARCH_CACHE", DEFAULT_SIZE)))


def enabled() -> bool:
    return RANKED.size > 0


def worth_keeping(total: int) -> bool:
    """Whether a search with ``total`` hits is broad enough to keep."""
    return enabled() and total >= BROAD_HITS
