"""The request's emails: in the applicant's language, escaped, after commit, and only once."""

import datetime

import pytest
from django.core import mail

from inquiries import services
from inquiries.models import Notification
from outbox.models import EmailStatus, OutboundEmail
from outbox.services import email_send, outbox_sweep
from tests import flaky_email
from tests.factories import submit

pytestmark = pytest.mark.django_db


def email_of(row) -> OutboundEmail:
    """The outbox row a notification or notice points at (always set for new ones)."""
    assert row.email is not None
    return row.email


XSS = '<script>alert("x")</script>'


def html_of(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


def test_the_receipt_is_plain_text_and_html_in_the_applicants_language(
    owner, django_capture_on_commit_callbacks
):
    owner.preferred_language = "en"
    owner.save()
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = submit(owner)
    receipt = next(m for m in mail.outbox if m.to == [owner.email])
    assert receipt.subject == f"[ATMP Danmark] We have received your request {inquiry.reference}"
    assert f"http://testserver/requests/{inquiry.reference}/" in receipt.body
    assert 'lang="en"' in html_of(receipt)


def test_the_secretariat_notice_goes_to_the_shared_mailbox_without_the_question(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.REQUESTS_NOTIFY_EMAIL = "queue@amgros.example"
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = submit(owner, question="Very private details")
    notice = next(m for m in mail.outbox if m.to == ["queue@amgros.example"])
    assert f"/admin/inquiries/inquiry/{inquiry.pk}/change/" in notice.body
    assert "Very private details" not in notice.body


def test_xss_in_subject_and_reply_is_escaped_in_the_html_part(
    owner, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = submit(owner, subject=XSS)
        services.message_post(inquiry=inquiry, actor=secretariat, body=XSS, internal=False)
    for message in mail.outbox:
        html = html_of(message)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
    reply = mail.outbox[-1]
    assert XSS in reply.body  # the plain-text part carries the text as written


def test_nothing_is_sent_before_commit_and_the_emails_are_written_with_the_request(owner):
    inquiry = submit(owner)  # the test's transaction never commits
    assert mail.outbox == []
    emails = [email_of(n) for n in Notification.objects.select_related("email").filter(inquiry=inquiry)]
    assert sorted(e.key for e in emails) == [
        f"inquiries:new_request:{inquiry.pk}",
        f"inquiries:receipt:{inquiry.pk}",
    ]
    assert {e.status for e in emails} == {EmailStatus.PENDING}


@pytest.fixture
def flaky_relay(settings):
    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    yield flaky_email.FAILURES_LEFT
    flaky_email.FAILURES_LEFT["count"] = 0


def test_an_smtp_failure_is_retried_and_the_email_arrives_once(
    owner, flaky_relay, django_capture_on_commit_callbacks
):
    flaky_relay["count"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        inquiry = submit(owner)  # the first send (receipt or notice) is refused by the relay
    notification = Notification.objects.select_related("email").get(inquiry=inquiry, kind="receipt")
    assert len(mail.outbox) == 1
    refused = email_of(Notification.objects.get(inquiry=inquiry, email__status=EmailStatus.PENDING))
    assert "SMTPServerDisconnected" in refused.last_error
    # The sweeper sends it once its delay has passed; a second sweep and a duplicate task do nothing.
    later = refused.not_before + datetime.timedelta(seconds=1)
    assert outbox_sweep(now=later) == 1
    assert outbox_sweep(now=later) == 0
    assert email_send(email_id=email_of(notification).pk) == "skipped"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, "atmp@amgros.dk"])
    assert set(Notification.objects.values_list("email__status", flat=True)) == {EmailStatus.SENT}


def test_the_same_notice_queued_twice_is_one_row(owner):
    inquiry = submit(owner)
    services.notify(inquiry=inquiry, kind="receipt", key=f"receipt:{inquiry.pk}")
    assert Notification.objects.filter(kind="receipt").count() == 1


def test_a_withdrawal_tells_the_secretariat_once(owner, django_capture_on_commit_callbacks):
    inquiry = submit(owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.inquiry_withdraw(inquiry=inquiry, actor=owner)
    notices = [m for m in mail.outbox if m.to == ["atmp@amgros.dk"]]
    assert len(notices) == 1
    assert inquiry.reference in notices[0].subject
    assert [m for m in mail.outbox if m.to == [owner.email]] == []
