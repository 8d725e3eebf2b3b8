"""`msmelens feedback ...`: survey forms, waves, imports of Kobo/ODK Central exports, exports, synthetic data,
contact erasure and collector accounts.

Every command migrates the database first (as `msmelens serve` does), then calls the feedback app's services
and selectors. Exit codes: 0 done; 1 done, but some rows were not stored (import) or refused (simulate);
2 nothing done: a file, survey, wave or value that cannot be used, said in one line (a form's problems one
per line, with sheet, row and column).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from msmelens.cli.common import fail as _fail
from msmelens.cli.common import open_database as _db


def _survey(slug: str) -> Any:
    from msmelens.feedback import selectors

    survey = selectors.get_survey(slug)
    if survey is None:
        known = ", ".join(s.slug for s in selectors.list_surveys(active_only=False)) or "none yet"
        _fail(f"There is no survey '{slug}' (surveys: {known}).")
    return survey


def _wave(survey: Any, name: str | None) -> Any:
    from msmelens.feedback import selectors

    if not name:
        return None
    wave = selectors.get_wave(survey, name)
    if wave is None:
        known = ", ".join(w.name for w in selectors.waves(survey)) or "none yet"
        _fail(f"Survey '{survey.slug}' has no wave '{name}' (waves: {known}).")
    return wave


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} must be a date as YYYY-MM-DD, not '{value}'.")


@contextmanager
def _output(path: str | None, binary: bool = False) -> Iterator[IO[Any]]:
    if path is None or path == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    try:
        handle = open(path, "wb" if binary else "w", encoding=None if binary else "utf-8",  # noqa: SIM115
                      newline=None if binary else "")
    except OSError as exc:
        _fail(f"Cannot write {path}: {exc.strerror or exc}.")
    with handle:
        yield handle


@click.group()
def feedback() -> None:
    """Collect MSME obstacle reports: forms, waves, imports, exports, demo data."""


# --- forms -----------------------------------------------------------------------------------------------


@feedback.group()
def forms() -> None:
    """Add, list and export survey forms (XLSForm)."""


@forms.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", help="Web address of a new survey (default: its form_id).")
@click.option("--access", type=click.Choice(["open", "restricted"]), help="Who may submit to a new survey.")
def forms_add(file: str, slug: str | None, access: str | None) -> None:
    """Add an XLSForm: a new survey, or a new version of the survey with the same form_id."""
    _db()
    from msmelens.feedback import services
    from msmelens.feedback.xlsform import FormError

    path = Path(file)
    try:
        added = services.add_form(filename=path.name, content=path.read_bytes(), slug=slug, access=access)
    except FormError as exc:
        click.echo(f"{path.name}: this XLSForm cannot be used.", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(2)
    except services.FeedbackError as exc:
        _fail(str(exc))
    for warning in added.warnings:
        click.echo(f"  warning: {warning}", err=True)
    version, survey_slug = added.form.version, added.survey.slug
    if added.status == "created":
        click.echo(f"Created survey '{survey_slug}' with form version {version}.")
    elif added.status == "new_version":
        click.echo(f"Added form version {version} to survey '{survey_slug}'.")
    else:
        click.echo(f"Unchanged: survey '{survey_slug}' already has form version {version}.")


@forms.command("list")
def forms_list() -> None:
    """List every survey's form: form_id, current version, file name."""
    _db()
    from msmelens.feedback import selectors

    for survey in selectors.list_surveys(active_only=False):
        form = selectors.current_form(survey)
        click.echo(f"{survey.slug}\t{survey.form_id}\tversion {form.version}\t{form.xlsform_name}")


@forms.command("export")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--format", "fmt", type=click.Choice(["xlsform", "xform"]), default="xlsform", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: <form_id>.xlsx/.xml).")
def forms_export(slug: str, fmt: str, output: str | None) -> None:
    """Write the current form as uploaded (XLSForm) or as converted (XForm XML)."""
    _db()
    from msmelens.feedback import selectors

    survey = _survey(slug)
    form = selectors.current_form(survey)
    if fmt == "xlsform":
        data = bytes(form.xlsform)
        suffix = Path(form.xlsform_name).suffix.lower() or ".xlsx"
    else:
        data = form.xform.encode("utf-8")
        suffix = ".xml"
    target = output or f"{survey.form_id}{suffix}"
    with _output(target, binary=True) as out:
        out.write(data)
    click.echo(f"Wrote {target} ({len(data)} bytes, form version {form.version}).", err=target == "-")


