"""Every write to governance that matters goes through here (ARCHITECTURE.md "Inside an app").

Meetings get their number, decisions their register number, and members their notices only
through these functions, so the admin, the demo data and the tests cannot disagree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.emails import notice_email_queue
from governance.models import (
    Attendance,
    Body,
    Decision,
    Meeting,
    MeetingNotice,
    MeetingStatus,
    Membership,
    MinutesStatus,
    NoticeKind,
)

# --- Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    body: Body,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    online_url: str = "",
    minutes: str = "",
) -> Meeting:
    """Plan a meeting; it gets the body's next number in its year and an invitation for each member."""
    Body.objects.select_for_update().get(pk=body.pk)  # numbers are handed out one at a time
    year = timezone.localtime(starts_at).year
    last = Meeting.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
    meeting = Meeting(
        body=body,
        year=year,
        number=last + 1,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        minutes=minutes,
    )
    meeting.full_clean()
    meeting.save()
    on = timezone.localtime(starts_at).date()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, membership=m) for m in body.memberships.active(on)],
        ignore_conflicts=True,
    )
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, meeting: Meeting, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Meeting:
    """Move a planned meeting. Members get a notice, and reminders start over for the new time."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    if starts_at == meeting.starts_at and ends_at == meeting.ends_at:
        return meeting
    moved = starts_at != meeting.starts_at  # a new end time alone is not worth a new round of reminders
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.full_clean()
    if moved:
        meeting.schedule_version += 1
    meeting.save(update_fields=["starts_at", "ends_at", "schedule_version"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting: members are told once, and no further reminders go out."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["status", "cancelled_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting cannot be marked as held before it has started."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def documents_publish(*, meeting: Meeting) -> Meeting:
    """Open the document pack to the body's members; each publication sends one notice per member."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if not meeting.documents.exists():
        raise ValidationError(_("The document pack is empty: upload the documents first."))
    meeting.documents_published_at = timezone.now()
    meeting.documents_version += 1
    meeting.save(update_fields=["documents_published_at", "documents_version"])
    return meeting


# --- Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_circulate(*, meeting: Meeting) -> Meeting:
    """Send the draft minutes round the members (they see them on the meeting page)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Minutes can be circulated once the meeting has been held."))
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before circulating them."))
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are already approved."))
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_status", "minutes_circulated_at"])
    return meeting


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """Approve circulated minutes at a later meeting of the same body."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Only circulated minutes can be approved."))
    if at_meeting.body_id != meeting.body_id or at_meeting.starts_at <= meeting.starts_at:
        raise ValidationError(_("Minutes are approved at a later meeting of the same body."))
    if at_meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Minutes cannot be approved at a cancelled meeting."))
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting.save(update_fields=["minutes_status", "minutes_approved_at"])
    return meeting


def minutes_update(*, meeting: Meeting, text: str) -> Meeting:
    """Edit the minutes text; approved minutes are closed."""
    if meeting.minutes_status == MinutesStatus.APPROVED and text != meeting.minutes:
        raise ValidationError(_("Approved minutes cannot be changed."))
    if meeting.minutes_status in ("", MinutesStatus.NONE) and text.strip():
        meeting.minutes_status = MinutesStatus.DRAFT
    meeting.minutes = text
    meeting.save(update_fields=["minutes", "minutes_status"])
    return meeting


# --- Decisions -----------------------------------------------------------------------------------


@transaction.atomic
def decision_record(*, meeting: Meeting, title: str, text: str, **fields: Any) -> Decision:
    """Add a decision to the register with the next number of its meeting, e.g. SG-2026-02-03."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting makes no decisions."))
    sequence = (meeting.decisions.aggregate(n=Max("sequence"))["n"] or 0) + 1
    decision = Decision(
        meeting=meeting,
        sequence=sequence,
        number=decision_number(meeting, sequence),
        title=title,
        text=text,
        **fields,
    )
    decision.full_clean()
    decision.save()
    return decision


def decision_number(meeting: Meeting, sequence: int) -> str:
    return f"{meeting.body.decision_prefix}-{meeting.year}-{meeting.number:02d}-{sequence:02d}"


# --- Notices (reminders and announcements) -------------------------------------------------------


def _recipients_by_body(meetings: list[Meeting], on: datetime.date) -> dict[int, list[Membership]]:
    """Active members with an address, per body, in one query for all the meetings."""
    by_body: dict[int, list[Membership]] = defaultdict(list)
    members = Membership.objects.active(on).filter(body_id__in={m.body_id for m in meetings})
    for membership in members.select_related("user"):
        if membership.contact_email:
            by_body[membership.body_id].append(membership)
    return by_body


def notices_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Make sure every notice that is due exists with its email in the outbox; return the ids
    of the notices whose email this run wrote (the outbox sends them after commit).

    Safe to run any number of times, at once or in parallel: the unique key means each
    (meeting, member, kind, days before, version) row is made once, and the outbox key means
    each notice has one email.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    wanted: list[MeetingNotice] = []
    upcoming = list(
        Meeting.objects.select_related("body").filter(
            Q(status=MeetingStatus.PLANNED) | Q(status=MeetingStatus.CANCELLED, cancelled_at__isnull=False),
            starts_at__gt=now,
        )
    )
    recipients = _recipients_by_body(upcoming, today)
    for meeting in upcoming:
        members = recipients[meeting.body_id]
        if not members:
            continue
        if meeting.status == MeetingStatus.CANCELLED:
            wanted += [
                MeetingNotice(meeting=meeting, membership=m, kind=NoticeKind.CANCELLED) for m in members
            ]
            continue
        offset = _reminder_due(meeting, now)
        if offset is not None:
            wanted += [
                MeetingNotice(
                    meeting=meeting,
                    membership=m,
                    kind=NoticeKind.REMINDER,
                    offset_days=offset,
                    generation=meeting.schedule_version,
                )
                for m in members
            ]
        if meeting.schedule_version > 1:
            wanted += [
                MeetingNotice(
                    meeting=meeting,
                    membership=m,
                    kind=NoticeKind.RESCHEDULED,
                    generation=meeting.schedule_version,
                )
                for m in members
            ]
        if meeting.documents_published_at:
            wanted += [
                MeetingNotice(
                    meeting=meeting,
                    membership=m,
                    kind=NoticeKind.DOCUMENTS,
                    generation=meeting.documents_version,
                )
                for m in members
            ]
    if wanted:
        MeetingNotice.objects.bulk_create(wanted, ignore_conflicts=True)
    queued = []
    unqueued = MeetingNotice.objects.filter(email__isnull=True, meeting__starts_at__gt=now).select_related(
        "meeting__body", "membership__user"
    )
    for notice in unqueued:
        with transaction.atomic():
            email = notice_email_queue(notice)
            if MeetingNotice.objects.filter(pk=notice.pk, email__isnull=True).update(email=email):
                queued.append(notice.pk)
    return queued


def _reminder_due(meeting: Meeting, now: datetime.datetime) -> int | None:
    """The reminder to send now: the nearest one whose time has come (a meeting planned late
    gets one reminder, not all the ones it missed), or None."""
    due = [
        offset
        for offset in meeting.body.offsets
        if now >= meeting.starts_at - datetime.timedelta(days=offset)
    ]
    return min(due) if due else None
