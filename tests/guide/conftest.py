"""Fixtures of the firm guide's tests.

``guide_db``: the session's sample agreements (tests/sample.py) plus three more real ToTA texts imported through
the real import service for each test (rolled back after it), so that the country pairs of the tests exist:

* Peru–Korea (pta_380, bilateral, in force): PER–KOR has exactly one agreement;
* Peru–Chile (pta_339, bilateral, in force) and the Pacific Alliance (pta_438, CHL COL MEX PER, in force),
  with the Trans-Pacific Partnership of the sample (signed, English and Spanish texts): PER–CHL has several;
* Peru–Nepal has none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.practices.conftest import seed_path, seeded  # noqa: F401  (the practice library's seed fixtures)
from tests.sample import TOTA_XML

EXTRA_FILES = ("pta_380.xml", "pta_339.xml", "pta_438.xml")


def corpus_meta(name: str) -> dict[str, object]:
    """A ToTA file's name, status and parties as its own XML states them (read here, not through the app)."""
    head = (TOTA_XML / name).read_text(encoding="utf-8")[:6000]
    parties_block = head.split("<parties>", 1)[1].split("</parties>", 1)[0]
    return {
        "lens_id": "tota-" + re.search(r"<treaty_identifier>(\d+)</treaty_identifier>", head).group(1),  # type: ignore[union-attr]
        "name": re.search(r"<name>(.*?)</name>", head).group(1).replace("&amp;", "&"),  # type: ignore[union-attr]
        "status": re.search(r"<status>(.*?)</status>", head).group(1),  # type: ignore[union-attr]
        "parties": re.findall(r"<partyisocode n=\"\d+\">(\w+)</partyisocode>", parties_block),
        "language": (re.search(r"<language>(.*?)</language>", head) or re.search("()", "")).group(1),  # type: ignore[union-attr]
    }


@pytest.fixture
def guide_db(sample_db):  # type: ignore[no-untyped-def]
    from msmelens.agreements.services import import_paths

    paths = [TOTA_XML / name for name in EXTRA_FILES]
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        pytest.fail(f"The shared ToTA corpus is missing these files: {missing}")
    report = import_paths(paths=paths, workers=1)
    assert not report.failed, report.errors
    return report


PERU_FIRM = {
    "country": "PER",
    "sector": "C",
    "employees": 12,
    "markets": ["KOR", "NPL"],
    "answers": {
        "aware_agreements": "no",
        "digital_awareness": "basic",
        "skill_ict": "good",
        "skill_language": "none",
        "obstacle_border_procedures": "4",
        "obstacle_finance": "0",
        "biggest_obstacle": "border_procedures",
    },
}
