"""docs/cli.md must match the `--help` of every `msmelens` command (regenerate with scripts/gen_cli_docs.py)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_docs_are_current():
    expected = _generator().render()
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == expected, "docs/cli.md is stale: run .venv/bin/python scripts/gen_cli_docs.py"


def test_cli_docs_cover_every_command():
    from msmelens.cli.main import cli

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        assert f"## `msmelens {name}`" in text
    for sub in ("analyze", "profile", "evaluate"):
        assert f"## `msmelens lens {sub}`" in text


def test_check_mode_detects_a_stale_file(tmp_path: Path):
    gen = _generator()
    gen.DOC = tmp_path / "cli.md"
    gen.DOC.write_text("old text", encoding="utf-8")
    gen.ROOT = tmp_path
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"], cwd=ROOT)
    assert result.returncode == 0
