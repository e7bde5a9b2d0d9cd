"""Email is sent by a task: after commit, retried on SMTP failure, never twice."""

import email
import email.policy
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from accounts.tasks import send_email
from tests import flaky_email

ROOT = Path(__file__).resolve().parents[2]


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
    from atmp_portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "outbox"
    env = {
        **os.environ,
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(outbox),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "atmp_portal",
            "worker",
            "-Q",
            queue,
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = send_email.apply_async(
            kwargs={
                "subject": "Påmindelse: styregruppemøde",
                "body": "Mødet er den 3. marts.",
                "to": ["m@example.org"],
            },
            queue=queue,
        )
        result.get(timeout=60)
        files = list(outbox.glob("*.log"))
        assert len(files) == 1
        raw = files[0].read_bytes().rsplit(b"-" * 79, 1)[0]  # the file backend's separator line
        sent = email.message_from_bytes(raw, policy=email.policy.default)
        assert sent["To"] == "m@example.org"
        assert sent["Subject"] == "Påmindelse: styregruppemøde"
        assert sent.get_content().strip() == "Mødet er den 3. marts."
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
