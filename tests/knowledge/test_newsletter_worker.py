"""The newsletter to 1,000 subscribers through a real Celery worker on Redis, with 30 % of first
sends refused by the relay: every subscriber gets exactly one copy.

The web side (this test) commits the send; the worker runs the batches and the 1,000 sends, the
refused ones go back to the outbox with a delay, and the sweeper (what beat runs every minute,
called here with the clock moved on) hands them to the worker again.
"""

import time
import uuid
from collections import Counter

import pytest
from django.utils import timezone

from knowledge import news_services
from knowledge.models import IssueStatus, NewsletterDelivery, NewsletterIssue, Subscriber, SubscriberStatus
from outbox import services as outbox
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages
from tests.first_send_fails_email import refused_first_time

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBSCRIBERS = 1_000


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def first_round_done(issue_id: int) -> bool:
    """Every copy queued and tried once: sent, or back in the queue waiting for its retry."""
    issue = NewsletterIssue.objects.get(pk=issue_id)
    rows = OutboundEmail.objects.filter(key__startswith=f"knowledge:newsletter:{issue_id}:")
    return (
        issue.status == IssueStatus.SENT
        and rows.count() == SUBSCRIBERS
        and not rows.filter(status=EmailStatus.SENDING).exists()
        and not rows.filter(status=EmailStatus.PENDING, attempts=0).exists()
    )


def test_a_newsletter_to_1000_subscribers_with_30_percent_of_first_sends_refused_reaches_each_once(
    secretariat, tmp_path
):
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"reader{n:04d}@example.org",
            language="en" if n % 3 == 0 else "da",
            status=SubscriberStatus.CONFIRMED,
            confirmed_at=timezone.now(),
            token=uuid.uuid4().hex,
        )
        for n in range(SUBSCRIBERS)
    )
    expected_refusals = sum(refused_first_time(f"reader{n:04d}@example.org") for n in range(SUBSCRIBERS))
    assert 250 <= expected_refusals <= 350  # about 30 %
    issue = news_services.issue_create(
        actor=secretariat,
        subject_da="Nyhedsbrev",
        subject_en="Newsletter",
        intro_da="Hej.",
        intro_en="Hi.",
        news=[],
    )
    queue = f"test-newsletter-{uuid.uuid4().hex[:8]}"
    worker_env = {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TEST_EMAIL_BACKEND": "tests.first_send_fails_email.FirstSendFailsEmailBackend",
        "TEST_DEFAULT_QUEUE": queue,  # the batches queue their sends to this worker
    }
    started = time.monotonic()
    with running_worker(tmp_path, database=True, default_queue=True, queue=queue, **worker_env):
        news_services.issue_send(issue=issue, actor=secretariat)  # commits, then queues the first batch
        assert wait_until(lambda: first_round_done(issue.pk), timeout=600), "the first round did not finish"
        first_round = time.monotonic() - started
        retried = OutboundEmail.objects.filter(
            key__startswith=f"knowledge:newsletter:{issue.pk}:", status=EmailStatus.PENDING
        ).count()
        assert retried == expected_refusals
        later = timezone.now() + outbox.REQUEUE_AFTER + outbox.CLAIM_TIMEOUT  # past every retry delay
        assert outbox.outbox_sweep(now=later) == retried
        rows = OutboundEmail.objects.filter(key__startswith=f"knowledge:newsletter:{issue.pk}:")
        assert wait_until(lambda: not rows.exclude(status=EmailStatus.SENT).exists(), timeout=300)
        assert outbox.outbox_sweep(now=later) == 0
    took = time.monotonic() - started
    messages = [m for m in sent_messages(tmp_path) if m["Subject"] in ("Nyhedsbrev", "Newsletter")]
    per_address = Counter(m["To"] for m in messages)
    assert len(per_address) == SUBSCRIBERS  # everyone got it
    assert set(per_address.values()) == {1}  # nobody twice
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in messages)
    english = {m["To"] for m in messages if m["Subject"] == "Newsletter"}
    assert english == {f"reader{n:04d}@example.org" for n in range(SUBSCRIBERS) if n % 3 == 0}
    assert NewsletterDelivery.objects.filter(issue=issue).count() == SUBSCRIBERS
    assert OutboundEmail.objects.filter(attempts=2).count() == expected_refusals
    print(
        f"\nnewsletter: {SUBSCRIBERS} sent, {retried} after a refusal; "
        f"first round {first_round:.1f} s, all {took:.1f} s"
    )
