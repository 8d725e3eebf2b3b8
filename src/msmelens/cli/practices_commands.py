"""`msmelens practices ...` (to be written)."""

import click


@click.group()
def practices() -> None:
    """The what-works library: import, export and curate practices."""
