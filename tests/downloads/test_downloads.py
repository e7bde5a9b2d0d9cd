"""Downloads: built by a task, announced by email, served once, only to the owner, before expiry."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from downloads import services
from downloads.builders import Builder, register_builder
from downloads.models import Download, DownloadStatus
from outbox.models import OutboundEmail
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db

KIND = "tests.greeting"
BROKEN = "tests.broken"


def _build_greeting(download, out, progress):
    for step in range(4):
        progress(step, 4)
    out.write(f"Hej {download.owner.email} {download.params.get('n', 0)}".encode())
    return "greeting.txt", "text/plain; charset=utf-8"


def _build_broken(download, out, progress):
    raise RuntimeError("the builder fell over")


register_builder(Builder(kind=KIND, label="A test greeting", build=_build_greeting))
register_builder(Builder(kind=BROKEN, label="A broken file", build=_build_broken))


@pytest.fixture
def ready(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        download = services.download_request(actor=owner, owner=owner, kind=KIND, params={"n": 7})
    download.refresh_from_db()
    return download


def test_a_requested_download_is_built_by_the_task_and_announced_to_the_owner_by_email(ready, owner):
    assert ready.status == DownloadStatus.READY
    assert ready.progress == 100
    assert ready.filename == "greeting.txt"
    assert ready.size == len(b"Hej owner@example.org 7")
    with ready.file.open("rb") as f:
        assert f.read() == b"Hej owner@example.org 7"
    email = OutboundEmail.objects.get(key=f"downloads:ready:{ready.pk}")
    assert email.to == ["owner@example.org"]
    assert email.headers.get("X-ATMP-Sensitive") == "1"
    assert email.text == ""  # sent, so the link is blanked in the outbox
    (sent,) = mail.outbox
    assert "http://testserver" + reverse("downloads:status", args=[ready.uuid]) in sent.body
    assert "Din download er klar" in email.subject  # the owner's language: Danish
    actions = set(AuditEntry.objects.for_object(ready).values_list("action", flat=True))
    assert {"downloads.download.requested", "downloads.download.ready"} <= actions


def test_the_link_expires_a_set_number_of_hours_after_the_file_is_ready(ready, settings):
    assert ready.expires_at - ready.ready_at == datetime.timedelta(hours=settings.DOWNLOAD_LINK_HOURS)


def test_nothing_is_queued_when_the_request_rolls_back(owner, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.download_request(actor=owner, owner=owner, kind=KIND)
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Download.objects.exists()


def test_an_unknown_kind_is_refused_with_a_clear_message(owner, english):
    with pytest.raises(ValidationError, match="no download of this kind"):
        services.download_request(actor=owner, owner=owner, kind="no.such.kind")


def test_building_twice_leaves_one_file_and_one_email(ready, private_media):
    services.download_build(download=ready)
    assert OutboundEmail.objects.filter(key__startswith="downloads:").count() == 1
    assert (
        len(list((private_media / "private" / "downloads").rglob("*"))) == 2
    )  # the year folder and one file


def test_a_failing_builder_marks_the_download_failed_and_tells_the_owner(
    owner, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        download = services.download_request(actor=owner, owner=owner, kind=BROKEN)
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    assert not download.file
    email = OutboundEmail.objects.get(key=f"downloads:failed:{download.pk}")
    assert "kunne ikke" in email.subject
    sign_in(client, owner)
    page = client.get(reverse("downloads:status", args=[download.uuid]))
    assert page.status_code == 200
    assert "Vi kunne ikke" in page.content.decode()


def test_the_owner_gets_the_file_once_and_it_is_then_deleted_from_storage(ready, owner, client):
    sign_in(client, owner)
    stored = ready.file.path
    response = client.get(reverse("downloads:file", args=[ready.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Hej owner@example.org 7"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    ready.refresh_from_db()
    assert ready.used_at is not None
    assert not ready.file
    import os

    assert not os.path.exists(stored)

    again = client.get(reverse("downloads:file", args=[ready.uuid]))
    assert again.status_code == 410
    assert "virker kun én gang" in again.content.decode()
    status = client.get(reverse("downloads:status", args=[ready.uuid]))
    assert status.status_code == 410


def test_a_colleague_gets_404_for_someone_elses_download(ready, colleague, client):
    sign_in(client, colleague)
    for name in ("downloads:status", "downloads:file", "downloads:progress"):
        assert client.get(reverse(name, args=[ready.uuid])).status_code == 404
    ready.refresh_from_db()
    assert ready.used_at is None


def test_the_secretariat_gets_404_for_an_applicants_download(ready, secretariat, client):
    sign_in(client, secretariat)
    assert client.get(reverse("downloads:file", args=[ready.uuid])).status_code == 404


def test_an_outsider_is_sent_to_sign_in(ready, client):
    for name in ("downloads:status", "downloads:file", "downloads:progress"):
        response = client.get(reverse(name, args=[ready.uuid]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    ready.refresh_from_db()
    assert ready.used_at is None


def test_after_expiry_the_link_is_gone_with_a_clear_page(ready, owner, client, english):
    with time_machine.travel(ready.expires_at + datetime.timedelta(seconds=1), tick=False):
        sign_in(client, owner)  # a fresh session: the old one has timed out by then
        response = client.get(reverse("downloads:file", args=[ready.uuid]))
        status = client.get(reverse("downloads:status", args=[ready.uuid]))
    assert response.status_code == 410
    assert "The link expired" in response.content.decode()
    assert status.status_code == 410
    ready.refresh_from_db()
    assert ready.used_at is None


def test_while_it_builds_the_status_page_shows_progress_and_the_file_link_waits(owner, client, english):
    download = Download.objects.create(
        owner=owner, kind=KIND, progress=40, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    sign_in(client, owner)
    page = client.get(reverse("downloads:status", args=[download.uuid]))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<progress id="download-progress-bar" max="100" value="40">' in html
    assert "download-status.js" in html
    assert client.get(reverse("downloads:progress", args=[download.uuid])).json() == {
        "status": "pending",
        "progress": 40,
    }
    waiting = client.get(reverse("downloads:file", args=[download.uuid]))
    assert waiting.status_code == 302
    assert waiting["Location"] == reverse("downloads:status", args=[download.uuid])


def test_the_ready_page_offers_the_file_once_in_the_owners_language(ready, owner, client):
    sign_in(client, owner)
    html = client.get(reverse("downloads:status", args=[ready.uuid])).content.decode()
    assert reverse("downloads:file", args=[ready.uuid]) in html
    assert "Hent filen" in html


def test_two_claims_at_once_let_only_one_through(ready, owner):
    other = Download.objects.get(pk=ready.pk)
    assert services.download_claim(download=ready, actor=owner) is True
    assert services.download_claim(download=other, actor=owner) is False


def test_purge_deletes_downloads_and_their_files_after_the_retention_days(ready, owner, settings):
    stored = ready.file.path
    import os

    assert services.downloads_purge(now=ready.created_at + datetime.timedelta(days=6)) == 0
    later = ready.created_at + datetime.timedelta(days=settings.RETENTION_DOWNLOADS_DAYS, seconds=1)
    assert services.downloads_purge(now=later) == 1
    assert not Download.objects.exists()
    assert not os.path.exists(stored)
    assert services.downloads_purge(now=later) == 0
