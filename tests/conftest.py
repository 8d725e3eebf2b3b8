"""Test setup shared by every suite.

* ``MSMELENS_HOME`` points at a temporary directory for the whole session (secret key, SQLite file, cache).
* ``DJANGO_SETTINGS_MODULE=msmelens.web.settings``; with ``MSMELENS_DATABASE_URL=postgresql://...`` the same
  suite runs on PostgreSQL (pytest-django creates and drops the ``test_<name>`` database).
* ``sample_db``: the test database holds real ToTA agreements (``tests/sample.py``) imported once per session
  through the real ``import_paths`` service. Request it (or ``db``) in any test that reads agreements.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR.parent) not in sys.path:  # make ``tests.sample`` importable
    sys.path.insert(0, str(TESTS_DIR.parent))

_HOME = tempfile.mkdtemp(prefix="msmelens-test-home-")


def pytest_configure(config: pytest.Config) -> None:
    os.environ["MSMELENS_HOME"] = _HOME
    os.environ["DJANGO_SETTINGS_MODULE"] = "msmelens.web.settings"
    os.environ.setdefault("MSMELENS_SECRET_KEY", "test-secret-key-not-for-production-0123456789")
    from django.conf import settings

    settings.INSTALLED_APPS  # noqa: B018 - load settings now so pytest-django sets Django up after this hook


@pytest.fixture(scope="session")
def msmelens_home() -> Path:
    """The session's ``MSMELENS_HOME`` (a temporary directory)."""
    return Path(_HOME)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Create the test database, then import the sample agreements through the real import service."""
    from tests.sample import SAMPLE_PATHS

    from msmelens.agreements.services import import_paths

    missing = [str(p) for p in SAMPLE_PATHS if not p.exists()]
    if missing:
        pytest.fail(f"The shared ToTA corpus is missing these files: {missing}")
    with django_db_blocker.unblock():
        report = import_paths(paths=SAMPLE_PATHS, workers=2)
    if report.failed or report.imported + report.unchanged != len(SAMPLE_PATHS):
        pytest.fail(f"sample import failed: {report.summary()} {report.errors}")
    return report


@pytest.fixture
def sample_db(db, django_db_setup):  # type: ignore[no-untyped-def]
    """A database holding the sample agreements (tests/sample.py); each test's changes are rolled back."""
    return django_db_setup


@pytest.fixture(autouse=True)
def _fresh_data_version() -> None:
    """Give each test a fresh data version so cached figures never leak across rolled-back tests."""
    from msmelens.web.cache import new_data_version

    new_data_version()


@pytest.fixture(autouse=True)
def _fresh_survey_cache() -> None:
    """Surveys, forms and waves are cached per process for a few seconds; a rolled-back test must not leave
    its rows behind in that cache."""
    from msmelens.feedback.selectors import forget_cached

    forget_cached()


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in English: a request to /fr/ or /es/ leaves its language active in the thread."""
    from django.utils import translation

    translation.activate("en")
