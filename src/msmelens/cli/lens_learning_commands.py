"""`msmelens lens train | export-labels | reanalyse`: the learned layer, curators' corrections, re-analysis."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from msmelens.lens.learned_stage import MODEL_PATH


def _curated_rows() -> list[dict[str, Any]]:
    """Curators' corrections in the gold format (opens the platform's database); names orphans on stderr."""
    from msmelens.cli.common import open_database

    open_database()
    from msmelens.agreements.label_export import curated_label_rows

    labels = curated_label_rows()
    for provision_id in labels.orphans:
        click.echo(
            f"  the correction of {provision_id} has no stored provision (its agreement was deleted): "
            "re-import the agreement to use it",
            err=True,
        )
    return labels.rows


@click.command("export-labels")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout)."
)
def export_labels_command(output: str | None) -> None:
    """Write curators' corrections as labelled rows in the gold format (jsonl), one per corrected provision.

    Each row is like a row of ../shared/lens-gold/dev.jsonl (stratum "curated"), with the provision's text,
    heading and chapter so that `msmelens lens train --include-curated` can learn from it.
    """
    rows = _curated_rows()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    click.echo(f"Exported {len(rows)} corrected provision(s).", err=True)


@click.command("train")
@click.option(
    "--gold",
    type=click.Path(dir_okay=False),
    default="../shared/lens-gold/dev.jsonl",
    show_default=True,
    help="Labelled rows (jsonl) to train on.",
)
@click.option(
    "--tota",
    type=click.Path(file_okay=False),
    default="../shared/tota/xml",
    show_default=True,
    help="Folder of the ToTA XML files the gold rows name (pta_N.xml).",
)
@click.option(
    "--include-curated",
    is_flag=True,
    help="Also learn from curators' corrections in the platform's database (a correction replaces the gold "
    "row of the same article).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the model (JSON). Default: the model the lens ships with and uses "
    "(msmelens/lens/data/lens-model.json in the package).",
)
def train_command(gold: str, tota: str, include_curated: bool, output: str | None) -> None:
    """Fit the learned model (text features + the rules' cues) on every gold row and write it as JSON.

    Deterministic: the same rows and texts give the same file. The JSON holds the vocabularies, idf,
    coefficients, thresholds and calibration, the sha256 of the training data and the lens version; it is
    not a pickle. `lens evaluate --cv 5` measures the same training honestly, on held-out agreements.
    """
    from msmelens.lens import LENS_VERSION
    from msmelens.lens.evaluate import load_gold
    from msmelens.lens.learned import load_examples, merge_labels, save_model, train_full

    try:
        rows: list[Any] = list(load_gold(gold))
    except (OSError, ValueError) as exc:
        click.echo(f"Cannot read the gold file: {exc}", err=True)
        sys.exit(2)
    n_curated = 0
    if include_curated:
        curated = _curated_rows()
        rows, replaced = merge_labels(rows, curated)
        n_curated = len(curated)
        click.echo(
            f"Curators' corrections: {n_curated} ({replaced} replace a gold row, {n_curated - replaced} new).",
            err=True,
        )
    if not Path(tota).is_dir():
        click.echo(f"The ToTA folder {tota} does not exist (pass --tota).", err=True)
        sys.exit(2)
    examples, not_found = load_examples(rows, tota)
    if not_found:
        click.echo(
            f"{len(not_found)} row(s) of {Path(gold).name} not found in {tota}: {', '.join(not_found[:10])}",
            err=True,
        )
    if not examples:
        click.echo(f"No row of {Path(gold).name} could be matched to an article in {tota}.", err=True)
        sys.exit(2)
    model = train_full(examples, lens_version=LENS_VERSION)
    model.meta["n_curated"] = n_curated
    output = output or str(MODEL_PATH)
    size = save_model(model, output)
    click.echo(
        f"Trained on {len(examples)} rows ({n_curated} curated) from {model.meta['n_agreements']} agreements; "
        f"wrote {output} ({size / 1e6:.1f} MB, training data sha256 {model.meta['training_sha256'][:12]})."
    )


@click.command("reanalyse")
@click.option("--all", "force", is_flag=True, help="Re-analyse every agreement, not only those of older lenses.")
def reanalyse_command(force: bool) -> None:
    """Re-run the current lens over the agreements stored in the platform's database, keeping corrections.

    Uses the stored texts (no source file needed). Curators' corrections stay in force; the new lens labels
    are kept beside them. Agreements already analysed by this lens version are skipped unless --all.
    """
    from msmelens.cli.common import open_database

    open_database()
    from msmelens.agreements.reanalysis import reanalyse_stored

    with click.progressbar(length=1, label="Re-analysing", file=sys.stderr) as bar:
        state = {"total": 0}

        def progress(done: int, total: int, name: str) -> None:
            if not state["total"]:
                state["total"] = total
                bar.length = total
            bar.update(1)

        report = reanalyse_stored(force=force, progress=progress)
    for err in report.errors:
        click.echo(f"  {err}", err=True)
    click.echo(
        f"Re-analysed {report.agreements} agreement(s), {report.provisions} provisions: {report.changed} changed "
        f"their lens labels; {report.curations_kept} curated provision(s) kept their corrections; "
        f"{report.skipped} already up to date."
    )
    sys.exit(1 if report.errors else 0)
