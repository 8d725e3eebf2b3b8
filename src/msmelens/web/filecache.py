"""Django's file cache, shared by every web worker, with culling done now and then instead of on every write.

``FileBasedCache.set`` lists the whole cache folder on each write to decide whether to cull; with thousands
of cached pages that listing costs more than rendering a page. Here a write culls only every
``CULL_EVERY`` writes of a process; each cull removes 1/``CULL_FREQUENCY`` of the files, so the folder
stays under about ``MAX_ENTRIES + CULL_EVERY * CULL_FREQUENCY`` files.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 200


class OccasionallyCulledFileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = itertools.count(1)

    def _cull(self) -> None:
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()
