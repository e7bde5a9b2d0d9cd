"""Every write to the directory: entries, their taxonomies, capabilities.

Keyword-only and typed; each validates, writes inside a transaction and records who did what
(``actor``; ``None`` for the reference and demo data loaders).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from audit.services import audit_record, changes, snapshot
from inquiries.clock import add_working_days, is_working_day
from inquiries.models import Inquiry
from network import emails
from network.models import (
    Capability,
    ChangeStatus,
    Entry,
    EntryAtmpClass,
    EntryChange,
    EntryReferral,
    EntryStage,
    InterestProfile,
    Invitation,
    Round,
    RoundStatus,
)

# The fields of an entry that a service sets directly (the taxonomies are rows of their own).
ENTRY_FIELDS = (
    "name",
    "name_language",
    "entry_type",
    "region",
    "parent",
    "description_da",
    "description_en",
    "contact_email",
    "contact_language",
    "website",
    "is_published",
)


# slugify drops what is not ASCII after decomposing it; æ, ø and å do not decompose.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(name.translate(_DANISH)) or "entry")[:80].strip("-") or "entry"
    candidate, n = base, 1
    taken = Entry.objects.exclude(pk=exclude_pk) if exclude_pk else Entry.objects.all()
    while taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _set_taxonomies(
    entry: Entry,
    *,
    capabilities: Iterable[Capability] | None,
    atmp_classes: Iterable[str] | None,
    stages: Iterable[str] | None,
) -> dict[str, tuple[list[str], list[str]]]:
    """Replace what is given (``None`` leaves it as it is); what changed, as (old, new) names."""
    changed: dict[str, tuple[list[str], list[str]]] = {}
    if capabilities is not None:
        wanted_capabilities = list(capabilities)
        wanted = {c.pk for c in wanted_capabilities}
        current_capabilities = list(entry.capabilities.all())
        if wanted != {c.pk for c in current_capabilities}:
            entry.capabilities.set(wanted)
            changed["capabilities"] = (
                sorted(c.code for c in current_capabilities),
                sorted(c.code for c in wanted_capabilities),
            )
    for rows, model, field, values, label in (
        (entry.atmp_class_rows, EntryAtmpClass, "atmp_class", atmp_classes, "atmp_classes"),
        (entry.stage_rows, EntryStage, "stage", stages, "stages"),
    ):
        if values is None:
            continue
        wanted_values = set(values)
        current = set(rows.values_list(field, flat=True))
        if wanted_values == current:
            continue
        rows.filter(**{f"{field}__in": current - wanted_values}).delete()
        for value in sorted(wanted_values - current):
            row = model(entry=entry, **{field: value})
            row.full_clean(exclude=["entry"])
            row.save()
        changed[label] = (sorted(current), sorted(wanted_values))
    return changed


def _refresh_search_text(entry: Entry) -> None:
    parts = [entry.name, entry.description_da, entry.description_en]
    parent = entry.parent
    if parent is not None:
        parts += [parent.name_da, parent.name_en, parent.abbreviation]
    for capability in entry.capabilities.all():
        parts += [capability.name_da, capability.name_en]
    text = " ".join(p for p in parts if p).lower()
    if text != entry.search_text:
        entry.search_text = text
        Entry.objects.filter(pk=entry.pk).update(search_text=text)


@transaction.atomic
def entry_create(
    *,
    actor: User | None,
    name: str,
    entry_type: str,
    region: str,
    capabilities: Iterable[Capability] = (),
    atmp_classes: Iterable[str] = (),
    stages: Iterable[str] = (),
    slug: str = "",
    **fields: Any,
) -> Entry:
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_create() got unexpected fields: {sorted(unknown)}")
    entry = Entry(name=name, entry_type=entry_type, region=region, **fields)
    entry.slug = slug or _unique_slug(name)
    entry.full_clean()
    entry.save()
    _set_taxonomies(entry, capabilities=capabilities, atmp_classes=atmp_classes, stages=stages)
    _refresh_search_text(entry)
    audit_record(
        actor=actor, obj=entry, action="network.entry.created", data={"name": name, "region": region}
    )
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    actor: User | None,
    capabilities: Iterable[Capability] | None = None,
    atmp_classes: Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
    **fields: Any,
) -> Entry:
    """Change what is given; the history names the fields that changed."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update() got unexpected fields: {sorted(unknown)}")
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    before = snapshot(locked, changed)
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
    data: dict[str, Any] = changes(before, locked)
    for name, (old, new) in _set_taxonomies(
        locked, capabilities=capabilities, atmp_classes=atmp_classes, stages=stages
    ).items():
        data[name] = [old, new]
    if data:
        _refresh_search_text(locked)
        audit_record(actor=actor, obj=locked, action="network.entry.updated", data=data)
    return locked


