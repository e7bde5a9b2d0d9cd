"""Numbers, status rules and the minutes loop, through the services the admin calls."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from governance import services
from governance.models import Attendance, Body, BodyKind, Decision, MeetingStatus, MinutesStatus
from tests.factories import UserFactory, at, membership_for, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English; their Danish wording is the catalogue's business."""
    with translation.override("en"):
        yield


@pytest.fixture
def steering(governance_bodies):
    return governance_bodies["steering-group"]


def held(meeting):
    meeting.starts_at -= datetime.timedelta(days=60)
    meeting.ends_at -= datetime.timedelta(days=60)
    meeting.save()
    return services.meeting_mark_held(actor=None, meeting=meeting)


def test_meetings_are_numbered_per_body_and_year_and_invite_the_active_members(steering, steering_member):
    first, second = plan(steering, in_days=5), plan(steering, in_days=40)
    other = plan(Body.objects.get(code="reference-group"), in_days=5)
    assert (first.number, other.number) == (1, 1)
    assert second.number == (2 if second.year == first.year else 1)
    assert Attendance.objects.filter(meeting=first, membership__user=steering_member).exists()


def test_decisions_get_stable_register_numbers(steering):
    meeting = plan(steering, in_days=5)
    one = services.decision_record(actor=None, meeting=meeting, title="Start analysis II", text="Go.")
    two = services.decision_record(actor=None, meeting=meeting, title="Budget 2026", text="Noted.")
    assert one.number == f"SG-{meeting.year}-01-01"
    assert two.number == f"SG-{meeting.year}-01-02"
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(meeting=meeting, sequence=3, number=one.number, title="x", text="x")


def test_a_decision_about_a_working_group_must_name_it(steering):
    meeting = plan(steering, in_days=5)
    with pytest.raises(ValidationError, match="working group"):
        services.decision_record(
            actor=None, meeting=meeting, title="Set up", text="x", concerns="working_group"
        )
    group = Body.objects.create(
        code="wg-rwd",
        kind=BodyKind.WORKING_GROUP,
        name_da="Arbejdsgruppe RWD",
        name_en="RWD working group",
        decision_prefix="WG1",
        set_up_by=steering,
    )
    decision = services.decision_record(
        actor=None, meeting=meeting, title="Set up", text="x", concerns="working_group", working_group=group
    )
    assert decision.working_group == group


def test_a_working_group_needs_the_body_that_set_it_up(steering):
    group = Body(code="wg", kind=BodyKind.WORKING_GROUP, name_da="AG", name_en="WG", decision_prefix="WG")
    with pytest.raises(ValidationError, match="set it up"):
        group.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        group.save()


def test_the_minutes_loop_draft_circulated_approved_at_a_later_meeting(steering):
    first = plan(steering, in_days=1)
    with pytest.raises(ValidationError, match="held"):
        services.minutes_circulate(actor=None, meeting=first)
    first = held(first)
    with pytest.raises(ValidationError, match="Write the minutes"):
        services.minutes_circulate(actor=None, meeting=first)
    first = services.minutes_update(actor=None, meeting=first, text="We met.")
    assert first.minutes_status == MinutesStatus.DRAFT
    services.minutes_circulate(actor=None, meeting=first)
    earlier = services.meeting_schedule(
        actor=None,
        body=steering,
        starts_at=first.starts_at - datetime.timedelta(days=30),
        ends_at=first.starts_at - datetime.timedelta(days=30, hours=-1),
    )
    with pytest.raises(ValidationError, match="later meeting"):
        services.minutes_approve(actor=None, meeting=first, at_meeting=earlier)
    later = plan(steering, in_days=30)
    with pytest.raises(ValidationError, match="has been held"):
        services.minutes_approve(actor=None, meeting=first, at_meeting=later)  # not held yet
    later = services.meeting_mark_held(actor=None, meeting=plan(steering, in_days=-10))
    approved = services.minutes_approve(actor=None, meeting=first, at_meeting=later)
    assert approved.minutes_status == MinutesStatus.APPROVED and approved.minutes_approved_at == later
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.minutes_update(actor=None, meeting=approved, text="Rewritten history.")


def test_only_planned_meetings_move_or_are_cancelled(steering):
    meeting = services.meeting_cancel(actor=None, meeting=plan(steering, in_days=5))
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.meeting_reschedule(actor=None, meeting=meeting, starts_at=at(6), ends_at=at(6, 12))
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=None, meeting=meeting)
    with pytest.raises(ValidationError, match="before it has started"):
        services.meeting_mark_held(actor=None, meeting=plan(steering, in_days=5))


def test_a_new_end_time_alone_does_not_restart_reminders(steering):
    meeting = plan(steering, in_days=5)
    same_start = services.meeting_reschedule(
        actor=None,
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at + datetime.timedelta(hours=1),
    )
    assert same_start.schedule_version == 1
    moved = services.meeting_reschedule(
        actor=None,
        meeting=meeting,
        starts_at=meeting.starts_at + datetime.timedelta(hours=1),
        ends_at=meeting.ends_at + datetime.timedelta(hours=2),
    )
    assert moved.schedule_version == 2


def test_publishing_an_empty_document_pack_is_refused(steering):
    with pytest.raises(ValidationError, match="empty"):
        services.documents_publish(actor=None, meeting=plan(steering, in_days=5))


def test_terms_ending_within_60_days_and_vacancies_are_found(steering):
    from governance.models import Membership
    from governance.selectors import public_bodies

    user = UserFactory.create()
    membership_for(user, steering, seat_code="dkma", end=timezone.localdate() + datetime.timedelta(days=20))
    assert list(Membership.objects.ending_within(60)) == list(Membership.objects.filter(user=user))
    body = next(b for b in public_bodies() if b.code == "steering-group")
    assert body.seat_total == 11 and body.vacancies == 10
