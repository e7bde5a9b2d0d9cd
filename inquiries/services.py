"""Every write to a request: submit, reply, assign, prioritise, change status, refer, withdraw.

Each service locks the request row, checks the rule, writes, records an event, bumps
``version`` (optimistic concurrency for the admin) and queues email after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inquiries.clock import add_working_days, working_days_between
from inquiries.models import (
    SECRETARIAT_NOTICES,
    Attachment,
    Event,
    EventKind,
    Message,
    MessageKind,
    Notification,
    NotificationKind,
    Priority,
    ReferenceCounter,
    Referral,
    ReferralOutcome,
    Request,
    Status,
)

S = Status

# Who may move a request where. The applicant only ever withdraws or (by replying) resumes.
SECRETARIAT_TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.IN_TRIAGE, S.IN_PROGRESS, S.REFERRED, S.CLOSED}),
    S.IN_TRIAGE: frozenset({S.IN_PROGRESS, S.WAITING_FOR_APPLICANT, S.REFERRED, S.ANSWERED, S.CLOSED}),
    S.IN_PROGRESS: frozenset({S.WAITING_FOR_APPLICANT, S.REFERRED, S.ANSWERED, S.CLOSED}),
    S.WAITING_FOR_APPLICANT: frozenset({S.IN_PROGRESS, S.ANSWERED, S.CLOSED}),
    S.ANSWERED: frozenset({S.IN_PROGRESS, S.CLOSED}),
    S.REFERRED: frozenset({S.IN_PROGRESS, S.ANSWERED, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
WITHDRAWABLE = frozenset(set(S.values) - {S.CLOSED, S.WITHDRAWN})
# Statuses in which the applicant may still write in the thread.
APPLICANT_MAY_REPLY = frozenset(set(S.values) - {S.CLOSED, S.WITHDRAWN})

# The email each status change sends to the applicant.
_TRANSITION_NOTICES = {
    S.WAITING_FOR_APPLICANT: NotificationKind.MORE_INFORMATION,
    S.ANSWERED: NotificationKind.ANSWERED,
    S.CLOSED: NotificationKind.CLOSED,
}


class StaleRequest(ValidationError):
    """Someone else changed the request after the form was opened."""


def allowed_transitions(request: Request) -> list[str]:
    return [s for s in S.values if s in SECRETARIAT_TRANSITIONS[request.status]]


# --- Reference and clock ----------------------------------------------------------------------


def reference_allocate(*, year: int) -> str:
    """The next reference of ``year``, e.g. ATMP-2026-0042; call inside a transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers),
    so two submissions at once get two numbers. The first of a year creates the row; if two
    race for that, the loser retries against the winner's row.
    """
    for _attempt in range(3):
        counter = ReferenceCounter.objects.select_for_update().filter(year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = ReferenceCounter.objects.create(year=year, last=0)
            except IntegrityError:
                continue
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"ATMP-{year}-{counter.last:04d}"
    raise RuntimeError("could not allocate a request reference")


def clock_start(submitted: date) -> tuple[date, date]:
    return (
        add_working_days(submitted, settings.REQUESTS_ACK_WORKING_DAYS),
        add_working_days(submitted, settings.REQUESTS_ANSWER_WORKING_DAYS),
    )


def _clock_on_transition(request: Request, to: str, today: date) -> None:
    if request.status == S.WAITING_FOR_APPLICANT and request.paused_on is not None:
        paused = working_days_between(request.paused_on, today)
        request.answer_due = add_working_days(request.answer_due, paused)
        request.paused_working_days += paused
        request.paused_on = None
    if to == S.WAITING_FOR_APPLICANT:
        request.paused_on = today
    if to == S.IN_PROGRESS and request.status in (S.ANSWERED, S.REFERRED):
        # Reopened: a follow-up question gets a fresh answer period.
        request.answer_due = max(
            request.answer_due, add_working_days(today, settings.REQUESTS_ANSWER_WORKING_DAYS)
        )


# --- Internal helpers -------------------------------------------------------------------------


def _locked(request: Request) -> Request:
    return Request.objects.select_for_update().get(pk=request.pk)


def _bump(request: Request, fields: Iterable[str]) -> None:
    request.version += 1
    request.save(update_fields=[*fields, "version", "updated_at"])


def check_version(request: Request, version: int | None) -> None:
    if version is not None and int(version) != request.version:
        raise StaleRequest(
            _(
                "Someone else changed this request after you opened it. Nothing was saved: "
                "what you typed is still below. Open the request again in a new tab to see the "
                "change, then save again."
            ),
            code="stale",
        )


def notify(*, request: Request, kind: str, key: str, message: Message | None = None) -> None:
    """Queue one email after commit; the same key twice is one email."""
    from inquiries.tasks import send_notification

    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "request": request,
            "kind": kind,
            "message": message,
            "to_secretariat": kind in SECRETARIAT_NOTICES,
        },
    )
    if created:
        send_notification.delay(notification.pk)


def _save_attachments(
    *,
    request: Request,
    message: Message | None,
    uploader,
    files: Sequence[tuple[object, str]],
    internal: bool,
) -> list[Attachment]:
    saved = []
    for upload, content_type in files:
        attachment = Attachment(
            request=request,
            message=message,
            original_name=(upload.name or "file")[-200:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=uploader,
            is_internal=internal,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


# --- The applicant ----------------------------------------------------------------------------


REQUEST_FIELDS = (
    "applicant_type",
    "organisation",
    "region",
    "topic",
    "atmp_class",
    "development_stage",
    "subject",
    "question",
    "wished_answer_date",
    "already_contacted",
    "shareable_summary",
    "confidential_details",
)


@transaction.atomic
def request_submit(*, applicant, data: dict, files: Sequence[tuple[object, str]] = ()) -> Request:
    now = timezone.now()
    today = timezone.localdate(now)
    acknowledge_due, answer_due = clock_start(today)
    request = Request(
        applicant=applicant,
        submitted_at=now,
        consent_given_at=now,
        acknowledge_due=acknowledge_due,
        answer_due=answer_due,
        **{field: data[field] for field in REQUEST_FIELDS if field in data},
    )
    request.reference = reference_allocate(year=today.year)
    request.full_clean()
    request.save()
    _save_attachments(request=request, message=None, uploader=applicant, files=files, internal=False)
    Event.objects.create(
        request=request, actor=applicant, kind=EventKind.SUBMITTED, to_status=S.SUBMITTED, is_public=True
    )
    notify(request=request, kind=NotificationKind.RECEIPT, key=f"receipt:{request.pk}")
    notify(request=request, kind=NotificationKind.NEW_REQUEST, key=f"new_request:{request.pk}")
    return request


@transaction.atomic
def request_reply_by_applicant(
    *, request: Request, applicant, body: str, files: Sequence[tuple[object, str]] = ()
) -> Message:
    request = _locked(request)
    if request.applicant_id != applicant.pk:
        raise ValidationError(_("Only the applicant can reply here."), code="not_applicant")
    if request.status not in APPLICANT_MAY_REPLY:
        raise ValidationError(_("This request is finished; please send a new request."), code="finished")
    message = Message.objects.create(request=request, author=applicant, kind=MessageKind.APPLICANT, body=body)
    _save_attachments(request=request, message=message, uploader=applicant, files=files, internal=False)
    if request.status in (S.WAITING_FOR_APPLICANT, S.ANSWERED):
        # The applicant answered our question (or asks a follow-up): the clock runs again.
        _transition(request, to=S.IN_PROGRESS, actor=applicant, notify_applicant=False)
    else:
        _bump(request, [])
    notify(
        request=request,
        kind=NotificationKind.APPLICANT_REPLIED,
        key=f"applicant_replied:{message.pk}",
        message=message,
    )
    return message


@transaction.atomic
def request_withdraw(*, request: Request, applicant) -> Request:
    request = _locked(request)
    if request.applicant_id != applicant.pk:
        raise ValidationError(_("Only the applicant can withdraw a request."), code="not_applicant")
    if request.status not in WITHDRAWABLE:
        raise ValidationError(_("This request is already finished."), code="finished")
    event = _transition(request, to=S.WITHDRAWN, actor=applicant, notify_applicant=False)
    # Whoever works on it should stop.
    notify(request=request, kind=NotificationKind.WITHDRAWN, key=f"withdrawn:{request.pk}:{event.pk}")
    return request


# --- The secretariat --------------------------------------------------------------------------


def _transition(
    request: Request, *, to: str, actor, message: Message | None = None, notify_applicant: bool = True
) -> Event:
    now = timezone.now()
    today = timezone.localdate(now)
    from_status = request.status
    _clock_on_transition(request, to, today)
    if from_status == S.SUBMITTED and request.acknowledged_at is None:
        request.acknowledged_at = now
    if to == S.ANSWERED and request.answered_at is None:
        request.answered_at = now
    if to in (S.CLOSED, S.WITHDRAWN):
        request.closed_at = now
    request.status = to
    _bump(
        request,
        [
            "status",
            "acknowledged_at",
            "answered_at",
            "closed_at",
            "answer_due",
            "paused_on",
            "paused_working_days",
        ],
    )
    event = Event.objects.create(
        request=request,
        actor=actor,
        kind=EventKind.STATUS,
        from_status=from_status,
        to_status=to,
        is_public=True,
    )
    kind = _TRANSITION_NOTICES.get(to)
    if notify_applicant and kind:
        notify(request=request, kind=kind, key=f"{kind}:{request.pk}:{event.pk}", message=message)
    return event


@transaction.atomic
def request_transition(
    *, request: Request, to: str, actor, message: Message | None = None, version: int | None = None
) -> Request:
    locked = _locked(request)
    check_version(locked, version)
    if to not in SECRETARIAT_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A request that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": S(locked.status).label, "to": S(to).label},
            code="transition",
        )
    _transition(locked, to=to, actor=actor, message=message)
    return locked


@transaction.atomic
def request_assign(*, request: Request, assignee, actor, version: int | None = None) -> Request:
    locked = _locked(request)
    check_version(locked, version)
    if assignee is not None and not assignee.is_staff:
        raise ValidationError(_("Requests can only be assigned to the secretariat."), code="assignee")
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    locked.assignee = assignee
    _bump(locked, ["assignee"])
    Event.objects.create(
        request=locked,
        actor=actor,
        kind=EventKind.ASSIGNED,
        detail=(assignee.get_full_name() if assignee else str(_("unassigned")))[:300],
    )
    if locked.status == S.SUBMITTED:
        # Taking a request on is its acknowledgement.
        _transition(locked, to=S.IN_TRIAGE, actor=actor)
    return locked


@transaction.atomic
def request_set_priority(*, request: Request, priority: int, actor, version: int | None = None) -> Request:
    locked = _locked(request)
    check_version(locked, version)
    if int(priority) == locked.priority:
        return locked
    old = Priority(locked.priority).label
    locked.priority = int(priority)
    _bump(locked, ["priority"])
    Event.objects.create(
        request=locked,
        actor=actor,
        kind=EventKind.PRIORITY,
        detail=f"{old} → {Priority(locked.priority).label}",
    )
    return locked


@transaction.atomic
def message_post(
    *,
    request: Request,
    author,
    body: str,
    internal: bool,
    files: Sequence[tuple[object, str]] = (),
    notify_applicant: bool = True,
    version: int | None = None,
) -> Message:
    """A reply to the applicant (emailed) or an internal note (never shown or sent to them)."""
    locked = _locked(request)
    check_version(locked, version)
    kind = MessageKind.INTERNAL if internal else MessageKind.REPLY
    message = Message(request=locked, author=author, kind=kind, body=body)
    message.full_clean()
    message.save()
    _save_attachments(request=locked, message=message, uploader=author, files=files, internal=internal)
    _bump(locked, [])
    if not internal and notify_applicant:
        notify(request=locked, kind=NotificationKind.REPLY, key=f"reply:{message.pk}", message=message)
    return message


@transaction.atomic
def secretariat_respond(
    *,
    request: Request,
    actor,
    version: int | None,
    reply: str = "",
    reply_files: Sequence[tuple[object, str]] = (),
    note: str = "",
    to_status: str = "",
) -> Request:
    """What one save of the admin form does: note, reply, status change, as one step.

    A reply that goes with "waiting for applicant" or "answered" is sent once, in that email.
    """
    locked = _locked(request)
    check_version(locked, version)
    if to_status and to_status not in SECRETARIAT_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("A request that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": S(locked.status).label, "to": S(to_status).label},
            code="transition",
        )
    if note:
        message_post(request=locked, author=actor, body=note, internal=True)
        locked.refresh_from_db()
    reply_message = None
    if reply:
        reply_message = message_post(
            request=locked,
            author=actor,
            body=reply,
            internal=False,
            files=reply_files,
            notify_applicant=to_status not in _TRANSITION_NOTICES,
        )
        locked.refresh_from_db()
    if to_status:
        _transition(locked, to=to_status, actor=actor, message=reply_message)
    return locked


@transaction.atomic
def referral_create(
    *, request: Request, actor, partner: str, organisation=None, note: str = "", outcome: str = ""
) -> Referral:
    locked = _locked(request)
    referral = Referral(
        request=locked,
        partner=partner,
        organisation=organisation,
        note=note,
        outcome=outcome or ReferralOutcome.PENDING,
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    # The privacy notice promises that the applicant learns which organisation we referred to.
    Event.objects.create(
        request=locked, actor=actor, kind=EventKind.REFERRED, detail=str(referral)[:300], is_public=True
    )
    if S.REFERRED in SECRETARIAT_TRANSITIONS[locked.status]:
        _transition(locked, to=S.REFERRED, actor=actor)
    else:
        _bump(locked, [])
    return referral


@transaction.atomic
def referral_record_outcome(*, referral: Referral, actor, outcome: str, outcome_note: str = "") -> Referral:
    _locked(referral.request)
    referral.outcome = outcome
    referral.outcome_note = outcome_note
    referral.full_clean()
    referral.save(update_fields=["outcome", "outcome_note", "partner", "organisation", "note"])
    Event.objects.create(
        request=referral.request,
        actor=actor,
        kind=EventKind.REFERRAL_OUTCOME,
        detail=f"{referral}: {referral.get_outcome_display()}"[:300],
    )
    return referral
