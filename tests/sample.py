"""The real ToTA agreements imported by the session-wide ``sample_db`` fixture (tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
TOTA_XML = SHARED / "tota" / "xml"

# file name -> what it is
SAMPLE_FILES: dict[str, str] = {
    "pta_449.xml": "Trans-Pacific Partnership (English; chapter 24 on SMEs)",
    "pta_450.xml": "Trans-Pacific Partnership (Spanish text)",
    "pta_1.xml": "Japan - Thailand (English)",
    "pta_88.xml": "West African Economic and Monetary Union, WAEMU (French)",
    "pta_324.xml": "India - Nepal (English, West Asia)",
    "pta_267.xml": "Gulf Cooperation Council, GCC (English, Middle East, 1981)",
    "pta_310.xml": "South Africa - Southern Rhodesia Customs Union (English, 1948)",
}
SAMPLE_PATHS: list[Path] = [TOTA_XML / name for name in SAMPLE_FILES]

# lens ids of the sample agreements ("tota-<treaty_identifier>")
TPP_EN = "tota-449"
TPP_ES = "tota-450"
JAPAN_THAILAND = "tota-1"
WAEMU_FR = "tota-88"
INDIA_NEPAL = "tota-324"
GCC = "tota-267"
SA_RHODESIA = "tota-310"
SAMPLE_IDS: list[str] = [TPP_EN, TPP_ES, JAPAN_THAILAND, WAEMU_FR, INDIA_NEPAL, GCC, SA_RHODESIA]
