"""The services CI must prove: PostgreSQL under the suite, Redis for health, cache and Celery."""

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.postgres
def test_the_suite_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 130000  # type: ignore[attr-defined]  # PostgreSQL's wrapper only


@pytest.mark.redis
def test_the_cache_is_redis_when_redis_url_is_set():
    from django.core.cache import cache

    assert str(settings.CACHES["default"]["BACKEND"]).endswith("RedisCache")
    cache.set("atmp-probe", 42, 10)
    assert cache.get("atmp-probe") == 42
