"""`msmelens guide report`: the firm guide's report for a firm, from the command line (nothing is stored).

Exit codes: 0 the report was printed; 2 nothing done (a country, market or answer that cannot be used, or an
unreadable answers file), said in one line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from msmelens.cli.common import fail as _fail
from msmelens.cli.common import open_database as _db


@click.group()
def guide() -> None:
    """The firm guide: what trade agreements and programmes do for a small firm."""


def _answers(pairs: tuple[str, ...], file: str | None) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    if file:
        try:
            loaded = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            _fail(f"Cannot read the answers file {file}: {exc}")
        inner = loaded.get("answers", loaded) if isinstance(loaded, dict) else None
        if not isinstance(inner, dict):
            _fail(f"The answers file {file} must hold a JSON object of answers by question name.")
        answers.update(inner)
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            _fail(f"Give each answer as NAME=VALUE (for example aware_agreements=no), not '{pair}'.")
        answers[name.strip()] = value.split(",") if name.strip() == "aware_sme_provisions" else value.strip()
    return answers


def _text(report: dict[str, Any]) -> str:
    lines = [f"{report['stage_label']}", report["stage_explanation"], ""]
    if report["strengths"]:
        lines += ["Strengths:", *(f"  + {s['text']}" for s in report["strengths"]), ""]
    if report["gaps"]:
        lines += ["Gaps:", *(f"  - {g['text']}" for g in report["gaps"]), ""]
    for market in report["markets"]:
        lines.append(f"{market['name']} ({market['market']}): {market['note']}")
        for ag in market["agreements"]:
            lines.append(f"  {ag['agreement_id']}  {ag['name']}: {ag['status_text']}")
            for p in ag["provisions"]:
                lines.append(f"    {p['provision_id']}  {p['title']}: {p['explanation']} {p['binding_text']}".rstrip())
        lines.append("")
    if report["practices"]:
        lines.append("Programmes:")
        lines += [f"  {p['id']}  {p['title']} ({p['evidence']})" for p in report["practices"]]
        lines.append("")
    lines += ["Next steps:", *(f"  {i}. {s}" for i, s in enumerate(report["next_steps"], start=1))]
    return "\n".join(lines)


@guide.command("report")
@click.option("--country", required=True, help="The firm's country (ISO3, e.g. PER).")
@click.option("--sector", default="", help="ISIC section letter (A to U).")
@click.option("--employees", type=int, default=None, help="People working in the firm.")
@click.option("--market", "markets", multiple=True, help="A market (ISO3); repeat for several.")
@click.option("--answer", "pairs", multiple=True, help="An answer NAME=VALUE; repeat for several.")
@click.option("--answers-file", type=click.Path(dir_okay=False), help="A JSON object of answers by name.")
@click.option("--language", type=click.Choice(["en", "fr", "es"]), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
def guide_report(country: str, sector: str, employees: int | None, markets: tuple[str, ...], pairs: tuple[str, ...],
                 answers_file: str | None, language: str, fmt: str) -> None:
    """Print a firm's report: its stage, strengths and gaps, the agreements with each market and their
    provisions on its gaps, programmes in its country, and next steps (as in POST /api/v1/guide/report)."""
    answers = _answers(pairs, answers_file)
    _db()
    from django.utils import translation

    from msmelens.guide import services
    from msmelens.guide.report import build_report

    try:
        firm = services.clean_firm(country=country, sector=sector, employees=employees, markets=list(markets))
        cleaned = services.clean_answers(answers)
    except services.GuideError as exc:
        _fail(str(exc))
    with translation.override(language):
        report = build_report(firm=firm, answers=cleaned)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if fmt == "json" else _text(report))
