"""`msmelens corpus import|download`, `serve` and `up` as real subprocesses against a real database.

Each test gets its own data directory; with ``MSMELENS_DATABASE_URL=postgresql://...`` each also gets a fresh
PostgreSQL database (created and dropped here), otherwise a fresh SQLite file.
"""

from __future__ import annotations

import http.server
import io
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from tests.sample import TOTA_XML

from msmelens.cli.platform_commands import DownloadError, extract_xml

MSMELENS = str(Path(sys.executable).with_name("msmelens"))


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "MSMELENS_SECRET_KEY"}}
    env["MSMELENS_HOME"] = str(tmp_path / "home")
    url = os.environ.get("MSMELENS_DATABASE_URL", "")
    if not url:
        env.pop("MSMELENS_DATABASE_URL", None)
        yield env
        return
    import psycopg

    name = f"msmelens_cli_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["MSMELENS_DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env: dict[str, str], *args: str, timeout: int = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MSMELENS, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_corpus_import_two_files_and_a_bad_one(cli_env, tmp_path: Path):
    bad = tmp_path / "not-a-treaty.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a PDF")
    files = [str(TOTA_XML / "pta_1.xml"), str(TOTA_XML / "pta_324.xml"), str(bad)]
    first = run(cli_env, "corpus", "import", *files, "--workers", "2")
    assert first.returncode == 0, first.stderr
    assert "2 imported (0 replaced), 0 unchanged, 1 failed" in first.stdout
    assert "not-a-treaty.pdf" in first.stderr
    again = run(cli_env, "corpus", "import", *files)
    assert again.returncode == 0, again.stderr
    assert "0 imported (0 replaced), 2 unchanged, 1 failed" in again.stdout


def test_corpus_import_exits_2_when_nothing_can_be_read(cli_env, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(cli_env, "corpus", "import", str(empty), str(tmp_path / "missing.xml"))
    assert result.returncode == 2
    assert "Nothing could be imported" in result.stderr
    assert "empty.txt" in result.stderr and "missing.xml" in result.stderr


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


SAMPLE_ZIP = {
    "tota-master/xml/pta_1.xml": (TOTA_XML / "pta_1.xml").read_bytes()
    if (TOTA_XML / "pta_1.xml").exists()
    else b"",
    "tota-master/xml/pta_324.xml": b"<treaty/>",
    "tota-master/README.md": b"readme",
    "tota-master/xml/../../evil.xml": b"<x/>",
    "tota-master/other/pta_9.xml": b"<x/>",
    "/abs/xml/pta_8.xml": b"<x/>",
    "tota-master/xml/notes.txt": b"x",
}


def test_extract_xml_keeps_only_safe_xml_files(tmp_path: Path):
    archive = tmp_path / "tota.zip"
    archive.write_bytes(_zip(SAMPLE_ZIP))
    dest = tmp_path / "out"
    dest.mkdir()
    assert extract_xml(archive, dest) == 2
    assert sorted(p.name for p in dest.iterdir()) == ["pta_1.xml", "pta_324.xml"]
    assert not (tmp_path / "evil.xml").exists()
    assert (dest / "pta_1.xml").read_bytes() == (TOTA_XML / "pta_1.xml").read_bytes()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(DownloadError, match="not a valid zip"):
        extract_xml(junk, dest)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_corpus_download_from_a_local_server_and_offline(cli_env, tmp_path: Path):
    payload = _zip(SAMPLE_ZIP)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        dest = tmp_path / "tota"
        url = f"http://127.0.0.1:{server.server_port}/master.zip"
        result = run(cli_env, "corpus", "download", "tota", "--dest", str(dest), "--url", url)
        assert result.returncode == 0, result.stderr
        assert "Saved 2 ToTA agreements" in result.stdout
        assert sorted(p.name for p in dest.iterdir()) == ["pta_1.xml", "pta_324.xml"]
    finally:
        server.shutdown()
    offline = run(cli_env, "corpus", "download", "tota", "--url", f"http://127.0.0.1:{_free_port()}/x.zip")
    assert offline.returncode == 1
    assert "Could not download the ToTA corpus" in offline.stderr and "online" in offline.stderr


def _wait_for(url: str, proc: subprocess.Popen[str], timeout: float = 90) -> tuple[int, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {proc.stdout.read() if proc.stdout else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"no answer from {url} within {timeout} s")


def _stop(proc: subprocess.Popen[str]) -> str:
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out or ""


def test_serve_answers_on_a_free_port(cli_env):
    port = _free_port()
    proc = subprocess.Popen(
        [MSMELENS, "serve", "--port", str(port), "--workers", "1"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, body = _wait_for(f"http://127.0.0.1:{port}/admin/login/", proc)
        assert status == 200 and "csrfmiddlewaretoken" in body
    finally:
        out = _stop(proc)
    assert f"http://127.0.0.1:{port}/" in out


def test_up_imports_on_the_first_run_then_serves(cli_env, tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("pta_324.xml", "pta_310.xml"):
        (corpus / name).write_bytes((TOTA_XML / name).read_bytes())
    port = _free_port()
    proc = subprocess.Popen(
        [MSMELENS, "up", "--corpus", str(corpus), "--port", str(port), "--workers", "1"],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, _ = _wait_for(f"http://127.0.0.1:{port}/admin/login/", proc)
        assert status == 200
    finally:
        out = _stop(proc)
    assert "First run: importing" in out and "2 imported" in out
    again = run(cli_env, "corpus", "import", str(corpus))
    assert "0 imported (0 replaced), 2 unchanged" in again.stdout
