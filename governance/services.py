"""Every write to governance that matters goes through here (ARCHITECTURE.md "Inside an app").

Meetings get their number, decisions their register number, and members their notices only
through these functions, so the admin, the demo data and the tests cannot disagree.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import stamps
from audit.services import audit_record, changes, snapshot
from governance.emails import notice_email_queue
from governance.models import (
    AgendaItem,
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

if TYPE_CHECKING:
    from accounts.models import User


# --- Meetings ------------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    actor: User | None,
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
    # A free number first; ``meeting_renumber`` then puts the year's meetings in date order.
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
    meeting_renumber(actor=actor, body=body, year=year)
    meeting.refresh_from_db(fields=["number"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="governance.meeting.scheduled",
        data=snapshot(meeting, ["body", "year", "number", "starts_at", "ends_at", "location", "online_url"]),
    )
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, actor: User | None, meeting: Meeting, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> Meeting:
    """Move a planned meeting. Members get a notice, and reminders start over for the new time."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be moved."))
    if starts_at == meeting.starts_at and ends_at == meeting.ends_at:
        return meeting
    moved = starts_at != meeting.starts_at  # a new end time alone is not worth a new round of reminders
    before = snapshot(meeting, ["starts_at", "ends_at", "year", "number"])
    old_year, new_year = meeting.year, timezone.localtime(starts_at).year
    if new_year != old_year and meeting.decisions.exists():
        raise ValidationError(
            _("Decisions carry this meeting's number in %(year)s; it cannot move to another year.")
            % {"year": old_year}
        )
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.full_clean()
    if moved:
        meeting.schedule_version += 1
    if new_year != old_year:
        Body.objects.select_for_update().get(pk=meeting.body_id)
        last = Meeting.objects.filter(body_id=meeting.body_id, year=new_year).aggregate(n=Max("number"))["n"]
        meeting.year, meeting.number = new_year, (last or 0) + 1
    meeting.save(update_fields=["starts_at", "ends_at", "schedule_version", "year", "number"])
    for year in {old_year, new_year}:
        meeting_renumber(actor=actor, body=meeting.body, year=year)
    meeting.refresh_from_db(fields=["number"])
    audit_record(
        actor=actor, obj=meeting, action="governance.meeting.rescheduled", data=changes(before, meeting)
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting: members are told once, and no further reminders go out."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    approved = list(meeting.approved_minutes_of.all())
    if approved:
        raise ValidationError(
            _("The minutes of %(meetings)s were approved at this meeting; it cannot be cancelled.")
            % {"meetings": ", ".join(m.label for m in approved)}
        )
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["status", "cancelled_at"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="governance.meeting.cancelled",
        data={"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED]},
    )
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: User | None, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be marked as held."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting cannot be marked as held before it has started."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="governance.meeting.held",
        data={"status": [MeetingStatus.PLANNED, MeetingStatus.HELD]},
    )
    return meeting


@transaction.atomic
def documents_publish(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Open the document pack to the body's members; each publication sends one notice per member."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("The meeting is cancelled."))
    if not meeting.documents.exists():
        raise ValidationError(_("The document pack is empty: upload the documents first."))
    meeting.documents_published_at = timezone.now()
    meeting.documents_version += 1
    meeting.save(update_fields=["documents_published_at", "documents_version"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="governance.meeting.documents_published",
        data={
            "documents_version": meeting.documents_version,
            "documents": list(meeting.documents.values_list("title", flat=True)),
        },
    )
    return meeting


def meeting_renumber(*, actor: User | None, body: Body, year: int) -> None:
    """Number the body's meetings of ``year`` 1, 2, 3 … in the order of their dates.

    A number that a decision carries (SG-2026-02-03) never changes: a meeting with decisions keeps
    its number, and the others are numbered around it. So a meeting added later but dated before
    an already-decided meeting takes the next free number after the decided one, not its place.
    Call inside a transaction holding the body's lock (the scheduling services do).
    """
    meetings = list(
        Meeting.objects.filter(body=body, year=year)
        .annotate(decided=Count("decisions"))
        .order_by("starts_at", "pk")
    )
    fixed = {m.number for m in meetings if m.decided}
    wanted: dict[int, int] = {}
    last = 0
    for meeting in meetings:
        if meeting.decided:
            last = max(last, meeting.number)
            continue
        number = last + 1
        while number in fixed:
            number += 1
        wanted[meeting.pk] = last = number
    moving = [m for m in meetings if m.pk in wanted and m.number != wanted[m.pk]]
    if not moving:
        return
    before_numbers = {m.pk: m.number for m in moving}
    # Out of the way first (above any number in use), then into place: the unique key holds throughout.
    top = max(m.number for m in meetings) + len(meetings) + 1
    for offset, meeting in enumerate(moving):
        meeting.number = top + offset
    Meeting.objects.bulk_update(moving, ["number"])
    for meeting in moving:
        meeting.number = wanted[meeting.pk]
    Meeting.objects.bulk_update(moving, ["number"])
    stamps.bump(Meeting)
    for meeting in moving:
        audit_record(
            actor=actor,
            obj=meeting,
            action="governance.meeting.renumbered",
            data={"number": [before_numbers[meeting.pk], meeting.number], "year": year},
        )


# --- Agenda --------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(
    *, actor: User | None, meeting: Meeting, title: str, position: int | None = None, **fields: Any
) -> AgendaItem:
    """Add an item to the agenda, last unless ``position`` says where (1 is first)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    last = meeting.agenda_items.aggregate(n=Max("position"))["n"] or 0
    item = AgendaItem(meeting=meeting, title=title, position=position or last + 1, **fields)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        obj=item,
        action="governance.agenda_item.added",
        data={"meeting": meeting.pk, "title": title, "position": item.position},
    )
    if position:
        agenda_reorder(actor=actor, meeting=meeting, first=[item.pk])
    return item


@transaction.atomic
def agenda_reorder(
    *, actor: User | None, meeting: Meeting, first: list[int] | None = None
) -> list[AgendaItem]:
    """Number the meeting's agenda 1, 2, 3 … in the order of the positions given.

    Items at the same position are ordered with those in ``first`` (just moved there) ahead.
    """
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting))
    moved = set(first or ())
    items.sort(key=lambda item: (item.position, item.pk not in moved, item.pk))
    changed = []
    for number, item in enumerate(items, start=1):
        if item.position != number:
            item.position = number
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["position"])
        audit_record(
            actor=actor,
            obj=meeting,
            action="governance.agenda.reordered",
            data={"order": [item.title for item in items]},
        )
    return items


# --- Minutes -------------------------------------------------------------------------------------


@transaction.atomic
def minutes_circulate(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Send the draft minutes round the members (they see them on the meeting page)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("Minutes can be circulated once the meeting has been held."))
    if not meeting.minutes.strip():
        raise ValidationError(_("Write the minutes before circulating them."))
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(_("These minutes are already approved."))
    before = snapshot(meeting, ["minutes_status"])
    meeting.minutes_status = MinutesStatus.CIRCULATED
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_status", "minutes_circulated_at"])
    audit_record(
        actor=actor, obj=meeting, action="governance.minutes.circulated", data=changes(before, meeting)
    )
    return meeting


@transaction.atomic
def minutes_approve(*, actor: User | None, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """Approve circulated minutes at a later meeting of the same body."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Only circulated minutes can be approved."))
    at_meeting = Meeting.objects.select_for_update().get(pk=at_meeting.pk)
    if at_meeting.body_id != meeting.body_id or at_meeting.starts_at <= meeting.starts_at:
        raise ValidationError(_("Minutes are approved at a later meeting of the same body."))
    if at_meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("Minutes cannot be approved at a cancelled meeting."))
    if at_meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            _(
                "Minutes are approved at a meeting that has been held; %(meeting)s has not been "
                "marked as held yet."
            )
            % {"meeting": at_meeting.label}
        )
    before = snapshot(meeting, ["minutes_status", "minutes_approved_at"])
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting.save(update_fields=["minutes_status", "minutes_approved_at"])
    audit_record(
        actor=actor, obj=meeting, action="governance.minutes.approved", data=changes(before, meeting)
    )
    return meeting


