"""`msmelens wto ...`: import the WTO legal texts, and compare regional agreements with them.

Every command migrates the database first (as `msmelens serve` does). Exit codes: 0 done; 1 done, but some
files could not be read or stored; 2 nothing done (a folder, topic or value that cannot be used), in one line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from msmelens.cli.common import fail as _fail
from msmelens.cli.common import open_database as _db
from msmelens.lens.wto_topics import TOPIC_KEYS


@click.group()
def wto() -> None:
    """The WTO agreements through the MSME lens, and what regional agreements add to them."""


@wto.command("import")
@click.argument("directory", required=False, type=click.Path(file_okay=False))
def wto_import(directory: str | None) -> None:
    """Import the WTO texts of DIRECTORY (default: $MSMELENS_HOME/wto, where `msmelens corpus download wto`
    puts them): files named <key>.<lang>.html or <key>.<lang>.txt, such as tfa.en.html."""
    _db()
    from msmelens.wto import services

    try:
        report = services.import_wto_directory(directory=Path(directory) if directory else None)
    except services.WtoImportError as exc:
        _fail(str(exc))
    for key, lang, agreement_id, status in report.agreements:
        click.echo(f"  {status}\t{key}.{lang}\t{agreement_id}")
    for name in report.skipped:
        click.echo(f"  skipped {name}: not named <key>.<lang>.html|txt with a known WTO key", err=True)
    for error in report.errors:
        click.echo(f"  {error}", err=True)
    click.echo(report.summary())
    if not report.ok:
        _fail("No WTO text was imported.")
    if report.failed:
        sys.exit(1)


def _finding(f: Any) -> dict[str, Any]:
    p = f.provision
    return {
        "agreement_id": p.agreement_id,
        "name": p.name,
        "year": p.year,
        "provision_id": p.provision_id,
        "source_ref": p.source_ref,
        "binding": f.binding,
        "sme": f.sme,
        "reasons": f.reasons,
        "new_instruments": f.new_instruments,
    }


def _topic_record(c: Any) -> dict[str, Any]:
    from msmelens.wto import selectors

    return {
        "topic": c.topic.key,
        "wto_level": c.baseline.level,
        "wto_names_smes": c.baseline.sme,
        "wto_instruments": c.baseline.instruments,
        "wto_provisions": [p.provision_id for p in c.baseline.provisions],
        "n_agreements_on_topic": len({f.provision.agreement_id for f in c.findings}),
        "n_agreements_beyond": len(c.agreements_beyond()),
        "by_reason": c.reason_counts(),
        "by_year": {("unknown" if y is None else str(y)): n for y, n in c.by_year().items()},
        "beyond": [_finding(f) for a in selectors.agreements_beyond(c) for f in a.findings],
    }


@wto.command("beyond")
@click.option("--topic", type=click.Choice(TOPIC_KEYS), help="One topic only.")
@click.option("--country", help="Only the regional agreements of this party (ISO3, such as CHL).")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True)
def wto_beyond(topic: str | None, country: str | None, fmt: str) -> None:
    """Where regional agreements go beyond the WTO, per topic: binding where the WTO is best endeavour, naming
    SMEs where it is silent, or an instrument it lacks."""
    _db()
    from msmelens.wto import selectors

    if country is not None and not (2 <= len(country.strip()) <= 8 and country.strip().isalnum()):
        _fail(f"'{country}' is not a party code: give an ISO3 code such as CHL.")
    comparisons = selectors.beyond(topic_key=topic, country=country.strip().upper() if country else None)
    records = [_topic_record(c) for c in comparisons]
    if fmt == "json":
        json.dump({"country": country.upper() if country else None, "topics": records}, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    click.echo("topic\twto_level\twto_names_smes\ton_topic\tbeyond\tbinding\tsme\tinstrument")
    for r in records:
        reasons = r["by_reason"]
        click.echo(
            f"{r['topic']}\t{r['wto_level']}\t{'yes' if r['wto_names_smes'] else 'no'}\t"
            f"{r['n_agreements_on_topic']}\t{r['n_agreements_beyond']}\t{reasons['binding']}\t{reasons['sme']}\t"
            f"{reasons['instrument']}"
        )
