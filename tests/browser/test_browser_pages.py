"""The pages in a real browser: agreement, language switcher, search, draft upload."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

DRAFT = """Chapter 1 Small and Medium-Sized Enterprises

Article 1.1 Information Sharing
1. Each Party shall establish and maintain a publicly accessible website containing information for small and
medium-sized enterprises, including customs regulations and procedures.

Article 1.2 Cooperation
The Parties shall endeavour to cooperate to promote training for SMEs.
"""


def test_open_an_agreement_from_the_list(page):
    page.goto("/agreements/")
    page.get_by_role("link", name="Trans-Pacific Partnership").first.click()
    page.wait_for_url(re.compile(r"/agreements/tota-449/$"))
    assert page.locator("h1").inner_text() == "Trans-Pacific Partnership"
    sme = page.locator("section.sme")
    assert "Small And Medium-Sized Enterprises".lower() in sme.locator("h2").inner_text().lower()
    assert sme.locator("mark").count() > 0
    # the SME chapter comes before the other provisions
    first = page.locator("article.provision").first
    assert first.evaluate("el => el.closest('section').classList.contains('sme')")
    assert page.locator("svg.bar-chart rect.bar").count() == 8


def test_skip_link_is_first_and_reaches_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_switch_to_french_with_the_switcher(page):
    page.goto("/agreements/tota-449/")
    page.select_option("#language-select", "fr")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_url(re.compile(r"/fr/agreements/tota-449/$"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="À propos de cet accord").is_visible()
    # plain links work too, without the form
    page.get_by_role("link", name="español").click()
    page.wait_for_url(re.compile(r"/es/agreements/tota-449/$"))
    assert page.locator("html").get_attribute("lang") == "es"


def test_search_shows_highlighted_results(page):
    page.goto("/search/")
    page.get_by_label("Search the provisions").fill("small and medium-sized enterprises")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert re.search(r"\d+ provisions? found", page.locator("[role=status]").inner_text())
    assert page.locator(".hit mark").count() > 0
    page.locator(".hit a").first.click()
    page.wait_for_url(re.compile(r"/agreements/tota-(449|1)/#"))


def test_upload_a_draft_and_see_the_report(page, tmp_path):
    draft = tmp_path / "my-draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    page.goto("/analyze/")
    page.set_input_files("#id_file", str(draft))
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_selector("#report")
    assert "Lens report" in page.locator("#report").inner_text()
    assert page.locator("article.provision mark").count() > 0
    assert page.locator("text=Model language for what the draft lacks").is_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="JSON").click()
    assert info.value.suggested_filename.endswith(".json")


def test_empty_draft_shows_an_error_in_the_form(page):
    page.goto("/analyze/")
    page.get_by_role("button", name="Analyse").click()
    assert page.get_by_role("alert").inner_text().startswith("Paste some text")