@transaction.atomic
def capability_save(*, actor: User | None, capability: Capability) -> Capability:
    """Create or change one item of the taxonomy (the admin's form fills ``capability``)."""
    if not capability.code:
        capability.code = slugify(capability.name_en or capability.name_da)[:60]
    created = capability.pk is None
    capability.full_clean()
    capability.save()
    audit_record(
        actor=actor,
        obj=capability,
        action=f"network.capability.{'created' if created else 'updated'}",
        data={"name_da": capability.name_da, "name_en": capability.name_en, "active": capability.is_active},
    )
    # Its name is part of the entries' search text.
    for entry in capability.entries.select_related("parent").prefetch_related("capabilities"):
        _refresh_search_text(entry)
    return capability


@transaction.atomic
def entry_confirm(
    *, entry: Entry, actor: User | None, on: datetime.date | None = None, detail: str = ""
) -> Entry:
    """The entry is true as it stands (confirmed by its contact, or by the secretariat for them)."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    locked.last_confirmed = on or timezone.localdate()
    locked.save(update_fields=["last_confirmed", "updated_at"])
    audit_record(
        actor=actor,
        obj=locked,
        action="network.entry.confirmed",
        data={"last_confirmed": locked.last_confirmed, **({"how": detail} if detail else {})},
    )
    return locked


# --- Keeping entries true: the contact's answers, the secretariat's approval --------------------

# What a contact may correct through their link (the secretariat keeps the rest).
CONTACT_FIELDS = (
    "name",
    "entry_type",
    "region",
    "description_da",
    "description_en",
    "contact_email",
    "website",
)


class LinkAlreadyUsed(ValidationError):
    """The contact's link was used (or rotated) between opening the form and sending it."""


def entry_as_proposal(entry: Entry) -> dict:
    """The entry in the shape of ``EntryChange.proposed``: what a correction is compared with."""
    return {
        **{name: getattr(entry, name) for name in CONTACT_FIELDS},
        "capabilities": sorted(entry.capabilities.values_list("code", flat=True)),
        "atmp_classes": sorted(entry.atmp_class_rows.values_list("atmp_class", flat=True)),
        "stages": sorted(entry.stage_rows.values_list("stage", flat=True)),
    }


def _lock_for_link(entry: Entry, link_version: int) -> Entry:
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    if locked.link_version != link_version:
        raise LinkAlreadyUsed(
            _("This link has already been used, or a newer one has been sent."), code="link_used"
        )
    return locked


def _spend_link(entry: Entry) -> None:
    entry.link_version += 1
    entry.save(update_fields=["link_version", "updated_at"])


@transaction.atomic
def entry_confirm_by_contact(*, entry: Entry, link_version: int) -> Entry:
    """The contact says the entry is right as it stands; their link is used up."""
    locked = _lock_for_link(entry, link_version)
    _spend_link(locked)
    return entry_confirm(entry=locked, actor=None, detail=str(_("by its contact, through their link")))


