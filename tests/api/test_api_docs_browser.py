"""The interactive API docs render in a real headless Chromium with every network request outside the
server blocked (Swagger UI comes from the server itself, not from a CDN)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlparse
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.test import Client

CHROMIUM = "/usr/bin/chromium"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"{CHROMIUM} is missing"
)


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def docs_server() -> Iterator[str]:
    """The real WSGI app on a free port. The docs need no database, so none is set up (and none is flushed)."""
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_docs_page_uses_local_assets(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page and "https://" not in page
    assert 'src="/api/v1/docs/assets/swagger-ui-bundle.js"' in page
    assert '"url": "/api/v1/openapi.json"' in page
    bundle = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and bundle["Content-Type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in b"".join(bundle.streaming_content)
    assert client.get("/api/v1/docs/assets/swagger-ui.css")["Content-Type"].startswith("text/css")
    for name in ("api.py", "..%2F__init__.py", "swagger-ui-bundle.js.map"):
        response = client.get(f"/api/v1/docs/assets/{name}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.browser
@needs_chromium
def test_docs_render_offline_in_chromium(docs_server: str) -> None:
    from playwright.sync_api import sync_playwright

    host = urlparse(docs_server).netloc
    blocked: list[str] = []

    def only_local(route, request) -> None:  # type: ignore[no-untyped-def]
        if urlparse(request.url).netloc == host:
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            page.goto(f"{docs_server}/api/v1/docs")
            page.wait_for_selector(".opblock", timeout=20_000)
            assert "MSME Lens API" in page.inner_text(".info .title")
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert "/api/v1/lens/analyze" in [p.replace("\u200b", "") for p in paths]
            assert len(paths) == 25
        finally:
            browser.close()
    assert not blocked, blocked
