"""A real ``msmelens serve`` (gunicorn) for the tests that go over HTTP: browser, OpenRosa, reliability.

``served(env)`` starts it on a free loopback port with its own environment (``MSMELENS_HOME``,
``MSMELENS_DATABASE_URL``...), waits until ``ready_path`` answers 200, yields the base URL and stops it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(base: dict[str, str], home: str) -> dict[str, str]:
    """``base`` with its own ``MSMELENS_HOME`` and none of the test session's database or settings."""
    env = {**base, "MSMELENS_HOME": home}
    env.pop("MSMELENS_DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def start(
    env: dict[str, str],
    port: int,
    *,
    workers: int = 2,
    ready_path: str = "/",
    new_session: bool = False,
    timeout: float = 90.0,
) -> subprocess.Popen[bytes]:
    """Start the server and wait until ``ready_path`` answers 200; RuntimeError if it exits or never does."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "msmelens", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=new_session,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"msmelens serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", ready_path)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.3)
    if new_session:  # the whole process group: gunicorn's workers too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    stop(proc)
    raise RuntimeError(f"the server on port {port} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)


@contextlib.contextmanager
def served(env: dict[str, str], *, workers: int = 2, ready_path: str = "/") -> Iterator[str]:
    """The base URL of a running server, stopped on exit."""
    port = free_port()
    proc = start(env, port, workers=workers, ready_path=ready_path)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)
