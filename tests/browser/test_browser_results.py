"""The results page in a real browser at phone size: a real ``msmelens serve`` over its own SQLite database,
filled by ``msmelens feedback simulate`` (two waves of synthetic responses), driven by Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests import serving

pytestmark = pytest.mark.browser

URL = "/surveys/msme-trade-obstacles/results/"
PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("MSMELENS_SCREENSHOTS", "")) if os.environ.get("MSMELENS_SCREENSHOTS") else None


def _msmelens(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "msmelens", *args], env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def results_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Its own MSMELENS_HOME: two waves of the default survey, 600 synthetic responses each."""
    env = serving.server_env(dict(os.environ), str(tmp_path_factory.mktemp("results-home")))
    _msmelens(env, "manage", "migrate")
    for name, start, end, seed in (("2025-1", "2025-01-01", "2025-06-30", "1"),
                                   ("2025-2", "2025-07-01", "2025-12-31", "2")):
        _msmelens(env, "feedback", "waves", "add", "--survey", "msme-trade-obstacles", "--name", name,
                  "--start", start, "--end", end)
        _msmelens(env, "feedback", "simulate", "--n", "600", "--seed", seed, "--wave", name)
    with serving.served(env, workers=1) as url:
        yield url


@pytest.fixture
def phone(browser, results_server) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=results_server, viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("query", ["?synthetic=1", "?synthetic=1&by=size_class", "?synthetic=1&by=country"])
def test_results_fit_a_phone_and_the_figures_open(phone, query: str) -> None:  # type: ignore[no-untyped-def]
    response = phone.goto(URL + query)
    assert response is not None and response.status == 200
    assert phone.locator("#synthetic-banner").is_visible()
    assert phone.locator("svg.interval-bars").first.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    details = phone.locator("#ranking ~ details.data").first
    table = details.locator("table")
    assert not table.is_visible()
    details.locator("summary").click()  # no JavaScript: the <details> element opens by itself
    assert table.is_visible()
    first = table.locator("tbody tr").first
    assert "%" in first.inner_text() or "Not shown" in first.inner_text()
    assert phone.locator("#changes svg.change-bars").is_visible()  # two waves: the change chart
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = query.strip("?").replace("&", "_").replace("=", "-")
        phone.screenshot(path=str(SHOTS / f"results_{name}.png"), full_page=True)


def test_country_page_in_french_on_a_phone(phone) -> None:  # type: ignore[no-untyped-def]
    response = phone.goto("/fr" + URL + "PER/?synthetic=1")
    assert response is not None and response.status == 200
    assert phone.locator("h1").inner_text().startswith("Ce que disent les entreprises")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if SHOTS:
        phone.screenshot(path=str(SHOTS / "results_fr_PER.png"), full_page=True)
