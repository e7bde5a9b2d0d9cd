import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "not configured", "outbox": "ok"},
    }
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_is_degraded_not_503_when_configured_redis_is_down(client, settings):
    """The portal still saves changes without its broker: degraded, and still in service."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "down", "outbox": "ok"},
    }


def test_health_is_degraded_when_an_email_waits_too_long(client, settings):
    import datetime

    from django.utils import timezone

    from outbox.services import email_queue

    settings.REDIS_URL = None
    row = email_queue(key="test:late", to=["a@example.org"], subject="Late", text="-")
    row.not_before = timezone.now() - datetime.timedelta(minutes=16)
    row.save()
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["checks"]["outbox"] == "behind"


def test_health_is_503_when_the_database_is_down(client, settings, monkeypatch):
    from pages import views

    # An outage cannot be staged on the test database itself without breaking the test run.
    def broken_cursor():
        raise RuntimeError("the database refused the connection")

    settings.REDIS_URL = None
    monkeypatch.setattr(views.connection, "cursor", broken_cursor)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


@pytest.mark.redis
def test_health_is_ok_with_a_live_redis(client, settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == "ok"
