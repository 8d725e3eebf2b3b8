"""`msmelens feedback ...` (to be written)."""

import click


@click.group()
def feedback() -> None:
    """Collect MSME obstacle reports: forms, waves, imports, exports, demo data."""
