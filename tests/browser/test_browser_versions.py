"""Browser: an agreement's language versions and the small-number marks, in Chromium without JavaScript.

Its own ``msmelens serve`` over a database holding the Trans-Pacific Partnership in English (pta_449) and in
Spanish (pta_450), imported with ``msmelens corpus import``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.browser.conftest import corpus_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def versions_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from corpus_server(tmp_path_factory.mktemp("versions-home"), ["pta_449.xml", "pta_450.xml"])


@pytest.fixture
def no_js(browser, versions_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=versions_url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    pg = context.new_page()
    yield pg
    context.close()


def _identifier(pg) -> str:  # type: ignore[no-untyped-def]
    return pg.locator("dl.meta dd").first.inner_text().strip()


def test_a_spanish_reader_gets_the_spanish_text_and_can_switch_to_the_english_one(no_js):
    no_js.goto("/es/agreements/tota-449/")
    assert _identifier(no_js) == "tota-450"
    box = no_js.locator("section.versions")
    assert box.is_visible()
    assert box.locator("li").count() == 2
    no_js.get_by_role("link", name="Inglés").click()
    assert "version=tota-449" in no_js.url
    assert _identifier(no_js) == "tota-449"
    # on a phone the box and its table stay within the screen
    width = no_js.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width


def test_the_disagreement_table_opens_without_javascript(no_js):
    no_js.goto("/agreements/tota-449/")
    assert _identifier(no_js) == "tota-449"
    summary = no_js.get_by_text("Show where the versions disagree")
    rows = no_js.locator("div.version-diff tbody tr")
    assert rows.count() > 0 and not rows.first.is_visible()
    summary.click()
    assert rows.first.is_visible()
    statement = no_js.locator("div.version-diff p strong").first.inner_text()
    assert statement.startswith(f"The lens labels {rows.count()} of ")


def test_the_overview_marks_shares_resting_on_fewer_than_five_agreements(no_js):
    no_js.goto("/")
    assert no_js.locator("ul.figures li b").first.inner_text().strip() == "1"  # one agreement, two texts
    assert no_js.locator("svg .small-n-mark").count() == 1  # the single year, 2016
    assert no_js.locator("svg .small-n-note").first.is_visible()
    assert no_js.locator("p.small-n-legend").first.is_visible()
