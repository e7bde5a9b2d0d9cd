"""The request emails through a real Celery worker on Redis, after commit, once."""

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from inquiries.models import Notification
from tests.inquiries.conftest import submit

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_sends_the_receipt_after_commit(owner, tmp_path, settings):
    """The web side commits and queues on Redis; a separate worker process renders and sends."""
    from atmp_portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    outbox = tmp_path / "outbox"
    db = connection.settings_dict
    env = {
        **os.environ,
        # The worker reads the rows from the test database this test has committed them to.
        "DATABASE_URL": (
            f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(outbox),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(tmp_path / "media"),
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
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        request = submit(owner)  # commits (transactional test), then queues two notices
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and Notification.objects.filter(sent_at__isnull=True).exists():
            time.sleep(0.25)
        assert not Notification.objects.filter(sent_at__isnull=True).exists(), "the worker sent nothing"
        files = list(outbox.glob("*.log"))
        messages = [
            email.message_from_bytes(f.read_bytes().rsplit(b"-" * 79, 1)[0], policy=email.policy.default)
            for f in files
        ]
        receipts = [m for m in messages if m["To"] == owner.email]
        assert len(receipts) == 1
        assert request.reference in receipts[0]["Subject"]
        assert len(messages) == 2  # the receipt and the secretariat's notice, nothing twice
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