@transaction.atomic
def entry_change_propose(
    *, entry: Entry, link_version: int, proposed: dict, note: str = ""
) -> EntryChange | None:
    """A correction from the contact: it waits for the secretariat (``None`` if nothing changed,
    which counts as a confirmation). A correction already waiting is replaced by this one."""
    locked = _lock_for_link(entry, link_version)
    proposed = {
        **{name: proposed[name] for name in CONTACT_FIELDS},
        **{name: sorted(proposed[name]) for name in ("capabilities", "atmp_classes", "stages")},
    }
    if proposed == entry_as_proposal(locked) and not note.strip():
        _spend_link(locked)
        entry_confirm(entry=locked, actor=None, detail=str(_("by its contact, through their link")))
        return None
    locked.changes.filter(status=ChangeStatus.PENDING).update(status=ChangeStatus.SUPERSEDED)
    change = EntryChange(entry=locked, proposed=proposed, note=note.strip())
    change.full_clean()
    change.save()
    _spend_link(locked)
    audit_record(actor=None, obj=change, action="network.entrychange.proposed", data={"proposed": proposed})
    return change


def _decidable(change: EntryChange) -> EntryChange:
    locked = EntryChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeStatus.PENDING:
        raise ValidationError(
            _("This correction was already dealt with (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


@transaction.atomic
def entry_change_approve(*, change: EntryChange, actor: User) -> Entry:
    """The correction becomes the entry, and the entry counts as confirmed on the day it was sent."""
    locked = _decidable(change)
    proposed = locked.proposed
    capabilities = list(Capability.objects.filter(code__in=proposed["capabilities"]))
    entry = entry_update(
        entry=locked.entry,
        actor=actor,
        capabilities=capabilities,
        atmp_classes=proposed["atmp_classes"],
        stages=proposed["stages"],
        **{name: proposed[name] for name in CONTACT_FIELDS},
    )
    locked.status = ChangeStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, obj=locked, action="network.entrychange.approved")
    return entry_confirm(entry=entry, actor=actor, on=timezone.localdate(locked.submitted_at))


@transaction.atomic
def entry_change_reject(*, change: EntryChange, actor: User, reason: str = "") -> EntryChange:
    locked = _decidable(change)
    locked.status = ChangeStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = reason
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        actor=actor, obj=locked, action="network.entrychange.rejected", data={"decision_note": reason}
    )
    return locked


