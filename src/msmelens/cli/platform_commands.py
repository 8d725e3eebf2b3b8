"""`msmelens corpus import|download`, `msmelens serve`, `msmelens up`, `msmelens manage` (see docs/platform.md)."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

import click

TOTA_ZIP_URL = "https://github.com/mappingtreaties/tota/archive/refs/heads/master.zip"
MAX_ZIP_BYTES = 600 * 1024 * 1024
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
_SAFE_XML_NAME = re.compile(r"^[A-Za-z0-9_.-]+\.xml$")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msmelens.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _home() -> Path:
    from msmelens.web.config import home_dir

    return home_dir()


def _run_import(paths: list[str], workers: int | None, prerender: bool = True) -> int:
    """Import ``paths``; print a summary; return the exit code (0 ok, 2 nothing could be read)."""
    from msmelens.agreements.services import import_paths

    tty = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if tty:
            width = 30
            filled = int(width * done / total) if total else width
            click.echo(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}",
                nl=False,
                err=True,
            )

    report = import_paths(paths=paths, workers=workers, progress=progress)
    if tty:
        click.echo("", err=True)
    for message in report.errors[:50]:
        click.echo(f"  skipped: {message}", err=True)
    if len(report.errors) > 50:
        click.echo(f"  ... and {len(report.errors) - 50} more files could not be read.", err=True)
    click.echo(f"Corpus import: {report.summary()}.")
    if not report.ok:
        click.echo("Nothing could be imported: check the path(s) and the messages above.", err=True)
        return 2
    if report.imported and prerender:
        _prerender(workers)
    return 0


def _prerender(workers: int | None) -> None:
    """Fill the page cache with the most visited pages (an import empties it)."""
    import time

    from msmelens.web.prerender import prerender_pages

    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty:
            click.echo(f"\rPreparing pages: {done}/{total}", nl=False, err=True)

    started = time.perf_counter()
    count = prerender_pages(workers=max(1, workers or os.cpu_count() or 1), progress=progress)
    if tty:
        click.echo("", err=True)
    click.echo(f"Prepared {count} pages in {time.perf_counter() - started:.1f} s.")


@click.group()
def corpus() -> None:
    """Import agreements into the database, or download the public ToTA corpus."""


@corpus.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--workers", type=int, envvar="MSMELENS_WORKERS", help="Worker processes (default: all CPUs).")
@click.option(
    "--prerender/--no-prerender",
    default=True,
    show_default=True,
    help="After a change, render the agreement, country and overview pages into the page cache.",
)
def corpus_import(paths: tuple[str, ...], workers: int | None, prerender: bool) -> None:
    """Read, analyse and store every agreement file under PATHS (files or folders)."""
    _setup_django()
    _migrate()
    missing = [p for p in paths if not Path(p).exists()]
    for p in missing:
        click.echo(f"  not found: {p}", err=True)
    sys.exit(_run_import(list(paths), workers, prerender))


@corpus.command("download")
@click.argument("name", type=click.Choice(["tota", "wto"]))
@click.option(
    "--dest",
    type=click.Path(file_okay=False),
    help="Folder for the files (default: $MSMELENS_HOME/tota/xml, or $MSMELENS_HOME/wto for wto).",
)
@click.option(
    "--url", default=TOTA_ZIP_URL, show_default=True, help="Where to download the ToTA archive from."
)
@click.option("--only", multiple=True, help="wto: download only this text (repeatable), e.g. --only tbt.")
@click.option(
    "--language", "languages", multiple=True, type=click.Choice(["en", "fr", "es"]), help="wto: language."
)
@click.option(
    "--refresh", is_flag=True, help="wto: fetch again and check the texts against their first download."
)
@click.option(
    "--accept-changes", is_flag=True, help="wto: replace texts whose checksum changed on the WTO site."
)
@click.option("--base-url", hidden=True, help="wto: fetch from this site instead of https://www.wto.org.")
def corpus_download(
    name: str,
    dest: str | None,
    url: str,
    only: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    refresh: bool = False,
    accept_changes: bool = False,
    base_url: str | None = None,
) -> None:
    """Download the public ToTA corpus (CC BY-NC), or the WTO legal texts (wto; see docs/wto.md)."""
    if name == "wto":
        from msmelens.cli.corpus_commands import download_wto

        sys.exit(
            download_wto(
                dest=Path(dest) if dest else None,
                only=only,
                languages=languages,
                refresh=refresh,
                accept_changes=accept_changes,
                base_url=base_url,
            )
        )
    if only or languages or refresh or accept_changes or base_url:
        click.echo(
            "--only, --language, --refresh and --accept-changes are for `corpus download wto`.", err=True
        )
        sys.exit(2)
    target = Path(dest) if dest else _home() / "tota" / "xml"
    try:
        n = download_tota(url=url, dest=target)
    except DownloadError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"Saved {n} ToTA agreements in {target}. Import them with: msmelens corpus import {target}")


class DownloadError(Exception):
    """The corpus could not be downloaded or unpacked (one line for the user)."""


def download_tota(*, url: str = TOTA_ZIP_URL, dest: Path) -> int:
    """Download the ToTA zip and extract only ``xml/*.xml`` members (flattened, size-capped)."""
    import urllib.error
    import urllib.request

    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="msmelens-dl-") as tmp:
        archive = Path(tmp) / "tota.zip"
        try:
            with urllib.request.urlopen(url, timeout=60) as response, archive.open("wb") as out:  # noqa: S310
                size = 0
                while block := response.read(1 << 20):
                    size += len(block)
                    if size > MAX_ZIP_BYTES:
                        raise DownloadError(
                            f"The download from {url} is larger than {MAX_ZIP_BYTES >> 20} MB; stopped."
                        )
                    out.write(block)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DownloadError(
                f"Could not download the ToTA corpus from {url} ({reason}). Are you online? "
                "You can also download the zip by hand and run: msmelens corpus import <folder with the XML files>"
            ) from None
        return extract_xml(archive, dest)


def extract_xml(archive: Path, dest: Path) -> int:
    """Copy the ``*.xml`` files found under an ``xml/`` folder of the zip into ``dest``; returns how many."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise DownloadError(f"{archive.name} is not a valid zip archive.") from None
    total = count = 0
    with zf:
        for info in zf.infolist():
            parts = PurePosixPath(info.filename).parts
            base = parts[-1] if parts else ""
            if (
                info.is_dir()
                or "xml" not in parts[:-1]
                or ".." in parts
                or info.filename.startswith(("/", "\\"))
                or not _SAFE_XML_NAME.match(base)
                or info.file_size > MAX_MEMBER_BYTES
            ):
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise DownloadError("The archive unpacks to more than 1 GB; stopped.")
            with zf.open(info) as src, (dest / base).open("wb") as out:
                shutil.copyfileobj(src, out, MAX_MEMBER_BYTES)
            count += 1
    if not count:
        raise DownloadError(f"{archive.name} holds no XML agreements under an xml/ folder.")
    return count


# Pages are CPU work in Python: one worker process per CPU (2 to 8), and two threads in each, so that a
# request waiting on the database or on a slow client does not hold up the worker; more threads than that
# only take turns on one interpreter lock, and a long page (a search) then waits through every turn
# (docs/search.md has the measurements).
DEFAULT_THREADS = 2

def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _serve(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> None:
    from django.db import connections

    from msmelens.web.wsgi import application

    connections.close_all()  # never share a database connection with forked workers
    if sys.platform != "win32":
        from msmelens.web.warmup import prepare_to_fork

        prepare_to_fork()
    click.echo(f"MSME Lens is serving on http://{_bind(host, port)}/ (Ctrl+C to stop)")
    if sys.platform == "win32":  # pragma: no cover - gunicorn does not run on Windows
        import waitress

        waitress.serve(application, host=host, port=port, threads=max(4, workers * 2))
        return
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):  # type: ignore[misc]
        def __init__(self, app: Any, options: dict[str, Any]) -> None:
            self.options = options
            self.application = app
            super().__init__()

        def load_config(self) -> None:
            for key, value in self.options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return self.application

    Gunicorn(
        application,
        {
            "bind": _bind(host, port),
            "workers": workers,
            "worker_class": "gthread",  # threads keep connections alive and overlap database waits
            "threads": max(1, threads),
            "keepalive": 5,
            "timeout": 120,
            "graceful_timeout": 10,
            "errorlog": "-",
            "loglevel": "warning",
            "limit_request_line": 8190,
        },
    ).run()


_threads_opt = click.option(
    "--threads",
    type=int,
    default=DEFAULT_THREADS,
    envvar="MSMELENS_WEB_THREADS",
    show_default=True,
    help="Threads per web worker (fewer favour long requests under heavy load; more, slow clients).",
)


def _default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 1))


@click.command()
@click.option("--host", default="127.0.0.1", envvar="MSMELENS_HOST", show_default=True)
@click.option("--port", default=8000, type=int, envvar="MSMELENS_PORT", show_default=True)
@click.option("--workers", type=int, envvar="MSMELENS_WEB_WORKERS", help="Web worker processes.")
@_threads_opt
def serve(host: str, port: int, workers: int | None, threads: int) -> None:
    """Serve the web app and API with gunicorn (migrates the database first if needed)."""
    _setup_django()
    _migrate()
    _serve(host, port, workers or _default_workers(), threads)


def default_corpus_dir() -> Path | None:
    """``../shared/tota/xml`` relative to the current folder, else ``$MSMELENS_HOME/tota/xml``, if present."""
    for candidate in (Path.cwd() / ".." / "shared" / "tota" / "xml", _home() / "tota" / "xml"):
        if candidate.is_dir():
            return candidate.resolve()
    return None


@click.command()
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(),
    envvar="MSMELENS_CORPUS",
    help="Folder of agreements to import on the first run.",
)
@click.option("--host", default="127.0.0.1", envvar="MSMELENS_HOST", show_default=True)
@click.option("--port", default=8000, type=int, envvar="MSMELENS_PORT", show_default=True)
@click.option("--workers", type=int, envvar="MSMELENS_WEB_WORKERS", help="Web worker processes.")
@_threads_opt
def up(corpus_dir: str | None, host: str, port: int, workers: int | None, threads: int) -> None:
    """One step to a running app: migrate, import the corpus on the first run, then serve."""
    _setup_django()
    _migrate()
    from msmelens.agreements.models import Agreement

    if not Agreement.objects.exists():
        folder = Path(corpus_dir) if corpus_dir else default_corpus_dir()
        if folder is None or not folder.exists():
            click.echo(
                "The database holds no agreement yet and no corpus was found. Get the public ToTA corpus with\n"
                "  msmelens corpus download tota\n"
                "or import your own files with\n"
                "  msmelens corpus import <folder>\n"
                "The app starts anyway; you can analyse single texts on its Analyze page.",
                err=True,
            )
        else:
            click.echo(f"First run: importing the agreements in {folder} ...")
            _run_import([str(folder)], None)
    else:
        _reanalyse_if_stale()
    _serve(host, port, workers or _default_workers(), threads)


def _reanalyse_if_stale() -> None:
    """After an upgrade of the lens, re-analyse the stored agreements (curators' corrections are kept)."""
    from msmelens.agreements.reanalysis import reanalyse_stored, stale_count

    stale = stale_count()
    if not stale:
        return
    click.echo(f"The lens has changed since {stale} agreement(s) were analysed: re-analysing them ...")
    report = reanalyse_stored()
    click.echo(
        f"Re-analysed {report.agreements} agreement(s); {report.curations_kept} curated provision(s) kept "
        "their corrections."
    )
    for err in report.errors:
        click.echo(f"  {err}", err=True)


@click.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `msmelens manage createsuperuser`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msmelens.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["msmelens manage", *args])


COMMANDS: list[click.Command] = [corpus, serve, up, manage]
