"""Download the WTO legal texts (``msmelens corpus download wto``): polite, resumable, checksummed.

Each text is saved as ``<dest>/<key>.<language>.html``. Bytes are written to ``<file>.part`` and renamed only
once complete, so a reader never meets a half-written file. ``<dest>/manifest.json`` records, per file, the
URL, sha256, size and date of the first download; a later run skips files that are complete and match it
(resuming an interrupted run), and with ``refresh=True`` fetches again and reports a changed text as a named
failure, keeping the old file, unless ``accept_changes=True``. Requests carry a User-Agent naming msmelens,
are spaced by ``delay`` seconds, honour 429/503 ``Retry-After``, resume a ``.part`` file with an HTTP Range
request, and are retried ``retries`` times on timeouts and server errors. Without a network the report says
so in one line. Standard library only (urllib).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path

from msmelens import __version__
from msmelens.corpus.wto_sources import LANGUAGES, SOURCES, WTO_SITE, WtoSource, source

PROJECT_URL = "https://pypi.org/project/msmelens/"
USER_AGENT = f"msmelens/{__version__} (MSME Lens, reads trade agreements; +{PROJECT_URL})"
MANIFEST = "manifest.json"
MAX_BYTES = 30 * 1024 * 1024
MAX_RETRY_AFTER = 120.0

Progress = Callable[[int, int, str], None]  # (documents done, documents in total, "key.lang")


@dataclass(slots=True)
class DocumentResult:
    key: str
    language: str
    url: str
    path: Path
    status: str  # "ok" (downloaded), "unchanged" (already here and verified), "failed"
    reason: str = ""  # plain-language reason for a failure (or a note)
    size: int = 0
    sha256: str = ""

    @property
    def name(self) -> str:
        return f"{self.key}.{self.language}"


@dataclass(slots=True)
class DownloadReport:
    dest: Path
    results: list[DocumentResult] = field(default_factory=list)
    offline: str = ""  # one-line message when the network could not be reached at all

    def by_status(self, status: str) -> list[DocumentResult]:
        return [r for r in self.results if r.status == status]

    @property
    def ok(self) -> list[DocumentResult]:
        return self.by_status("ok")

    @property
    def unchanged(self) -> list[DocumentResult]:
        return self.by_status("unchanged")

    @property
    def failed(self) -> list[DocumentResult]:
        return self.by_status("failed")

    @property
    def success(self) -> bool:
        return not self.offline and not self.failed


class _Offline(Exception):
    pass


class _Failure(Exception):
    pass


class _Retry(Exception):
    pass


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(dest: Path) -> dict[str, dict[str, object]]:
    """The manifest's ``files`` table (empty when there is none or it is unreadable)."""
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def _save_manifest(dest: Path, files: dict[str, dict[str, object]]) -> None:
    tmp = dest / (MANIFEST + ".part")
    payload = {
        "about": "WTO legal texts downloaded by msmelens; sha256 recorded at first download",
        "files": files,
    }
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, dest / MANIFEST)


def _url(src: WtoSource, language: str, base_url_override: str | None) -> str:
    url = src.urls[language]
    if base_url_override:
        url = base_url_override.rstrip("/") + url[len(WTO_SITE) :]
    return url


def _selected(keys: Iterable[str] | None) -> list[WtoSource]:
    if keys is None:
        return list(SOURCES)
    wanted = list(dict.fromkeys(keys))
    return [source(k) for k in wanted]  # KeyError names the known keys


def _retry_after(headers: Message | None) -> float:
    value = (headers.get("Retry-After") if headers is not None else None) or ""
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(value)))
    except ValueError:
        return 5.0


def _is_offline(exc: BaseException) -> bool:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, ConnectionRefusedError | OSError) and getattr(reason, "errno", None) in (
        101,  # network unreachable
        111,  # connection refused
        113,  # no route to host
        -2,
        -3,
    )