@transaction.atomic
def entry_links_rotate(*, entry: Entry, actor: User) -> Entry:
    """Every personal link sent for this entry stops working (a contact left, a link leaked)."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    _spend_link(locked)
    audit_record(actor=actor, obj=locked, action="network.entry.links_rotated")
    return locked


# --- Feasibility rounds ------------------------------------------------------------------------------


def _inquiry_event(inquiry, *, actor: User | None, detail: str, public: bool) -> None:
    from inquiries.models import Event, EventKind

    Event.objects.create(
        inquiry=inquiry, actor=actor, kind=EventKind.FEASIBILITY, detail=detail[:300], is_public=public
    )


@transaction.atomic
def round_start(
    *,
    inquiry: Inquiry,
    actor: User,
    synopsis: str,
    entries: Sequence[Entry],
    reasons: Mapping[int, str] | None = None,
    atmp_class: str = "",
    stage: str = "",
    capabilities: Iterable[Capability] = (),
    regions: Sequence[str] = (),
    working_days: int | None = None,
) -> Round:
    """The secretariat asks ``entries`` about ``inquiry``; answers are due in working days.

    Only ``synopsis`` reaches the sites: it must not repeat the request's confidential part.
    """
    synopsis = synopsis.strip()
    if not synopsis:
        raise ValidationError({"synopsis": _("Write the synopsis the sites will read.")}, code="synopsis")
    confidential = inquiry.confidential_details.strip()
    if confidential and (confidential in synopsis or synopsis in confidential):
        raise ValidationError(
            {
                "synopsis": _(
                    "The synopsis repeats the confidential part of the request. That part is never sent."
                )
            },
            code="confidential",
        )
    chosen = [e for e in entries if e.contact_email]
    if not chosen:
        raise ValidationError(_("Choose at least one site with a contact email."), code="no_sites")
    today = timezone.localdate()
    days = working_days or settings.NETWORK_ROUND_WORKING_DAYS
    feasibility = Round(
        inquiry=inquiry,
        synopsis=synopsis,
        atmp_class=atmp_class,
        stage=stage,
        regions=list(regions),
        started_by=actor,
        deadline=add_working_days(today, days),
    )
    feasibility.full_clean()
    feasibility.save()
    feasibility.capabilities.set(list(capabilities))
    reasons = reasons or {}
    for entry in chosen:
        invitation = Invitation.objects.create(
            round=feasibility,
            entry=entry,
            reason=reasons.get(entry.pk, "")[:500],
            email=entry.contact_email,
            language=entry.contact_language,
        )
        # In this transaction: the round and its emails commit together or not at all.
        emails.invitation_email_queue(invitation)
    _inquiry_event(
        inquiry,
        actor=actor,
        detail=str(
            ngettext(
                "Feasibility round started: %(count)d site asked, answers due %(date)s",
                "Feasibility round started: %(count)d sites asked, answers due %(date)s",
                len(chosen),
            )
            % {"count": len(chosen), "date": date_format(feasibility.deadline, "DATE_FORMAT")}
        ),
        public=True,
    )
    audit_record(
        actor=actor,
        obj=feasibility,
        action="network.round.started",
        data={
            "inquiry": inquiry.reference,
            "sites": [e.pk for e in chosen],
            "deadline": feasibility.deadline,
        },
    )
    return feasibility


@transaction.atomic
def round_answer(
    *,
    invitation: Invitation,
    link_version: int,
    answer: str,
    capacity: str = "",
    time_frame: str = "",
    contact_person: str = "",
    comments: str = "",
    consent_to_share: bool = False,
) -> Invitation:
    """A site answers (or changes its answer) through its link; after the deadline it is late."""
    locked = (
        Invitation.objects.select_for_update().select_related("round__inquiry", "entry").get(pk=invitation.pk)
    )
    if locked.link_version != link_version:
        raise LinkAlreadyUsed(_("This link has been replaced by a newer one."), code="link_used")
    if locked.released_at is not None:
        raise ValidationError(
            _(
                "This answer has already been shared with the applicant. "
                "Write to the secretariat to change it."
            ),
            code="released",
        )
    first = locked.answered_at is None
    now = timezone.now()
    locked.answer = answer
    locked.capacity = capacity
    locked.time_frame = time_frame
    locked.contact_person = contact_person
    locked.comments = comments
    locked.consent_to_share = consent_to_share
    locked.answered_at = now
    locked.is_late = (
        locked.round.status != RoundStatus.OPEN or timezone.localdate(now) > locked.round.deadline
    )
    locked.full_clean()
    locked.save()
    _inquiry_event(
        locked.round.inquiry,
        actor=None,
        detail=f"{locked.entry.name}: {locked.get_answer_display()}"
        + (f" ({_('late')})" if locked.is_late else "")
        + ("" if first else f" ({_('changed')})"),
        public=False,  # the applicant sees answers only once released, and only with consent
    )
    audit_record(
        actor=None,
        obj=locked,
        action="network.invitation.answered",
        data={"answer": answer, "late": locked.is_late, "consent": consent_to_share},
    )
    return locked


def _working_day_before(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def round_reminders_queue(*, today: datetime.date | None = None) -> int:
    """One reminder, one working day before the deadline, to each site that has not answered.

    Each reminder is claimed with a conditional UPDATE of ``reminded_at`` and has its own outbox
    key, so overlapping scans, retries and restarted workers never send a site a second one.
    A site invited on the reminder day itself is not reminded.
    """
    today = today or timezone.localdate()
    queued = 0
    for feasibility in Round.objects.filter(status=RoundStatus.OPEN, deadline__gte=today).only(
        "pk", "deadline"
    ):
        remind_on = _working_day_before(feasibility.deadline)
        if today < remind_on:
            continue
        waiting = Invitation.objects.filter(
            round_id=feasibility.pk, answer="", reminded_at__isnull=True, invited_at__date__lt=remind_on
        ).values_list("pk", flat=True)
        for invitation_id in list(waiting):
            with transaction.atomic():
                claimed = Invitation.objects.filter(
                    pk=invitation_id, answer="", reminded_at__isnull=True
                ).update(reminded_at=timezone.now())
                if claimed:
                    emails.reminder_email_queue(
                        Invitation.objects.select_related("round", "entry").get(pk=invitation_id)
                    )
                    queued += 1
    return queued


def confirmation_requests_queue(*, today: datetime.date | None = None) -> int:
    """The yearly "please confirm or correct your entry" email, to each entry that is due.

    Due: published, with a contact, last confirmed (or created) NETWORK_CONFIRM_EVERY_DAYS ago or
    more, and not asked within that time. The request is claimed on ``confirmation_requested_on``.
    """
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.NETWORK_CONFIRM_EVERY_DAYS)
    not_asked = Q(confirmation_requested_on__isnull=True) | Q(confirmation_requested_on__lte=cutoff)
    due = (
        Entry.objects.filter(is_published=True)
        .exclude(contact_email="")
        .filter(Q(last_confirmed__lte=cutoff) | Q(last_confirmed__isnull=True, created_at__date__lte=cutoff))
        .filter(not_asked)
        .values_list("pk", flat=True)
    )
    queued = 0
    for entry_id in list(due):
        with transaction.atomic():
            if Entry.objects.filter(not_asked, pk=entry_id).update(confirmation_requested_on=today):
                emails.confirmation_email_queue(Entry.objects.get(pk=entry_id), on=today)
                queued += 1
    return queued


def rounds_due(today: datetime.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(
        Round.objects.filter(status=RoundStatus.OPEN, deadline__lt=today).values_list("pk", flat=True)
    )


@transaction.atomic
def round_close(*, round_id: int, actor: User | None = None) -> bool:
    """Close a round whose deadline has passed; False if it was closed already (safe to repeat).

    The conditional UPDATE is the claim: of two workers, one closes and records it.
    """
    today = timezone.localdate()
    claimed = Round.objects.filter(pk=round_id, status=RoundStatus.OPEN, deadline__lt=today).update(
        status=RoundStatus.CLOSED, closed_at=timezone.now()
    )
    if not claimed:
        return False
    feasibility = Round.objects.select_related("inquiry").get(pk=round_id)
    answered = feasibility.invitations.exclude(answer="").count()
    total = feasibility.invitations.count()
    _inquiry_event(
        feasibility.inquiry,
        actor=actor,
        detail=str(
            _("Feasibility round closed at the deadline: %(answered)d of %(total)d sites answered")
            % {"answered": answered, "total": total}
        ),
        public=False,
    )
    audit_record(actor=actor, obj=feasibility, action="network.round.closed", data={"answered": answered})
    return True


@transaction.atomic
def round_release(*, round: Round, actor: User) -> int:
    """Share the answers whose sites consented with the applicant; the rest are never shown."""
    locked = Round.objects.select_for_update().select_related("inquiry").get(pk=round.pk)
    if locked.status == RoundStatus.OPEN:
        raise ValidationError(
            _("Answers are released after the deadline, once the round has closed."), code="open"
        )
    now = timezone.now()
    released = (
        locked.invitations.filter(consent_to_share=True, released_at__isnull=True)
        .exclude(answer="")
        .update(released_at=now)
    )
    if locked.status != RoundStatus.RELEASED:
        locked.status = RoundStatus.RELEASED
        locked.released_at = now
        locked.save(update_fields=["status", "released_at"])
    if released:
        _inquiry_event(
            locked.inquiry,
            actor=actor,
            detail=ngettext(
                "The answer from %(count)d site shared with you",
                "Answers from %(count)d sites shared with you",
                released,
            )
            % {"count": released},
            public=True,
        )
    audit_record(actor=actor, obj=locked, action="network.round.released", data={"released": released})
    return released


@transaction.atomic
def interest_save(*, actor: User | None, interest: InterestProfile) -> InterestProfile:
    """A standing interest of an entry (made or changed in the entry's admin page).

    Recorded against the entry: an interest is part of it, and a removed one leaves no row of
    its own to hang a record on.
    """
    created = interest.pk is None
    before = "" if created else str(InterestProfile.objects.select_related("capability").get(pk=interest.pk))
    interest.full_clean()
    interest.save()
    audit_record(
        actor=actor,
        obj=interest.entry,
        action="network.entry.interest_added" if created else "network.entry.interest_changed",
        data={"interest": [before, str(interest)]} if before else {"interest": str(interest)},
    )
    return interest


@transaction.atomic
def interest_delete(*, actor: User | None, interest: InterestProfile) -> None:
    audit_record(
        actor=actor,
        obj=interest.entry,
        action="network.entry.interest_removed",
        data={"interest": str(interest)},
    )
    interest.delete()


# --- Referrals to directory entries --------------------------------------------------------------


@transaction.atomic
def entry_refer(*, inquiry: Inquiry, entry: Entry, actor: User, note: str = "") -> EntryReferral:
    """Refer ``inquiry`` to ``entry``: the request's own referral (its history tells the applicant
    the entry's name), pointed at the entry. ``note`` is what was passed on to the site; the
    applicant sees it on the request page, so it must not repeat the confidential part."""
    from inquiries import services as inquiry_services
    from inquiries.models import Partner

    if not entry.is_published:
        raise ValidationError({"entry": _("Refer only to a published entry.")}, code="unpublished")
    if EntryReferral.objects.filter(referral__inquiry=inquiry, entry=entry).exists():
        raise ValidationError(
            {"entry": _("This request has already been referred to this entry.")}, code="twice"
        )
    note = note.strip()
    confidential = inquiry.confidential_details.strip()
    if note and confidential and (confidential in note or note in confidential):
        raise ValidationError(
            {
                "note": _(
                    "The text repeats the confidential part of the request. The applicant and the site "
                    "see what you write here; the confidential part is never passed on."
                )
            },
            code="confidential",
        )
    referral = inquiry_services.referral_create(
        inquiry=inquiry,
        actor=actor,
        partner=Partner.DIRECTORY,
        organisation=entry.parent,
        note=note,
        target=entry.name,
    )
    link = EntryReferral(referral=referral, entry=entry)
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        obj=link,
        action="network.entryreferral.created",
        data={"inquiry": inquiry.reference, "entry": entry, "note": note},
    )
    return link


@transaction.atomic
def entry_referral_record_outcome(
    *, link: EntryReferral, actor: User, outcome: str, outcome_note: str = ""
) -> EntryReferral:
    """What came of a referral to an entry; the request's history records it too."""
    from inquiries import services as inquiry_services

    referral = link.referral
    before = (referral.outcome, referral.outcome_note)
    inquiry_services.referral_record_outcome(
        referral=referral, actor=actor, outcome=outcome, outcome_note=outcome_note
    )
    data = {
        name: [old, new]
        for name, old, new in (("outcome", before[0], outcome), ("outcome_note", before[1], outcome_note))
        if old != new
    }
    if data:
        audit_record(actor=actor, obj=link, action="network.entryreferral.outcome_recorded", data=data)
    return link
