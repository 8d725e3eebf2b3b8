"""A data version for caching pages, API answers and corpus figures: it changes on every import or curation."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
_VERSION_KEY = "msmelens:data-version"


def data_version() -> str:
    """The current data version (shared between processes through the file cache)."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex[:16]
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY) or version
    return str(version)


def new_data_version() -> str:
    """Start a new data version now (no database access)."""
    version = uuid.uuid4().hex[:16]
    cache.set(_VERSION_KEY, version, timeout=None)
    return version


def bump_data_version() -> str:
    """Start a new data version now and again when the current transaction commits."""
    version = new_data_version()
    transaction.on_commit(new_data_version)
    return version


def cache_key(key_parts: Iterable[object]) -> str:
    raw = "\x1f".join(str(p) for p in key_parts)
    return "msmelens:v:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def cached_for_data_version(key_parts: Iterable[object], compute: Callable[[], T], timeout: int = 3600) -> T:
    """``compute()`` once per data version and key; later calls read the cache."""
    key = cache_key([data_version(), *key_parts])
    sentinel = object()
    value = cache.get(key, sentinel)
    if value is sentinel:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value  # type: ignore[return-value]
