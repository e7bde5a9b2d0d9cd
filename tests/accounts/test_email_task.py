"""Email is sent by a task: after commit, retried on SMTP failure, never twice."""

import pytest
from django.core import mail
from django.db import transaction

from accounts.tasks import send_email
from tests import flaky_email
from tests.celery_worker import running_worker, sent_messages


@pytest.fixture
def flaky_relay(settings):
    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    yield flaky_email.FAILURES_LEFT
    flaky_email.FAILURES_LEFT["count"] = 0


def test_a_relay_failure_is_retried_and_the_message_arrives_once(flaky_relay):
    from atmp_portal.celery import app

    flaky_relay["count"] = 2
    # Eagerly, retries run at once instead of after the backoff; a worker does not re-raise them.
    app.conf.task_eager_propagates = False
    try:
        result = send_email.delay(subject="Kvittering", body="Tak for din henvendelse.", to=["a@example.org"])
    finally:
        app.conf.task_eager_propagates = True
    assert result.state == "SUCCESS"
    assert flaky_relay["count"] == 0, "the task did not retry through both failures"
    assert [m.subject for m in mail.outbox] == ["Kvittering"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queued_in_a_transaction_that_rolls_back_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email.delay(subject="Never", body="-", to=["a@example.org"])
        raise RuntimeError("the request failed after queueing")
    assert mail.outbox == []
    with transaction.atomic():
        send_email.delay(subject="After commit", body="-", to=["a@example.org"])
        assert mail.outbox == []  # not before the commit
    assert [m.subject for m in mail.outbox] == ["After commit"]


@pytest.mark.redis
def test_a_real_worker_on_redis_sends_the_email(tmp_path):
    """Celery end to end: the web side queues on Redis, a separate worker process sends."""
    with running_worker(tmp_path) as queue:
        result = send_email.apply_async(
            kwargs={
                "subject": "Påmindelse: styregruppemøde",
                "body": "Mødet er den 3. marts.",
                "to": ["m@example.org"],
            },
            queue=queue,
        )
        result.get(timeout=60)
    sent = sent_messages(tmp_path)
    assert len(sent) == 1
    assert sent[0]["To"] == "m@example.org"
    assert sent[0]["Subject"] == "Påmindelse: styregruppemøde"
    assert sent[0].get_content().strip() == "Mødet er den 3. marts."
