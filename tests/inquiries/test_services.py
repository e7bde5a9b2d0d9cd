"""The status flow, the clock on the row, references and the audit trail, through the services."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from inquiries import services
from inquiries.models import Event, Inquiry, Message, Notification, Status
from tests.factories import submit

pytestmark = pytest.mark.django_db
CPH = ZoneInfo("Europe/Copenhagen")


def at(day: date):
    """Freeze "now" at noon Copenhagen time on ``day`` for the services."""
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=CPH)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_references_count_up_per_year(owner):
    first, second = submit(owner), submit(owner)
    year = first.submitted_at.astimezone(CPH).year
    assert first.reference == f"ATMP-{year}-0001"
    assert second.reference == f"ATMP-{year}-0002"
    with at(date(2031, 1, 5)):
        assert submit(owner).reference == "ATMP-2031-0001"


def test_submitting_sets_the_clock_and_records_the_event(owner):
    with at(date(2026, 12, 22)):  # Tuesday before Christmas
        inquiry = submit(owner)
    assert inquiry.status == Status.SUBMITTED
    assert inquiry.acknowledge_due == date(2026, 12, 28)
    assert inquiry.answer_due == date(2027, 1, 11)
    assert list(inquiry.events.values_list("kind", flat=True)) == ["submitted"]
    assert set(Notification.objects.values_list("kind", flat=True)) == {"receipt", "new_request"}


def test_waiting_for_the_applicant_pauses_the_clock(owner, secretariat):
    with at(date(2026, 11, 2)):  # Monday
        inquiry = submit(owner)
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_TRIAGE, actor=secretariat)
        services.inquiry_transition(inquiry=inquiry, to=Status.WAITING_FOR_APPLICANT, actor=secretariat)
    inquiry.refresh_from_db()
    assert inquiry.answer_due == date(2026, 11, 16)
    assert inquiry.paused_on == date(2026, 11, 2)
    with at(date(2026, 11, 9)):  # a week later: five working days paused
        services.inquiry_reply_by_applicant(inquiry=inquiry, actor=owner, body="Here is the protocol.")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.IN_PROGRESS
    assert inquiry.paused_on is None
    assert inquiry.paused_working_days == 5
    assert inquiry.answer_due == date(2026, 11, 23)


def test_a_pause_over_easter_moves_the_due_date_by_working_days_only(owner, secretariat):
    with at(date(2026, 3, 30)):  # Monday of Holy Week
        inquiry = submit(owner)
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_TRIAGE, actor=secretariat)
        services.inquiry_transition(inquiry=inquiry, to=Status.WAITING_FOR_APPLICANT, actor=secretariat)
    with at(date(2026, 4, 7)):  # Tuesday after Easter: 31 Mar, 1 Apr, 7 Apr are working days
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_PROGRESS, actor=secretariat)
    inquiry.refresh_from_db()
    assert inquiry.paused_working_days == 3


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], Status.ANSWERED),
        ([Status.IN_TRIAGE, Status.IN_PROGRESS, Status.ANSWERED], Status.WAITING_FOR_APPLICANT),
        ([Status.CLOSED], Status.IN_PROGRESS),
    ],
    ids=["submitted-to-answered", "answered-to-waiting", "closed-to-in-progress"],
)
def test_transitions_outside_the_flow_are_refused(owner, secretariat, path, refused):
    inquiry = submit(owner)
    for status in path:
        services.inquiry_transition(inquiry=inquiry, to=status, actor=secretariat)
    with pytest.raises(ValidationError):
        services.inquiry_transition(inquiry=inquiry, to=refused, actor=secretariat)


def test_the_whole_flow_is_recorded_with_who_and_from_where(owner, secretariat):
    inquiry = submit(owner)
    for status in (
        Status.IN_TRIAGE,
        Status.IN_PROGRESS,
        Status.WAITING_FOR_APPLICANT,
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.CLOSED,
    ):
        services.inquiry_transition(inquiry=inquiry, to=status, actor=secretariat)
    events = list(
        Event.objects.filter(inquiry=inquiry, kind="status").values_list("from_status", "to_status")
    )
    assert events[0] == ("submitted", "in_triage")
    assert events[-1] == ("answered", "closed")
    inquiry.refresh_from_db()
    assert inquiry.acknowledged_at and inquiry.answered_at and inquiry.closed_at
    assert inquiry.version == 7


def test_a_withdrawn_request_cannot_be_withdrawn_or_moved_again(owner, secretariat):
    inquiry = submit(owner)
    services.inquiry_withdraw(inquiry=inquiry, actor=owner)
    with pytest.raises(ValidationError):
        services.inquiry_withdraw(inquiry=inquiry, actor=owner)
    with pytest.raises(ValidationError):
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_TRIAGE, actor=secretariat)


def test_only_the_applicant_replies_or_withdraws(owner, colleague):
    inquiry = submit(owner)
    with pytest.raises(ValidationError):
        services.inquiry_withdraw(inquiry=inquiry, actor=colleague)
    with pytest.raises(ValidationError):
        services.inquiry_reply_by_applicant(inquiry=inquiry, actor=colleague, body="x")


def test_assigning_a_new_request_acknowledges_it(owner, secretariat):
    inquiry = submit(owner)
    services.inquiry_assign(inquiry=inquiry, assignee=secretariat, actor=secretariat)
    inquiry.refresh_from_db()
    assert inquiry.assignee == secretariat
    assert inquiry.status == Status.IN_TRIAGE
    assert inquiry.acknowledged_at is not None


def test_a_stale_version_is_refused(owner, secretariat):
    inquiry = submit(owner)
    services.inquiry_set_priority(inquiry=inquiry, priority=3, actor=secretariat, version=1)
    with pytest.raises(services.StaleInquiry):
        services.inquiry_set_priority(inquiry=inquiry, priority=4, actor=secretariat, version=1)
    assert Inquiry.objects.get(pk=inquiry.pk).priority == 3


def test_a_reply_with_answered_sends_one_email_and_an_internal_note_none(
    owner, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    inquiry = submit(owner)
    services.inquiry_transition(inquiry=inquiry, to=Status.IN_TRIAGE, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.secretariat_respond(
            inquiry=inquiry,
            actor=secretariat,
            version=None,
            reply="You need a GMP certificate.",
            note="Checked with DKMA informally.",
            to_status=Status.ANSWERED,
        )
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "GMP certificate" in mailoutbox[0].body
    assert "informally" not in mailoutbox[0].body
    assert Message.objects.filter(inquiry=inquiry).count() == 2


def test_a_referral_moves_the_request_and_tells_the_applicant_where(owner, secretariat):
    inquiry = submit(owner)
    services.inquiry_transition(inquiry=inquiry, to=Status.IN_PROGRESS, actor=secretariat)
    referral = services.referral_create(
        inquiry=inquiry, actor=secretariat, partner="medicines_agency", note="Regulatory question"
    )
    inquiry.refresh_from_db()
    assert inquiry.status == Status.REFERRED
    assert inquiry.events.filter(kind="referred", is_public=True).exists()
    services.referral_record_outcome(referral=referral, actor=secretariat, outcome="answered")
    assert inquiry.events.filter(kind="referral_outcome", is_public=False).exists()


def test_a_closed_request_takes_no_more_replies_from_the_applicant(owner, secretariat):
    inquiry = submit(owner)
    services.inquiry_transition(inquiry=inquiry, to=Status.CLOSED, actor=secretariat)
    with pytest.raises(ValidationError):
        services.inquiry_reply_by_applicant(inquiry=inquiry, actor=owner, body="One more thing")
    assert not Message.objects.filter(inquiry=inquiry).exists()


def test_an_applicant_reply_to_an_answered_request_reopens_it_with_a_fresh_answer_date(owner, secretariat):
    with at(date(2026, 11, 2)):
        inquiry = submit(owner)
        services.inquiry_transition(inquiry=inquiry, to=Status.IN_TRIAGE, actor=secretariat)
        services.inquiry_transition(inquiry=inquiry, to=Status.ANSWERED, actor=secretariat)
    with at(date(2026, 11, 30)):
        services.inquiry_reply_by_applicant(inquiry=inquiry, actor=owner, body="A follow-up question")
    inquiry.refresh_from_db()
    assert inquiry.status == Status.IN_PROGRESS
    assert inquiry.answer_due == date(2026, 12, 14)
