"""The survey web form in a real browser at phone size: the whole default survey, in English and in French,
with and without JavaScript, stored once in the server's own SQLite database."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.browser.conftest import PHONE, open_phone

pytestmark = pytest.mark.browser

URL = "/surveys/msme-trade-obstacles/"
ANSWERS: dict[str, Any] = {
    "country": "PER",
    "sector": "C",
    "employees": "12",
    "year_started": "2015",
    "owner_gender": "female",
    "manager_gender": "female",
    "location": "urban",
    "exporter": "yes",
    "importer": "no",
    "online_sales": "yes",
    "markets": ["KOR", "NPL"],
    "obstacle_skills": "0",
    "obstacle_market_information": "1",
    "obstacle_border_procedures": "4",
    "obstacle_finance": "dk",
    "obstacle_digital": "2",
    "obstacle_infrastructure": "1",
    "obstacle_regulatory_framework": "3",
    "obstacle_dialogue_and_data": "1",
    "item_customs_time": "4",
    "biggest_obstacle": "border_procedures",
    "aware_agreements": "partly",
    "aware_sme_provisions": ["sme_website"],
    "digital_awareness": "basic",
    "comment": "Customs takes weeks.",
    "consent_followup": "no",
}


def _database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The browser server's own SQLite file (its MSMELENS_HOME is made by tests/browser/conftest.py)."""
    found = sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob("browser-home*/msmelens.sqlite3")})
    assert len(found) == 1, found
    return found[0]


def stored(tmp_path_factory: pytest.TempPathFactory, instance_id: str) -> list[tuple[str, str, str]]:
    with sqlite3.connect(_database(tmp_path_factory)) as db:
        return db.execute(
            "SELECT channel, language, answers FROM feedback_response WHERE instance_id = ?", (instance_id,)
        ).fetchall()


@pytest.fixture
def phone(browser, server_url):  # type: ignore[no-untyped-def]
    """A phone-sized page (390 × 844) with JavaScript."""
    yield from open_phone(browser, server_url, javascript=True)


@pytest.fixture
def phone_no_js(browser, server_url):  # type: ignore[no-untyped-def]
    """A phone-sized page with JavaScript turned off."""
    yield from open_phone(browser, server_url, javascript=False)


def fill_page(page, answers: dict[str, Any]) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer the questions on screen the way a person would; returns their names."""
    names = (page.locator("input[name=_shown]").get_attribute("value") or "").split()
    for name in names:
        if name not in answers:
            continue
        value = answers[name]
        if page.locator(f"select[name={name}]").count():
            page.select_option(f"select[name={name}]", value)
        elif page.locator(f"input[name={name}][type=radio], input[name={name}][type=checkbox]").count():
            for item in value if isinstance(value, list) else [value]:
                page.check(f"input[name={name}][value='{item}']")
        else:
            page.fill(f"[name={name}]", value)
    return names


def walk(page, answers: dict[str, Any], prefix: str, buttons: tuple[str, str], *, check_width: bool):  # type: ignore[no-untyped-def]
    """Fill and submit every page; returns the headings seen and the draft's instance id."""
    next_label, submit_label = buttons
    page.goto(prefix + URL)
    headings: list[str] = []
    instance_id = ""
    for _ in range(40):
        headings.append(page.locator("h1").inner_text())
        if check_width:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], headings[-1]
        fill_page(page, answers)
        instance_id = page.locator("input[name=_draft]").get_attribute("value") or ""
        submit = page.get_by_role("button", name=submit_label, exact=True)
        button = submit if submit.count() else page.get_by_role("button", name=next_label, exact=True)
        with page.expect_navigation():
            button.click()
        if re.search(r"/thanks/$", page.url):
            return headings, instance_id
        assert page.locator("#problems").count() == 0, page.locator("#problems").inner_text()
    raise AssertionError("the survey did not end")


def test_whole_survey_in_english_on_a_phone(phone, tmp_path_factory):
    headings, instance_id = walk(phone, ANSWERS, "", ("Next", "Submit"), check_width=True)
    assert headings[0] == "About your firm" and headings[-1] == "Last questions"
    assert "More about: Skills and know-how" not in headings  # rated 0: skipped
    assert "More about: Customs and border procedures" in headings
    assert phone.locator("h1").inner_text() == "Thank you"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    rows = stored(tmp_path_factory, instance_id)
    assert len(rows) == 1
    channel, language, answers = rows[0]
    assert (channel, language) == ("web", "en")
    answers = json.loads(answers)
    assert answers["employees"] == 12 and answers["size_class"] == "small"
    assert sorted(answers["markets"]) == ["KOR", "NPL"] and answers["obstacle_skills"] == "0"
    assert answers["aware_sme_provisions"] == ["sme_website"] and answers["comment"] == "Customs takes weeks."


def test_whole_survey_in_french_on_a_phone(phone, tmp_path_factory):
    phone.goto("/fr" + URL)
    assert phone.get_by_text("Dans quel pays votre entreprise est-elle établie ?").is_visible()
    assert phone.locator("#progress").inner_text() == "Page 1 sur 16"
    headings, instance_id = walk(phone, ANSWERS, "/fr", ("Suivante", "Envoyer"), check_width=True)
    assert headings[0] == "Votre entreprise"
    assert phone.locator("html").get_attribute("lang") == "fr"
    assert phone.locator("h1").inner_text() == "Merci"
    rows = stored(tmp_path_factory, instance_id)
    assert len(rows) == 1 and rows[0][:2] == ("web", "fr")


def test_required_answer_missing_then_fixed_without_javascript(phone_no_js, tmp_path_factory):
    page = phone_no_js
    page.goto(URL)
    page.fill("#q-employees", "12")
    with page.expect_navigation():
        page.get_by_role("button", name="Next", exact=True).click()
    assert page.locator("#q-country-error").inner_text() == "This question needs an answer."
    assert page.locator("#q-employees").input_value() == "12"  # what was typed is kept
    assert page.locator("h1").inner_text() == "About your firm"
    headings, instance_id = walk(page, ANSWERS, "", ("Next", "Submit"), check_width=False)
    assert page.locator("h1").inner_text() == "Thank you"
    rows = stored(tmp_path_factory, instance_id)
    assert len(rows) == 1 and rows[0][0] == "web"
    # "partly" brought the question on SME provisions onto the agreements page: shown twice
    assert headings.count("Trade agreements") == 2


def test_contact_questions_appear_after_consent_without_javascript(phone_no_js, tmp_path_factory):
    page = phone_no_js
    answers = {**ANSWERS, "consent_followup": "yes"}
    page.goto(URL)
    for _ in range(40):
        if page.locator("h1").inner_text() == "Last questions":
            break
        fill_page(page, answers)
        with page.expect_navigation():
            page.get_by_role("button", name="Next", exact=True).click()
    assert page.locator("#q-contact_email").count() == 0
    fill_page(page, answers)
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    assert page.locator("h1").inner_text() == "Last questions"
    assert "never published" in page.locator("#contact-privacy").inner_text()
    page.fill("#q-contact_email", "owner@example.org")
    instance_id = page.locator("input[name=_draft]").get_attribute("value") or ""
    with page.expect_navigation():
        page.get_by_role("button", name="Submit", exact=True).click()
    assert page.locator("h1").inner_text() == "Thank you"
    rows = stored(tmp_path_factory, instance_id)
    assert len(rows) == 1 and "owner@example.org" not in rows[0][2]
