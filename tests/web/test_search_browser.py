"""The search page in a real browser (Debian's Chromium): a Spanish query, the language choice, no JavaScript.

A real ``msmelens serve`` over its own SQLite database holding the TPP in English and in Spanish, imported
with ``msmelens corpus import``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests import serving

CHROMIUM = "/usr/bin/chromium"
TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} is missing"
    ),
]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = serving.server_env(dict(os.environ), str(tmp_path_factory.mktemp("search-browser-home")))
    paths = [str(TOTA / name) for name in ("pta_449.xml", "pta_450.xml")]
    subprocess.run([sys.executable, "-m", "msmelens", "corpus", "import", *paths], env=env, check=True,
                   capture_output=True)
    with serving.served(env) as url:
        yield url


def test_a_spanish_query_then_one_language_without_javascript(server_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(base_url=server_url, java_script_enabled=False)
        page = context.new_page()
        page.goto("/es/search/")
        page.fill("form[role=search] input[name=q]", "resoluciones anticipadas")
        page.click("form[role=search] button[type=submit]")
        languages = set(page.locator(".hit .badge.lang").all_inner_texts())
        assert {"Inglés", "Español"} <= languages
        assert page.locator(".hit mark", has_text="advance").count() > 0
        page.select_option("form[role=search] select[name=language]", "en")
        page.click("form[role=search] button[type=submit]")
        assert "language=en" in page.url
        assert set(page.locator(".hit .badge.lang").all_inner_texts()) == {"Inglés"}
        assert page.locator("form[role=search] select[name=language]").input_value() == "en"
        browser.close()
