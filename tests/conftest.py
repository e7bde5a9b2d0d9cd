"""Shared fixtures: the fixed cast of users, and the rules for tests that need services.

The cast (as in healthchecks' alice/bob/charlie): every protected page is tested as its
``owner``, a ``colleague`` (signed in, same kind of user, not the owner), an ``outsider``
(anonymous), the ``secretariat`` and a ``steering_member``; for secretariat pages also the
``staff_without_second_factor`` (in the Secretariat group, no authenticator yet). Sign people in
with ``sign_in(client, user)``, which leaves the session a real login would.

Tests marked ``postgres``, ``redis`` or ``browser`` are skipped with a one-line reason when
the service is missing, and fail instead when CI=true: CI must prove them.
"""

import os
import shutil
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.core.cache import cache

from tests.factories import SecretariatUserFactory, UserFactory, membership_for

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows right now for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, user):
    """Sign ``user`` in as a real login would leave the session.

    allauth's login asks anyone with an authenticator for a code, so such a user's session has
    passed the second factor; a user without one has only their password. (``client.force_login``
    alone gives a session without a second factor: see the "staff without a second factor" tests.)
    """
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client.force_login(user)
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        records.append({"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else None


def _redis_reason() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach it is the reason
        return f"Redis at {url} does not answer ({exc.__class__.__name__})"
    return None


def _missing(marker: str) -> str | None:
    if marker == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        return None if engine.endswith("postgresql") else "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if marker == "redis":
        return _redis_reason()
    if marker == "browser":
        if chromium_path() is None:
            return "needs Chromium: apt-get install chromium (or set CHROMIUM_PATH)"
        return None
    return None


def pytest_configure(config):
    """PBKDF2 costs ~0.75 s per password on this machine; the suite creates hundreds of users.

    Only the tests swap it for MD5 (fast, and never acceptable outside tests): the portal's own
    settings name PBKDF2 first, and ``tests/test_settings.py`` holds them to that.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason:
            if IN_CI:
                pytest.fail(f"CI=true and a required service is missing: {reason}", pytrace=False)
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_state():
    """Rate-limit counters live in the cache (Redis in CI): start every test from zero."""
    cache.clear()
    yield
    cache.clear()


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.org", full_name="Olivia Owner")


@pytest.fixture
def colleague(db):
    return UserFactory(email="colleague@example.org", full_name="Carl Colleague")


@pytest.fixture
def outsider():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def secretariat(db):
    """A secretariat user with an authenticator, as a request after a two-factor login sees them."""
    from accounts.roles import mark_second_factor

    user = SecretariatUserFactory(email="secretariat@example.org", full_name="Sara Secretariat")
    TOTP.activate(user, TOTP_SECRET)
    mark_second_factor(user, passed=True)
    return user


@pytest.fixture
def staff_without_second_factor(db):
    """A new colleague in the Secretariat group who has not set up an authenticator yet."""
    return SecretariatUserFactory(email="new.colleague@example.org", full_name="Nina New")


@pytest.fixture
def governance_bodies(db):
    """The ToR's organisations, steering group and reference group with their seats."""
    from governance.models import Body
    from governance.reference_data import load

    load()
    return {body.code: body for body in Body.objects.all()}


@pytest.fixture
def steering_member(governance_bodies):
    """A user with an active steering-group membership (the real governance data)."""
    user = UserFactory(email="steering@example.org", full_name="Stine Steering", applicant_type="")
    membership_for(user, governance_bodies["steering-group"], seat_code="danske-regioner")
    return user


@pytest.fixture
def reference_member(governance_bodies):
    """A user with an active reference-group membership only."""
    user = UserFactory(email="reference@example.org", full_name="Rita Reference", applicant_type="")
    membership_for(user, governance_bodies["reference-group"], seat_code="trial-nation")
    return user
