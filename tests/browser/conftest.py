"""Browser tests: a real ``msmelens serve`` (gunicorn) on a free port over its own SQLite database holding two
real ToTA agreements imported with ``msmelens corpus import``, driven by Debian's Chromium through Playwright.

Skipped only when /usr/bin/chromium is missing and ``CI`` is unset (in CI they must run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests import serving

CHROMIUM = "/usr/bin/chromium"
TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"
FILES = ["pta_449.xml", "pta_1.xml"]  # TPP (SME chapter 24) and Japan - Thailand
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (set CI=1 to make this an error)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def corpus_server(home: Path, names: list[str]) -> Iterator[str]:
    """``msmelens serve`` over a fresh SQLite database in ``home`` holding the ToTA files ``names``."""
    env = serving.server_env(dict(os.environ), str(home))
    paths = [str(TOTA / name) for name in names]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        pytest.fail(f"The shared ToTA corpus is missing these files: {missing}")
    subprocess.run(
        [sys.executable, "-m", "msmelens", "corpus", "import", *paths],
        env=env,
        check=True,
        capture_output=True,
    )
    with serving.served(env) as url:
        yield url


def open_page(browser: Any, base_url: str, **options: Any) -> Iterator[Any]:
    """A page in a new browser context (``options`` as Playwright's ``new_context``); no script error allowed."""
    options.setdefault("viewport", {"width": 1200, "height": 900})
    context = browser.new_context(base_url=base_url, **options)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == []


def open_phone(browser: Any, base_url: str, javascript: bool) -> Iterator[Any]:
    """A phone-sized page (390 × 844, touch), with or without JavaScript."""
    yield from open_page(
        browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=javascript
    )


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from corpus_server(tmp_path_factory.mktemp("browser-home"), FILES)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server_url):  # type: ignore[no-untyped-def]
    yield from open_page(browser, server_url)
