import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; send them to the portal's icon.

    Temporary, not permanent: with hashed static names the icon's address changes when it does.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health: database check failed")
        return "down"
    return "ok"


def _redis_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception:
        logger.exception("health: redis check failed")
        return "down"
    return "ok"


@never_cache
@require_GET
def health(request):
    """For load balancers and docker-compose: 200 when every configured part answers, else 503."""
    checks = {"database": _database_state(), "redis": _redis_state()}
    healthy = all(state in ("ok", "not configured") for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks}, status=200 if healthy else 503
    )
