"""Meeting notices: due or not, once per (meeting, member, kind), however the scan is run."""

import datetime
import threading
import time

import icalendar
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from governance import services
from governance.models import MeetingNotice, NoticeKind
from governance.tasks import scan_meeting_notices
from outbox.models import EmailStatus
from outbox.services import email_send, outbox_sweep
from tests import flaky_email
from tests.celery_worker import running_worker, sent_messages
from tests.factories import UserFactory, membership_for, plan, with_agenda, with_document
from tests.inquiries.test_emails import email_of

pytestmark = pytest.mark.django_db


def scan(now=None):
    """What beat does: the scan, whose emails the outbox sends after commit (eagerly here)."""
    # The test's transaction never commits: run the on-commit sends by hand.
    with TestCase.captureOnCommitCallbacks(execute=True):
        if now is None:
            return scan_meeting_notices.apply().get()
        return len(services.notices_due(now=now))


@pytest.fixture
def steering(governance_bodies):
    return governance_bodies["steering-group"]


@pytest.fixture
def members(steering):
    danish = UserFactory(email="dansk@example.org", full_name="Dorte Dansk", preferred_language="da")
    english = UserFactory(email="english@example.org", full_name="Emma English", preferred_language="en")
    membership_for(danish, steering, seat_code="dkma")
    membership_for(english, steering, seat_code="dccc")
    return danish, english


def test_nothing_is_sent_before_the_first_reminder_is_due(members, steering):
    plan(steering, in_days=20)
    assert scan() == 0
    assert mail.outbox == []


def test_the_14_day_reminder_goes_to_each_member_once_in_their_language(members, steering):
    meeting = with_agenda(plan(steering, in_days=13, location="Amgros, København"), "Analyse II")
    scan()
    scan()  # a second scan finds nothing more to send
    assert len(mail.outbox) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    danish, english = by_recipient["dansk@example.org"], by_recipient["english@example.org"]
    assert danish.subject.startswith("Påmindelse:")
    assert english.subject.startswith("Reminder:")
    assert "Analyse II" in danish.body and "Amgros, København" in english.body
    assert "Dear Emma English" in english.body
    assert isinstance(english, EmailMultiAlternatives)
    html = dict((ct, body) for body, ct in english.alternatives)["text/html"]
    assert isinstance(html, str) and "<ol><li>Analyse II</li></ol>" in html
    name, ics, mimetype = english.attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at
    notices = MeetingNotice.objects.filter(kind=NoticeKind.REMINDER)
    assert notices.count() == 2 and {n.offset_days for n in notices} == {14}
    assert set(notices.values_list("email__status", flat=True)) == {EmailStatus.SENT}


def test_the_2_day_reminder_follows_and_a_late_planned_meeting_gets_one_reminder(members, steering):
    meeting = plan(steering, in_days=10)
    scan()
    assert len(mail.outbox) == 2
    later = meeting.starts_at - datetime.timedelta(days=2) + datetime.timedelta(minutes=5)
    scan(now=later)
    assert len(mail.outbox) == 4
    assert set(MeetingNotice.objects.values_list("offset_days", flat=True)) == {14, 2}
    soon = plan(steering, in_days=1)
    mail.outbox.clear()
    scan()
    assert len(mail.outbox) == 2  # only the 2-day reminder, not the missed 14-day one too
    assert set(MeetingNotice.objects.filter(meeting=soon).values_list("offset_days", flat=True)) == {2}


def test_each_body_chooses_its_own_reminder_days(members, steering):
    steering.reminder_offsets = "7"
    steering.save()
    plan(steering, in_days=10)
    assert scan() == 0
    plan(steering, in_days=6)
    scan()
    assert set(MeetingNotice.objects.values_list("offset_days", flat=True)) == {7}


def test_a_relay_failure_is_retried_and_the_member_gets_one_copy(members, steering, settings):
    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    flaky_email.FAILURES_LEFT["count"] = 1
    try:
        plan(steering, in_days=13)
        scan()
        assert len(mail.outbox) == 1
        refused = email_of(MeetingNotice.objects.get(email__status=EmailStatus.PENDING))
        later = refused.not_before + datetime.timedelta(seconds=1)
        with TestCase.captureOnCommitCallbacks(execute=True):
            assert outbox_sweep(now=later) == 1
    finally:
        flaky_email.FAILURES_LEFT["count"] = 0
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.org", "english@example.org"]
    refused.refresh_from_db()
    assert refused.status == EmailStatus.SENT and refused.attempts == 2


