"""The outbox against real faults: a Redis of our own stopped and flushed, a worker killed.

Real worker processes on a real Redis (started here on a free port, so stopping it touches no
one else's), PostgreSQL for the rows both sides see.
"""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, Notification
from outbox import services
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages
from tests.conftest import sign_in
from tests.inquiries.test_form import form_data
from tests.redis_server import broker_at, own_redis

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


QUEUE = "test-outbox-faults"


def wait_until(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def all_sent():
    return not OutboundEmail.objects.exclude(status=EmailStatus.SENT).exists()


def test_redis_stopped_during_a_submit_the_receipt_page_shows_and_the_receipt_arrives_once(
    client, owner, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    with own_redis(tmp_path / "redis") as redis, broker_at(redis.url, QUEUE):
        # The whole of Redis goes down, as in production: the broker and the cache.
        settings.CACHES = {
            "default": {"BACKEND": "atmp_portal.cache.FailoverRedisCache", "LOCATION": redis.url}
        }
        with running_worker(tmp_path, database=True, queue=QUEUE, REDIS_URL=redis.url):
            sign_in(client, owner)
            redis.stop()
            started = time.monotonic()
            response = client.post(reverse("inquiries:new"), form_data())
            took = time.monotonic() - started
            inquiry = Inquiry.objects.get()
            assert response.status_code == 302
            assert response["Location"] == reverse("inquiries:detail", args=[inquiry.reference])
            assert took < 10, f"the submit waited {took:.1f} s for the broker"
            assert client.get(response["Location"]).status_code == 200  # the receipt page
            emails = OutboundEmail.objects.filter(key__startswith="inquiries:")
            assert emails.count() == 2 and not emails.filter(status=EmailStatus.SENT).exists()

            redis.start()  # empty: whatever was queued before is gone
            assert services.outbox_sweep() == 2  # what beat does every minute
            assert wait_until(all_sent), "the worker did not send the swept emails"
            assert services.outbox_sweep() == 0
    receipts = [m for m in sent_messages(tmp_path) if m["To"] == owner.email]
    assert len(receipts) == 1 and inquiry.reference in receipts[0]["Subject"]
    assert Inquiry.objects.count() == 1
    assert Notification.objects.filter(email__status=EmailStatus.SENT).count() == 2


def test_an_email_whose_queue_was_flushed_is_sent_by_the_sweeper(tmp_path):
    with own_redis(tmp_path / "redis") as redis, broker_at(redis.url, QUEUE):
        row = services.email_queue(key="test:flushed", to=["a@example.org"], subject="Flushed", text="-")
        # Committed (transactional test) and its task is in Redis, but no worker listens yet.
        assert redis.ping()
        redis.flush()  # the broker loses its queue
        with running_worker(tmp_path, database=True, queue=QUEUE, REDIS_URL=redis.url):
            time.sleep(3)
            row.refresh_from_db()
            assert row.status == EmailStatus.PENDING  # nothing left in the queue to send it
            assert services.outbox_sweep() == 0  # too early: its task might still be on the way
            later = timezone.now() + services.REQUEUE_AFTER
            assert services.outbox_sweep(now=later) == 1
            assert wait_until(all_sent)
    assert [m["Subject"] for m in sent_messages(tmp_path)] == ["Flushed"]


@pytest.mark.parametrize("when, copies", [("before", 1), ("after", 2)])
def test_a_worker_killed_mid_send_leaves_no_email_unsent(tmp_path, when, copies):
    """Killed before the relay has the message: one copy. Killed after the relay accepted it and
    before the row was marked sent (the crash window): two copies, with the same Message-ID."""
    marker = tmp_path / "crashed"
    crash_env = {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TEST_EMAIL_BACKEND": "tests.crashing_email.CrashingEmailBackend",
        "CRASH_EMAIL_MARKER": str(marker),
        "CRASH_EMAIL_WHEN": when,
    }
    with own_redis(tmp_path / "redis") as redis, broker_at(redis.url, QUEUE):
        with running_worker(tmp_path, database=True, queue=QUEUE, REDIS_URL=redis.url, **crash_env):
            row = services.email_queue(key="test:killed", to=["a@example.org"], subject="Killed", text="-")
            assert wait_until(marker.exists), "the worker was not killed"
        row.refresh_from_db()
        assert row.status == EmailStatus.SENDING  # claimed by a worker that is gone
        with running_worker(tmp_path, database=True, queue=QUEUE, REDIS_URL=redis.url):
            assert services.outbox_sweep() == 0  # a live send is never handed on early
            later = timezone.now() + services.CLAIM_TIMEOUT
            assert services.outbox_sweep(now=later) == 1
            assert wait_until(all_sent)
    sent = sent_messages(tmp_path)
    assert len(sent) == copies
    assert {m["Message-ID"] for m in sent} == {f"<{row.uuid}@testserver>"}
