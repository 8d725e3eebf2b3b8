"""`msmelens lens analyze|profile|evaluate` on real ToTA files, through click and as a real subprocess."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from msmelens.cli.main import cli
from msmelens.corpus.readers import read_path

ROOT = Path(__file__).resolve().parents[2]
TOTA = ROOT / ".." / "shared" / "tota" / "xml"
MSMELENS = Path(sys.executable).parent / "msmelens"
SPEC_FIELDS = {
    "agreement_id",
    "provision_id",
    "source_ref",
    "path",
    "unit",
    "text",
    "relevance",
    "categories",
    "binding",
    "committees",
    "score",
    "evidence",
}

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A folder with two real ToTA agreements and one damaged file."""
    folder = tmp_path_factory.mktemp("inputs")
    for n in (1, 449):
        (folder / f"pta_{n}.xml").write_bytes((TOTA / f"pta_{n}.xml").read_bytes())
    (folder / "pta_9999.xml").write_bytes(b"<treaty><meta>broken")
    return folder


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _article_ids(*names: str) -> list[str]:
    return [a.id for n in names for a in read_path(TOTA / n).articles()]


def test_analyze_jsonl_one_record_per_article(inputs: Path):
    result = CliRunner().invoke(
        cli, ["lens", "analyze", str(inputs / "pta_1.xml"), str(inputs / "pta_449.xml")]
    )
    assert result.exit_code == 0, result.output
    recs = _records(result.stdout)
    assert [r["provision_id"] for r in recs] == _article_ids("pta_1.xml", "pta_449.xml")
    assert len(recs) == 175 + 508
    for r in recs:
        assert set(r) >= SPEC_FIELDS
        assert r["unit"] == "article"
        assert r["relevance"] in {"explicit", "implicit", "none"}
        assert (r["binding"] is None) == (r["relevance"] == "none")
        for ev in r["evidence"]:
            assert r["text"][ev["start"] : ev["end"]] == ev["text"]
    tpp = [r for r in recs if r["agreement_id"] == "tota-449"]
    committee = next(r for r in tpp if r["path"][-1] == "ARTICLE 24.2 Committee On Smes")
    assert committee["relevance"] == "explicit" and committee["source_ref"] == "40416"


def test_analyze_folder_with_a_bad_file_continues(inputs: Path, tmp_path: Path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["lens", "analyze", str(inputs), "--output", str(out), "--workers", "2"])
    assert result.exit_code == 0
    assert "MSL107 pta_9999.xml" in result.stderr
    assert "2 file(s) read, 1 could not be read" in result.stderr
    recs = _records(out.read_text(encoding="utf-8"))
    assert [r["provision_id"] for r in recs] == _article_ids("pta_1.xml", "pta_449.xml")


def test_workers_do_not_change_output(inputs: Path):
    runs = [
        CliRunner().invoke(cli, ["lens", "analyze", str(inputs), "--workers", w]).stdout for w in ("1", "2")
    ]
    assert runs[0] == runs[1] and runs[0].count("\n") == 175 + 508


def test_paragraph_unit(inputs: Path):
    result = CliRunner().invoke(cli, ["lens", "analyze", str(inputs / "pta_449.xml"), "--unit", "paragraph"])
    assert result.exit_code == 0
    recs = _records(result.stdout)
    doc = read_path(TOTA / "pta_449.xml")
    assert [r["provision_id"] for r in recs] == [p.id for p in doc.paragraphs()]
    assert all(r["unit"] == "paragraph" for r in recs)
    assert len(recs) > 2 * 508


