"""The person's own pages: "My data" with its export, and "Delete my account"."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from downloads.models import Download
from inquiries.models import Attachment, Inquiry, Message, Status
from outbox.models import OutboundEmail
from privacy.models import Handling, HandlingKind
from tests.conftest import TOTP_SECRET, sign_in, totp_code
from tests.factories import DEFAULT_PASSWORD, submit
from tests.privacy.conftest import MARKER

pytestmark = pytest.mark.django_db


def _export(client, user, capture):
    sign_in(client, user)
    with capture(execute=True):
        response = client.post(reverse("privacy:export"))
    download = Download.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("downloads:status", args=[download.uuid])
    file = client.get(reverse("downloads:file", args=[download.uuid]))
    assert file.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(file.streaming_content)))


# --- My data ----------------------------------------------------------------------------------


def test_my_data_lists_what_the_portal_holds_about_the_owner(owners_requests, marked_owner, client, english):
    sign_in(client, marked_owner)
    with_queries = client.get(reverse("privacy:data"))
    html = with_queries.content.decode()
    assert with_queries.status_code == 200
    assert "Your requests, their public threads and history, and your attachments" in html
    assert "internal notes and internal attachments" in html
    assert "Your profile" in html


def test_my_data_reads_in_a_fixed_number_of_queries(
    owners_requests, marked_owner, client, django_assert_max_num_queries
):
    sign_in(client, marked_owner)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("privacy:data")).status_code == 200


def test_an_outsider_is_sent_to_sign_in_from_the_privacy_pages(client):
    for name in ("privacy:data", "privacy:delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("privacy:export")).status_code == 302
    assert not Download.objects.exists()


def test_the_export_is_a_zip_with_the_owners_requests_and_files_and_nothing_internal_or_of_others(
    owners_requests, marked_owner, colleague, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(colleague, subject="Colleague's private matter", question="Not for the owner")
    archive = _export(client, marked_owner, django_capture_on_commit_callbacks)
    names = archive.namelist()
    data = json.loads(archive.read("data.json"))
    requests = data["sources"]["inquiries.requests"]["data"]
    assert sorted(r["reference"] for r in requests) == sorted(i.reference for i in owners_requests)
    assert data["sources"]["accounts.profile"]["data"]["email"] == "owner@example.org"
    thread_texts = [m["text"] for r in requests for m in r["thread"]]
    assert f"More from {MARKER}" in thread_texts and f"Answer to {MARKER}" in thread_texts
    everything = archive.read("data.json").decode()
    assert "Internal note on" not in everything
    assert "Colleague" not in everything and "colleague@example.org" not in everything
    files = sorted(n for n in names if n.startswith("files/"))
    assert len(files) == 2  # the owner's two files; never the internal one
    assert all("internal" not in n for n in files)
    assert any(n.endswith(f"{MARKER}-scan.pdf") for n in files)
    assert archive.read(next(n for n in files if n.endswith("more.pdf"))).startswith(b"%PDF")
    assert Handling.objects.filter(kind=HandlingKind.EXPORT, actor=marked_owner, self_service=True).exists()


def test_a_second_click_while_the_export_is_prepared_shows_the_same_download(marked_owner, client):
    import datetime

    from django.utils import timezone

    pending = Download.objects.create(
        owner=marked_owner, kind="privacy.export", expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    sign_in(client, marked_owner)
    response = client.post(reverse("privacy:export"))
    assert response["Location"] == reverse("downloads:status", args=[pending.uuid])
    assert Download.objects.count() == 1


def test_the_exports_link_fails_for_a_colleague(
    owners_requests, marked_owner, colleague, client, django_capture_on_commit_callbacks
):
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:export"))
    download = Download.objects.get()
    sign_in(client, colleague)
    assert client.get(reverse("downloads:file", args=[download.uuid])).status_code == 404


# --- Delete my account --------------------------------------------------------------------------


def test_the_delete_page_says_open_requests_are_withdrawn_first(
    owners_requests, marked_owner, client, english
):
    open_one, _closed = owners_requests
    sign_in(client, marked_owner)
    html = client.get(reverse("privacy:delete")).content.decode()
    assert (
        "Your open requests are withdrawn first, and the secretariat stops working on them: "
        f"{open_one.reference}." in html
    )
    assert 'name="password"' in html and 'name="code"' not in html


def test_a_wrong_password_deletes_nothing_and_says_so(owners_requests, marked_owner, client, english):
    sign_in(client, marked_owner)
    response = client.post(reverse("privacy:delete"), {"password": "not-it"})
    assert response.status_code == 400
    assert "That is not your password. Nothing has been deleted." in response.content.decode()
    marked_owner.refresh_from_db()
    assert marked_owner.is_active and MARKER in marked_owner.full_name


def test_deleting_the_account_erases_the_owner_withdraws_open_requests_and_confirms_by_email(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks, private_media
):
    open_one, closed = owners_requests
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:delete"), {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:deleted")
    assert "_auth_user_id" not in client.session

    marked_owner.refresh_from_db()
    assert not marked_owner.is_active and not marked_owner.has_usable_password()
    assert marked_owner.email == f"erased-{marked_owner.pk}@erased.invalid"
    open_one.refresh_from_db()
    assert open_one.status == Status.WITHDRAWN
    for inquiry in (open_one, closed):
        inquiry.refresh_from_db()
        assert inquiry.anonymised_at is not None
        assert inquiry.reference and inquiry.topic == "hospital_exemption"  # kept for the statistics
        assert inquiry.subject == inquiry.question == inquiry.organisation == ""
    assert not Attachment.objects.exists()
    assert not [p for p in private_media.rglob("*") if p.is_file()]
    assert not Message.objects.exclude(body="").exists()

    (confirmation,) = [m for m in mail.outbox if "slettet" in m.subject]
    assert confirmation.to == ["owner@example.org"]
    handling = Handling.objects.get(kind=HandlingKind.ERASURE)
    assert handling.self_service and handling.counts["inquiries.requests"] == 2
    assert MARKER not in json.dumps(handling.counts)
    assert AuditEntry.objects.filter(action="privacy.subject.erased").exists()


def test_the_deleted_person_cannot_sign_in_again(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks
):
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:delete"), {"password": DEFAULT_PASSWORD})
    response = client.post(
        reverse("account_login"), {"login": "owner@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 400)


def test_after_deletion_the_marker_is_in_no_text_column(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks
):
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:delete"), {"password": DEFAULT_PASSWORD})
    from tests.privacy.marker_search import rows_containing

    assert rows_containing(MARKER) == []
    assert rows_containing("owner@example.org") == [("outbox_outboundemail", "to")]  # the confirmation only


def test_staff_confirm_deletion_with_their_second_factor(secretariat, client, english):
    sign_in(client, secretariat)
    page = client.get(reverse("privacy:delete")).content.decode()
    assert 'name="code"' in page and 'name="password"' not in page
    wrong = client.post(reverse("privacy:delete"), {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not valid" in wrong.content.decode()
    secretariat.refresh_from_db()
    assert secretariat.is_active
    right = client.post(reverse("privacy:delete"), {"code": totp_code(TOTP_SECRET)})
    assert right.status_code == 302
    secretariat.refresh_from_db()
    assert not secretariat.is_active and not secretariat.is_staff


def test_the_secretariats_queue_still_counts_an_erased_request(
    owners_requests, marked_owner, client, django_capture_on_commit_callbacks
):
    sign_in(client, marked_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy:delete"), {"password": DEFAULT_PASSWORD})
    assert Inquiry.objects.count() == 2
    assert OutboundEmail.objects.filter(text__icontains=MARKER).count() == 0


def test_a_source_registered_by_another_app_is_listed_exported_and_erased(marked_owner, client, english):
    """Events and news register their own sources: the pages and the erasure walk whatever is there,
    including an erase written as ``erase(subject, actor)`` without markers."""
    from privacy import registry
    from privacy.registry import Exported, PersonalDataSource
    from privacy.services import personal_data_erase, subject_for_user

    erased: list[str] = []

    def erase(subject, actor):  # the first form of the interface: no markers
        erased.append(subject.email)
        return 1

    source = PersonalDataSource(
        key="tests.newsletter",
        label="Your newsletter subscription",
        count=lambda subject: 1,
        export=lambda subject: Exported(data={"subscribed": True}),
        erase=erase,
    )
    registry.register_source(source)
    try:
        sign_in(client, marked_owner)
        assert "Your newsletter subscription" in client.get(reverse("privacy:data")).content.decode()
        handling = personal_data_erase(actor=marked_owner, subject=subject_for_user(marked_owner))
    finally:
        registry._sources.pop("tests.newsletter")
    assert erased == ["owner@example.org"]
    assert handling.counts["tests.newsletter"] == 1