@transaction.atomic
def minutes_update(*, actor: User | None, meeting: Meeting, text: str) -> Meeting:
    """Edit the minutes text; approved minutes are closed."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_status == MinutesStatus.APPROVED and text != meeting.minutes:
        raise ValidationError(_("Approved minutes cannot be changed."))
    if text == meeting.minutes:
        return meeting
    before = snapshot(meeting, ["minutes", "minutes_status"])
    if meeting.minutes_status in ("", MinutesStatus.NONE) and text.strip():
        meeting.minutes_status = MinutesStatus.DRAFT
    meeting.minutes = text
    meeting.save(update_fields=["minutes", "minutes_status"])
    audit_record(actor=actor, obj=meeting, action="governance.minutes.edited", data=changes(before, meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor: User | None, meeting: Meeting, location: str, online_url: str) -> Meeting:
    """Change where a meeting is held (its time changes only by ``meeting_reschedule``)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = snapshot(meeting, ["location", "online_url"])
    meeting.location, meeting.online_url = location, online_url
    meeting.full_clean()
    meeting.save(update_fields=["location", "online_url"])
    if data := changes(before, meeting):
        audit_record(actor=actor, obj=meeting, action="governance.meeting.changed", data=data)
    return meeting


# --- Decisions -----------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *, actor: User | None, meeting: Meeting, title: str, text: str, **fields: Any
) -> Decision:
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
    audit_record(
        actor=actor,
        obj=decision,
        action="governance.decision.recorded",
        data=snapshot(decision, ["meeting", "number", "title", "text", *fields]),
    )
    return decision


# What may change in a recorded decision: its words and where it shows, never its meeting or number.
DECISION_EDITABLE = ("title", "text", "concerns", "working_group", "is_public")


@transaction.atomic
def decision_update(*, actor: User | None, decision: Decision, **fields: Any) -> Decision:
    """Correct a recorded decision's text or publicity; the record keeps who changed what."""
    unknown = set(fields) - set(DECISION_EDITABLE)
    if unknown:
        raise ValidationError(
            _("A decision's %(fields)s cannot be changed.") % {"fields": ", ".join(sorted(unknown))}
        )
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    before = snapshot(decision, list(fields))
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.full_clean()
    decision.save(update_fields=list(fields) or None)
    if data := changes(before, decision):
        audit_record(actor=actor, obj=decision, action="governance.decision.changed", data=data)
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
