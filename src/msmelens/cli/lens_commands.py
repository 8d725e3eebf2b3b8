"""`msmelens lens ...` (placeholder, replaced by the lens CLI)."""

import click


@click.group()
def lens() -> None:
    """Analyse agreements through the MSME lens."""
