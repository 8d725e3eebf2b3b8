"""Lens speed benchmark: the whole ToTA corpus through `msmelens lens analyze` vs two bare stdlib floors.

Run: ``.venv/bin/python bench/bench_lens.py [--corpus DIR] [--workers N] [--json]``.
The lens run uses the CLI's own code path (``run_analyze``) writing JSONL to a temporary file, on all cores.
Two floors, each a single-process ``xml.etree`` parse of every file plus one search per article text:
- keyword floor: ``re.compile("small and medium", re.IGNORECASE)`` (one case-insensitive keyword);
- strict floor: the case-sensitive literal ``re.compile("small and medium")`` (close to the bare parse).
Exit status 1 when the lens is more than 8x the strict floor, peak memory is over 2 GiB or the article count
is wrong. The target is 3x (printed for both floors).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from msmelens.cli.lens_commands import run_analyze  # noqa: E402

DEFAULT_CORPUS = ROOT / ".." / "shared" / "tota" / "xml"
EXPECTED_ARTICLES = 40_993
MAX_RATIO = 8.0
TARGET_RATIO = 3.0
MAX_RSS = 2 * 1024**3
KEYWORD = re.compile(r"small and medium", re.IGNORECASE)
LITERAL = re.compile("small and medium")


def floor_run(files: list[Path], pattern: re.Pattern[str]) -> tuple[float, int, int]:
    """Bare stdlib parse: ElementTree parse of each file, one ``pattern`` search per article text."""
    t0 = time.perf_counter()
    articles = hits = 0
    for f in files:
        root = ET.parse(f).getroot()
        for art in root.iter("article"):
            articles += 1
            if pattern.search("".join(art.itertext())):
                hits += 1
    return time.perf_counter() - t0, articles, hits


def read_run(corpus: Path) -> tuple[float, int]:
    """The corpus readers alone, one process, article level (what the lens needs): wall time, articles."""
    from msmelens.corpus.readers import read_many

    t0 = time.perf_counter()
    n = 0
    for doc in read_many([corpus], paragraphs=False):
        if not isinstance(doc, Exception):
            n += sum(1 for _ in doc.articles())
    return time.perf_counter() - t0, n


def lens_run(corpus: Path, workers: int) -> tuple[float, float, int, int]:
    """The CLI code path to a temporary JSONL file; returns wall, cpu (self + children), records, bytes."""
    cpu0 = _cpu()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "lens.jsonl"
        with open(out_path, "w", encoding="utf-8") as out:
            stats = run_analyze([corpus], out, fmt="jsonl", unit="article", workers=workers)
        wall = time.perf_counter() - t0
        size = out_path.stat().st_size
        with open(out_path, encoding="utf-8") as fh:
            lines = sum(1 for _ in fh)
    if lines != stats.records:
        raise SystemExit(f"record count mismatch: {lines} lines written, {stats.records} counted")
    return wall, _cpu() - cpu0, stats.records, size


def _cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def peak_rss_bytes() -> int:
    """Peak RSS of this process plus the largest child (ru_maxrss is in KiB on Linux, bytes on macOS)."""
    scale = 1 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) * scale


def _verdict(ratio: float) -> str:
    if ratio <= TARGET_RATIO:
        return "met"
    return "over target" if ratio <= MAX_RATIO else "TOO SLOW"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of ToTA XML files")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--expected-articles", type=int, default=EXPECTED_ARTICLES)
    ap.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    args = ap.parse_args(argv)
    corpus = args.corpus.resolve()
    files = sorted(corpus.glob("*.xml"))
    if not files:
        print(f"No XML files in {corpus}", file=sys.stderr)
        return 2
    lens_wall, lens_cpu, records, out_bytes = lens_run(corpus, args.workers)
    # the same run with the rules alone (the learned stage switched off), to show what the stage costs
    saved = os.environ.get("MSMELENS_LENS_MODEL")
    os.environ["MSMELENS_LENS_MODEL"] = "rules"
    try:
        rules_wall, rules_cpu, _n, _b = lens_run(corpus, args.workers)
    finally:
        if saved is None:
            os.environ.pop("MSMELENS_LENS_MODEL", None)
        else:
            os.environ["MSMELENS_LENS_MODEL"] = saved
    kw_wall, floor_articles, kw_hits = floor_run(files, KEYWORD)
    strict_wall, _, strict_hits = floor_run(files, LITERAL)
    read_wall, _ = read_run(corpus)
    kw_ratio = lens_wall / kw_wall
    strict_ratio = lens_wall / strict_wall
    rss = peak_rss_bytes()
    summary = {
        "corpus": str(corpus),
        "files": len(files),
        "workers": args.workers,
        "articles": records,
        "floor_articles": floor_articles,
        "lens_wall_s": round(lens_wall, 3),
        "lens_cpu_s": round(lens_cpu, 3),
        "cpu_wall_ratio": round(lens_cpu / lens_wall, 2),
        "rules_alone_wall_s": round(rules_wall, 2),
        "rules_alone_cpu_s": round(rules_cpu, 2),
        "keyword_floor_wall_s": round(kw_wall, 3),
        "keyword_floor_hits": kw_hits,
        "ratio_to_keyword_floor": round(kw_ratio, 2),
        "strict_floor_wall_s": round(strict_wall, 3),
        "strict_floor_hits": strict_hits,
        "ratio_to_strict_floor": round(strict_ratio, 2),
        "target_ratio": TARGET_RATIO,
        "max_ratio_to_strict_floor": MAX_RATIO,
        "read_only_wall_s": round(read_wall, 3),
        "peak_rss_mib": round(rss / 1024**2, 1),
        "output_mib": round(out_bytes / 1024**2, 1),
    }
    problems = []
    if strict_ratio > MAX_RATIO:
        problems.append(f"lens is {strict_ratio:.1f}x the strict floor (limit {MAX_RATIO:.0f}x)")
    if rss > MAX_RSS:
        problems.append(f"peak memory {rss / 1024**3:.2f} GiB is over 2 GiB")
    if records != args.expected_articles:
        problems.append(f"{records} records, expected {args.expected_articles} (one per article)")
    summary["ok"] = not problems
    summary["problems"] = problems
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(f"files            {len(files)}   workers {args.workers}")
        print(f"articles         {records}   (floor counted {floor_articles})")
        print(
            f"lens wall        {lens_wall:.2f} s   (cpu {lens_cpu:.2f} s, cpu/wall {lens_cpu / lens_wall:.2f})"
        )
        print(
            f"keyword floor    {kw_wall:.2f} s   (xml.etree parse + 'small and medium' IGNORECASE per article,"
            " 1 process)"
        )
        print(
            f"strict floor     {strict_wall:.2f} s   (xml.etree parse + literal 'small and medium' per article,"
            " 1 process)"
        )
        print(f"readers alone    {read_wall:.2f} s   (msmelens.corpus, 1 process, article level)")
        print(
            f"rules alone      {rules_wall:.2f} s   (cpu {rules_cpu:.2f} s; {rules_wall / kw_wall:.2f}x the keyword "
            "floor; MSMELENS_LENS_MODEL=rules)"
        )
        print(f"ratio keyword    {kw_ratio:.2f}x   (target <= {TARGET_RATIO:.0f}x: {_verdict(kw_ratio)})")
        print(
            f"ratio strict     {strict_ratio:.2f}x   (target <= {TARGET_RATIO:.0f}x: {_verdict(strict_ratio)};"
            f" gate: limit {MAX_RATIO:.0f}x)"
        )
        print(f"peak RSS         {rss / 1024**2:.0f} MiB   (parent + largest child, limit 2048 MiB)")
        print(f"output           {out_bytes / 1024**2:.1f} MiB JSONL")
        for p in problems:
            print(f"FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
