"""`msmelens practices ...`: import, export, list, show versions, restore and publish practices.

Every command migrates the database first (as `msmelens serve` does), then calls the practices app's services
and selectors. The command line acts as the server's operator: its changes are versions without a user, with
the reason given. Exit codes: 0 done; 1 done, but some rows were rejected (import); 2 nothing done (a file,
practice, version or value that cannot be used), said in one line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from msmelens.cli.common import fail as _fail
from msmelens.cli.common import open_database as _db

FORMATS = ("jsonl", "csv")




def _practice(slug: str) -> Any:
    from msmelens.practices import selectors

    practice = selectors.practice_get(slug, include_unpublished=True)
    if practice is None:
        _fail(f"There is no practice '{slug}' (see `msmelens practices list --all`).")
    return practice


@click.group()
def practices() -> None:
    """The what-works library: import, export and curate practices."""


@practices.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
def practices_import(file: str) -> None:
    """Import practices from a JSONL or CSV file (idempotent by id; changed records become new versions).

    CSV: one column per field; countries, obstacles and target_groups separated by ';'; outcomes, sources
    and translations as JSON cells."""
    _db()
    from msmelens.practices import services, transfer

    try:
        report = services.import_practices(path=Path(file))
    except transfer.TransferError as exc:
        _fail(str(exc))
    for slug, fields in report.updated.items():
        click.echo(f"  updated {slug}: {', '.join(fields)}")
    for rejected in report.rejected:
        click.echo(f"  rejected {rejected}", err=True)
    click.echo(report.summary())
    if report.rejected:
        sys.exit(1)


@practices.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@click.option("--output", "-o", help="File to write (default: standard output).")
@click.option("--all", "include_all", is_flag=True, help="Include drafts and withdrawn practices too.")
def practices_export(fmt: str, output: str | None, include_all: bool) -> None:
    """Write practices in the seed file's format (JSONL) or as CSV; re-importing the file changes nothing."""
    _db()
    from msmelens.practices import selectors, transfer

    records = selectors.export_records(include_unpublished=include_all)
    if output is None or output == "-":
        transfer.write_records(records, sys.stdout, fmt=fmt)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            count = transfer.write_records(records, handle, fmt=fmt)
    except OSError as exc:
        _fail(f"Cannot write {output}: {exc.strerror or exc}.")
    click.echo(f"Wrote {count} practice(s) to {output}.", err=True)


@practices.command("list")
@click.option("--country", help="ISO3 code, such as KEN.")
@click.option("--region", type=click.Choice(["africa", "americas", "asia", "europe", "oceania"]),
              help="UN M49 region.")
@click.option("--obstacle", help="Obstacle category, such as border_procedures.")
@click.option("--instrument", help="Instrument, such as single_window.")
@click.option("--target-group", help="Target group, such as women_owned.")
@click.option("--evidence-min", type=click.IntRange(1, 5), help="Evidence level at least (1-5).")
@click.option("--year-from", type=int, help="Running in or after this year.")
@click.option("--year-to", type=int, help="Started in or before this year.")
@click.option("--search", "q", help="Words to look for (accents and case ignored).")
@click.option("--all", "include_all", is_flag=True, help="Include drafts and withdrawn practices.")
def practices_list(country: str | None, region: str | None, obstacle: str | None, instrument: str | None,
                   target_group: str | None, evidence_min: int | None, year_from: int | None,
                   year_to: int | None, q: str | None, include_all: bool) -> None:
    """List practices: id, status, version, evidence level, countries, years, title (tab-separated)."""
    _db()
    from msmelens.lens.taxonomy import CATEGORIES
    from msmelens.practices import records, selectors

    if obstacle and obstacle not in CATEGORIES:
        _fail(f"Unknown obstacle '{obstacle}': use one of {', '.join(CATEGORIES)}.")
    if instrument and instrument not in records.INSTRUMENTS:
        _fail(f"Unknown instrument '{instrument}': use one of {', '.join(records.INSTRUMENTS)}.")
    if target_group and target_group not in records.TARGET_GROUPS:
        _fail(f"Unknown target group '{target_group}': use one of {', '.join(records.TARGET_GROUPS)}.")
    rows = selectors.practice_list(country=country, region=region, obstacle=obstacle, instrument=instrument,
                                   target_group=target_group, evidence_min=evidence_min, year_from=year_from,
                                   year_to=year_to, q=q, include_unpublished=include_all)
    count = 0
    for p in rows:
        years = f"{p.start_year or '?'}-{p.end_year or ''}"
        level = "-" if p.evidence_level is None else str(p.evidence_level)
        click.echo(f"{p.slug}\t{p.status}\tv{p.version}\t{level}\t{','.join(p.countries) or 'global'}\t{years}\t"
                   f"{p.title}")
        count += 1
    click.echo(f"{count} practice(s).", err=True)


@practices.command("versions")
@click.argument("slug")
def practices_versions(slug: str) -> None:
    """A practice's versions, newest first: number, date, user, reason, changed fields."""
    _db()
    from msmelens.practices import selectors

    practice = _practice(slug)
    for v in selectors.versions(practice):
        click.echo(f"{v.number}\t{v.date:%Y-%m-%d %H:%M}\t{v.user or '(command line)'}\t{v.reason}\t"
                   f"{', '.join(v.changed_fields)}")


@practices.command("restore")
@click.argument("slug")
@click.argument("version", type=int)
@click.option("--reason", required=True, help="Why this version is restored (kept in the history).")
def practices_restore(slug: str, version: int, reason: str) -> None:
    """Save version VERSION of a practice again, as a new version."""
    _db()
    from msmelens.practices import selectors, services

    practice = _practice(slug)
    match = [v for v in selectors.versions(practice) if v.number == version]
    if not match:
        _fail(f"'{slug}' has no version {version} (it is at version {practice.version}).")
    try:
        restored = services.restore_version(practice=practice, history_id=match[0].history_id, user=None,
                                            reason=reason)
    except services.PracticeError as exc:
        _fail(str(exc))
    click.echo(f"Restored version {version} of '{slug}' as version {restored.version}.")


@practices.command("publish")
@click.argument("slug")
@click.option("--reason", default="published", show_default=True, help="Kept in the history.")
def practices_publish(slug: str, reason: str) -> None:
    """Publish a practice (a draft or a withdrawn one)."""
    _db()
    from msmelens.practices import services
    from msmelens.practices.models import Practice

    practice = _practice(slug)
    if practice.status == Practice.PUBLISHED:
        click.echo(f"'{slug}' is already published (version {practice.version}).")
        return
    try:
        published = services.publish(practice=practice, user=None, reason=reason)
    except services.PracticeError as exc:
        _fail(str(exc))
    click.echo(f"Published '{slug}' as version {published.version}.")
