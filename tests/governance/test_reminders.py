"""Meeting notices: due or not, once per (meeting, member, kind), however the scan is run."""

import datetime
import threading

import icalendar
import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from governance import services
from governance.models import MeetingNotice, NoticeKind, NoticeStatus
from governance.tasks import deliver_notice, scan_meeting_notices
from tests import flaky_email
from tests.celery_worker import running_worker, sent_messages
from tests.factories import UserFactory, membership_for, plan, with_agenda, with_document

pytestmark = pytest.mark.django_db


def scan(now=None):
    """What beat does: the scan task, which queues one send task per due notice (eager here)."""
    if now is None:
        # The sends are queued on commit (OnCommitTask); the test's transaction never commits.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return scan_meeting_notices.apply().get()
    ids = services.notices_due(now=now)
    for notice_id in ids:
        deliver_notice(notice_id)
    return len(ids)


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
    assert set(notices.values_list("status", flat=True)) == {NoticeStatus.SENT}


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
    from atmp_portal.celery import app

    settings.EMAIL_BACKEND = "tests.flaky_email.FlakyEmailBackend"
    flaky_email.FAILURES_LEFT["count"] = 1
    # Eagerly, the retry runs at once instead of after the backoff; a worker does not re-raise.
    app.conf.task_eager_propagates = False
    try:
        plan(steering, in_days=13)
        scan()
    finally:
        app.conf.task_eager_propagates = True
        flaky_email.FAILURES_LEFT["count"] = 0
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["dansk@example.org", "english@example.org"]
    retried = MeetingNotice.objects.get(attempts=1)
    assert retried.status == NoticeStatus.SENT and "SMTPServerDisconnected" in retried.last_error


def test_a_claimed_notice_is_not_sent_by_a_second_task(members, steering):
    plan(steering, in_days=13)
    ids = services.notices_due()
    assert services.notice_claim(notice_id=ids[0]) is True
    assert services.notice_claim(notice_id=ids[0]) is False  # the second worker backs off
    from governance.tasks import send_meeting_notice

    assert send_meeting_notice.apply(args=(ids[0],)).get() == "skipped"


def test_a_worker_that_died_mid_send_hands_the_notice_on_after_the_timeout(members, steering):
    plan(steering, in_days=13)
    notice_id = services.notices_due()[0]
    services.notice_claim(notice_id=notice_id)
    later = timezone.now() + services.CLAIM_TIMEOUT + datetime.timedelta(minutes=1)
    assert notice_id in services.notices_due(now=later)
    assert services.notice_claim(notice_id=notice_id, now=later) is True


def test_a_rescheduled_meeting_tells_members_and_reminds_afresh(members, steering):
    meeting = plan(steering, in_days=13)
    scan()
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    services.meeting_reschedule(
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
    services.meeting_cancel(meeting=meeting)
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


def test_the_management_command_runs_the_same_scan(members, steering):
    plan(steering, in_days=13)
    out = __import__("io").StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "2 due, 2 sent" in out.getvalue()
    out = __import__("io").StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "0 due" in out.getvalue()
    assert len(mail.outbox) == 2


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
    """Beat's scan queued on Redis; a separate worker process claims and sends on PostgreSQL."""
    from governance.tasks import send_meeting_notice

    with_agenda(plan(steering, in_days=13), "Analyse II")
    with running_worker(tmp_path, database=True) as queue:
        ids = services.notices_due()
        results = [send_meeting_notice.apply_async(args=(i,), queue=queue) for i in ids]
        results += [send_meeting_notice.apply_async(args=(ids[0],), queue=queue)]  # a duplicate delivery
        outcomes = sorted(r.get(timeout=60) for r in results)
    assert outcomes == ["sent", "sent", "skipped"]
    sent = sent_messages(tmp_path)
    assert sorted(m["To"] for m in sent) == ["dansk@example.org", "english@example.org"]
    plain = sent[0].get_body(preferencelist=("plain",))
    assert plain is not None
    assert "Analyse II" in plain.get_content()
    assert MeetingNotice.objects.filter(status=NoticeStatus.SENT).count() == 2
