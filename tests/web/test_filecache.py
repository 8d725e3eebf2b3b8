"""The shared file cache culls now and then, not on every write, and still bounds its size."""

from __future__ import annotations

from pathlib import Path

from msmelens.web.filecache import CULL_EVERY, OccasionallyCulledFileCache


def test_the_cache_stays_near_its_bound_while_culling_only_every_so_often(tmp_path: Path) -> None:
    cache = OccasionallyCulledFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_FREQUENCY": 2}})
    for i in range(3 * CULL_EVERY):
        cache.set(f"key-{i}", i)
    files = list(tmp_path.glob("*.djcache"))
    assert len(files) < 3 * CULL_EVERY  # culled at least once
    assert len(files) <= 50 + 2 * CULL_EVERY  # bounded: each cull halves the files (CULL_FREQUENCY 2)
    assert cache.get(f"key-{3 * CULL_EVERY - 1}") == 3 * CULL_EVERY - 1
