"""Helpers shared by the command groups that work on the database (feedback, practices)."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from msmelens.cli.platform_commands import _migrate, _setup_django


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line for the person at the terminal and stop with ``code`` (2: nothing was done)."""
    click.echo(message, err=True)
    sys.exit(code)


def open_database() -> None:
    """Set Django up and bring the database's tables up to date (safe zero-config defaults)."""
    _setup_django()
    _migrate()
