"""`msmelens corpus|serve|up|manage` (placeholder, replaced by the platform CLI)."""

import click

COMMANDS: list[click.Command] = []
