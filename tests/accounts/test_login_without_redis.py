"""Login while Redis is down: it works, and the rate limits still count (per process meanwhile)."""

from typing import cast

import pytest
from allauth.account.adapter import get_adapter
from django.urls import reverse
from django.utils import translation

from atmp_portal.cache import FailoverRedisCache
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The production cache configuration, pointed at a port nothing listens on."""
    settings.CACHES = {
        "default": {
            "BACKEND": "atmp_portal.cache.FailoverRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield
    from django.core.cache import cache

    cast(FailoverRedisCache, cache)._fallback.clear()


def test_login_works_while_redis_is_down(client, owner, redis_down, caplog):
    response = client.post(reverse("account_login"), {"login": owner.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert "Redis does not answer" in caplog.text


def test_failed_logins_are_still_limited_while_redis_is_down(client, owner, redis_down):
    with translation.override("da"):
        too_many = str(get_adapter().error_messages["too_many_login_attempts"])
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": owner.email, "password": "wrong-password"})
        assert response.status_code == 200 and too_many not in response.content.decode()
    response = client.post(reverse("account_login"), {"login": owner.email, "password": DEFAULT_PASSWORD})
    assert too_many in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.redis
def test_the_failover_cache_uses_redis_when_it_answers(settings):
    import os

    settings.CACHES = {
        "default": {"BACKEND": "atmp_portal.cache.FailoverRedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
    from django.core.cache import cache

    cache.set("failover-probe", 1)
    assert (
        cast(FailoverRedisCache, cache)._fallback.get("failover-probe") is None
    )  # it went to Redis, not to memory
    assert cache.get("failover-probe") == 1
    cache.delete("failover-probe")
