"""Settings come from the environment; a malformed value stops start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from atmp_portal.env import EnvError, database_from_url, env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def _start(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a clean environment, as an operator's process would."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "HTTPS",
            "STATIC_MANIFEST",
            "CELERY_TASK_ALWAYS_EAGER",
            "EMAIL_BACKEND",
            "SITE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_maybe_is_refused_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(EnvError, match="DEBUG must be one of"):
        env_bool("DEBUG", default=False)


@pytest.mark.parametrize(
    "raw, expected", [("true", True), ("Yes", True), ("1", True), ("off", False), ("0", False)]
)
def test_booleans_accept_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=not expected) is expected


def test_an_unset_or_empty_variable_takes_the_default(monkeypatch):
    monkeypatch.setenv("EMPTY", "  ")
    assert env_bool("EMPTY", default=True) is True
    assert env_int("UNSET_VARIABLE_X", default=7) == 7
    assert env_list("EMPTY", default=["a"]) == ["a"]


def test_integers_are_checked(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(EnvError, match="EMAIL_PORT must be a whole number"):
        env_int("EMAIL_PORT", default=25)


def test_postgres_url_becomes_a_django_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://atmp:s%40cret@db.internal:6543/portal?sslmode=require")
    db = database_from_url("DATABASE_URL", default="sqlite:///x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "portal",
        "atmp",
        "s@cret",
        "db.internal",
        "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_sqlite_url_relative_and_absolute(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/portal.sqlite3")
    assert database_from_url("DATABASE_URL", default="")["NAME"] == "var/portal.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/portal.sqlite3")
    assert database_from_url("DATABASE_URL", default="")["NAME"] == "/srv/portal.sqlite3"


@pytest.mark.parametrize(
    "url", ["mysql://x@y/z", "postgres://host-without-db", "postgres://h:notaport/db", "nonsense"]
)
def test_malformed_database_url_names_the_variable(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(EnvError, match="DATABASE_URL"):
        database_from_url("DATABASE_URL", default="sqlite:///x.sqlite3")


def test_startup_stops_on_debug_maybe():
    result = _start({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_startup_stops_on_a_bad_database_url():
    result = _start({"DEBUG": "true", "DATABASE_URL": "postgres://nohost"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_without_debug_a_secret_key_is_required():
    result = _start(
        {"DEBUG": "false", "ALLOWED_HOSTS": "portal.example", "SITE_URL": "https://portal.example"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_without_debug_allowed_hosts_are_required():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 60, "SITE_URL": "https://portal.example"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_without_debug_site_url_is_required():
    result = _start({"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-like-key-8f3a9c1e5b7d2f4a6c8e0b1d3f5a7c9e",
            "ALLOWED_HOSTS": "atmp.example.dk",
            "SITE_URL": "https://atmp.example.dk",
            "HTTPS": "true",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_portal_hashes_passwords_slowly_and_only_the_tests_swap_that():
    """The suite's MD5 hasher (tests/conftest.py) must never leak into the portal's own settings."""
    result = _start(
        {"DEBUG": "true"},
        "shell",
        "-c",
        "from django.conf import settings; print('HASHER', settings.PASSWORD_HASHERS[0]); "
        "from django.contrib.auth.hashers import make_password; "
        "print('ALGO', make_password('x').split('$')[0])",
    )
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    lines = dict(line.split(" ", 1) for line in printed if line.startswith(("HASHER", "ALGO")))
    first_hasher, algorithm = lines["HASHER"], lines["ALGO"]
    assert first_hasher == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    assert algorithm == "pbkdf2_sha256"
    assert "MD5" not in result.stdout


def test_https_gives_host_prefixed_cookies_and_the_proxy_count_reaches_allauth():
    """Issue 14, items 4 and 5: ``__Host-`` needs Secure, Path=/ and no Domain; allauth reads the
    client address from X-Forwarded-For only as far as TRUSTED_PROXY_COUNT proxies are trusted."""
    result = _start(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-like-key-8f3a9c1e5b7d2f4a6c8e0b1d3f5a7c9e",
            "ALLOWED_HOSTS": "atmp.example.dk",
            "SITE_URL": "https://atmp.example.dk",
            "HTTPS": "true",
            "TRUSTED_PROXY_COUNT": "1",
        },
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_PATH, "
        "s.SESSION_COOKIE_DOMAIN); "
        "print(s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_PATH, s.CSRF_COOKIE_DOMAIN); "
        "from allauth import app_settings; print('PROXIES', app_settings.TRUSTED_PROXY_COUNT)",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "__Host-sessionid True / None" in lines
    assert "__Host-csrftoken True / None" in lines
    assert "PROXIES 1" in lines


def test_a_negative_proxy_count_is_refused():
    result = _start({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "-1"})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