# --- waves -----------------------------------------------------------------------------------------------


@feedback.group()
def waves() -> None:
    """Rounds of collection, by date."""


@waves.command("add")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--name", required=True, help="The wave's name, e.g. 2026-Q1.")
@click.option("--start", required=True, help="First day, YYYY-MM-DD.")
@click.option("--end", help="Last day, YYYY-MM-DD (open-ended when left out).")
@click.option("--design", type=click.Path(exists=True, dir_okay=False), help="Sampling design (JSON file).")
def waves_add(slug: str, name: str, start: str, end: str | None, design: str | None) -> None:
    """Add a wave; responses already received within its dates join it."""
    _db()
    from msmelens.feedback import selectors, services

    survey = _survey(slug)
    starts_on = _date(start, "--start")
    ends_on = _date(end, "--end")
    plan = None
    if design:
        try:
            plan = json.loads(Path(design).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            _fail(f"{Path(design).name}: not a readable JSON file ({exc}).")
    assert starts_on is not None
    try:
        wave = services.add_wave(survey=survey, name=name, starts_on=starts_on, ends_on=ends_on, design=plan)
    except services.FeedbackError as exc:
        _fail(str(exc))
    count = selectors.response_count(survey, wave=wave)
    click.echo(f"Added wave '{wave.name}' to survey '{survey.slug}' ({count} responses so far).")


@waves.command("list")
@click.option("--survey", "slug", help="Only this survey.")
def waves_list(slug: str | None) -> None:
    """List waves: survey, name, dates, responses."""
    _db()
    from msmelens.feedback import selectors

    surveys = [_survey(slug)] if slug else selectors.list_surveys(active_only=False)
    for survey in surveys:
        for wave in selectors.waves(survey):
            end = wave.ends_on.isoformat() if wave.ends_on else "open"
            count = selectors.response_count(survey, wave=wave)
            design = wave.design.get("type", "") if wave.design else "no design"
            click.echo(f"{survey.slug}\t{wave.name}\t{wave.starts_on.isoformat()}\t{end}\t{count} responses\t"
                       f"{design}")


# --- import / export / simulate --------------------------------------------------------------------------


@feedback.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--survey", "slug", required=True, help="The survey the export belongs to.")
@click.option("--wave", "wave_name", help="Put every row in this wave, whatever its date (default: the wave running on its date).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False), help="Write the row problems as CSV.")
def import_(file: str, slug: str, wave_name: str | None, report_path: str | None) -> None:
    """Import a KoboToolbox or ODK Central export (CSV or XLSX), one response per row.

    Rows already stored (same instance id) are skipped; a bad row is reported with its row number and
    column and the others are stored. Exit 1 when some rows were not stored."""
    _db()
    from msmelens.feedback.imports import ImportFileError, import_responses

    survey = _survey(slug)
    wave = _wave(survey, wave_name)
    try:
        report = import_responses(survey=survey, path=Path(file), wave=wave)
    except ImportFileError as exc:
        _fail(str(exc))
    for note in report.notes:
        click.echo(note)
    lines = report.issue_lines()
    for line in lines[:100]:
        click.echo(f"  {line}", err=True)
    if len(lines) > 100:
        click.echo(f"  ... and {len(lines) - 100} more (write them all with --report FILE.csv).", err=True)
    if report_path:
        try:
            report.write_csv(Path(report_path))
        except OSError as exc:
            _fail(f"Cannot write {report_path}: {exc.strerror or exc}.")
    click.echo(f"Import of {report.filename} into '{survey.slug}': {report.summary()}.")
    if report.rejected or report.conflicts:
        sys.exit(1)


@feedback.command("export")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
@click.option("--wave", "wave_name", help="Only this wave's responses.")
@click.option("--synthetic/--no-synthetic", default=True, show_default=True, help="Include synthetic responses.")
def export(slug: str, fmt: str, output: str | None, wave_name: str | None, synthetic: bool) -> None:
    """Export the current responses, one per row, answers by question name. Never contact details."""
    _db()
    from msmelens.feedback.exports import write_export

    survey = _survey(slug)
    wave = _wave(survey, wave_name)
    with _output(output) as out:
        count = write_export(out, survey, fmt=fmt, wave=wave, include_synthetic=synthetic)
    if output and output != "-":
        click.echo(f"Wrote {count} responses to {output}.")


@feedback.command("simulate")
@click.option("--survey", "slug", default="msme-trade-obstacles", show_default=True, help="The survey's slug.")
@click.option("--n", "count", type=click.IntRange(0, 1_000_000), default=100, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same answers.")
@click.option("--wave", "wave_name", help="Put the responses in this wave, dated inside it.")
def simulate(slug: str, count: int, seed: int, wave_name: str | None) -> None:
    """Store plausible synthetic responses (marked synthetic; never contact details) for demos and tests."""
    _db()
    from msmelens.feedback.simulate import simulate_responses

    survey = _survey(slug)
    wave = _wave(survey, wave_name)
    report = simulate_responses(survey=survey, n=count, seed=seed, wave=wave)
    for line in report.problems[:20]:
        click.echo(f"  {line}", err=True)
    click.echo(f"Survey '{survey.slug}': {report.summary()}.")
    if report.invalid:
        sys.exit(1)


# --- people ----------------------------------------------------------------------------------------------


@feedback.command("erase-contact")
@click.option("--instance-id", default="", help="The response's instance id.")
@click.option("--email", default="", help="The e-mail address given.")
@click.option("--phone", default="", help="The phone number given.")
@click.option("--survey", "slug", help="Only in this survey.")
def erase_contact(instance_id: str, email: str, phone: str, slug: str | None) -> None:
    """Erase contact details on request (the answers stay)."""
    if not (instance_id or email or phone):
        _fail("Say whose contact details to erase: --instance-id, --email or --phone.")
    _db()
    from msmelens.feedback import services

    survey = _survey(slug) if slug else None
    try:
        count = services.erase_contact(survey=survey, instance_id=instance_id, email=email, phone=phone)
    except services.FeedbackError as exc:
        _fail(str(exc))
    click.echo(f"Erased the contact details of {count} response{'s' if count != 1 else ''}.")


@feedback.group()
def collectors() -> None:
    """Accounts that may submit to restricted surveys."""


@collectors.command("add")
@click.argument("username")
@click.option("--survey", "slug", required=True, help="The survey they collect for.")
@click.option("--password-prompt", is_flag=True, help="Also set a password (for ODK Collect / KoboCollect).")
def collectors_add(username: str, slug: str, password_prompt: bool) -> None:
    """Create (or reuse) a collector account and print a new API token, once."""
    password = None
    if password_prompt:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _db()
    from msmelens.feedback import services

    survey = _survey(slug)
    try:
        user, token = services.add_collector(username=username, survey=survey, password=password)
    except services.FeedbackError as exc:
        _fail(str(exc))
    click.echo(f"Collector '{user.username}' may submit to '{survey.slug}'.")
    click.echo(f"API token (shown once; keep it safe): {token}")


@feedback.group()
def surveys() -> None:
    """List surveys and set who may submit."""


@surveys.command("list")
def surveys_list() -> None:
    """List surveys: slug, access, responses, current form version."""
    _db()
    from msmelens.feedback import selectors

    for survey in selectors.list_surveys(active_only=False):
        form = selectors.current_form(survey)
        state = "" if survey.is_active else "\tinactive"
        click.echo(f"{survey.slug}\t{survey.access}\t{selectors.response_count(survey)} responses\t"
                   f"version {form.version}{state}")


@surveys.command("access")
@click.argument("slug")
@click.argument("access", type=click.Choice(["open", "restricted"]))
def surveys_access(slug: str, access: str) -> None:
    """Open a survey to anonymous respondents, or restrict it to its collectors."""
    _db()
    from msmelens.feedback import services

    survey = services.set_survey_access(survey=_survey(slug), access=access)
    click.echo(f"Survey '{survey.slug}' is now {survey.access}.")


from msmelens.cli.feedback_results_commands import changes, results  # noqa: E402 - attached last

feedback.add_command(results)
feedback.add_command(changes)
from msmelens.cli.feedback_actions_commands import actions, followup_links  # noqa: E402 - attached last

feedback.add_command(actions)
feedback.add_command(followup_links)
