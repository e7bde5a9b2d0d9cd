"""On PostgreSQL: the marker search over every text column, the record's one allowed change, and
the export built by a real Celery worker through Redis."""

import io
import json
import time
import uuid
import zipfile

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import audit_scrub
from downloads.models import Download, DownloadStatus
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages
from tests.conftest import sign_in
from tests.factories import DEFAULT_PASSWORD
from tests.privacy.conftest import MARKER
from tests.privacy.marker_search import rows_containing


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_erased_applicant_leaves_no_trace_in_any_text_column_on_postgresql(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks, private_media
):
    assert ("inquiries_inquiry", "subject") in rows_containing(MARKER)  # the search finds what is there
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:delete"), {"password": DEFAULT_PASSWORD})
    assert rows_containing(MARKER) == []
    assert rows_containing("owner@example.org") == [("outbox_outboundemail", "to")]  # the confirmation only
    assert not [p for p in private_media.rglob("*") if p.is_file()]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_record_allows_scrubbing_personal_data_and_nothing_else_on_postgresql(owners_requests):
    entry = AuditEntry.objects.filter(object_repr__contains=MARKER).first()
    assert entry is not None
    assert audit_scrub(entries=AuditEntry.objects.filter(pk=entry.pk), markers=frozenset({MARKER})) == 1
    entry.refresh_from_db()
    assert MARKER not in entry.object_repr
    # Any other change is refused by the database itself, scrub setting or not.
    for statement in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT set_config('atmp.audit_scrub', 'on', true)")
            cursor.execute(statement, [entry.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s", [entry.pk])


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_builds_the_export_and_emails_the_link(
    owners_requests, marked_owner, client, tmp_path, settings
):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    with running_worker(
        tmp_path, database=True, default_queue=True, queue=queue, TEST_DEFAULT_QUEUE=queue,
        MEDIA_ROOT=str(settings.MEDIA_ROOT), DJANGO_SETTINGS_MODULE="tests.worker_settings",
    ):  # fmt: skip
        sign_in(client, marked_owner)
        client.post(reverse("privacy:export"))
        download = Download.objects.get(owner=marked_owner)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            download.refresh_from_db()
            sent = OutboundEmail.objects.filter(key=f"downloads:ready:{download.pk}", status=EmailStatus.SENT)
            if download.status != DownloadStatus.PENDING and sent.exists():
                break
            time.sleep(0.5)
    assert download.status == DownloadStatus.READY
    (message,) = [m for m in sent_messages(tmp_path) if "/downloads/" in _text(m)]
    assert message["To"] == "owner@example.org"
    response = client.get(reverse("downloads:file", args=[download.uuid]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("data.json"))
    assert len(data["sources"]["inquiries.requests"]["data"]) == 2


def _text(message) -> str:
    body = message.get_body(("plain",))
    return body.get_content() if body is not None else ""
