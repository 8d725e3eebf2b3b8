"""Environment-driven configuration: the data directory, the database URL and the secret key.

Pure functions (no Django import) so that settings, the CLI and tests share one parser.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import platformdirs


class ConfigError(ValueError):
    """A setting given through an environment variable cannot be used (message names the variable)."""


def env_flag(name: str, default: bool = False) -> bool:
    """True for 1/true/yes/on (any case), False for 0/false/no/off/empty."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"The environment variable {name} must be a whole number, not {raw!r}.") from exc


def home_dir() -> Path:
    """``$MSMELENS_HOME``, else the per-user data directory; created if missing."""
    raw = os.environ.get("MSMELENS_HOME", "").strip()
    path = Path(raw).expanduser() if raw else Path(platformdirs.user_data_dir("msmelens"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(home: Path) -> str:
    """``$MSMELENS_SECRET_KEY``, else a key generated once and kept in ``home/secret_key`` (mode 0600)."""
    given = os.environ.get("MSMELENS_SECRET_KEY", "").strip()
    if given:
        return given
    key_file = home / "secret_key"
    if key_file.exists():
        key = key_file.read_text(encoding="utf-8").strip()
        if key:
            return key
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    os.chmod(key_file, 0o600)
    return key


SQLITE_MMAP_BYTES = 1 << 30
SQLITE_CONN_MAX_AGE = 600


def sqlite_database(home: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(home / "msmelens.sqlite3"),
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            # mmap: reads map the file instead of copying pages through SQLite's small per-connection cache
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; "
                f"PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
            ),
        },
        # one connection per web thread, kept between requests (opening one costs more than most pages)
        "CONN_MAX_AGE": SQLITE_CONN_MAX_AGE,
        "TEST": {"NAME": str(home / "test-msmelens.sqlite3")},
    }


def parse_database_url(url: str) -> dict[str, Any]:
    """Turn ``postgresql://user:pass@host:5432/db?sslmode=require`` (or ``sqlite:///path``) into a DATABASES entry."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql", "postgresql+psycopg"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                "MSMELENS_DATABASE_URL has no database name (expected postgresql://user@host:5432/NAME)."
            )
        try:
            port = parts.port
        except ValueError as exc:
            raise ConfigError("MSMELENS_DATABASE_URL has a port that is not a number.") from exc
        options: dict[str, Any] = dict(parse_qsl(parts.query))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port) if port else "",
            "CONN_MAX_AGE": 60,
            "OPTIONS": options,
        }
    if scheme == "sqlite":
        # sqlite:////abs/path.db is absolute, sqlite:///rel.db relative to the current folder
        path = unquote(parts.path)[1:] if parts.path.startswith("/") else unquote(parts.path)
        if not path:
            raise ConfigError(
                "MSMELENS_DATABASE_URL sqlite:/// needs a file path, e.g. sqlite:////var/msmelens.db."
            )
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path, "OPTIONS": {"timeout": 30}}
    raise ConfigError(
        f"MSMELENS_DATABASE_URL must start with postgresql:// or sqlite:///, not {scheme or 'nothing'}://."
    )


def database(home: Path) -> dict[str, Any]:
    url = os.environ.get("MSMELENS_DATABASE_URL", "").strip()
    return parse_database_url(url) if url else sqlite_database(home)
