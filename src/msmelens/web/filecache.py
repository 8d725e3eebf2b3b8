"""Django's file cache, shared by every web worker, with culling done now and then instead of on every write.

``FileBasedCache.set`` lists the whole cache folder on each write to decide whether to cull; with thousands
of cached pages that listing costs more than rendering a page. Here a write culls only every
``CULL_EVERY`` writes of a process, so the folder still stays near ``MAX_ENTRIES``.
"""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200


class OccasionallyCulledFileCache(FileBasedCache):
    _writes = itertools.count(1)

    def _cull(self) -> None:
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()
