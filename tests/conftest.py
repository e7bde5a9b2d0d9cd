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
from django.utils import translation

from tests.factories import SecretariatUserFactory, UserFactory, decide, membership_for

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app shows right now for ``secret``.

    allauth accepts the current 30-second window only: a code read in the last seconds of one
    window and checked in the next is refused, and a browser journey then waits for a page that
    never comes (it failed a CI run that way). So close to a window's end, wait for the next."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)
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


def pytest_collection_modifyitems(config, items):
    """A transactional test must restore the migrated database with ``serialized_rollback=True``.

    Without it, its flush runs post_migrate, which recreates content types, permissions and the
    Secretariat group under new ids; the next test that restores the serialized contents then
    collides with them (every transactional test after it errors in set-up).
    """
    offenders = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if offenders:
        raise pytest.UsageError(
            "django_db(transaction=True) needs serialized_rollback=True: " + ", ".join(offenders)
        )


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
    """Rate-limit counters live in the cache (Redis in CI): start every test from zero.

    Content types too: a flush after a transactional test recreates them with new ids, and the
    process-wide ContentType cache would hand the record of changes a stale one.
    """
    from django.contrib.contenttypes.models import ContentType

    cache.clear()
    ContentType.objects.clear_cache()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads, documents and exports of a test land in its own folder, never in media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def english(request):
    """English for this test: the messages asserted in Python, and the pages its client opens."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


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

    user = SecretariatUserFactory.create(email="secretariat@example.org", full_name="Sara Secretariat")
    TOTP.activate(user, TOTP_SECRET)
    mark_second_factor(user, passed=True)
    return user


@pytest.fixture
def staff_without_second_factor(db):
    """A new colleague in the Secretariat group who has not set up an authenticator yet."""
    return SecretariatUserFactory.create(email="new.colleague@example.org", full_name="Nina New")


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


# --- Shared records -----------------------------------------------------------------------------


@pytest.fixture
def tor_projects(db):
    """The five pieces of work of ToR §2, as `load_reference_data` makes them (all proposed)."""
    from projects.models import Project
    from projects.reference_data import load

    load()
    return {project.code: project for project in Project.objects.all()}


@pytest.fixture
def steering_decision(governance_bodies):
    """A public decision of the steering group, held ten days ago."""
    return decide(
        governance_bodies["steering-group"],
        title="Start analysis II",
        text="The steering group starts analysis II.",
        is_public=True,
    )


@pytest.fixture
def private_decision(governance_bodies):
    return decide(
        governance_bodies["steering-group"], in_days=-20, title="Internal matter", text="Not public."
    )


@pytest.fixture
def reference_decision(governance_bodies):
    """A decision of the reference group: it advises, it does not decide for the steering group."""
    return decide(governance_bodies["reference-group"], title="Advice", text="The reference group advises.")


@pytest.fixture
def budget_data(db):
    """ToR §5 as `load_reference_data` makes it: four cost categories, the Amgros and DKMA grants."""
    from budget.reference_data import load

    load()


@pytest.fixture
def grant(budget_data):
    """The Strategy's DKK 18.5 million to Amgros, managed in this ledger."""
    from budget.models import Grant

    return Grant.objects.get(code="ls-2024-2027-amgros")


@pytest.fixture
def dkma_grant(budget_data):
    """The Danish Medicines Agency's DKK 7.0 million: shown, never posted to."""
    from budget.models import Grant

    return Grant.objects.get(code="ls-2024-2027-dkma")


@pytest.fixture
def categories(budget_data):
    from budget.models import CostCategory

    return {category.code: category for category in CostCategory.objects.all()}


@pytest.fixture
def poster(secretariat):
    """Who posts to the ledger in the budget tests: the secretariat."""
    return secretariat
