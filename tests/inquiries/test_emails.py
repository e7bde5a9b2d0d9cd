"""The request's emails: in the applicant's language, escaped, after commit, and only once."""

import pytest
from django.core import mail

from inquiries import services
from inquiries.emails import notification_send
from inquiries.models import Notification
from inquiries.tasks import send_notification
from tests import flaky_email
from tests.factories import submit

pytestmark = pytest.mark.django_db
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


def test_nothing_is_sent_before_commit(owner):
    submit(owner)  # the test's transaction never commits
    assert mail.outbox == []
    assert Notification.objects.count() == 2


@pytest.fixture
def flaky_relay(settings):
    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    yield flaky_email.FAILURES_LEFT
    flaky_email.FAILURES_LEFT["count"] = 0


def test_an_smtp_failure_is_retried_and_the_email_arrives_once(owner, flaky_relay):
    from atmp_portal.celery import app

    inquiry = submit(owner)
    notification = Notification.objects.get(inquiry=inquiry, kind="receipt")
    flaky_relay["count"] = 2
    app.conf.task_eager_propagates = False
    try:
        result = send_notification.apply(args=(notification.pk,))
    finally:
        app.conf.task_eager_propagates = True
    assert result.state == "SUCCESS"
    assert flaky_relay["count"] == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 3
    # A duplicate task (a redelivery, a second worker) finds it sent and does nothing.
    assert notification_send(notification_id=notification.pk) is False
    send_notification.apply(args=(notification.pk,))
    assert len(mail.outbox) == 1


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
