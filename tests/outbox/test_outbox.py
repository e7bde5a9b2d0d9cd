"""The outbox: a row in the transaction of the change, sent after commit, at least once."""

import datetime
import email
import email.policy

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from outbox import services
from outbox.models import EmailStatus, OutboundEmail
from tests import flaky_email
from tests.redis_server import broker_at

pytestmark = pytest.mark.django_db


def queue(key="test:1", **overrides):
    fields = {"key": key, "to": ["a@example.org"], "subject": "Kvittering", "text": "Tak.", **overrides}
    return services.email_queue(**fields)


@pytest.fixture
def flaky_relay(settings):
    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    yield flaky_email.FAILURES_LEFT
    flaky_email.FAILURES_LEFT["count"] = 0


def test_an_email_is_sent_after_commit_once_with_a_message_id_from_its_row(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = queue(html="<p>Tak.</p>", attachments=[("meeting.ics", b"BEGIN:VCALENDAR", "text/calendar")])
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    [sent] = mail.outbox
    assert sent.subject == "Kvittering" and sent.to == ["a@example.org"]
    assert sent.extra_headers["Message-ID"] == f"<{row.uuid}@testserver>"
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.alternatives[0] == ("<p>Tak.</p>", "text/html")
    assert sent.attachments[0][0] == "meeting.ics"
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert services.email_send(email_id=row.pk) == "skipped"  # a duplicate task sends nothing
    assert len(mail.outbox) == 1


def test_the_message_id_is_the_same_for_every_copy_of_a_row():
    row = queue()
    first = email.message_from_bytes(
        services.email_message(row).message().as_bytes(), policy=email.policy.default
    )
    again = email.message_from_bytes(
        services.email_message(row).message().as_bytes(), policy=email.policy.default
    )
    assert first["Message-ID"] == again["Message-ID"] == f"<{row.uuid}@testserver>"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_that_rolls_back_leaves_no_email():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the request failed after writing the email")
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_the_same_key_twice_is_one_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue(key="inquiries:receipt:7")
        second = queue(key="inquiries:receipt:7", subject="Something else")
    assert first.pk == second.pk and len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Kvittering"]


def test_an_email_without_a_recipient_is_refused():
    with pytest.raises(ValueError):
        queue(to=["", ""])


def test_a_refused_send_waits_and_the_sweeper_sends_it_once(flaky_relay, django_capture_on_commit_callbacks):
    flaky_relay["count"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        row = queue()
    row.refresh_from_db()
    assert mail.outbox == [] and row.status == EmailStatus.PENDING
    assert "SMTPServerDisconnected" in row.last_error
    assert row.not_before > timezone.now()  # backs off before the next try
    assert services.outbox_sweep() == 0  # not due yet
    later = row.not_before + datetime.timedelta(seconds=1)
    assert services.outbox_sweep(now=later) == 1
    assert services.outbox_sweep(now=later) == 0
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.attempts == 2 and row.last_error == ""


def test_each_refusal_waits_longer_and_the_last_marks_the_email_failed(flaky_relay):
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]
    row = queue()
    flaky_relay["count"] = services.MAX_ATTEMPTS
    now = timezone.now()
    outcomes = []
    for _ in range(services.MAX_ATTEMPTS):
        outcomes.append(services.email_send(email_id=row.pk, now=now))
        row.refresh_from_db()
        now = row.not_before
    assert outcomes == ["retry"] * (services.MAX_ATTEMPTS - 1) + ["failed"]
    assert row.status == EmailStatus.FAILED
    assert services.outbox_sweep(now=now + datetime.timedelta(days=1)) == 0  # given up: left for a person
    assert services.email_retry(ids=[row.pk]) == 1
    assert services.email_send(email_id=row.pk) == "sent"


def test_a_row_whose_task_was_lost_is_queued_again_by_the_sweeper():
    row = queue()  # never committed here, so its task never ran: as if the broker lost it
    now = timezone.now()
    assert services.outbox_due(now=now) == []  # its task may still be on the way
    later = now + services.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    assert services.outbox_sweep(now=later) == 1
    assert [m.subject for m in mail.outbox] == ["Kvittering"]
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT


def test_a_claim_by_a_worker_that_died_is_handed_on_after_the_timeout_not_before():
    row = queue()
    now = timezone.now()
    OutboundEmail.objects.filter(pk=row.pk).update(status=EmailStatus.SENDING, claimed_at=now, attempts=1)
    assert services.email_send(email_id=row.pk, now=now + datetime.timedelta(minutes=1)) == "skipped"
    assert services.outbox_due(now=now + datetime.timedelta(minutes=1)) == []
    later = now + services.CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
    assert services.outbox_sweep(now=later) == 1
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.attempts == 2


def test_the_claim_timeout_outlasts_the_send_tasks_time_limit():
    from outbox.tasks import SEND_TIME_LIMIT

    assert services.CLAIM_TIMEOUT.total_seconds() > SEND_TIME_LIMIT


def test_a_sensitive_email_keeps_no_body_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(text="Your code: ABC-123", html="<p>ABC-123</p>", sensitive=True)
    assert "ABC-123" in mail.outbox[0].body
    assert "X-ATMP-Sensitive" not in mail.outbox[0].extra_headers
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.text == "" and row.html == ""


def test_the_broker_being_down_at_commit_loses_nothing(caplog, django_capture_on_commit_callbacks):
    """The after-commit queueing fails (nothing listens on the broker's port): no error escapes,
    the row is marked for the sweeper, which sends it on its next run."""
    with broker_at("redis://127.0.0.1:1/0", "celery"), django_capture_on_commit_callbacks(execute=True):
        row = queue()
    row.refresh_from_db()
    assert row.status == EmailStatus.PENDING and row.queued_at is None
    assert "the sweeper will send it" in caplog.text
    assert services.outbox_sweep() == 1  # eager again: the sweeper's queueing sends it
    assert [m.subject for m in mail.outbox] == ["Kvittering"]
