"""Every write to a request: submit, reply, assign, prioritise, change status, refer, withdraw.

Each service locks the request row, checks the rule, writes, records an event, bumps
``version`` (optimistic concurrency for the admin) and queues email after commit.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import is_secretariat_account
from audit.services import audit_record
from inquiries import summaries
from inquiries.clock import add_working_days, working_days_between
from inquiries.models import (
    SECRETARIAT_NOTICES,
    Attachment,
    Event,
    EventKind,
    Inquiry,
    Message,
    MessageKind,
    Notification,
    NotificationKind,
    Priority,
    ReferenceCounter,
    Referral,
    ReferralOutcome,
    Status,
)

S = Status
logger = logging.getLogger(__name__)

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


class StaleInquiry(ValidationError):
    """Someone else changed the request after the form was opened."""


def allowed_transitions(inquiry: Inquiry) -> list[str]:
    return [s for s in S.values if s in SECRETARIAT_TRANSITIONS[inquiry.status]]


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


def _clock_on_transition(inquiry: Inquiry, to: str, today: date) -> None:
    if inquiry.status == S.WAITING_FOR_APPLICANT and inquiry.paused_on is not None:
        paused = working_days_between(inquiry.paused_on, today)
        inquiry.answer_due = add_working_days(inquiry.answer_due, paused)
        inquiry.paused_working_days += paused
        inquiry.paused_on = None
    if to == S.WAITING_FOR_APPLICANT:
        inquiry.paused_on = today
    if to == S.IN_PROGRESS and inquiry.status in (S.ANSWERED, S.REFERRED):
        # Reopened: a follow-up question gets a fresh answer period.
        inquiry.answer_due = max(
            inquiry.answer_due, add_working_days(today, settings.REQUESTS_ANSWER_WORKING_DAYS)
        )


# --- Internal helpers -------------------------------------------------------------------------


def _locked(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def _bump(inquiry: Inquiry, fields: Iterable[str]) -> None:
    fields = list(fields)
    counted = [f for f in fields if f in summaries.COUNTED_FIELDS]
    before = summaries.counted_state(inquiry) if counted else None
    inquiry.version += 1
    inquiry.save(update_fields=[*fields, "version", "updated_at"])
    if counted:
        summaries.inquiry_counted(before=before, after=inquiry)


def check_version(inquiry: Inquiry, version: int | None) -> None:
    if version is not None and int(version) != inquiry.version:
        raise StaleInquiry(
            _(
                "Someone else changed this request after you opened it. Nothing was saved: "
                "what you typed is still below. Open the request again in a new tab to see the "
                "change, then save again."
            ),
            code="stale",
        )


def notify(*, inquiry: Inquiry, kind: str, key: str, message: Message | None = None) -> None:
    """Write one email to the outbox in this transaction; the same key twice is one email."""
    from inquiries.emails import notification_queue

    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "inquiry": inquiry,
            "kind": kind,
            "message": message,
            "to_secretariat": kind in SECRETARIAT_NOTICES,
        },
    )
    if created:
        notification.email = notification_queue(notification)
        notification.save(update_fields=["email"])


def _save_attachments(
    *,
    inquiry: Inquiry,
    message: Message | None,
    uploader,
    files: Sequence[tuple[UploadedFile, str]],
    internal: bool,
) -> list[Attachment]:
    saved = []
    for upload, content_type in files:
        attachment = Attachment(
            inquiry=inquiry,
            message=message,
            original_name=(upload.name or "file")[-200:],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=uploader,
            is_internal=internal,
        )
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


# --- The applicant ----------------------------------------------------------------------------


@transaction.atomic
def inquiry_submit(
    *,
    actor: User,
    applicant_type: str,
    region: str,
    topic: str,
    atmp_class: str,
    development_stage: str,
    subject: str,
    question: str,
    organisation: str = "",
    wished_answer_date: date | None = None,
    already_contacted: str = "",
    shareable_summary: str = "",
    confidential_details: str = "",
    files: Sequence[tuple[UploadedFile, str]] = (),
    submission_key: uuid.UUID | None = None,
) -> Inquiry:
    """The applicant (``actor``) files a request: its reference, clock, history and two emails.

    With a ``submission_key`` (the form's hidden uuid) the same form sent twice returns the
    request the first one made: a resubmit after an unclear failure makes no second request.
    """
    if submission_key is not None:
        # One submit per applicant at a time, so a double click waits and then finds the first.
        User.objects.select_for_update().filter(pk=actor.pk).first()
        existing = Inquiry.objects.filter(applicant=actor, submission_key=submission_key).first()
        if existing is not None:
            return existing
    now = timezone.now()
    today = timezone.localdate(now)
    acknowledge_due, answer_due = clock_start(today)
    inquiry = Inquiry(
        applicant=actor,
        submitted_at=now,
        consent_given_at=now,
        acknowledge_due=acknowledge_due,
        answer_due=answer_due,
        applicant_type=applicant_type,
        organisation=organisation,
        region=region,
        topic=topic,
        atmp_class=atmp_class,
        development_stage=development_stage,
        subject=subject,
        question=question,
        wished_answer_date=wished_answer_date,
        already_contacted=already_contacted,
        shareable_summary=shareable_summary,
        confidential_details=confidential_details,
        submission_key=submission_key,
    )
    inquiry.reference = reference_allocate(year=today.year)
    inquiry.full_clean()
    inquiry.save()
    summaries.inquiry_counted(before=None, after=inquiry)
    _save_attachments(inquiry=inquiry, message=None, uploader=actor, files=files, internal=False)
    Event.objects.create(
        inquiry=inquiry, actor=actor, kind=EventKind.SUBMITTED, to_status=S.SUBMITTED, is_public=True
    )
    audit_record(
        actor=actor,
        obj=inquiry,
        action="inquiries.inquiry.submitted",
        data={"reference": inquiry.reference, "topic": topic, "answer_due": answer_due, "files": len(files)},
    )
    notify(inquiry=inquiry, kind=NotificationKind.RECEIPT, key=f"receipt:{inquiry.pk}")
    notify(inquiry=inquiry, kind=NotificationKind.NEW_REQUEST, key=f"new_request:{inquiry.pk}")
    return inquiry


@transaction.atomic
def inquiry_reply_by_applicant(
    *, inquiry: Inquiry, actor: User, body: str, files: Sequence[tuple[UploadedFile, str]] = ()
) -> Message:
    inquiry = _locked(inquiry)
    if inquiry.applicant_id != actor.pk:
        raise ValidationError(_("Only the applicant can reply here."), code="not_applicant")
    if inquiry.status not in APPLICANT_MAY_REPLY:
        raise ValidationError(_("This request is finished; please send a new request."), code="finished")
    message = Message.objects.create(inquiry=inquiry, author=actor, kind=MessageKind.APPLICANT, body=body)
    audit_record(
        actor=actor,
        obj=inquiry,
        action="inquiries.inquiry.applicant_replied",
        data={"message": message.pk, "files": len(files)},
    )
    _save_attachments(inquiry=inquiry, message=message, uploader=actor, files=files, internal=False)
    if inquiry.status in (S.WAITING_FOR_APPLICANT, S.ANSWERED):
        # The applicant answered our question (or asks a follow-up): the clock runs again.
        _transition(inquiry, to=S.IN_PROGRESS, actor=actor, notify_applicant=False)
    else:
        _bump(inquiry, [])
    notify(
        inquiry=inquiry,
        kind=NotificationKind.APPLICANT_REPLIED,
        key=f"applicant_replied:{message.pk}",
        message=message,
    )
    return message


@transaction.atomic
def inquiry_withdraw(*, inquiry: Inquiry, actor: User, erasure: bool = False) -> Inquiry:
    """The applicant withdraws their request; or (``erasure``) their account is being erased and the
    secretariat, erasing it, withdraws what is open: the history then names the secretariat."""
    inquiry = _locked(inquiry)
    may = inquiry.applicant_id == actor.pk or (erasure and is_secretariat_account(actor))
    if not may:
        raise ValidationError(_("Only the applicant can withdraw a request."), code="not_applicant")
    if inquiry.status not in WITHDRAWABLE:
        raise ValidationError(_("This request is already finished."), code="finished")
    event = _transition(inquiry, to=S.WITHDRAWN, actor=actor, notify_applicant=False)
    if erasure:
        event.detail = str(_("The applicant's data was erased at their request."))[:300]
        event.save(update_fields=["detail"])
    # Whoever works on it should stop.
    notify(inquiry=inquiry, kind=NotificationKind.WITHDRAWN, key=f"withdrawn:{inquiry.pk}:{event.pk}")
    return inquiry


# --- The secretariat --------------------------------------------------------------------------


def _transition(
    inquiry: Inquiry, *, to: str, actor: User, message: Message | None = None, notify_applicant: bool = True
) -> Event:
    now = timezone.now()
    today = timezone.localdate(now)
    from_status = inquiry.status
    _clock_on_transition(inquiry, to, today)
    if from_status == S.SUBMITTED and inquiry.acknowledged_at is None:
        inquiry.acknowledged_at = now
        inquiry.working_days_to_acknowledge = summaries.working_days_to(inquiry, now)
    if to == S.ANSWERED and inquiry.answered_at is None:
        inquiry.answered_at = now
        inquiry.working_days_to_answer = summaries.working_days_to(inquiry, now)
    if to in (S.CLOSED, S.WITHDRAWN):
        inquiry.closed_at = now
    inquiry.status = to
    _bump(
        inquiry,
        [
            "status",
            "acknowledged_at",
            "working_days_to_acknowledge",
            "answered_at",
            "working_days_to_answer",
            "closed_at",
            "answer_due",
            "paused_on",
            "paused_working_days",
        ],
    )
    event = Event.objects.create(
        inquiry=inquiry,
        actor=actor,
        kind=EventKind.STATUS,
        from_status=from_status,
        to_status=to,
        is_public=True,
    )
    audit_record(
        actor=actor,
        obj=inquiry,
        action=f"inquiries.inquiry.{to}",
        data={"status": [from_status, to], "answer_due": inquiry.answer_due},
    )
    kind = _TRANSITION_NOTICES.get(S(to))
    if notify_applicant and kind:
        notify(inquiry=inquiry, kind=kind, key=f"{kind}:{inquiry.pk}:{event.pk}", message=message)
    return event


@transaction.atomic
def inquiry_transition(
    *, inquiry: Inquiry, to: str, actor: User, message: Message | None = None, version: int | None = None
) -> Inquiry:
    locked = _locked(inquiry)
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
def inquiry_assign(
    *, inquiry: Inquiry, assignee: User | None, actor: User, version: int | None = None
) -> Inquiry:
    locked = _locked(inquiry)
    check_version(locked, version)
    if assignee is not None and not assignee.is_staff:
        raise ValidationError(_("Requests can only be assigned to the secretariat."), code="assignee")
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    before = locked.assignee_id
    locked.assignee = assignee
    _bump(locked, ["assignee"])
    audit_record(
        actor=actor,
        obj=locked,
        action="inquiries.inquiry.assigned",
        data={"assignee": [before, assignee.pk if assignee else None]},
    )
    Event.objects.create(
        inquiry=locked,
        actor=actor,
        kind=EventKind.ASSIGNED,
        detail=(assignee.get_full_name() if assignee else str(_("unassigned")))[:300],
    )
    if locked.status == S.SUBMITTED:
        # Taking a request on is its acknowledgement.
        _transition(locked, to=S.IN_TRIAGE, actor=actor)
    return locked


@transaction.atomic
def inquiry_set_priority(
    *, inquiry: Inquiry, priority: int, actor: User, version: int | None = None
) -> Inquiry:
    locked = _locked(inquiry)
    check_version(locked, version)
    if int(priority) == locked.priority:
        return locked
    old = Priority(locked.priority).label
    before = locked.priority
    locked.priority = int(priority)
    _bump(locked, ["priority"])
    audit_record(
        actor=actor,
        obj=locked,
        action="inquiries.inquiry.priority_changed",
        data={"priority": [before, locked.priority]},
    )
    Event.objects.create(
        inquiry=locked,
        actor=actor,
        kind=EventKind.PRIORITY,
        detail=f"{old} → {Priority(locked.priority).label}",
    )
    return locked


@transaction.atomic
def message_post(
    *,
    inquiry: Inquiry,
    actor: User,
    body: str,
    internal: bool,
    files: Sequence[tuple[UploadedFile, str]] = (),
    notify_applicant: bool = True,
    version: int | None = None,
) -> Message:
    """A reply to the applicant (emailed) or an internal note (never shown or sent to them)."""
    locked = _locked(inquiry)
    check_version(locked, version)
    kind = MessageKind.INTERNAL if internal else MessageKind.REPLY
    message = Message(inquiry=locked, author=actor, kind=kind, body=body)
    message.full_clean()
    message.save()
    _save_attachments(inquiry=locked, message=message, uploader=actor, files=files, internal=internal)
    _bump(locked, [])
    audit_record(
        actor=actor,
        obj=locked,
        action="inquiries.inquiry.note_added" if internal else "inquiries.inquiry.replied",
        data={"message": message.pk, "files": len(files)},
    )
    if not internal and notify_applicant:
        notify(inquiry=locked, kind=NotificationKind.REPLY, key=f"reply:{message.pk}", message=message)
    return message


class _Keep:
    """The admin form left the assignee as it was."""


KEEP = _Keep()


@transaction.atomic
def secretariat_respond(
    *,
    inquiry: Inquiry,
    actor: User,
    version: int | None,
    assignee: User | None | _Keep = KEEP,
    priority: int | None = None,
    reply: str = "",
    reply_files: Sequence[tuple[UploadedFile, str]] = (),
    note: str = "",
    to_status: str = "",
) -> Inquiry:
    """What one save of the admin form does: assignee, priority, note, reply, status change, as one step.

    ``version`` is the one the form was opened at; it is checked here, under the row's lock, once
    for the whole step. A reply that goes with "waiting for applicant" or "answered" is sent once,
    in that email.
    """
    locked = _locked(inquiry)
    check_version(locked, version)
    if not isinstance(assignee, _Keep):
        inquiry_assign(inquiry=locked, assignee=assignee, actor=actor)
        locked.refresh_from_db()
    if priority is not None:
        inquiry_set_priority(inquiry=locked, priority=priority, actor=actor)
        locked.refresh_from_db()
    if to_status and to_status not in SECRETARIAT_TRANSITIONS[locked.status]:
        raise ValidationError(
            {
                "new_status": _("A request that is “%(from)s” cannot be moved to “%(to)s”.")
                % {"from": S(locked.status).label, "to": S(to_status).label}
            },
            code="transition",
        )
    if note:
        message_post(inquiry=locked, actor=actor, body=note, internal=True)
        locked.refresh_from_db()
    reply_message = None
    if reply:
        reply_message = message_post(
            inquiry=locked,
            actor=actor,
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
    *,
    inquiry: Inquiry,
    actor: User,
    partner: str,
    organisation=None,
    note: str = "",
    outcome: str = "",
    target: str = "",
) -> Referral:
    """``target`` names whom the applicant's history says the request went to, where the partner's
    label is too general (a directory entry's name for "a site in the directory")."""
    locked = _locked(inquiry)
    referral = Referral(
        inquiry=locked,
        partner=partner,
        organisation=organisation,
        note=note,
        outcome=outcome or ReferralOutcome.PENDING,
        referred_by=actor,
    )
    referral.full_clean()
    referral.save()
    summaries.referral_counted(before=None, after=referral)
    # The privacy notice promises that the applicant learns which organisation we referred to.
    Event.objects.create(
        inquiry=locked,
        actor=actor,
        kind=EventKind.REFERRED,
        detail=(target or str(referral))[:300],
        is_public=True,
    )
    audit_record(
        actor=actor,
        obj=locked,
        action="inquiries.inquiry.referred",
        data={
            "referral": referral.pk,
            "partner": partner,
            "organisation": organisation,
            "outcome": referral.outcome,
        },
    )
    if S.REFERRED in SECRETARIAT_TRANSITIONS[locked.status]:
        _transition(locked, to=S.REFERRED, actor=actor)
    else:
        _bump(locked, [])
    return referral


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, actor: User, outcome: str, outcome_note: str = ""
) -> Referral:
    _locked(referral.inquiry)
    before = Referral.objects.values("outcome", "outcome_note").get(pk=referral.pk)
    counted_before = Referral.objects.filter(pk=referral.pk).values_list("referred_at", "partner").get()
    referral.outcome = outcome
    referral.outcome_note = outcome_note
    referral.full_clean()
    referral.save(update_fields=["outcome", "outcome_note", "partner", "organisation", "note"])
    summaries.referral_counted(before=counted_before, after=referral)
    Event.objects.create(
        inquiry=referral.inquiry,
        actor=actor,
        kind=EventKind.REFERRAL_OUTCOME,
        detail=f"{referral}: {referral.get_outcome_display()}"[:300],
    )
    audit_record(
        actor=actor,
        obj=referral.inquiry,
        action="inquiries.inquiry.referral_outcome",
        data={
            "referral": referral.pk,
            "outcome": [before["outcome"], outcome],
            "outcome_note": [before["outcome_note"], outcome_note],
        },
    )
    return referral


# --- Privacy: erasure and retention (docs/privacy.md) ------------------------------------------

ERASED_TEXT = ""
ANONYMISE_BATCH = 2_000


def inquiry_markers(inquiries: QuerySet[Inquiry]) -> set[str]:
    """The applicant's own strings in these requests (copied into the record and the outbox)."""
    found: set[str] = set()
    for row in inquiries.values_list(
        "subject",
        "question",
        "already_contacted",
        "shareable_summary",
        "confidential_details",
        "organisation",
    ):
        found.update(value for value in row if value)
    found.update(
        Message.objects.filter(inquiry__in=inquiries, kind=MessageKind.APPLICANT).values_list(
            "body", flat=True
        )
    )
    found.update(Attachment.objects.filter(inquiry__in=inquiries).values_list("original_name", flat=True))
    return {value for value in found if value}


def inquiries_anonymise(
    *, inquiries: QuerySet[Inquiry], actor: User | None, now: datetime.datetime | None = None
) -> int:
    """Keep the request and drop the person: erasure and the retention rule share this.

    What stays: reference, dates, status, topic, ATMP class, stage, region, applicant type,
    priority, service-clock figures and referral partners and outcomes (the statistics and the
    dashboard count them). What goes: organisation, subject, free text, every message's text,
    referral notes, and every attachment (rows now, files from storage after commit). The
    record of changes keeps the fact of each change, with the request named by reference only.
    Call inside a transaction; in batches, so 20,000 due requests are a few dozen queries each.
    Safe to run twice: anonymised requests are skipped.
    """
    from audit.models import AuditEntry
    from audit.services import audit_scrub

    now = now or timezone.now()
    ids = list(inquiries.filter(anonymised_at__isnull=True).values_list("pk", flat=True))
    done = 0
    content_type = ContentType.objects.get_for_model(Inquiry)
    for start in range(0, len(ids), ANONYMISE_BATCH):
        batch = ids[start : start + ANONYMISE_BATCH]
        rows = Inquiry.objects.filter(pk__in=batch)
        own = _markers_by_inquiry(batch)
        files = list(Attachment.objects.filter(inquiry__in=batch).values_list("file", flat=True))
        Attachment.objects.filter(inquiry__in=batch).delete()
        Message.objects.filter(inquiry__in=batch).update(body=ERASED_TEXT)
        Referral.objects.filter(inquiry__in=batch).update(note="", outcome_note="")
        done += rows.update(
            organisation="",
            subject="",
            question=ERASED_TEXT,
            already_contacted="",
            shareable_summary="",
            confidential_details="",
            wished_answer_date=None,
            submission_key=None,
            anonymised_at=now,
            version=F("version") + 1,
        )
        audit_scrub(
            entries=AuditEntry.objects.filter(content_type=content_type, object_id__in=batch),
            markers=frozenset(),
            markers_by_object=own,
        )
        transaction.on_commit(partial(_delete_files, files))
    if done and actor is not None:
        logger.info("requests anonymised", extra={"count": done})
    return done


def _markers_by_inquiry(ids: list[int]) -> dict[int, frozenset[str]]:
    """Each request's own strings (its texts, the applicant's messages, file names), by request id."""
    found: dict[int, set[str]] = {pk: set() for pk in ids}
    for pk, *values in Inquiry.objects.filter(pk__in=ids).values_list(
        "pk",
        "subject",
        "question",
        "already_contacted",
        "shareable_summary",
        "confidential_details",
        "organisation",
    ):
        found[pk].update(values)
    for pk, body in Message.objects.filter(inquiry__in=ids, kind=MessageKind.APPLICANT).values_list(
        "inquiry", "body"
    ):
        found[pk].add(body)
    for pk, name in Attachment.objects.filter(inquiry__in=ids).values_list("inquiry", "original_name"):
        found[pk].add(name)
    return {pk: frozenset(m for m in values if m and len(m) >= 4) for pk, values in found.items()}


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
