"""The status flow, the clock on the row, references and the audit trail, through the services."""

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from inquiries import services
from inquiries.models import Event, Message, Notification, Request, Status
from tests.inquiries.conftest import submit

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
        request = submit(owner)
    assert request.status == Status.SUBMITTED
    assert request.acknowledge_due == date(2026, 12, 28)
    assert request.answer_due == date(2027, 1, 11)
    assert list(request.events.values_list("kind", flat=True)) == ["submitted"]
    assert set(Notification.objects.values_list("kind", flat=True)) == {"receipt", "new_request"}


def test_waiting_for_the_applicant_pauses_the_clock(owner, secretariat):
    with at(date(2026, 11, 2)):  # Monday
        request = submit(owner)
        services.request_transition(request=request, to=Status.IN_TRIAGE, actor=secretariat)
        services.request_transition(request=request, to=Status.WAITING_FOR_APPLICANT, actor=secretariat)
    request.refresh_from_db()
    assert request.answer_due == date(2026, 11, 16)
    assert request.paused_on == date(2026, 11, 2)
    with at(date(2026, 11, 9)):  # a week later: five working days paused
        services.request_reply_by_applicant(request=request, applicant=owner, body="Here is the protocol.")
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert request.paused_on is None
    assert request.paused_working_days == 5
    assert request.answer_due == date(2026, 11, 23)


def test_a_pause_over_easter_moves_the_due_date_by_working_days_only(owner, secretariat):
    with at(date(2026, 3, 30)):  # Monday of Holy Week
        request = submit(owner)
        services.request_transition(request=request, to=Status.IN_TRIAGE, actor=secretariat)
        services.request_transition(request=request, to=Status.WAITING_FOR_APPLICANT, actor=secretariat)
    with at(date(2026, 4, 7)):  # Tuesday after Easter: 31 Mar, 1 Apr, 7 Apr are working days
        services.request_transition(request=request, to=Status.IN_PROGRESS, actor=secretariat)
    request.refresh_from_db()
    assert request.paused_working_days == 3


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
    request = submit(owner)
    for status in path:
        services.request_transition(request=request, to=status, actor=secretariat)
    with pytest.raises(ValidationError):
        services.request_transition(request=request, to=refused, actor=secretariat)


def test_the_whole_flow_is_recorded_with_who_and_from_where(owner, secretariat):
    request = submit(owner)
    for status in (
        Status.IN_TRIAGE,
        Status.IN_PROGRESS,
        Status.WAITING_FOR_APPLICANT,
        Status.IN_PROGRESS,
        Status.ANSWERED,
        Status.CLOSED,
    ):
        services.request_transition(request=request, to=status, actor=secretariat)
    events = list(
        Event.objects.filter(request=request, kind="status").values_list("from_status", "to_status")
    )
    assert events[0] == ("submitted", "in_triage")
    assert events[-1] == ("answered", "closed")
    request.refresh_from_db()
    assert request.acknowledged_at and request.answered_at and request.closed_at
    assert request.version == 7


def test_a_withdrawn_request_cannot_be_withdrawn_or_moved_again(owner, secretariat):
    request = submit(owner)
    services.request_withdraw(request=request, applicant=owner)
    with pytest.raises(ValidationError):
        services.request_withdraw(request=request, applicant=owner)
    with pytest.raises(ValidationError):
        services.request_transition(request=request, to=Status.IN_TRIAGE, actor=secretariat)


def test_only_the_applicant_replies_or_withdraws(owner, colleague):
    request = submit(owner)
    with pytest.raises(ValidationError):
        services.request_withdraw(request=request, applicant=colleague)
    with pytest.raises(ValidationError):
        services.request_reply_by_applicant(request=request, applicant=colleague, body="x")


def test_assigning_a_new_request_acknowledges_it(owner, secretariat):
    request = submit(owner)
    services.request_assign(request=request, assignee=secretariat, actor=secretariat)
    request.refresh_from_db()
    assert request.assignee == secretariat
    assert request.status == Status.IN_TRIAGE
    assert request.acknowledged_at is not None


def test_a_stale_version_is_refused(owner, secretariat):
    request = submit(owner)
    services.request_set_priority(request=request, priority=3, actor=secretariat, version=1)
    with pytest.raises(services.StaleRequest):
        services.request_set_priority(request=request, priority=4, actor=secretariat, version=1)
    assert Request.objects.get(pk=request.pk).priority == 3


def test_a_reply_with_answered_sends_one_email_and_an_internal_note_none(
    owner, secretariat, mailoutbox, django_capture_on_commit_callbacks
):
    request = submit(owner)
    services.request_transition(request=request, to=Status.IN_TRIAGE, actor=secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        services.secretariat_respond(
            request=request,
            actor=secretariat,
            version=None,
            reply="You need a GMP certificate.",
            note="Checked with DKMA informally.",
            to_status=Status.ANSWERED,
        )
    assert [m.to for m in mailoutbox] == [[owner.email]]
    assert "GMP certificate" in mailoutbox[0].body
    assert "informally" not in mailoutbox[0].body
    assert Message.objects.filter(request=request).count() == 2


def test_a_referral_moves_the_request_and_tells_the_applicant_where(owner, secretariat):
    request = submit(owner)
    services.request_transition(request=request, to=Status.IN_PROGRESS, actor=secretariat)
    referral = services.referral_create(
        request=request, actor=secretariat, partner="medicines_agency", note="Regulatory question"
    )
    request.refresh_from_db()
    assert request.status == Status.REFERRED
    assert request.events.filter(kind="referred", is_public=True).exists()
    services.referral_record_outcome(referral=referral, actor=secretariat, outcome="answered")
    assert request.events.filter(kind="referral_outcome", is_public=False).exists()


def test_a_closed_request_takes_no_more_replies_from_the_applicant(owner, secretariat):
    request = submit(owner)
    services.request_transition(request=request, to=Status.CLOSED, actor=secretariat)
    with pytest.raises(ValidationError):
        services.request_reply_by_applicant(request=request, applicant=owner, body="One more thing")
    assert not Message.objects.filter(request=request).exists()


def test_an_applicant_reply_to_an_answered_request_reopens_it_with_a_fresh_answer_date(owner, secretariat):
    with at(date(2026, 11, 2)):
        request = submit(owner)
        services.request_transition(request=request, to=Status.IN_TRIAGE, actor=secretariat)
        services.request_transition(request=request, to=Status.ANSWERED, actor=secretariat)
    with at(date(2026, 11, 30)):
        services.request_reply_by_applicant(request=request, applicant=owner, body="A follow-up question")
    request.refresh_from_db()
    assert request.status == Status.IN_PROGRESS
    assert request.answer_due == date(2026, 12, 14)
