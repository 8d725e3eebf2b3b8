"""Fixtures of the practice library, for its own tests and for the pages, API and brief that build on it.

* ``seed_path``: the shared seed file (``../shared/evidence/practices.jsonl``, 73 records).
* ``seeded``: that file imported through the real import service (an :class:`ImportReport`).
* ``curator`` / ``contributor``: users in the ``curator`` and ``contributor`` groups of migration 0002.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED_PATH = Path(__file__).resolve().parents[2] / ".." / "shared" / "evidence" / "practices.jsonl"
SEED_COUNT = 73


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The shared seed file; the tests fail (not skip) when it is missing."""
    if not SEED_PATH.is_file():
        pytest.fail(f"The shared seed file is missing: {SEED_PATH}")
    return SEED_PATH.resolve()


@pytest.fixture
def seeded(db, seed_path):  # type: ignore[no-untyped-def]
    """The seed file imported (and published) through ``services.import_practices``."""
    from msmelens.practices import services

    report = services.import_practices(path=seed_path)
    assert not report.rejected, [str(r) for r in report.rejected]
    return report


def _member(username: str, group_name: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username=username, password="a-long-test-password-123")
    user.groups.add(Group.objects.get(name=group_name))
    return User.objects.get(pk=user.pk)  # fresh: no permission cache from before the group was added


@pytest.fixture
def curator(db):  # type: ignore[no-untyped-def]
    """A user in the ``curator`` group (reviews, publishes, edits, restores)."""
    return _member("carla-curator", "curator")


@pytest.fixture
def contributor(db):  # type: ignore[no-untyped-def]
    """A user in the ``contributor`` group (proposes only)."""
    return _member("omar-contributor", "contributor")


@pytest.fixture
def second_curator(db):  # type: ignore[no-untyped-def]
    """Another curator, for two people editing the same record."""
    return _member("bea-curator", "curator")
