"""The WTO members / GPA 2012 parties lists shipped in the package, and the list of WTO legal-text sources."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pycountry
import pytest

from msmelens.corpus.wto_members import (
    gpa_list,
    gpa_parties,
    is_gpa_party,
    is_member,
    member_list,
    members,
    parties_for,
)
from msmelens.corpus.wto_sources import LANGUAGES, SOURCES, keys, source
from msmelens.countries.names import country_name

EU27 = {
    "AUT", "BEL", "BGR", "HRV", "CYP", "CZE", "DNK", "EST", "FIN", "FRA", "DEU", "GRC", "HUN", "IRL",
    "ITA", "LVA", "LTU", "LUX", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "ESP", "SWE",
}  # fmt: skip


def test_all_166_members_with_known_dates():
    m = members()
    assert len(m) == 166 and len(member_list()) == 166  # no duplicate codes
    assert sum(1 for d in m.values() if d == date(1995, 1, 1)) == 76  # the WTO's first-day members
    known = {
        "EUN": date(1995, 1, 1),
        "USA": date(1995, 1, 1),
        "CHE": date(1995, 7, 1),
        "CHN": date(2001, 12, 11),
        "TWN": date(2002, 1, 1),
        "VNM": date(2007, 1, 11),
        "RUS": date(2012, 8, 22),
        "AFG": date(2016, 7, 29),
        "COM": date(2024, 8, 21),
        "TLS": date(2024, 8, 30),
    }
    assert {code: m[code] for code in known} == known
    assert all(date(1995, 1, 1) <= d <= date(2024, 8, 30) for d in m.values())
    assert set(m) >= EU27
    for absent in ("DZA", "IRN", "ETH", "UZB", "BIH", "SRB", "BLR", "EU", "EUR"):
        assert absent not in m


def test_codes_are_iso3_and_named():
    for code in members():
        if code == "EUN":
            continue
        assert pycountry.countries.get(alpha_3=code) is not None, code
        assert country_name(code, "fr") != code
    assert country_name("EUN", "es") == "Unión Europea"


def test_is_member_on_a_date():
    assert is_member("chn") and is_member("CHN", date(2001, 12, 11))
    assert not is_member("CHN", date(2001, 12, 10))
    assert not is_member("DZA") and not is_member("")
    assert is_member("EU") and is_member("eur") and is_gpa_party("EU")
    assert len(parties_for("members", date(1995, 1, 1))) == 76
    assert parties_for("members") == sorted(members())
    with pytest.raises(ValueError, match="unknown parties"):
        parties_for("everyone")


def test_gpa_parties_with_eu_member_states():
    parties = gpa_parties()
    wto_listed = gpa_parties(include_eu_states=False)
    assert len(wto_listed) == 22 and len(parties) == 22 + 27
    assert set(parties) - set(wto_listed) == EU27
    assert all(parties[c] == parties["EUN"] == date(2014, 4, 6) for c in EU27)
    assert {c: wto_listed[c] for c in ("USA", "CHE", "GBR", "AUS", "MKD", "ABW")} == {
        "USA": date(2014, 4, 6),
        "CHE": date(2021, 1, 1),
        "GBR": date(2021, 1, 1),
        "AUS": date(2019, 5, 5),
        "MKD": date(2023, 10, 30),
        "ABW": date(2014, 7, 4),
    }
    assert set(parties) - {"ABW"} <= set(members())  # Aruba takes part through the Netherlands
    assert all(p.through in ("", "EU") for p in gpa_list())
    assert is_gpa_party("FRA") and not is_gpa_party("CHN") and not is_gpa_party("AUS", date(2019, 5, 4))
    assert len(parties_for("gpa", date(2014, 4, 6))) == 10 + 27
    assert "CHN" not in parties_for("gpa")


def test_csv_data_is_shipped_as_package_data():
    pyproject = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    assert "**/*.csv" in pyproject["tool"]["setuptools"]["package-data"]["msmelens"]


REQUIRED = [
    "marrakesh", "gatt1994", "agriculture", "sps", "tbt", "trims", "antidumping", "customs-valuation", "psi",
    "rules-of-origin", "import-licensing", "scm", "safeguards", "tfa", "gats", "gats-annex-telecommunications",
    "trips", "dsu", "tprm", "gpa2012",
]  # fmt: skip


def test_sources_cover_the_agreements():
    assert set(REQUIRED) <= set(keys()) and len(keys()) == len(SOURCES) == 27
    annexes = [s for s in SOURCES if s.key.startswith("gats-annex-")]
    assert len(annexes) == 8 and all(set(s.sections) == set(LANGUAGES) for s in annexes)
    assert all(re.fullmatch(r"\^[a-z ]+", s.sections[lang]) for s in annexes for lang in LANGUAGES)
    assert source("gpa2012").parties == "gpa" and source("gpa2012").year == 2012
    assert {s.parties for s in SOURCES if s.key != "gpa2012"} == {"members"}
    assert source("tbt").body == "Committee on Technical Barriers to Trade"
    assert source("tfa").body == "Committee on Trade Facilitation" and source("tfa").year == 2014
    assert source("gats-annex-telecommunications").body == "Council for Trade in Services"
    with pytest.raises(KeyError, match="unknown WTO text 'nope'"):
        source("nope")


def test_source_urls_are_wto_legal_texts_in_three_languages():
    pattern = {
        "en": r"https://www\.wto\.org/english/docs_e/legal_e/[\w.-]+_e\.htm",
        "fr": r"https://www\.wto\.org/french/docs_f/legal_f/[\w.-]+_f\.htm",
        "es": r"https://www\.wto\.org/spanish/docs_s/legal_s/[\w.-]+_s\.htm",
    }
    for s in SOURCES:
        assert set(s.urls) == set(LANGUAGES)
        for lang, url in s.urls.items():
            assert re.fullmatch(pattern[lang], url), url
        stems = {url.rsplit("/", 1)[1][:-6] for url in s.urls.values()}
        assert len(stems) == 1  # the same page in each language
    assert source("tbt").urls["en"] == "https://www.wto.org/english/docs_e/legal_e/17-tbt_e.htm"
    assert source("gpa2012").urls["es"] == "https://www.wto.org/spanish/docs_s/legal_s/rev-gpr-94_01_s.htm"
    assert len({s.urls["en"] for s in SOURCES}) == len(SOURCES) - 7  # eight GATS annexes share one page
