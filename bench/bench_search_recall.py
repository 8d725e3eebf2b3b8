"""Cross-lingual search recall: recall@10 per language pair (query language -> hit language).

Run: ``.venv/bin/python bench/bench_search_recall.py`` (``--home DIR`` reuses a database already holding the
agreements; ``--json`` prints the figures as JSON).

1. Imports the agreements named in ``tests/search/crosslingual_queries.json`` (from ``--corpus``) into a fresh
   ``MSMELENS_HOME`` on SQLite with ``msmelens corpus import`` (set ``MSMELENS_DATABASE_URL`` to use
   PostgreSQL instead).
2. For every topic, query language and hit language that has relevant provisions, searches with the hit
   language as filter and counts the relevant provisions among the first 10 hits. Recall@10 of a pair is
   the mean over its topics of found / min(relevant, 10).
3. Prints the figures for cross-lingual search (the default) and for stems alone (no concepts), and the
   search time per query (p50, p95).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "tests" / "search" / "crosslingual_queries.json"
LANGS = ("en", "fr", "es")


def load_queries(path: Path = QUERIES) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def recall_table(queries: dict, *, cross_lingual: bool, k: int = 10) -> tuple[dict, list[float]]:
    """{(query lang, hit lang): (recall@k, n topics)} and the search times in ms (Django must be set up)."""
    from msmelens.agreements.search_selectors import provision_search

    sums: dict[tuple[str, str], list[float]] = {}
    times: list[float] = []
    for topic in queries["topics"]:
        for qlang, text in topic["queries"].items():
            for hlang, relevant in topic["relevant"].items():
                if not relevant:
                    continue
                started = time.perf_counter()
                page = provision_search(q=text, language=hlang, cross_lingual=cross_lingual, limit=k)
                times.append((time.perf_counter() - started) * 1000)
                found = {h.provision.provision_id for h in page.hits} & set(relevant)
                sums.setdefault((qlang, hlang), []).append(len(found) / min(len(relevant), k))
    return {pair: (sum(v) / len(v), len(v)) for pair, v in sums.items()}, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "tota" / "xml"))
    parser.add_argument("--home", help="reuse this MSMELENS_HOME (skips the import when it holds a database)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    queries = load_queries()
    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="msmelens-recall-"))
    os.environ["MSMELENS_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msmelens.web.settings")
    try:
        if not (home / "msmelens.sqlite3").exists() or os.environ.get("MSMELENS_DATABASE_URL"):
            paths = [str(Path(args.corpus) / name) for name in queries["agreements"]]
            subprocess.run(
                [sys.executable, "-m", "msmelens", "corpus", "import", *paths],
                check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
            )
        import django

        django.setup()
        results = {}
        for mode, cross in (("cross-lingual", True), ("stems only", False)):
            table, times = recall_table(queries, cross_lingual=cross)
            results[mode] = {
                "recall_at_10": {f"{q}->{h}": round(r, 3) for (q, h), (r, _) in sorted(table.items())},
                "topics": {f"{q}->{h}": n for (q, h), (_, n) in sorted(table.items())},
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(statistics.quantiles(times, n=100, method="inclusive")[94], 1),
            }
    finally:
        if not args.home:
            shutil.rmtree(home, ignore_errors=True)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for mode, row in results.items():
        print(f"{mode}: recall@10 by query language -> hit language (topics), search p50 {row['p50_ms']} ms, "
              f"p95 {row['p95_ms']} ms")
        for pair, value in row["recall_at_10"].items():
            print(f"  {pair:8} {value:.3f}  ({row['topics'][pair]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
