"""The firm guide in a real browser at phone size (390 × 844): the whole self-assessment without JavaScript,
the report it opens, the private link from another browser, and the guide in French with JavaScript. The
server holds the TPP (Peru and Japan are parties; signed, not in force) and Japan–Thailand."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.browser.conftest import PHONE, open_phone

pytestmark = pytest.mark.browser

RADIOS = {
    "exporter": "yes", "online_sales": "no", "aware_agreements": "yes", "digital_awareness": "good",
    "skill_literacy": "good", "skill_ict": "basic", "skill_language": "none", "skill_business": "basic",
    "skill_social": "none", "digital_infrastructure": "partly", "digital_legal": "dont_know",
    "importer": "no", "location": "urban", "owner_gender": "female", "manager_gender": "female",
}
SELECTS = {
    "country": "PER", "sector": "C", "obstacle_border_procedures": "4",
    "obstacle_digital": "3", "obstacle_finance": "1", "obstacle_market_information": "1",
    "biggest_obstacle": "border_procedures",
}


def _database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    found = sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob("browser-home*/msmelens.sqlite3")})
    assert len(found) == 1, found
    return found[0]


def _rows(tmp_path_factory: pytest.TempPathFactory, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(_database(tmp_path_factory)) as db:
        return db.execute(sql, args).fetchall()


@pytest.fixture
def phone_no_js(browser, server_url):  # type: ignore[no-untyped-def]
    yield from open_phone(browser, server_url, javascript=False)


@pytest.fixture
def phone(browser, server_url):  # type: ignore[no-untyped-def]
    yield from open_phone(browser, server_url, javascript=True)


def _fits(page) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"])


def _fill(page) -> None:  # type: ignore[no-untyped-def]
    for name, value in SELECTS.items():
        page.select_option(f"select[name={name}]", value)
    page.fill("input[name=employees]", "12")
    page.fill("input[name=market_1]", "Japan")
    page.fill("input[name=market_2]", "NPL")
    for name, value in RADIOS.items():
        page.check(f"input[name={name}][value='{value}']")
    for value in ("advance_rulings", "sme_website", "contact_point"):
        page.check(f"input[name=aware_sme_provisions][value='{value}']")


def test_self_assessment_without_javascript_on_a_phone(phone_no_js, browser, server_url, tmp_path_factory):
    # awareness (1 + 1 + 1 + .75) / 4 = 0.94 is reached; skills (1 + .5 + 0 + .5 + 0 + 0) / 6 = 0.33 is not
    page = phone_no_js
    page.goto("/guide/")
    assert page.locator("h1").inner_text() == "What do trade agreements do for your firm?"
    assert _fits(page)
    _fill(page)
    page.check("input[name=consent]")
    with page.expect_navigation():
        page.get_by_role("button", name="See my report").click()
    assert "/guide/r/" in page.url
    assert page.locator("h1").inner_text() == "Your firm's report"
    assert page.locator("#stage").get_attribute("data-stage") == "skills"
    assert _fits(page), page.evaluate("document.documentElement.scrollWidth")
    # Japan: the TPP, signed but not in force; Nepal: no agreement, WTO rules
    tpp = page.locator("#market-JPN article[data-agreement='tota-449']")
    assert tpp.get_attribute("data-status") == "signed"
    assert "not yet in force" in tpp.inner_text()
    assert tpp.locator("li[data-provision]").count() > 0
    nepal = page.locator("#market-NPL").inner_text()
    assert "No trade agreement between Peru and Nepal" in nepal and "Trade Facilitation Agreement" in nepal
    assert "Customs and border procedures hold your trade back." in page.locator("#gaps").inner_text()
    assert page.locator("#survey-status").get_attribute("data-status") == "counted"
    link = page.locator("#private-link a").first.get_attribute("href") or ""
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # one assessment and one survey response, with the guide's answers under the survey's question names
    instance = _rows(tmp_path_factory, "SELECT survey_instance_id FROM guide_assessment WHERE survey_status = ?",
                     "shared")
    assert len(instance) == 1
    stored = _rows(tmp_path_factory, "SELECT channel, answers FROM feedback_response WHERE instance_id = ?",
                   instance[0][0])
    assert len(stored) == 1 and stored[0][0] == "web"
    answers = json.loads(stored[0][1])
    assert answers["country"] == "PER" and answers["markets"] == ["JPN", "NPL"]
    assert answers["obstacle_border_procedures"] == "4" and answers["size_class"] == "small"
    # the private link opens the report in another browser (no session), and changing answers adds nothing
    context = browser.new_context(base_url=server_url, viewport=PHONE, java_script_enabled=False)
    other = context.new_page()
    other.goto(f"/guide/r/{token}/")
    assert other.locator("#stage").get_attribute("data-stage") == "skills"
    other.goto(f"/guide/r/{token}/edit/")
    assert other.locator("input[name=market_1]").input_value() == "Japan"
    other.check("input[name=skill_language][value='good']")
    other.check("input[name=skill_social][value='good']")
    with other.expect_navigation():
        other.get_by_role("button", name="Save and see my report").click()
    assert other.url.endswith(f"/guide/r/{token}/"), other.content()[:3000]
    # skills now (1 + .5 + 1 + .5 + 1 + 0) / 6 = 0.67: the next step is infrastructure and rules
    assert other.locator("#stage").get_attribute("data-stage") == "infrastructure"
    context.close()
    counted = _rows(tmp_path_factory, "SELECT COUNT(*) FROM feedback_response WHERE is_current = 1 AND "
                    "json_extract(answers, '$.country') = 'PER' AND json_extract(answers, '$.markets[0]') = 'JPN'")
    assert counted == [(1,)]


def test_guide_in_french_with_javascript_on_a_phone(phone):
    phone.goto("/fr/guide/")
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert phone.locator("select[name=country] option[value=PER]").inner_text() == "Pérou"
    assert _fits(phone)
    phone.select_option("select[name=country]", "PER")
    phone.fill("input[name=market_1]", "Japon")
    with phone.expect_navigation():
        phone.locator("#guide-submit").click()
    assert "/fr/guide/r/" in phone.url
    assert phone.locator("#stage").get_attribute("data-stage") == "awareness"
    assert "Japon" in phone.locator("#market-JPN h3").inner_text()
    assert phone.locator("#survey-status").get_attribute("data-status") == "not_shared"
    assert _fits(phone)
    phone.screenshot(path=str(Path("/tmp") / "guide-report-fr.png"), full_page=True)
