"""Settings: environment parsing, the secret key file, security headers and request limits."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from msmelens.web import config

PYTHON = sys.executable


def test_parse_postgresql_url():
    db = config.parse_database_url("postgresql://ana:s%40cret@db.example.org:6543/lens?sslmode=require")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "lens",
        "ana",
        "s@cret",
        "db.example.org",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}
    short = config.parse_database_url("postgres://postgres@127.0.0.1/msmelens")
    assert (short["USER"], short["PASSWORD"], short["PORT"], short["NAME"]) == (
        "postgres",
        "",
        "",
        "msmelens",
    )


def test_parse_sqlite_url_and_errors():
    assert config.parse_database_url("sqlite:////var/lib/lens.db")["NAME"] == "/var/lib/lens.db"
    assert config.parse_database_url("sqlite:///lens.db")["NAME"] == "lens.db"
    with pytest.raises(config.ConfigError, match="postgresql://"):
        config.parse_database_url("mysql://root@localhost/lens")
    with pytest.raises(config.ConfigError, match="no database name"):
        config.parse_database_url("postgresql://user@host:5432/")
    with pytest.raises(config.ConfigError, match="port"):
        config.parse_database_url("postgresql://user@host:notaport/lens")


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("MSMELENS_SECRET_KEY", raising=False)
    key = config.secret_key(tmp_path)
    key_file = tmp_path / "secret_key"
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert config.secret_key(tmp_path) == key  # kept, not regenerated
    monkeypatch.setenv("MSMELENS_SECRET_KEY", "given-by-the-operator")
    assert config.secret_key(tmp_path) == "given-by-the-operator"


def test_env_helpers(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MSMELENS_X", "Yes")
    assert config.env_flag("MSMELENS_X") is True
    monkeypatch.setenv("MSMELENS_X", "0")
    assert config.env_flag("MSMELENS_X", True) is False
    monkeypatch.setenv("MSMELENS_N", "12")
    assert config.env_int("MSMELENS_N", 3) == 12
    monkeypatch.setenv("MSMELENS_N", "lots")
    with pytest.raises(config.ConfigError, match="MSMELENS_N"):
        config.env_int("MSMELENS_N", 3)


def _settings_in_subprocess(tmp_path: Path, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'engine': s.DATABASES['default']['ENGINE'],"
        "'name': str(s.DATABASES['default']['NAME']), 'secure': getattr(s, 'SESSION_COOKIE_SECURE', False),"
        "'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), 'upload': s.DATA_UPLOAD_MAX_MEMORY_SIZE,"
        "'cache': s.CACHES['default']['LOCATION'], 'langs': [c for c, _ in s.LANGUAGES]}))"
    )
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MSMELENS_")}
    full_env.update(
        {"DJANGO_SETTINGS_MODULE": "msmelens.web.settings", "MSMELENS_HOME": str(tmp_path), **env}
    )
    out = subprocess.run(
        [PYTHON, "-c", code], env=full_env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(out.stdout)


def test_settings_defaults(tmp_path: Path):
    s = _settings_in_subprocess(tmp_path)
    assert s["debug"] is False
    assert s["hosts"] == ["localhost", "127.0.0.1", "[::1]", "testserver"]
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "msmelens.sqlite3")
    assert s["cache"] == str(tmp_path / "cache")
    assert s["secure"] is False and s["hsts"] == 0
    assert s["upload"] == 10 * 1024 * 1024
    assert s["langs"] == ["en", "fr", "es"]
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_settings_from_environment(tmp_path: Path):
    s = _settings_in_subprocess(
        tmp_path,
        MSMELENS_DEBUG="1",
        MSMELENS_ALLOWED_HOSTS="lens.example.org, www.lens.example.org",
        MSMELENS_DATABASE_URL="postgresql://lens@db:5432/lens",
        MSMELENS_HTTPS="1",
        MSMELENS_MAX_UPLOAD_MB="3",
        MSMELENS_SECRET_KEY="k" * 60,
    )
    assert s["debug"] is True
    assert s["hosts"] == ["lens.example.org", "www.lens.example.org"]
    assert s["engine"] == "django.db.backends.postgresql" and s["name"] == "lens"
    assert s["secure"] is True and s["hsts"] == 31536000
    assert s["upload"] == 3 * 1024 * 1024
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0].lower() == "wal"


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/agreements"])
def test_overlong_query_string_is_refused(client, path):
    response = client.get(path + "?q=" + "x" * 2100)
    assert response.status_code == 414
    if path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "query_too_long"
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "too long" in response.content.decode()


@pytest.mark.django_db
def test_repeated_parameter_is_refused(client):
    query = "&".join(["party=JPN"] * 21)
    response = client.get("/api/v1/agreements?" + query)
    assert response.status_code == 400
    assert "party" in response.json()["detail"]
    assert client.get("/admin/login/?" + "&".join(["a=1"] * 20)).status_code == 200


@pytest.mark.django_db
def test_oversize_body_is_refused(client):
    body = b"x" * (12 * 1024 * 1024)
    response = client.generic("POST", "/api/v1/analyze", body, content_type="text/plain")
    assert response.status_code == 413
    assert "10 MB" in response.json()["detail"]
    page = client.generic("POST", "/admin/login/", body, content_type="text/plain")
    assert page.status_code == 413 and "10 MB" in page.content.decode()


@pytest.mark.django_db
def test_admin_static_files_are_served(client):
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert b"body" in b"".join(response.streaming_content)
    escape = client.get("/static/admin/../../__init__.py")  # path traversal is refused
    assert escape.status_code in (400, 404)
    assert b"django.contrib.admin.decorators" not in escape.content


@pytest.mark.django_db
def test_refusal_pages_speak_the_language_of_the_address(client):
    response = client.get("/fr/agreements/?q=" + "x" * 2100)
    assert response.status_code == 414
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert "2000" in page and "trop longue" in page
    spanish = client.get("/es/search/?" + "&".join(["party=JPN"] * 21))
    assert spanish.status_code == 400
    assert 'lang="es"' in spanish.content.decode() and "party" in spanish.content.decode()