def _fetch(url: str, part: Path, *, timeout: float, retries: int, delay: float) -> tuple[bytes, str]:
    """Fetch ``url`` into ``part`` (resuming it with a Range request); returns (bytes, note)."""
    attempt = 0
    note = ""
    while True:
        attempt += 1
        have = part.stat().st_size if part.exists() else 0
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
        if have:
            request.add_header("Range", f"bytes={have}-")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https/http only)
                status = response.status
                length = response.headers.get("Content-Length")
                mode = "ab" if have and status == 206 else "wb"
                if mode == "ab" and not (response.headers.get("Content-Range") or "").startswith(
                    f"bytes {have}-"
                ):
                    part.unlink(missing_ok=True)  # resumed at the wrong place: start again
                    raise _Retry("the server resumed the download at the wrong place")
                if mode == "ab":
                    note = f"resumed after {have} bytes"
                expected = (
                    int(length) + (have if mode == "ab" else 0) if length and length.isdigit() else None
                )
                if expected is not None and expected > MAX_BYTES:
                    raise _Failure(
                        f"the file is larger than {MAX_BYTES >> 20} MB ({expected} bytes); not saved"
                    )
                with part.open(mode) as out:
                    while block := response.read(1 << 16):
                        out.write(block)
                        if out.tell() > MAX_BYTES:
                            raise _Failure(f"the file is larger than {MAX_BYTES >> 20} MB; not saved")
                got = part.stat().st_size
                if expected is None or got == expected:
                    return part.read_bytes(), note
                reason = f"the download stopped after {got} of {expected} bytes"
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:  # our partial file is unusable: start again
                part.unlink(missing_ok=True)
                reason = "the server refused to resume the partial file"
            elif exc.code in (429, 503):
                reason = f"the WTO site asked us to wait (HTTP {exc.code})"
                if attempt <= retries:
                    time.sleep(_retry_after(exc.headers))
                    continue
            else:
                raise _Failure(f"the WTO site answered HTTP {exc.code} {exc.reason} for {url}") from None
        except _Retry as exc:
            reason = str(exc)
        except _Failure:
            raise
        except TimeoutError:
            reason = f"no answer within {timeout:g} s (timed out)"
        except urllib.error.URLError as exc:
            if _is_offline(exc):
                raise _Offline(str(getattr(exc, "reason", exc))) from None
            reason = f"could not connect ({getattr(exc, 'reason', exc)})"
            if isinstance(getattr(exc, "reason", None), TimeoutError):
                reason = f"no answer within {timeout:g} s (timed out)"
        except (
            ConnectionError,
            OSError,
            http.client.HTTPException,
        ) as exc:  # reset, truncated chunked body …
            reason = f"the connection broke ({type(exc).__name__})"
        if attempt > retries:
            raise _Failure(f"{reason}; tried {attempt} times")
        time.sleep(delay)


