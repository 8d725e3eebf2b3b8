"""``msmelens lens profile --corpus``: language versions count once, small numbers are marked (issue 11)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.sample import TOTA_XML

from msmelens.cli.main import cli


def test_corpus_figures_count_the_tpp_once_and_mark_small_numbers(tmp_path: Path):
    for n in (1, 449, 450):  # Japan-Thailand; the TPP in English and in Spanish
        (tmp_path / f"pta_{n}.xml").write_bytes((TOTA_XML / f"pta_{n}.xml").read_bytes())
    result = CliRunner().invoke(cli, ["lens", "profile", str(tmp_path), "--corpus", "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert (figures["n_agreements"], figures["n_texts"]) == (2, 3)
    assert {row["year"]: row["n"] for row in figures["by_year"]} == {2007: 1, 2016: 1}
    assert all(row["small_n"] for row in figures["by_year"] + figures["by_region"])
    assert figures["small_n"] is True
    table = CliRunner().invoke(cli, ["lens", "profile", str(tmp_path), "--corpus"]).stdout
    assert "2 agreements (from 3 texts: language versions of one agreement count once)" in table
    year_2016 = next(line for line in table.splitlines() if line.startswith("2016"))
    assert year_2016.split()[1] == "1*"
    assert table.rstrip().endswith("* rests on fewer than five agreements: read it with care.")
    # per-text profiles keep every version, with its language
    profiles = json.loads(
        CliRunner().invoke(cli, ["lens", "profile", str(tmp_path), "--format", "json"]).stdout
    )
    assert sorted((p["agreement_id"], p["language"]) for p in profiles) == [
        ("tota-1", "en"),
        ("tota-449", "en"),
        ("tota-450", "es"),
    ]
