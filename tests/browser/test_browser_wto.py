"""The WTO pages in a real browser: a real ``msmelens serve`` over its own SQLite database (the fixture regional
agreements imported with ``msmelens corpus import``, the fixture WTO texts with ``msmelens wto import``),
driven by Debian's Chromium (the session's browser). Skipped only when /usr/bin/chromium is missing and ``CI`` is unset."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests import serving
from tests.browser.conftest import open_page
from tests.wto.corpus import ISL_MUS, REGIONAL_FILES, WTO_DIR

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} is missing"
    ),
]


@pytest.fixture(scope="module")
def wto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = serving.server_env(dict(os.environ), str(tmp_path_factory.mktemp("wto-browser-home")))
    for args in (["corpus", "import", *map(str, REGIONAL_FILES)], ["wto", "import", str(WTO_DIR)]):
        subprocess.run([sys.executable, "-m", "msmelens", *args], env=env, check=True, capture_output=True)
    with serving.served(env) as url:
        yield url


@pytest.fixture
def page(browser, wto_server):  # type: ignore[no-untyped-def]
    yield from open_page(browser, wto_server)


def test_from_the_wto_list_to_a_provision_beyond_the_wto(page) -> None:
    page.goto("/")
    page.get_by_role("link", name="WTO", exact=True).click()
    page.wait_for_url(re.compile(r"/wto/$"))
    assert page.locator("table.wto-agreements tbody tr").count() == 2
    page.get_by_role("link", name="Advance rulings").first.click()
    page.wait_for_url(re.compile(r"/wto/beyond/advance_rulings/$"))
    chart = page.locator("svg.year-count-chart")
    assert chart.locator("rect.bar").count() == 2  # 2015 and 2019
    assert chart.bounding_box()["height"] > 100
    page.locator(f'[data-agreement="{ISL_MUS}"] li a').first.click()
    page.wait_for_url(re.compile(rf"/agreements/{ISL_MUS}/#tota-9901-a1$"))
    assert page.locator("#tota-9901-a1").is_visible()


def test_country_section_on_a_phone_in_french(page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/fr/countries/ISL/")
    section = page.locator("#wto")
    assert section.is_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert section.locator('li[data-topic="advance_rulings"] a').count() == 2
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
