"""The small WTO-plus corpus of tests/wto/data, written for these tests (not real treaties), and its known answers.

WTO side (read by the WTO reader): a TFA-like text whose advance-rulings and single-window articles are best
endeavour, whose publication and authorised-operator articles are binding (the latter with mutual recognition),
and a TBT-like text with a binding conformity-assessment article. No GPA or GATS text: procurement and
e-commerce are not compared.

Regional side (ToTA-like XML): three agreements, each article hand-checked against the definitions of
``msmelens.lens.wto_topics``.
"""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WTO_DIR = DATA / "wto"
REGIONAL_DIR = DATA / "regional"
REGIONAL_FILES = sorted(REGIONAL_DIR.glob("*.xml"))

ISL_MUS = "tota-9901"  # 2015, ISL + MUS
ISL_CHL = "tota-9902"  # 2019, ISL + CHL
MUS_ZAF = "tota-9903"  # 2019, MUS + ZAF
FIXTURE_IDS = {ISL_MUS, ISL_CHL, MUS_ZAF}

# topic -> WTO baseline level
BASELINE = {
    "publication": "binding",
    "advance_rulings": "soft",
    "single_window": "soft",
    "authorised_operators": "binding",
    "conformity_assessment": "binding",
    "procurement": "not_compared",
    "ecommerce": "not_compared",
}
# topic -> {provision id: (reasons, new instruments)} for every fixture provision on the topic
FINDINGS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "publication": {"tota-9901-a3": (["sme", "instrument"], ["free_of_charge"])},
    "advance_rulings": {
        "tota-9901-a1": (["binding", "instrument"], ["deadline"]),
        "tota-9903-a1": (["instrument"], ["deadline"]),
    },
    "single_window": {"tota-9901-a2": ([], [])},
    "authorised_operators": {"tota-9902-a1": ([], [])},
    "conformity_assessment": {"tota-9902-a2": (["instrument"], ["supplier_declaration"])},
    "procurement": {"tota-9902-a3": ([], [])},
    "ecommerce": {},
}
