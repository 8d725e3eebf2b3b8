"""Submission benchmark: sustained JSON responses to a real server on SQLite, then on PostgreSQL.

Run: ``.venv/bin/python bench/bench_feedback.py`` (options: --duration, --clients, --workers, --pg-url, --only).

For each database in turn:

1. A fresh database (a temporary ``MSMELENS_HOME`` for SQLite; a new PostgreSQL database named
   ``msmelens_bench_<pid>`` on the server of ``--pg-url``, dropped afterwards) and ``msmelens serve``
   (gunicorn, gthread) on a free loopback port with ``MSMELENS_SUBMISSION_RATE=0``.
2. Baseline: a pool of client *processes* (one keep-alive ``http.client`` connection each) reads
   ``GET /api/v1/surveys`` (a small JSON read that also loads the survey, its form and waves) for
   ``--duration`` seconds.
3. Load: the same pool POSTs valid, distinct responses to ``/api/v1/surveys/msme-trade-obstacles/responses``
   for ``--duration`` seconds.
4. Checks in the server's database that the number of stored responses equals the number acknowledged
   with 201 (none lost, none extra), then prints requests/s and p50/p95/p99 latency side by side.

``--profile N`` instead runs N submissions in one process under cProfile (Django's test client, same
database kind) and prints where the time goes.

Exits non-zero when a submission is lost or refused, or when submissions/s fall under the target
(PostgreSQL 300/s, SQLite 100/s; on a 2-core machine shared by server and clients).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
MSMELENS = [sys.executable, "-m", "msmelens"]
SLUG = "msme-trade-obstacles"
READ_PATH = "/api/v1/surveys"  # the baseline: a small read (the form's full description is ~110 KB)
WRITE_PATH = f"/api/v1/surveys/{SLUG}/responses"
TARGETS = {"sqlite": 100.0, "postgres": 300.0}
CATEGORIES = ("skills", "market_information", "border_procedures", "finance", "digital", "infrastructure",
              "regulatory_framework", "dialogue_and_data")


def answers_for(n: int) -> dict[str, Any]:
    """A valid response to the default instrument that differs with ``n`` (one in five leaves an e-mail)."""
    consent = "yes" if n % 5 == 0 else "no"
    answers: dict[str, Any] = {
        "country": ("PER", "KEN", "VNM", "FRA", "MEX")[n % 5],
        "sector": "C",
        "employees": n % 300,
        "year_started": 1980 + n % 40,
        "owner_gender": ("female", "male")[n % 2],
        "manager_gender": "female",
        "location": "urban",
        "exporter": "yes",
        "importer": ("yes", "no")[n % 2],
        "online_sales": "yes",
        "markets": ["KOR", "NPL"],
        **{f"obstacle_{key}": str(n % 5) for key in CATEGORIES},
        "biggest_obstacle": "border_procedures",
        "aware_agreements": "partly",
        "aware_sme_provisions": ["sme_website"],
        "digital_awareness": "basic",
        "comment": f"benchmark response {n}",
        "consent_followup": consent,
    }
    if consent == "yes":
        answers["contact_email"] = f"owner{n}@example.org"
    return answers


# --- client processes -----------------------------------------------------------------------------------


def client_process(args: tuple[int, int, str, float]) -> dict[str, Any]:
    """One client: a keep-alive connection sending requests until ``deadline`` (time.time())."""
    index, port, kind, deadline = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    acked = 0
    failures: list[str] = []
    n = 0
    while time.time() < deadline:
        if kind == "write":
            number = index * 1_000_000 + n
            body = json.dumps({"instance_id": f"bench-{number}", "answers": answers_for(number)})
            method, path, headers = "POST", WRITE_PATH, {"Content-Type": "application/json"}
        else:
            body, method, path, headers = None, "GET", READ_PATH, {}
        n += 1
        start = time.perf_counter()
        try:
            conn.request(method, path, body, headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            failures.append(f"{method} {path}: {exc!r}")
            continue
        latencies.append((time.perf_counter() - start) * 1000)
        expected = 201 if kind == "write" else 200
        if status == expected:
            acked += 1
        else:
            failures.append(f"{method} {path}: HTTP {status}")
    conn.close()
    return {"latencies": latencies, "acked": acked, "failures": failures}


def run_phase(port: int, kind: str, clients: int, duration: float) -> dict[str, Any]:
    deadline = time.time() + duration
    context = multiprocessing.get_context("spawn")  # clients share nothing with the parent
    with context.Pool(clients) as pool:
        pool.map(_noop, range(clients))  # start every client process before the clock runs
        deadline = time.time() + duration
        started = time.perf_counter()
        results = pool.map(client_process, [(i, port, kind, deadline) for i in range(clients)])
        wall = time.perf_counter() - started
    latencies = [x for r in results for x in r["latencies"]]
    acked = sum(r["acked"] for r in results)
    failures = [f for r in results for f in r["failures"]]
    return {
        "requests": len(latencies),
        "acknowledged": acked,
        "failures": failures,
        "per_second": round(acked / wall, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
    }


def _noop(_: int) -> None:
    return None


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# --- servers and databases ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Database:
    name: str  # "sqlite" or "postgres"
    home: Path
    url: str = ""

    def env(self) -> dict[str, str]:
        env = {**os.environ, "MSMELENS_HOME": str(self.home), "MSMELENS_SUBMISSION_RATE": "0"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("MSMELENS_DATABASE_URL", None)
        if self.url:
            env["MSMELENS_DATABASE_URL"] = self.url
        return env

    def stored(self) -> int:
        sql = "SELECT COUNT(*) FROM feedback_response WHERE instance_id LIKE 'bench-%'"
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as conn:
                row = conn.execute(sql).fetchone()
                return int(row[0]) if row else 0
        lite = sqlite3.connect(self.home / "msmelens.sqlite3", timeout=30)
        try:
            found = lite.execute(sql).fetchone()
            return int(found[0]) if found else 0
        finally:
            lite.close()


def create_postgres(url: str) -> str:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    name = f"msmelens_bench_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("msmelens_bench_"):  # never drop anything else
        return
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(database: Database, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    proc = subprocess.Popen(
        [*MSMELENS, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
        env=database.env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"msmelens serve exited with {proc.returncode} ({database.name})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", READ_PATH)
            if conn.getresponse().status == 200:
                conn.close()
                return proc, port
        except OSError:
            time.sleep(0.3)
    stop_server(proc)
    raise SystemExit(f"the server on port {port} did not answer within 120 s ({database.name})")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def bench_database(database: Database, args: argparse.Namespace) -> dict[str, Any]:
    proc, port = start_server(database, args.workers)
    try:
        run_phase(port, "read", args.clients, 1.0)  # warm-up: every worker loads the form once
        read = run_phase(port, "read", args.clients, args.duration)
        write = run_phase(port, "write", args.clients, args.duration)
    finally:
        stop_server(proc)
    stored = database.stored()
    target = TARGETS[database.name]
    return {
        "database": database.name,
        "read": read,
        "write": write,
        "stored": stored,
        "lost": write["acknowledged"] - stored,
        "target_per_second": target,
        "ok": (
            stored == write["acknowledged"]
            and not write["failures"]
            and not read["failures"]
            and write["per_second"] >= target
        ),
    }


def profile_child(count: int) -> None:
    """In a child process whose environment names the database: N submissions under cProfile."""
    import cProfile
    import pstats

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", interactive=False, verbosity=0)
    client = Client()

    def send(first: int, n: int) -> None:
        for number in range(first, first + n):
            body = json.dumps({"instance_id": f"bench-{number}", "answers": answers_for(number)})
            response = client.post(WRITE_PATH, body, content_type="application/json")
            if response.status_code != 201:
                raise SystemExit(f"submission {number}: HTTP {response.status_code} {response.content[:200]!r}")

    send(0, 20)  # warm: the form is parsed once per process
    started = time.perf_counter()
    send(100, count)
    plain = (time.perf_counter() - started) * 1000 / count
    profiler = cProfile.Profile()
    profiler.enable()
    send(10_000_000, count)
    profiler.disable()
    print(f"{plain:.2f} ms per submission in one process without the profiler")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def run_profile(database: Database, count: int) -> None:
    env = {**database.env(), "DJANGO_SETTINGS_MODULE": "msmelens.web.settings"}
    subprocess.run([sys.executable, __file__, "--profile-child", str(count)], env=env, cwd=ROOT, check=True)


def print_table(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(f"{args.clients} client processes, {args.workers} gunicorn workers (gthread), {args.duration:g} s each")
    header = f"{'database':9} {'phase':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'failed':>7}"
    print(header)
    print("-" * len(header))
    for result in results:
        for phase, label in (("read", f"GET {READ_PATH} (baseline)"), ("write", "POST …/responses")):
            row = result[phase]
            print(
                f"{result['database']:9} {label[:32]:32} {row['per_second']:>8} {row['p50_ms']:>8} "
                f"{row['p95_ms']:>8} {row['p99_ms']:>8} {len(row['failures']):>7}"
            )
        write = result["write"]
        print(
            f"{'':9} acknowledged {write['acknowledged']}, stored {result['stored']}, lost {result['lost']}; "
            f"target {result['target_per_second']:g}/s: {'met' if result['ok'] else 'MISSED'}"
        )
        for failure in (result["read"]["failures"] + write["failures"])[:5]:
            print(f"{'':9} failure: {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase (default 15)")
    parser.add_argument("--clients", type=int, default=16, help="client processes (default 16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("MSMELENS_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="PostgreSQL server to use; the benchmark creates and drops its own msmelens_bench_<pid> database",
    )
    parser.add_argument("--only", choices=["sqlite", "postgres"], help="benchmark one database only")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", type=int, metavar="N", help="profile N submissions in one process instead")
    parser.add_argument("--profile-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.profile_child:
        profile_child(args.profile_child)
        return 0

    results = []
    for name in ("sqlite", "postgres"):
        if args.only and args.only != name:
            continue
        home = Path(tempfile.mkdtemp(prefix=f"msmelens-bench-{name}-"))
        url = create_postgres(args.pg_url) if name == "postgres" else ""
        try:
            if args.profile:
                print(f"--- {name}: {args.profile} submissions under cProfile")
                run_profile(Database(name, home, url), args.profile)
                continue
            results.append(bench_database(Database(name, home, url), args))
        finally:
            if url:
                drop_postgres(url)
            shutil.rmtree(home, ignore_errors=True)
    if args.profile:
        return 0
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results, args)
    failed = [r["database"] for r in results if not r["ok"]]
    if failed:
        print(f"FAIL: {', '.join(failed)}: a target was missed or a submission lost or refused", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
