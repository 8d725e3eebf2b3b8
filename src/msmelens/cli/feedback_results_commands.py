"""`msmelens feedback results` and `msmelens feedback changes`: the survey results, safe to publish.

Both call ``msmelens.feedback.results`` and print what it returns in one of three forms: ``json`` (exactly
``ResultTable.to_dict()``, or ``{"survey", "from_wave", "to_wave", "by", "changes"}``), ``csv`` (one row per
cell, the API's CSV shape) or ``table`` (aligned text for a person). Every form reads only ``to_dict()``, so a
suppressed cell shows its status and nothing else. Exit codes: 0 done; 2 nothing done (unknown survey,
dimension or wave, or a file that cannot be written), said in one line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

import click

FORMATS = ("table", "csv", "json")
DASH = "—"
DIRECTIONS = {"clearly_up": "clearly up", "clearly_down": "clearly down", "no_clear_change": "no clear change"}
WEIGHTING = {"poststratification": "post-stratification", "raking": "raking", "mixed": "mixed designs"}


# --- text rendering ------------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.1f}%"


def _pct_interval(interval: Sequence[float] | None) -> str:
    return DASH if not interval else f"{100 * interval[0]:.1f}–{100 * interval[1]:.1f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def _num_interval(interval: Sequence[float] | None) -> str:
    return DASH if not interval else f"{interval[0]:.2f}–{interval[1]:.2f}"


def _points(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:+.1f} pts"


def _points_interval(interval: Sequence[float] | None) -> str:
    return DASH if not interval else f"{100 * interval[0]:+.1f} to {100 * interval[1]:+.1f}"


def _status(item: dict[str, Any]) -> str:
    return f"{item['status']}: {item['reason']}" if item.get("reason") else str(item["status"])


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell; the last column (the status) is left ragged."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, ["-" * w for w in widths], *rows]:
        cells = [str(c).ljust(widths[i]) if i < len(widths) - 1 else str(c) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return lines


def _group_cells(group: dict[str, str], by: Sequence[str]) -> list[str]:
    return [group.get(dim, "") for dim in by] if by else ["all"]


def render_table(document: dict[str, Any]) -> str:
    """A :meth:`ResultTable.to_dict` as text: a header line, the obstacle cells, the biggest-obstacle shares and
    the notes."""
    by = list(document["by"])
    weighting = "unweighted" if not document["weighted"] else (
        f"weighted ({WEIGHTING.get(document['weighting'], document['weighting'])})"
    )
    synthetic = "synthetic responses included" if document["synthetic"] else "no synthetic responses"
    wave = f"wave {document['wave']}" if document["wave"] else "all waves"
    count = document["n_responses"]
    lines = [
        f"Survey '{document['survey']}': {wave}, {weighting}, {count} response{'s' if count != 1 else ''}, "
        f"{synthetic}.",
        "",
        "Share of firms rating each obstacle major or very severe (3-4), and mean severity (0-4), with 95% "
        "intervals:",
    ]
    group_header = by or ["group"]
    rows = [
        [*_group_cells(c["group"], by), c["category"], _pct(c["share_major"]), _pct_interval(c["ci"]),
         _num(c["mean_severity"]), _num_interval(c["mean_ci"]), DASH if c["n"] is None else str(c["n"]),
         _num(c["n_eff"], 1), _status(c)]
        for c in document["cells"]
    ]
    lines += _grid(
        [*group_header, "category", "major", "95% interval", "mean", "95% interval", "n", "n_eff", "status"], rows
    )
    if document["biggest_obstacle"]:
        lines += ["", "Biggest obstacle named (share of firms, with 95% interval):"]
        rows = [
            [*_group_cells(c["group"], by), c["answer"], _pct(c["share"]), _pct_interval(c["ci"]),
             DASH if c["n"] is None else str(c["n"]), _status(c)]
            for c in document["biggest_obstacle"]
        ]
        lines += _grid([*group_header, "answer", "share", "95% interval", "n", "status"], rows)
    if document["notes"]:
        lines += ["", *(f"Note: {note}" for note in document["notes"])]
    return "\n".join(lines) + "\n"


def render_changes(document: dict[str, Any]) -> str:
    """A changes document as text: a header line, then one line per group and category."""
    by = list(document["by"])
    lines = [
        f"Survey '{document['survey']}': change from wave {document['from_wave']} to wave "
        f"{document['to_wave']} in the share of firms rating each obstacle major or very severe (3-4), in "
        "percentage points, with 95% intervals:",
    ]
    rows = [
        [*_group_cells(c["group"], by), c["category"], _pct(c["from_share"]), _pct(c["to_share"]),
         _points(c["difference"]), _points_interval(c["ci"]),
         DIRECTIONS.get(c["direction"] or "", DASH), c["status"]]
        for c in document["changes"]
    ]
    lines += _grid(
        [*(by or ["group"]), "category", document["from_wave"], document["to_wave"], "change", "95% interval",
         "direction", "status"],
        rows,
    )
    return "\n".join(lines) + "\n"


# --- commands ------------------------------------------------------------------------------------------------


def _results_module() -> Any:
    from msmelens.feedback import results

    return results


def _write(text: str, output: str | None) -> None:
    from msmelens.cli.feedback_commands import _output

    with _output(output) as out:
        out.write(text)
    if output and output != "-":
        click.echo(f"Wrote {output}.", err=True)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


@click.command("results")
@click.option("--survey", "slug", default="msme-trade-obstacles", show_default=True, help="The survey's slug.")
@click.option("--by", default="", help="Break down by these, comma-separated: country, sector, size_class, "
              "owner_gender, exporter, location, wave (default: all respondents together).")
@click.option("--wave", "wave_name", help="Only this wave's responses (default: every wave).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--synthetic", is_flag=True, help="Include synthetic (demo) responses.")
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def results(slug: str, by: str, wave_name: str | None, fmt: str, synthetic: bool, output: str | None) -> None:
    """Obstacle ratings by group, weighted, with 95% intervals; cells too small or too imprecise to publish
    show only their status."""
    from msmelens.cli.feedback_commands import _db, _fail, _survey

    _db()
    # the CSV shape lives with the API's schemas (ninja reads Django's settings on import: after _db())
    from msmelens.api.results_schemas import result_rows, split_dimensions

    engine = _results_module()
    survey = _survey(slug)
    try:
        table = engine.survey_results(
            survey=survey, by=split_dimensions(by), wave=wave_name or None, include_synthetic=synthetic
        )
    except engine.ResultsError as exc:
        _fail(_one_line(exc))
    if fmt == "json":
        text = json.dumps(table.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = _csv_text(result_rows(table))
    else:
        text = render_table(table.to_dict())
    _write(text, output)


@click.command("changes")
@click.option("--survey", "slug", default="msme-trade-obstacles", show_default=True, help="The survey's slug.")
@click.option("--from", "from_wave", required=True, help="The earlier wave's name.")
@click.option("--to", "to_wave", required=True, help="The later wave's name.")
@click.option("--by", default="", help="Break down by these, comma-separated: country, sector, size_class, "
              "owner_gender, exporter, location (default: all respondents together).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--synthetic", is_flag=True, help="Include synthetic (demo) responses.")
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def changes(slug: str, from_wave: str, to_wave: str, by: str, fmt: str, synthetic: bool,
            output: str | None) -> None:
    """How the share rating each obstacle major or very severe moved between two waves, with 95% intervals
    and a plain-words direction."""
    from msmelens.cli.feedback_commands import _db, _fail, _survey

    _db()
    # the CSV shape lives with the API's schemas (ninja reads Django's settings on import: after _db())
    from msmelens.api.results_schemas import change_rows, changes_document, split_dimensions

    engine = _results_module()
    survey = _survey(slug)
    dims = split_dimensions(by)
    try:
        found = engine.wave_changes(
            survey=survey, by=dims, from_wave=from_wave, to_wave=to_wave, include_synthetic=synthetic
        )
    except engine.ResultsError as exc:
        _fail(_one_line(exc))
    document = changes_document(survey.slug, dims, from_wave, to_wave, found)
    if fmt == "json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = _csv_text(change_rows(document))
    else:
        text = render_changes(document)
    _write(text, output)


def _csv_text(rows: Iterator[list[str]]) -> str:
    from msmelens.api.results_schemas import write_csv

    buffer = io.StringIO()
    write_csv(buffer, rows)
    return buffer.getvalue()
