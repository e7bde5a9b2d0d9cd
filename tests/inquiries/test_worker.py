"""The request emails through a real Celery worker on Redis, after commit, once."""

import time

import pytest

from inquiries.models import Notification
from outbox.models import EmailStatus
from tests.celery_worker import running_worker, sent_messages
from tests.factories import submit


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_sends_the_receipt_after_commit(owner, tmp_path, settings):
    """The web side commits and queues on Redis; a separate worker process renders and sends."""
    with running_worker(tmp_path, database=True, default_queue=True, MEDIA_ROOT=str(tmp_path / "media")):
        inquiry = submit(owner)  # commits (transactional test), then queues two notices
        deadline = time.monotonic() + 60
        unsent = Notification.objects.exclude(email__status=EmailStatus.SENT)
        while time.monotonic() < deadline and unsent.exists():
            time.sleep(0.25)
        assert not unsent.exists(), "the worker sent nothing"
        messages = sent_messages(tmp_path)
        receipts = [m for m in messages if m["To"] == owner.email]
        assert len(receipts) == 1
        assert inquiry.reference in receipts[0]["Subject"]
        assert len(messages) == 2  # the receipt and the secretariat's notice, nothing twice
        receipt_row = Notification.objects.get(kind="receipt").email
        assert receipt_row is not None
        assert receipts[0]["Message-ID"] == f"<{receipt_row.uuid}@testserver>"
