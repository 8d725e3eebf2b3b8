"""The one command line: ``msmelens``.

Sub-command groups live in their own modules and are attached here:
``lens`` (msmelens.cli.lens_commands), ``corpus``/``serve``/``up``/``manage`` (msmelens.cli.platform_commands).
"""

from __future__ import annotations

import click

from msmelens import __version__
from msmelens.cli import feedback_commands, lens_commands, platform_commands, practices_commands
from msmelens.cli.guide_commands import guide
from msmelens.cli.wto_commands import wto


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="msmelens")
def cli() -> None:
    """MSME Lens: read trade agreements through an MSME lens, and serve the results.

    Start with `msmelens up`: it imports the ToTA corpus on the first run, then serves the web app on
    http://127.0.0.1:8000/.
    """


cli.add_command(lens_commands.lens)
cli.add_command(feedback_commands.feedback)
cli.add_command(practices_commands.practices)
cli.add_command(wto)
cli.add_command(guide)
for command in platform_commands.COMMANDS:
    cli.add_command(command)
