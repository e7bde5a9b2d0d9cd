import datetime
import logging

from django.conf import settings
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# An email still unsent this long after it was due means no worker, no beat or no relay.
OUTBOX_LATE_AFTER = datetime.timedelta(minutes=15)


HOME_NEWS = 3


@require_GET
def home(request):
    """The three ways in (ask, collaborate, learn) and the latest news: one query for the news."""
    from knowledge.models import NewsItem

    latest = NewsItem.objects.published().only(
        "slug", "title_da", "title_en", "summary_da", "summary_en", "published_at", "status"
    )[:HOME_NEWS]
    return render(request, "pages/home.html", {"latest_news": list(latest)})


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


def _outbox_state() -> str:
    """ "behind" when an email has waited longer than it should (no worker, no beat, no relay)."""
    from outbox.models import UNSENT, OutboundEmail

    try:
        late = timezone.now() - OUTBOX_LATE_AFTER
        behind = OutboundEmail.objects.filter(status__in=UNSENT, not_before__lt=late).exists()
    except Exception:
        logger.exception("health: outbox check failed")
        return "down"
    return "behind" if behind else "ok"


@never_cache
@require_GET
def health(request):
    """For load balancers and docker-compose.

    503 only when the database is down: without it nothing works. Redis down, or emails
    waiting too long, is "degraded" with 200: pages and saved changes still work (the outbox
    keeps the emails, the cache falls back to memory), and a 503 would make a load balancer
    take the whole portal out of service over a broker outage. Monitoring alerts on "degraded".
    """
    database = _database_state()
    checks = {
        "database": database,
        "redis": _redis_state(),
        "outbox": _outbox_state() if database == "ok" else "unknown",
    }
    if database != "ok":
        status, code = "unavailable", 503
    elif checks["redis"] == "down" or checks["outbox"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)


def privacy_notice(request):
    """The privacy notice, with the retention periods read from the rules (and so the settings)
    and the cookies named as the settings name them: it cannot drift from what the portal does."""
    from privacy.registry import retention_rules, sources

    context = {
        "rules": [(rule.label, rule.period()) for rule in retention_rules()],
        "sources": sources(),
        "cookies": [
            (
                settings.SESSION_COOKIE_NAME,
                _("Keeps you signed in."),
                _("Until you sign out, at most %(h)d hours.") % {"h": settings.SESSION_MAX_HOURS},
            ),
            (settings.CSRF_COOKIE_NAME, _("Protects the portal's forms against forgery."), _("One year.")),
            (settings.LANGUAGE_COOKIE_NAME, _("Remembers the language you chose."), _("One year.")),
        ],  # fmt: skip
        "link_hours": settings.DOWNLOAD_LINK_HOURS,
    }
    return render(request, "pages/privacy.html", context)