def download(
    dest: Path,
    *,
    keys: Iterable[str] | None = None,
    languages: Iterable[str] = LANGUAGES,
    base_url_override: str | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
    retries: int = 2,
    delay: float = 1.0,
    accept_changes: bool = False,
    refresh: bool = False,
) -> DownloadReport:
    """Download the selected WTO texts into ``dest``; never raises for network or server trouble."""
    langs = [lang for lang in dict.fromkeys(languages)]
    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language {unknown[0]!r}: use one of {', '.join(LANGUAGES)}")
    sources = _selected(keys)
    dest.mkdir(parents=True, exist_ok=True)
    manifest = load_manifest(dest)
    report = DownloadReport(dest=dest)
    jobs = [(src, lang) for src in sources for lang in langs]
    fetched: dict[str, bytes] = {}  # URL -> bytes, so pages shared by several texts are fetched once
    failed: dict[str, str] = {}  # URL -> reason, so a failing shared page is not asked for again
    requests_made = 0
    for done, (src, lang) in enumerate(jobs, 1):
        name = f"{src.key}.{lang}.html"
        target = dest / name
        url = _url(src, lang, base_url_override)
        result = DocumentResult(src.key, lang, url, target, "failed")
        entry = manifest.get(name)
        recorded = str(entry.get("sha256", "")) if isinstance(entry, dict) else ""
        try:
            if recorded and target.is_file() and not refresh and _file_sha256(target) == recorded:
                result.status, result.sha256, result.size = "unchanged", recorded, target.stat().st_size
                result.reason = "already downloaded and verified"
            elif report.offline:
                result.reason = "not tried: no network"
            else:
                if url in failed:
                    raise _Failure(failed[url])
                if url in fetched:
                    data, note = fetched[url], "same page as another text"
                else:
                    if requests_made and delay:
                        time.sleep(delay)
                    requests_made += 1
                    part = dest / (name + ".part")
                    try:
                        data, note = _fetch(url, part, timeout=timeout, retries=retries, delay=delay)
                    except _Failure as exc:
                        failed[url] = str(exc)
                        raise
                    part.unlink(missing_ok=True)
                    fetched[url] = data
                _store(result, data, note, target, manifest, recorded, accept_changes, url)
                if result.status != "failed":
                    _save_manifest(dest, manifest)
        except _Offline as exc:
            report.offline = (
                f"No network: could not reach {url.split('/')[2]} ({exc}). "
                "Connect to the internet and run the command again; files already downloaded are kept."
            )
            result.reason = "not tried: no network"
        except _Failure as exc:
            result.reason = str(exc)
        except OSError as exc:
            result.reason = f"could not write {target} ({exc.strerror or type(exc).__name__})"
        report.results.append(result)
        if progress is not None:
            progress(done, len(jobs), result.name)
    return report


def _store(
    result: DocumentResult,
    data: bytes,
    note: str,
    target: Path,
    manifest: dict[str, dict[str, object]],
    recorded: str,
    accept_changes: bool,
    url: str,
) -> None:
    if not data.strip():
        raise _Failure(f"the WTO site sent an empty page for {url}")
    head = data[:65536].lower()
    if not any(tag in head for tag in (b"<html", b"<body", b"<!doctype html")):
        raise _Failure(f"the answer from {url} is not a web page (a login or error page?); not saved")
    digest = hashlib.sha256(data).hexdigest()
    result.sha256, result.size = digest, len(data)
    name = target.name
    if recorded and digest != recorded:
        if not accept_changes and target.exists():
            raise _Failure(
                f"the text at {url} has changed since it was first downloaded (sha256 {recorded[:12]}… is now "
                f"{digest[:12]}…); the old copy is kept. Run again with --accept-changes to take the new text"
            )
        note = (
            "the text had changed since the first download; the new text replaces the old one"
            if target.exists()
            else "the text differs from the first download and the old copy was gone; the new text is kept"
        )
    tmp = target.with_name(name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    if recorded and digest == recorded:
        result.status, result.reason = "unchanged", note or "downloaded again; same as before"
        return
    manifest[name] = {
        "url": url,
        "sha256": digest,
        "size": len(data),
        "downloaded": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }
    result.status, result.reason = "ok", note


def verify(dest: Path) -> dict[str, str]:
    """Check the downloaded texts in ``dest`` against the manifest: file name -> "" (verified) or a problem.

    Covers every ``<key>.<lang>.html`` file and every manifest entry, so an importer can skip files that are
    damaged, changed by hand or not from this downloader.
    """
    manifest = load_manifest(dest)
    names = {p.name for p in dest.glob("*.*.html")} | set(manifest)
    result: dict[str, str] = {}
    for name in sorted(names):
        entry = manifest.get(name)
        path = dest / name
        if not isinstance(entry, dict):
            result[name] = "not in the manifest (not downloaded by msmelens)"
        elif not path.is_file():
            result[name] = "missing: download it again"
        elif _file_sha256(path) != entry.get("sha256"):
            result[name] = "its checksum does not match the first download: download it again"
        else:
            result[name] = ""
    return result
