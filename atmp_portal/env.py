"""Typed readers for the environment variables that configure the portal.

Every reader names the variable in its error, so a malformed value stops start-up
with a message an operator can act on (``DEBUG=maybe`` -> "DEBUG must be one of ...").
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class EnvError(ImproperlyConfigured):
    """A configuration variable is missing or malformed."""


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None:
        if required:
            raise EnvError(f"{name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name} must be one of true/false, yes/no, on/off or 1/0; got {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(f"{name} must be a whole number; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise EnvError(f"{name} must be at least {minimum}; got {number}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _raw(name)
    if value is None:
        return default
    if value not in choices:
        raise EnvError(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def env_url(name: str, *, schemes: tuple[str, ...], default: str | None = None) -> str | None:
    value = _raw(name)
    if value is None:
        return default
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.netloc or parts.path):
        raise EnvError(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}; got {value!r}."
        )
    return value


_PG_SCHEMES = {"postgres", "postgresql", "pgsql"}


def database_from_url(name: str, default: str) -> dict:
    """Turn ``DATABASE_URL`` into a Django ``DATABASES['default']`` entry.

    Supported: ``sqlite:///relative/or/absolute/path.sqlite3`` and
    ``postgres://user:password@host:port/dbname?sslmode=require``.
    """
    url = _raw(name) or default
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a non-numeric port
    except ValueError as exc:
        raise EnvError(f"{name} is not a valid database URL ({exc}); got {url!r}.") from None

    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if parts.netloc or not path or path == "/":
            raise EnvError(f"{name} must look like sqlite:///path/to/db.sqlite3; got {url!r}.")
        # sqlite:///db.sqlite3 is relative to the working directory, sqlite:////abs/path absolute.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(path[1:])),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }

    if parts.scheme in _PG_SCHEMES:
        dbname = unquote(parts.path.lstrip("/"))
        if not dbname or not parts.hostname:
            raise EnvError(
                f"{name} must name a host and a database, e.g. postgres://user@host:5432/atmp; got {url!r}."
            )
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname,
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }

    raise EnvError(f"{name} must start with sqlite:// or postgres://; got {url!r}.")
