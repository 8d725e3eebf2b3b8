"""Generate docs/cli.md from the `--help` of every command of the `msmelens` group.

Run ``.venv/bin/python scripts/gen_cli_docs.py`` after changing a command; ``--check`` exits 1 when the
file is stale (tests/cli/test_cli_docs.py does the same check).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from msmelens.cli.main import cli  # noqa: E402

DOC = ROOT / "docs" / "cli.md"
WIDTH = 100


def _walk(cmd: click.Command, name: str, parent: click.Context | None) -> Iterator[tuple[str, str]]:
    settings = {"terminal_width": WIDTH, "max_content_width": WIDTH, **cmd.context_settings}
    ctx = click.Context(cmd, info_name=name, parent=parent, **settings)
    yield ctx.command_path, cmd.get_help(ctx)
    if isinstance(cmd, click.Group):
        for sub in sorted(cmd.list_commands(ctx)):
            child = cmd.get_command(ctx, sub)
            if child is not None and not child.hidden:
                yield from _walk(child, sub, ctx)


def render() -> str:
    """The full text of docs/cli.md."""
    parts = [
        "# Command line reference\n",
        "Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand.\n",
    ]
    entries = list(_walk(cli, "msmelens", None))
    parts.append("\n".join(f"- [`{path}`](#{path.replace(' ', '-')})" for path, _ in entries) + "\n")
    for path, text in entries:
        parts.append(
            f'<a id="{path.replace(" ", "-")}"></a>\n\n## `{path}`\n\n```text\n{text.rstrip()}\n```\n'
        )
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run python scripts/gen_cli_docs.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
