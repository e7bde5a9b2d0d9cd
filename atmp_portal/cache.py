"""The cache: Redis, and while Redis does not answer, this process's memory.

The cache holds only what can be lost: allauth's rate-limit counters (and nothing else today).
With Redis down, Django's RedisCache raises on every call, so login answered 500. This backend
falls back to a per-process memory cache for RETRY_AFTER seconds, then tries Redis again.

The security trade-off (README "Security"): while Redis is down, rate limits still hold, but per
web process and from zero, so an attacker gets (number of gunicorn workers) × the limit instead of
the limit, for as long as the outage lasts. The alternatives were worse: refusing every login
turns a cache outage into a full outage, and ignoring the limits removes them altogether.
"""

from __future__ import annotations

import logging
import time

import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_AFTER = 30.0
_FAILURES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def _failover(name: str):
    def method(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            return getattr(RedisCache, name)(self, *args, **kwargs)
        except _FAILURES as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "cache: Redis does not answer (%s); using this process's memory for %ds",
                exc.__class__.__name__,
                RETRY_AFTER,
            )
            return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class FailoverRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # One memory store per process (LocMemCache shares its store by name across threads).
        self._fallback = LocMemCache("atmp-cache-failover", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0

    for _name in (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    ):
        locals()[_name] = _failover(_name)
    del _name