def test_a_notice_is_written_once_and_a_second_task_for_it_sends_nothing(members, steering):
    plan(steering, in_days=13)
    scan()
    assert services.notices_due() == []  # a second scan writes no second email
    notice = MeetingNotice.objects.select_related("email").earliest("pk")
    assert email_of(notice).key == f"governance:notice:{notice.pk}"
    assert email_send(email_id=email_of(notice).pk) == "skipped"  # a duplicate delivery backs off
    assert len(mail.outbox) == 2


def test_a_rescheduled_meeting_tells_members_and_reminds_afresh(members, steering):
    meeting = plan(steering, in_days=13)
    scan()
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    services.meeting_reschedule(
        actor=None,
        meeting=meeting,
        starts_at=meeting.starts_at - datetime.timedelta(days=1),
        ends_at=meeting.ends_at - datetime.timedelta(days=1),
    )
    scan()
    kinds = sorted(MeetingNotice.objects.filter(generation=2).values_list("kind", flat=True))
    assert kinds == ["reminder", "reminder", "rescheduled", "rescheduled"]
    assert any(m.subject.startswith("Moved:") for m in mail.outbox)
    scan()
    assert len(mail.outbox) == 4


def test_a_cancelled_meeting_says_so_once_and_sends_no_more_reminders(members, steering):
    meeting = plan(steering, in_days=13)
    services.meeting_cancel(actor=None, meeting=meeting)
    scan()
    scan(now=meeting.starts_at - datetime.timedelta(days=1))
    assert [n.kind for n in MeetingNotice.objects.all()] == ["cancelled", "cancelled"]
    english = next(m for m in mail.outbox if m.to == ["english@example.org"])
    assert english.subject.startswith("Cancelled:")
    assert "method=CANCEL" in english.attachments[0][2]


def test_publishing_the_document_pack_sends_one_notice_per_publication(members, steering):
    meeting = plan(steering, in_days=20)
    with_document(meeting)
    scan()
    by_recipient = {m.to[0]: m.subject for m in mail.outbox}
    assert by_recipient["english@example.org"].startswith("Documents for ")
    assert by_recipient["dansk@example.org"].startswith("Dokumenterne til ")
    scan()
    assert len(mail.outbox) == 2


def test_an_ended_member_gets_no_reminder(steering, members):
    danish, _ = members
    danish.memberships.update(end_date=timezone.localdate() - datetime.timedelta(days=1))
    plan(steering, in_days=13)
    scan()
    assert [m.to for m in mail.outbox] == [["english@example.org"]]


def test_the_management_command_runs_the_same_scan(members, steering, settings):
    plan(steering, in_days=13)
    out = __import__("io").StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_due_reminders", stdout=out)
    assert "2 due" in out.getvalue()
    out = __import__("io").StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "0 due" in out.getvalue()
    # The command also runs the "what is due" scan (tests/governance/test_due.py): this week's digest.
    assert sorted(m.to[0] for m in mail.outbox if m.to != [settings.DIGEST_EMAIL]) == [
        "dansk@example.org",
        "english@example.org",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_scans_send_each_notice_once(members, steering):
    plan(steering, in_days=13)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            scan(now=timezone.now())  # the scan and the sends, as four workers at once would
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.org", "english@example.org"]
    assert MeetingNotice.objects.count() == 2


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_on_redis_sends_the_reminder(members, steering, tmp_path):
    """The scan commits its notices and their emails; a separate worker process sends them."""
    from outbox.tasks import send_outbound_email

    with_agenda(plan(steering, in_days=13), "Analyse II")
    with running_worker(tmp_path, database=True, default_queue=True) as queue:
        assert len(services.notices_due()) == 2  # commits; the sends are queued after commit
        first = email_of(MeetingNotice.objects.earliest("pk")).pk
        send_outbound_email.apply_async((first,), queue=queue)  # a duplicate delivery
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and MeetingNotice.objects.exclude(email__status=EmailStatus.SENT).exists()
        ):
            time.sleep(0.25)
    sent = sent_messages(tmp_path)
    assert sorted(m["To"] for m in sent) == ["dansk@example.org", "english@example.org"]
    plain = sent[0].get_body(preferencelist=("plain",))
    assert plain is not None and "Analyse II" in plain.get_content()
    assert MeetingNotice.objects.filter(email__status=EmailStatus.SENT).count() == 2