def test_csv_format(inputs: Path):
    result = CliRunner().invoke(cli, ["lens", "analyze", str(inputs / "pta_449.xml"), "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 508
    assert set(rows[0]) >= SPEC_FIELDS
    explicit = [r for r in rows if r["relevance"] == "explicit"]
    assert explicit and all(json.loads(r["evidence"]) for r in explicit)
    multi = [r for r in rows if ";" in r["path"]]
    assert multi and multi[0]["path"].split(";")[0].startswith("CHAPTER")


def test_table_format(inputs: Path):
    result = CliRunner().invoke(cli, ["lens", "analyze", str(inputs / "pta_1.xml"), "--format", "table"])
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["provision", "relevance", "binding"]
    assert len(lines) == 1 + 175 and lines[1].startswith("tota-1-a1 ")


def test_all_inputs_bad_exit_2(tmp_path: Path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    result = CliRunner().invoke(cli, ["lens", "analyze", str(bad), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "MSL104 bad.pdf" in result.stderr and "MSL101 missing.txt" in result.stderr
    assert result.stdout == ""


def test_empty_folder_exit_2(tmp_path: Path):
    result = CliRunner().invoke(cli, ["lens", "analyze", str(tmp_path)])
    assert result.exit_code == 2 and "No agreement files found" in result.stderr


def test_subprocess_exit_codes(inputs: Path, tmp_path: Path):
    files = [str(inputs / "pta_1.xml"), str(inputs / "pta_9999.xml"), str(inputs / "pta_449.xml")]
    run = subprocess.run(
        [str(MSMELENS), "lens", "analyze", *files], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    recs = _records(run.stdout)
    assert len(recs) == 175 + 508 and len({r["provision_id"] for r in recs}) == 683
    error_lines = [line for line in run.stderr.splitlines() if line.startswith("MSL")]
    assert len(error_lines) == 1 and "pta_9999.xml" in error_lines[0]
    assert "\r" not in run.stderr  # no progress bar when stderr is not a terminal
    bad = subprocess.run(
        [str(MSMELENS), "lens", "analyze", str(inputs / "pta_9999.xml")], capture_output=True, text=True
    )
    assert bad.returncode == 2 and bad.stdout == ""


def test_profile_json_and_table(inputs: Path):
    result = CliRunner().invoke(cli, ["lens", "profile", str(inputs), "--format", "json"])
    assert result.exit_code == 0
    profiles = json.loads(result.stdout)
    assert [p["agreement_id"] for p in profiles] == ["tota-1", "tota-449"]
    tpp = profiles[1]
    assert tpp["n_provisions"] == 508 and tpp["name"] == "Trans-Pacific Partnership"
    assert tpp["sme_chapter"]["heading"] == "CHAPTER 24 Small And Medium-Sized Enterprises"
    assert sum(tpp["relevance_counts"].values()) == 508
    table = CliRunner().invoke(cli, ["lens", "profile", str(inputs / "pta_449.xml")])
    assert "Trans-Pacific Partnership" in table.stdout and "CHAPTER 24" in table.stdout


def test_evaluate_reads_only_gold_agreements(inputs: Path, tmp_path: Path):
    gold_rows = [
        json.loads(line)
        for line in (ROOT / ".." / "shared" / "lens-gold" / "dev.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    tpp_rows = [r for r in gold_rows if r["agreement"] == "tota-449"]
    assert tpp_rows
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(r) + "\n" for r in tpp_rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["lens", "evaluate", str(gold), str(inputs), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == len(tpp_rows)
    assert "pta_9999" not in result.stderr  # files of agreements not in the gold file are not read
    table = CliRunner().invoke(cli, ["lens", "evaluate", str(gold), str(inputs)])
    assert "explicit F1" in table.stdout
    missing = CliRunner().invoke(cli, ["lens", "evaluate", str(gold), str(inputs / "pta_1.xml")])
    assert missing.exit_code == 2


def test_progress_bar_only_on_a_terminal(inputs: Path):
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        run = subprocess.run(
            [str(MSMELENS), "lens", "analyze", str(inputs / "pta_1.xml"), str(inputs / "pta_449.xml")],
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=300,
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    err = b"".join(chunks).decode()
    assert run.returncode == 0
    assert "2/2 files" in err and "\r[" in err
    assert len(_records(run.stdout.decode())) == 175 + 508  # records never mixed with the bar


def test_jsonl_line_is_json_dumps_of_the_record(inputs: Path):
    from msmelens.cli.lens_commands import jsonl_line
    from msmelens.lens import analyze

    results = analyze(read_path(inputs / "pta_449.xml"), unit="paragraph")
    assert {r.relevance for r in results} == {"explicit", "implicit", "none"}
    for r in results:
        assert jsonl_line(r) == json.dumps(r.to_dict(), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(),
    path=st.lists(st.text(max_size=8), max_size=3),
    cats=st.lists(st.sampled_from(["finance", "digital", "skills"]), max_size=3),
    binding=st.sampled_from([None, "binding", "soft"]),
    score=st.floats(min_value=0, max_value=1),
    spans=st.lists(st.tuples(st.integers(0, 10**6), st.text(max_size=6)), max_size=3),
)
def test_jsonl_line_matches_json_dumps_on_odd_strings(text, path, cats, binding, score, spans):
    from msmelens.cli.lens_commands import jsonl_line
    from msmelens.lens.record import Evidence, ProvisionResult

    r = ProvisionResult(
        agreement_id='doc-"x"\\',
        provision_id="p\n1",
        source_ref="\u2028",
        path=path,
        unit="article",
        text=text,
        relevance="implicit",
        categories=cats,
        binding=binding,
        committees=["msme_iwg"] if cats else [],
        score=score,
        evidence=[Evidence(a, a + len(t), t, "soft") for a, t in spans],
        language="",
    )
    assert jsonl_line(r) == json.dumps(r.to_dict(), ensure_ascii=False)


def test_file_and_text_stream_outputs_are_identical(inputs: Path, tmp_path: Path):
    """Records go to a real UTF-8 file as bytes and to a StringIO as text: the same lines either way."""
    from msmelens.cli.lens_commands import run_analyze

    files = [inputs / "pta_1.xml", inputs / "pta_449.xml"]
    out_path = tmp_path / "out.jsonl"
    with open(out_path, "w", encoding="utf-8", newline="") as fh:
        stats = run_analyze(files, fh, workers=2)
    buf = io.StringIO()
    run_analyze(files, buf, workers=1)
    assert stats.records == 175 + 508
    assert out_path.read_text(encoding="utf-8") == buf.getvalue()
    assert len(buf.getvalue().splitlines()) == stats.records


def test_profile_corpus_figures_by_year_and_region(inputs: Path):
    result = CliRunner().invoke(cli, ["lens", "profile", str(inputs), "--corpus", "--format", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["n_agreements"] == 2
    assert figures["n_with_explicit"] == 2  # TPP's chapter 24 and Japan-Thailand's SME cooperation
    assert figures["share_explicit"] == 1.0
    assert {row["year"] for row in figures["by_year"]} == {2007, 2016}
    assert "East Asia" in {row["region"] for row in figures["by_region"]}
    table = CliRunner().invoke(cli, ["lens", "profile", str(inputs), "--corpus"])
    assert "2 agreements: 2 (100%) with explicit MSME provisions" in table.stdout
    assert "East Asia" in table.stdout and "2016" in table.stdout
