"""``wto_db``: the sample agreements, the three regional fixture agreements and the two WTO fixture texts, all
imported through the real services (rolled back after each test)."""

from __future__ import annotations

import pytest
from tests.wto.corpus import REGIONAL_FILES, WTO_DIR


@pytest.fixture
def regional_db(sample_db):  # type: ignore[no-untyped-def]
    from msmelens.agreements.services import import_paths

    report = import_paths(paths=REGIONAL_FILES, workers=1)
    assert report.failed == 0 and report.imported == len(REGIONAL_FILES), report.errors
    return report


@pytest.fixture
def wto_db(regional_db):  # type: ignore[no-untyped-def]
    from msmelens.wto.services import import_wto_directory

    report = import_wto_directory(directory=WTO_DIR)
    assert report.failed == 0 and report.imported == 2, report.errors
    return report
