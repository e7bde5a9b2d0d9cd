import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(client, settings):
    settings.REDIS_URL = None
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "not configured"}}
    assert "no-cache" in response.headers["Cache-Control"]


def test_health_is_503_when_configured_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "down"}


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
