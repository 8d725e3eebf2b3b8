"""Browser tests: a real ``msmelens serve`` (gunicorn) on a free port over its own SQLite database holding two
real ToTA agreements imported with ``msmelens corpus import``, driven by Debian's Chromium through Playwright.

Skipped only when /usr/bin/chromium is missing and ``CI`` is unset (in CI they must run).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
TOTA = Path(__file__).resolve().parents[2] / ".." / "shared" / "tota" / "xml"
FILES = ["pta_449.xml", "pta_1.xml"]  # TPP (SME chapter 24) and Japan - Thailand


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (set CI=1 to make this an error)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(port: int, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"msmelens serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-home")
    env = {**os.environ, "MSMELENS_HOME": str(home)}
    env.pop("MSMELENS_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    paths = [str(TOTA / name) for name in FILES]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        pytest.fail(f"The shared ToTA corpus is missing these files: {missing}")
    subprocess.run(
        [sys.executable, "-m", "msmelens", "corpus", "import", *paths],
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "msmelens",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server_url):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == []
