"""The WTO downloader against a local HTTP server serving the fixture pages (no internet): first download,
resume, checksums (a changed text), a broken download, a timeout, 404, 429/Retry-After, no network, the CLI."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from msmelens.cli.main import cli
from msmelens.corpus.wto_download import MANIFEST, USER_AGENT, download, load_manifest, verify
from msmelens.corpus.wto_reader import read_wto_file
from msmelens.corpus.wto_sources import source

DATA = Path(__file__).parent / "data" / "wto"


def path_of(key: str, lang: str) -> str:
    return urlsplit(source(key).urls[lang]).path


@dataclass
class Site:
    pages: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)  # path -> "truncate" | "slow" | "429once" | "404"
    log: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    url: str = ""

    def requests_for(self, path: str) -> list[tuple[str, str | None, str | None]]:
        return [r for r in self.log if r[0] == path]


class Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test server
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        site: Site = self.server.site  # type: ignore[attr-defined]
        rng = self.headers.get("Range")
        site.log.append((self.path, rng, self.headers.get("User-Agent")))
        mode = site.modes.get(self.path, "")
        body = site.pages.get(self.path)
        if body is None or mode == "404":
            self.send_error(404, "Not Found")
            return
        if mode == "slow":
            time.sleep(1.5)
        if mode == "429once":
            site.modes[self.path] = ""
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if mode == "truncate":
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.close_connection = True
            return
        start = int(rng.split("=")[1].split("-")[0]) if rng else 0
        if mode == "badrange" and start:  # claims to resume but sends the whole file
            self.send_response(206)
            self.send_header("Content-Range", f"bytes 0-{len(body) - 1}/{len(body)}")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body[start:])


@pytest.fixture()
def site() -> Iterator[Site]:
    state = Site()
    state.pages[path_of("tbt", "en")] = (DATA / "tbt.en.html").read_bytes()
    state.pages[path_of("gats", "fr")] = (DATA / "gats.fr.html").read_bytes()
    state.pages[path_of("gats-annex-telecommunications", "es")] = (DATA / "gats-end.es.html").read_bytes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.site = state  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def _get(site: Site, dest: Path, keys: list[str], languages: tuple[str, ...], **kw: Any):
    opts: dict[str, Any] = {"delay": 0.0, "timeout": 5.0, "retries": 1}
    opts.update(kw)
    return download(dest, keys=keys, languages=languages, base_url_override=site.url, **opts)


def test_first_download_records_checksums_and_files_read(site: Site, tmp_path: Path):
    seen: list[tuple[int, int, str]] = []
    report = _get(site, tmp_path, ["tbt"], ("en",), progress=lambda d, t, n: seen.append((d, t, n)))
    assert report.success and [r.status for r in report.results] == ["ok"]
    assert seen == [(1, 1, "tbt.en")]
    target = tmp_path / "tbt.en.html"
    assert target.read_bytes() == site.pages[path_of("tbt", "en")]
    entry = load_manifest(tmp_path)["tbt.en.html"]
    assert entry["url"] == site.url + path_of("tbt", "en") and entry["size"] == target.stat().st_size
    assert len(str(entry["sha256"])) == 64 and str(entry["downloaded"]).startswith("20")
    assert site.log[0][2] == USER_AGENT and "msmelens/" in USER_AGENT
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.tmp"))
    doc = read_wto_file(target)
    assert doc.id == "wto-tbt-en" and doc.chapters[0].heading == "Agreement on Technical Barriers to Trade"


def test_verify_names_damaged_missing_and_foreign_files(site: Site, tmp_path: Path):
    _get(site, tmp_path, ["tbt", "gats"], ("en", "fr"))
    assert verify(tmp_path) == {"gats.fr.html": "", "tbt.en.html": ""}
    (tmp_path / "tbt.en.html").write_bytes(b"<html>edited</html>")
    (tmp_path / "gats.fr.html").unlink()
    (tmp_path / "tfa.en.html").write_bytes(b"<html>copied by hand</html>")
    problems = verify(tmp_path)
    assert problems["tbt.en.html"].startswith("its checksum does not match")
    assert problems["gats.fr.html"].startswith("missing") and problems["tfa.en.html"].startswith(
        "not in the manifest"
    )


def test_second_run_skips_verified_files_without_a_request(site: Site, tmp_path: Path):
    _get(site, tmp_path, ["tbt"], ("en",))
    before = len(site.log)
    report = _get(site, tmp_path, ["tbt"], ("en",))
    assert [r.status for r in report.results] == ["unchanged"] and len(site.log) == before
    (tmp_path / "tbt.en.html").write_bytes(b"damaged")  # a damaged local copy is fetched again
    report = _get(site, tmp_path, ["tbt"], ("en",))
    assert [r.status for r in report.results] == ["unchanged"] and len(site.log) == before + 1
    assert (tmp_path / "tbt.en.html").read_bytes() == site.pages[path_of("tbt", "en")]


def test_changed_checksum_is_a_named_failure_unless_accepted(site: Site, tmp_path: Path):
    _get(site, tmp_path, ["tbt"], ("en",))
    old = (tmp_path / "tbt.en.html").read_bytes()
    site.pages[path_of("tbt", "en")] = old.replace(b"Article 12", b"Article 13")
    report = _get(site, tmp_path, ["tbt"], ("en",), refresh=True)
    [result] = report.results
    assert result.status == "failed" and "has changed since it was first downloaded" in result.reason
    assert "--accept-changes" in result.reason and not report.success
    assert (tmp_path / "tbt.en.html").read_bytes() == old  # the old copy is kept
    report = _get(site, tmp_path, ["tbt"], ("en",), refresh=True, accept_changes=True)
    assert [r.status for r in report.results] == ["ok"]
    assert b"Article 13" in (tmp_path / "tbt.en.html").read_bytes()
    assert load_manifest(tmp_path)["tbt.en.html"]["sha256"] == report.results[0].sha256
    report = _get(site, tmp_path, ["tbt"], ("en",), refresh=True)
    assert [r.status for r in report.results] == ["unchanged"]


def test_broken_download_is_not_kept_and_resumes_with_range(site: Site, tmp_path: Path):
    path = path_of("tbt", "en")
    site.modes[path] = "truncate"
    report = _get(site, tmp_path, ["tbt"], ("en",))
    [result] = report.results
    full = len(site.pages[path])
    assert result.status == "failed" and f"stopped after {full // 2} of {full} bytes" in result.reason
    assert "tried 2 times" in result.reason
    assert not (tmp_path / "tbt.en.html").exists() and "tbt.en.html" not in load_manifest(tmp_path)
    assert (tmp_path / "tbt.en.html.part").stat().st_size == full // 2
    site.modes[path] = ""
    report = _get(site, tmp_path, ["tbt"], ("en",))
    assert [r.status for r in report.results] == ["ok"] and "resumed" in report.results[0].reason
    assert site.log[-1][1] == f"bytes={full // 2}-"
    assert (tmp_path / "tbt.en.html").read_bytes() == site.pages[path]
    assert not (tmp_path / "tbt.en.html.part").exists()


def test_a_wrong_resume_starts_again(site: Site, tmp_path: Path):
    path = path_of("tbt", "en")
    (tmp_path / "tbt.en.html.part").write_bytes(b"<!DOCTYPE html PUBLIC stale bytes")
    site.modes[path] = "badrange"
    report = _get(site, tmp_path, ["tbt"], ("en",))
    assert [r.status for r in report.results] == ["ok"] and "resumed" not in report.results[0].reason
    assert [r[1] for r in site.requests_for(path)] == ["bytes=33-", None]
    assert (tmp_path / "tbt.en.html").read_bytes() == site.pages[path]


def test_a_failing_shared_page_is_asked_for_once(site: Site, tmp_path: Path):
    path = path_of("gats-annex-telecommunications", "es")
    site.modes[path] = "404"
    report = _get(site, tmp_path, ["gats-annex-telecommunications", "gats-annex-maritime"], ("es",))
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert report.results[0].reason == report.results[1].reason and "HTTP 404" in report.results[1].reason
    assert len(site.requests_for(path)) == 1


def test_timeout_404_and_retry_after(site: Site, tmp_path: Path):
    site.modes[path_of("tbt", "en")] = "slow"
    site.modes[path_of("gats", "fr")] = "429once"
    started = time.monotonic()
    report = _get(site, tmp_path, ["tbt", "gats", "marrakesh"], ("en", "fr"), timeout=0.3, retries=1)
    status = {r.name: (r.status, r.reason) for r in report.results}
    assert status["tbt.en"][0] == "failed" and "timed out" in status["tbt.en"][1]
    assert status["gats.fr"][0] == "ok" and len(site.requests_for(path_of("gats", "fr"))) == 2
    assert status["marrakesh.en"][0] == "failed" and "HTTP 404" in status["marrakesh.en"][1]
    assert path_of("marrakesh", "en") in status["marrakesh.en"][1]
    assert [r.name for r in report.failed] == ["tbt.en", "tbt.fr", "gats.en", "marrakesh.en", "marrakesh.fr"]
    assert not (tmp_path / "tbt.en.html").exists() and (tmp_path / "gats.fr.html").exists()
    assert time.monotonic() - started < 10


def test_an_answer_that_is_no_web_page_is_not_saved(site: Site, tmp_path: Path):
    site.pages[path_of("tbt", "en")] = b"Service temporarily unavailable"
    report = _get(site, tmp_path, ["tbt"], ("en",))
    assert [r.status for r in report.results] == ["failed"] and "is not a web page" in report.results[
        0
    ].reason
    assert not list(tmp_path.glob("tbt.*")) and load_manifest(tmp_path) == {}


def test_shared_page_fetched_once_for_several_annexes(site: Site, tmp_path: Path):
    keys = ["gats-annex-telecommunications", "gats-annex-financial-services"]
    report = _get(site, tmp_path, keys, ("es",))
    assert [r.status for r in report.results] == ["ok", "ok"]
    assert len(site.requests_for(path_of("gats-annex-telecommunications", "es"))) == 1
    doc = read_wto_file(tmp_path / "gats-annex-financial-services.es.html")
    assert doc.chapters[0].heading == "Anexo sobre servicios financieros"


def test_polite_delay_between_requests(site: Site, tmp_path: Path):
    started = time.monotonic()
    report = _get(site, tmp_path, ["tbt", "gats"], ("en", "fr"), delay=0.25)
    assert len(report.results) == 4 and len(site.log) == 4
    assert time.monotonic() - started >= 0.75  # three pauses between four requests


def test_no_network_says_so_in_one_line(tmp_path: Path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    report = download(
        tmp_path, keys=["tbt", "gats"], languages=("en",), base_url_override=f"http://127.0.0.1:{port}"
    )
    assert report.offline.startswith("No network: could not reach 127.0.0.1") and "\n" not in report.offline
    assert [r.reason for r in report.results] == ["not tried: no network"] * 2
    assert not report.success and not list(tmp_path.glob("*.html"))


def test_bad_selection():
    with pytest.raises(KeyError, match="unknown WTO text 'nope'"):
        download(Path("/nonexistent"), keys=["nope"])
    with pytest.raises(ValueError, match="unknown language 'de'"):
        download(Path("/nonexistent"), keys=["tbt"], languages=("de",))


def test_cli_download_wto(site: Site, tmp_path: Path):
    runner = CliRunner()
    args = ["corpus", "download", "wto", "--dest", str(tmp_path), "--only", "tbt", "--language", "en"]
    result = runner.invoke(cli, [*args, "--base-url", site.url])
    assert result.exit_code == 0, result.output
    assert "1 downloaded, 0 already up to date, 0 failed" in result.output
    assert f"Import them with: msmelens wto import {tmp_path}" in result.output
    assert json.loads((tmp_path / MANIFEST).read_text())["files"]["tbt.en.html"]["size"] > 0
    site.modes[path_of("tbt", "fr")] = "404"
    result = runner.invoke(cli, [*args, "--language", "fr", "--base-url", site.url])
    assert result.exit_code == 1
    assert "failed: tbt.fr: the WTO site answered HTTP 404" in result.output
    assert "0 downloaded, 1 already up to date, 1 failed" in result.output
    result = runner.invoke(cli, ["corpus", "download", "wto", "--dest", str(tmp_path), "--only", "nope"])
    assert result.exit_code == 2 and "Unknown WTO text 'nope'" in result.output
    result = runner.invoke(cli, ["corpus", "download", "tota", "--dest", str(tmp_path), "--only", "tbt"])
    assert result.exit_code == 2 and "are for `corpus download wto`" in result.output
