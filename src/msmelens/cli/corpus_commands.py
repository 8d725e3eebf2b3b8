"""`msmelens corpus download wto`: fetch the WTO legal texts (see docs/wto.md).

The ``corpus download`` command itself lives in msmelens.cli.platform_commands; for ``wto`` it calls
``download_wto`` here, which runs the downloader with a progress bar and prints one line per problem.
"""

from __future__ import annotations

from pathlib import Path

import click

from msmelens.corpus.wto_download import DownloadReport, download
from msmelens.corpus.wto_sources import LANGUAGES, keys


def default_wto_dir() -> Path:
    """``$MSMELENS_HOME/wto``."""
    from msmelens.web.config import home_dir

    return home_dir() / "wto"


def download_wto(
    *,
    dest: Path | None,
    only: tuple[str, ...] = (),
    languages: tuple[str, ...] = (),
    accept_changes: bool = False,
    refresh: bool = False,
    base_url: str | None = None,
    delay: float = 1.0,
) -> int:
    """Download the WTO texts; print a summary; return the exit code (0 all fine, 1 something failed)."""
    target = dest or default_wto_dir()
    unknown = [k for k in only if k not in keys()]
    if unknown:
        click.echo(
            f"Unknown WTO text '{unknown[0]}'. Choose from: {', '.join(keys())}.",
            err=True,
        )
        return 2
    langs = tuple(dict.fromkeys(languages)) or LANGUAGES
    total = len(only or keys()) * len(langs)
    with click.progressbar(
        length=total, label="Downloading WTO texts", show_pos=True, item_show_func=lambda s: s
    ) as bar:

        def progress(done: int, _total: int, name: str) -> None:
            bar.current_item = name
            bar.update(1)

        report = download(
            target,
            keys=only or None,
            languages=langs,
            base_url_override=base_url,
            progress=progress,
            accept_changes=accept_changes,
            refresh=refresh,
            delay=delay,
        )
    return summarise(report)


def summarise(report: DownloadReport) -> int:
    """Print what happened; return 0 when every text is here and verified, else 1."""
    if report.offline:
        click.echo(report.offline, err=True)
        return 1
    for r in report.failed:
        click.echo(f"  failed: {r.name}: {r.reason}", err=True)
    click.echo(
        f"{len(report.ok)} downloaded, {len(report.unchanged)} already up to date, {len(report.failed)} failed "
        f"in {report.dest}."
    )
    if report.ok or report.unchanged:
        click.echo(f"Import them with: msmelens wto import {report.dest}")
    if report.failed:
        click.echo("Run the same command again to retry the failed texts; finished files are kept.", err=True)
        return 1
    return 0
