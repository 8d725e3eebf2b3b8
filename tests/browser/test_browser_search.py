"""The search page in a real browser (Debian's Chromium): a Spanish query, the language choice, no JavaScript.

Its own ``msmelens serve`` over a SQLite database holding the TPP in English and in Spanish, imported with
``msmelens corpus import``; the browser is the session's (``conftest.browser``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from tests import serving
from tests.browser.conftest import TOTA

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def search_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = serving.server_env(dict(os.environ), str(tmp_path_factory.mktemp("search-browser-home")))
    paths = [str(TOTA / name) for name in ("pta_449.xml", "pta_450.xml")]
    subprocess.run([sys.executable, "-m", "msmelens", "corpus", "import", *paths], env=env, check=True,
                   capture_output=True)
    with serving.served(env) as url:
        yield url


def test_a_spanish_query_then_one_language_without_javascript(browser, search_server_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=search_server_url, java_script_enabled=False)
    page = context.new_page()
    try:
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
    finally:
        context.close()
