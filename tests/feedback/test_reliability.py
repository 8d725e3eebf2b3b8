"""Reliability of JSON submissions against a real server: a crash in the middle of the load, and races.

A real ``msmelens serve`` (gunicorn, 2 workers) runs in its own process group over its own database: a
temporary ``MSMELENS_HOME`` with SQLite, or, when the suite runs with ``MSMELENS_DATABASE_URL=postgresql://
…/NAME``, a separate PostgreSQL database ``NAME_rel`` created and dropped here. Clients are threads with
keep-alive ``http.client`` connections. What is stored is read straight from the server's database.

* SIGKILL of the whole server group under load: every acknowledged submission (201/200) is stored exactly
  once; a request that got no answer is stored once or not at all, never partially (answers complete, contact
  details present); after a restart, resending every unanswered one stores each exactly once.
* 16 clients sending the same submission at once: one row, every client 201 or 200. With 16 different answer
  sets for one instance id: one row, the others 409.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from tests import serving
from tests.feedback.conftest import valid_answers

from msmelens.feedback.answers import check_answers
from msmelens.feedback.formspec import FormSpec
from msmelens.feedback.xlsform import convert_xlsform, default_instrument_path

SLUG = "msme-trade-obstacles"
PATH = f"/api/v1/surveys/{SLUG}/responses"
HEADERS = {"Content-Type": "application/json", "Connection": "keep-alive"}


# --- the server and its database ------------------------------------------------------------------------


@dataclass
class Backend:
    """Where the server keeps its data, and how the test reads it back."""

    home: Path
    url: str = ""  # PostgreSQL URL, "" for SQLite in ``home``

    @property
    def env(self) -> dict[str, str]:
        env = {**os.environ, "MSMELENS_HOME": str(self.home), "MSMELENS_SUBMISSION_RATE": "0"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env.pop("MSMELENS_DATABASE_URL", None)
        if self.url:
            env["MSMELENS_DATABASE_URL"] = self.url
        return env

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.url:
            with psycopg.connect(self.url) as conn:
                return list(conn.execute(sql.replace("?", "%s"), params).fetchall())
        conn = sqlite3.connect(self.home / "msmelens.sqlite3", timeout=30)
        try:
            return list(conn.execute(sql, params).fetchall())
        finally:
            conn.close()

    def rows(self) -> dict[str, list[dict[str, Any]]]:
        """Stored responses by instance id (a list, so that a duplicate would show), with contact e-mail."""
        out: dict[str, list[dict[str, Any]]] = {}
        for instance_id, answers, payload_hash, email in self.query(
            "SELECT r.instance_id, r.answers, r.payload_hash, c.email FROM feedback_response r "
            "LEFT JOIN feedback_contactdetail c ON c.response_id = r.id"
        ):
            data = answers if isinstance(answers, dict) else json.loads(answers)
            out.setdefault(instance_id, []).append({"answers": data, "hash": payload_hash, "email": email})
        return out


def _admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    url = os.environ.get("MSMELENS_DATABASE_URL", "").strip()
    if not url.startswith(("postgres://", "postgresql://")):
        yield Backend(tmp_path)
        return
    admin, name = _admin_url(url)
    own = f"{name}_rel"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{own}"')
    parts = urlsplit(url)
    try:
        yield Backend(tmp_path, urlunsplit(parts._replace(path=f"/{own}")))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)')


class Server:
    """``msmelens serve`` in its own session (process group), so a SIGKILL reaches gunicorn's workers too."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.port = serving.free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90.0) -> Server:
        self.proc = serving.start(
            self.backend.env, self.port, ready_path="/api/v1/surveys", new_session=True, timeout=timeout
        )
        return self

    def kill(self) -> None:
        """SIGKILL the whole process group: gunicorn's master and workers die mid-request."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            self.kill()
        self.proc = None

    def post(self, conn: http.client.HTTPConnection, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        conn.request("POST", PATH, json.dumps(body), HEADERS)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")


# --- what each submission should store ------------------------------------------------------------------


@cache
def _spec() -> FormSpec:
    path = default_instrument_path()
    return convert_xlsform(path.name, path.read_bytes()).spec


def submission(instance_id: str, n: int) -> dict[str, Any]:
    """A valid response that differs by ``n``; every third one gives an e-mail (stored apart)."""
    consent = "yes" if n % 3 == 0 else "no"
    answers = valid_answers(
        employees=str(n % 400),  # sent as text: the server stores a number
        year_started=1990 + n % 30,
        comment=f"response {instance_id} " + "x" * (n % 50),
        consent_followup=consent,
        contact_email=f"owner{n}@example.org" if consent == "yes" else None,
    )
    return {"instance_id": instance_id, "answers": answers}


def expected(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    checked = check_answers(_spec(), body["answers"])
    assert checked.ok, checked.problems
    return checked.answers, checked.contact.get("contact_email", "")


def assert_complete(row: dict[str, Any], body: dict[str, Any]) -> None:
    answers, email = expected(body)
    assert row["answers"] == answers
    assert (row["email"] or "") == email


# --- the tests ------------------------------------------------------------------------------------------


@dataclass
class Load:
    sent: dict[str, dict[str, Any]] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)
    unanswered: set[str] = field(default_factory=set)
    other: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def drive(server: Server, load: Load, clients: int, stop: threading.Event) -> list[threading.Thread]:
    """Client threads sending unique submissions until the server dies (or ``stop``)."""

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        n = 0
        while not stop.is_set():
            instance_id = f"uuid:load-{index}-{n}"
            body = submission(instance_id, index * 10_000 + n)
            n += 1
            with load.lock:
                load.sent[instance_id] = body
            try:
                status, _ack = server.post(conn, body)
            except (OSError, http.client.HTTPException, ValueError):
                with load.lock:
                    load.unanswered.add(instance_id)
                return  # the server is gone
            with load.lock:
                if status in (200, 201):
                    load.acked[instance_id] = status
                else:
                    load.other.append((instance_id, status))
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def test_sigkill_under_load_loses_nothing_acknowledged(backend: Backend) -> None:
    server = Server(backend).start()
    load = Load()
    stop = threading.Event()
    try:
        threads = drive(server, load, clients=8, stop=stop)
        deadline = time.monotonic() + 30
        while len(load.acked) < 150 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.kill()  # in the middle of the load: requests are in flight
        for thread in threads:
            thread.join(timeout=40)
        stop.set()
    finally:
        stop.set()
        server.kill()

    assert load.other == []
    assert len(load.acked) >= 150, f"only {len(load.acked)} acknowledged before the kill"
    assert load.unanswered, "the kill should have cut some requests short"
    assert all(status == 201 for status in load.acked.values())

    rows = backend.rows()
    assert set(rows) <= set(load.sent), "a row nobody sent"
    assert all(len(found) == 1 for found in rows.values()), "a submission stored twice"
    for instance_id in load.acked:
        assert instance_id in rows, f"acknowledged {instance_id} was lost"
        assert_complete(rows[instance_id][0], load.sent[instance_id])
    stored_unanswered = {i for i in load.unanswered if i in rows}
    print(f"acknowledged {len(load.acked)}, unanswered {len(load.unanswered)} "
          f"(of which stored {len(stored_unanswered)})")
    for instance_id in stored_unanswered:  # committed but the answer never left: complete, not partial
        assert_complete(rows[instance_id][0], load.sent[instance_id])

    server = Server(backend).start()  # restart over the same database, then resend what got no answer
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        resent = {i: server.post(conn, load.sent[i])[0] for i in sorted(load.unanswered)}
        twice = {i: server.post(conn, load.sent[i])[0] for i in sorted(load.unanswered)}
        conn.close()
    finally:
        server.stop()
    assert resent == {i: 200 if i in stored_unanswered else 201 for i in load.unanswered}
    assert set(twice.values()) == {200}

    rows = backend.rows()
    assert set(rows) == set(load.acked) | load.unanswered
    for instance_id, found in rows.items():
        assert len(found) == 1, instance_id
        assert_complete(found[0], load.sent[instance_id])


@pytest.fixture
def server(backend: Backend) -> Iterator[Server]:
    running = Server(backend).start()
    try:
        yield running
    finally:
        running.stop()


def race(server: Server, bodies: list[dict[str, Any]]) -> list[int]:
    """Send each body from its own connection at the same moment; the statuses in order."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        conn.connect()
        barrier.wait()
        try:
            statuses[index] = server.post(conn, bodies[index])[0]
        except (OSError, http.client.HTTPException) as exc:  # pragma: no cover - reported as status -1
            statuses[index] = -1
            print(exc)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_same_submission_sixteen_times_at_once_is_stored_once(server: Server) -> None:
    for round_ in range(3):
        body = submission(f"uuid:same-{round_}", round_ * 3)  # round 0 carries contact details
        statuses = race(server, [body] * 16)
        assert statuses.count(201) == 1, statuses
        assert statuses.count(200) == 15, statuses
        found = server.backend.rows()[body["instance_id"]]
        assert len(found) == 1
        assert_complete(found[0], body)


def test_one_id_sixteen_different_answers_at_once_stores_one(server: Server) -> None:
    bodies = [submission("uuid:contested", n) for n in range(16)]
    statuses = race(server, bodies)
    assert statuses.count(201) == 1, statuses
    assert statuses.count(409) == 15, statuses
    winner = bodies[statuses.index(201)]
    found = server.backend.rows()["uuid:contested"]
    assert len(found) == 1
    assert_complete(found[0], winner)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    assert server.post(conn, winner)[0] == 200  # the winner's resend is a duplicate, the others conflicts
    assert server.post(conn, bodies[(statuses.index(201) + 1) % 16])[0] == 409
    conn.close()
