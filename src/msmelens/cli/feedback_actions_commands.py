"""`msmelens feedback actions ...` (policy actions, "you said, we did") and `msmelens feedback followup-links`.

Actions are recorded, listed and moved between statuses through ``msmelens.feedback.actions``. Follow-up
links are written for the operator to send (the app never sends e-mail): one row per response that consented
to follow-up and still has an e-mail address. Exit codes: 0 done; 2 nothing done (unknown survey, country,
category, provision or action, or a file that cannot be written), said in one line.
"""

from __future__ import annotations

import csv
from typing import Any

import click

STATUSES = ("planned", "in_progress", "done", "dropped")


@click.group()
def actions() -> None:
    """Record what was done about the obstacles firms reported ("you said, we did")."""


def _cli() -> Any:
    """The shared helpers of ``msmelens feedback`` (imported late: that module attaches these commands)."""
    from msmelens.cli import feedback_commands

    return feedback_commands


def _describe(action: Any) -> str:
    end = f"–{action.completed_on}" if action.completed_on else ""
    return (f"{action.pk}\t{action.country}\t{action.status}\t{action.started_on}{end}\t"
            f"{','.join(action.categories)}\t{action.title}\t{action.responsible}")


@actions.command("add")
@click.option("--survey", "slug", required=True, help="The survey whose answers the action responds to.")
@click.option("--country", required=True, help="ISO 3166-1 alpha-3 code, such as PER.")
@click.option("--category", "categories", multiple=True, required=True,
              help="An obstacle category the action addresses (repeat for several), e.g. border_procedures.")
@click.option("--title", required=True, help="What was done, in a few words.")
@click.option("--description", default="", help="More detail (optional).")
@click.option("--who", "responsible", required=True, help="The body responsible, e.g. 'SUNAT (customs)'.")
@click.option("--start", required=True, help="The date it started, YYYY-MM-DD.")
@click.option("--end", "completed", help="The date it was completed, YYYY-MM-DD (optional).")
@click.option("--status", type=click.Choice(STATUSES), default="planned", show_default=True)
@click.option("--provision", "provisions", multiple=True, help="An agreement provision id (repeat for several).")
@click.option("--practice", "practices", multiple=True, help="A practice id or URL (repeat for several).")
def actions_add(slug: str, country: str, categories: tuple[str, ...], title: str, description: str,
                responsible: str, start: str, completed: str | None, status: str, provisions: tuple[str, ...],
                practices: tuple[str, ...]) -> None:
    """Record a policy action against a country's obstacles."""
    cli = _cli()
    cli._db()
    from msmelens.feedback import actions as services

    survey = cli._survey(slug)
    started = cli._date(start, "--start")
    assert started is not None  # --start is required
    try:
        action = services.record_action(
            survey=survey, country=country, categories=categories, title=title, description=description,
            responsible=responsible, started_on=started, completed_on=cli._date(completed, "--end"),
            status=status, provision_ids=provisions, practice_refs=practices,
        )
    except services.ActionError as exc:
        cli._fail(str(exc))
    click.echo(f"Recorded action {action.pk} for {action.country}: {action.title} ({action.status}).")


@actions.command("list")
@click.option("--survey", "slug", help="Only this survey's actions.")
@click.option("--country", help="Only this country's actions (ISO3).")
@click.option("--category", help="Only actions addressing this obstacle category.")
def actions_list(slug: str | None, country: str | None, category: str | None) -> None:
    """List actions: id, country, status, dates, categories, title, who (tab-separated)."""
    cli = _cli()
    cli._db()
    from msmelens.feedback import actions as services

    survey = cli._survey(slug) if slug else None
    try:
        code = services.clean_country(country) if country else None
        if category:
            services.clean_categories([category])
    except services.ActionError as exc:
        cli._fail(str(exc))
    rows = list(services.list_actions(survey=survey, country=code, category=category))
    for action in rows:
        click.echo(_describe(action))
    if not rows:
        click.echo("No actions recorded.", err=True)


@actions.command("set-status")
@click.argument("action_id", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--end", "completed", help="The completion date, YYYY-MM-DD (default for done: today).")
def actions_set_status(action_id: int, status: str, completed: str | None) -> None:
    """Move action ACTION_ID to STATUS (planned, in_progress, done, dropped)."""
    cli = _cli()
    cli._db()
    from msmelens.feedback import actions as services

    action = services.get_action(action_id)
    if action is None:
        cli._fail(f"There is no action {action_id} (see 'msmelens feedback actions list').")
        return
    try:
        action = services.set_action_status(action=action, status=status, completed_on=cli._date(completed, "--end"))
    except services.ActionError as exc:
        cli._fail(str(exc))
    click.echo(f"Action {action.pk} is now {action.status}.")


@click.command("followup-links")
@click.option("--survey", "slug", required=True, help="The survey's slug.")
@click.option("--output", type=click.Path(dir_okay=False), help="CSV file to write (default: standard output).")
@click.option("--base-url", default="", help="The site's address, e.g. https://msmelens.example.org "
              "(default: links start with the path).")
def followup_links(slug: str, output: str | None, base_url: str) -> None:
    """Write e-mail,link for every response that consented to follow-up and still has an e-mail address.
    You send them; MSME Lens sends nothing. The link shows the firm's country and sector, all firms together."""
    cli = _cli()
    cli._db()
    from msmelens.feedback.followup import followup_links as links

    survey = cli._survey(slug)
    base = base_url.rstrip("/")
    count = 0
    with cli._output(output) as out:
        writer = csv.writer(out)
        writer.writerow(["email", "country", "sector", "link"])
        for link in links(survey):
            writer.writerow([link.email, link.country, link.sector, f"{base}{link.path}"])
            count += 1
    if output and output != "-":
        click.echo(f"Wrote {count} follow-up links to {output}.")
