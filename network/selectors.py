"""Reads that the directory's pages share, scoped to who asks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_secretariat
from audit.models import AuditEntry
from inquiries.directory import DirectoryReferral
from inquiries.feasibility import ReleasedAnswer
from inquiries.models import DevelopmentStage
from network.models import (
    SERVED_ATMP_CLASSES,
    Capability,
    Entry,
    EntryChange,
    EntryReferral,
    InterestProfile,
    Invitation,
    Round,
)


def sees_unpublished(user) -> bool:
    """The secretariat sees entries it has not published (yet), marked as such.

    The secretariat role exists only with a second factor (ARCHITECTURE.md): a staff user who
    has not set one up sees the public directory like anyone else.
    """
    return is_secretariat(user) and is_mfa_enabled(user)


def entries_visible_to(user) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if not sees_unpublished(user):
        entries = entries.filter(is_published=True)
    return entries


def directory_page_entries(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    """What one card of the list shows: two prefetches, however many entries the page has."""
    return queryset.select_related("parent").prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.order_by("position", "name_en")),
        "atmp_class_rows",
    )


def entry_for(user, slug: str) -> Entry:
    """Look up *and* check: an unpublished entry is a 404 for everyone but the secretariat."""
    try:
        return (
            entries_visible_to(user)
            .select_related("parent")
            .prefetch_related(
                Prefetch("capabilities", queryset=Capability.objects.order_by("position", "name_en")),
                "atmp_class_rows",
                "stage_rows",
            )
            .get(slug=slug)
        )
    except Entry.DoesNotExist:
        raise Http404("No such directory entry") from None


def overdue_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Entries last confirmed before this day are overdue (``Entry.confirmation_overdue_since``)."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(
        days=settings.NETWORK_CONFIRM_EVERY_DAYS + settings.NETWORK_CONFIRM_GRACE_DAYS
    )


def entries_not_confirmed(today: datetime.date | None = None) -> QuerySet[Entry]:
    """Published entries not confirmed in time (never confirmed: counted from their creation)."""
    cutoff = overdue_cutoff(today)
    return Entry.objects.filter(is_published=True).filter(
        Q(last_confirmed__lt=cutoff) | Q(last_confirmed__isnull=True, created_at__date__lt=cutoff)
    )


def region_counts(queryset: QuerySet[Entry]) -> dict[str, int]:
    """Entries per region in one grouped query."""
    rows = queryset.order_by().values("region").annotate(n=Count("pk"))
    return {row["region"]: row["n"] for row in rows}


def active_capabilities() -> QuerySet[Capability]:
    return Capability.objects.filter(is_active=True).order_by("position", "name_en")


# --- Feasibility rounds ------------------------------------------------------------------------------


@dataclass
class Match:
    """An entry a round proposes, and why, in words the secretariat can check."""

    entry: Entry
    reasons: list[str]
    by_interest: bool
    capability_hits: int

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def round_matches(
    *, capability_ids: Iterable[int] = (), atmp_class: str = "", stage: str = "", regions: Iterable[str] = ()
) -> list[Match]:
    """Entries to ask: those whose standing interest fits first, then by capabilities in common.

    An entry qualifies by a standing interest that fits the criteria, or (with capabilities asked
    for) by having at least one of them, or (without) by serving the ATMP class. Only published
    entries with a contact email can be asked. Five queries, however many entries there are.
    """
    wanted = set(capability_ids)
    entries = Entry.objects.filter(is_published=True).exclude(contact_email="")
    regions = list(regions)
    if regions:
        entries = entries.filter(region__in=regions)
    entries = entries.prefetch_related(
        Prefetch("capabilities", queryset=Capability.objects.order_by("position", "name_en")),
        "atmp_class_rows",
        "stage_rows",
        Prefetch("interests", queryset=InterestProfile.objects.select_related("capability")),
    ).order_by("name", "pk")
    class_label = dict(SERVED_ATMP_CLASSES).get(atmp_class, "")
    stage_label = DevelopmentStage(stage).label if stage in DevelopmentStage.values else ""
    matches = []
    for entry in entries:
        reasons: list[str] = []
        interests = [
            i
            for i in entry.interests.all()
            if i.matches(capability_ids=wanted, atmp_class=atmp_class, stage=stage)
        ]
        if interests:
            reasons.append(
                str(_("standing interest: %(what)s") % {"what": ", ".join(str(i) for i in interests)})
            )
        hits = [c for c in entry.capabilities.all() if c.pk in wanted]
        if hits:
            reasons.append(str(_("capabilities: %(names)s") % {"names": ", ".join(c.name for c in hits)}))
        serves_class = bool(atmp_class) and any(
            r.atmp_class == atmp_class for r in entry.atmp_class_rows.all()
        )
        serves_stage = bool(stage) and any(r.stage == stage for r in entry.stage_rows.all())
        qualifies = bool(interests) or (bool(hits) if wanted else serves_class)
        if not qualifies:
            continue
        if serves_class:
            reasons.append(str(_("serves %(what)s") % {"what": class_label}))
        if serves_stage:
            reasons.append(str(_("serves %(what)s") % {"what": stage_label}))
        matches.append(
            Match(entry=entry, reasons=reasons, by_interest=bool(interests), capability_hits=len(hits))
        )
    matches.sort(key=lambda m: (not m.by_interest, -m.capability_hits, m.entry.name))
    return matches


def released_answers(inquiry) -> list[ReleasedAnswer]:
    """The provider the request page asks (inquiries.feasibility): released answers only."""
    rows = (
        Invitation.objects.filter(round__inquiry=inquiry, released_at__isnull=False, consent_to_share=True)
        .select_related("entry")
        .order_by("entry__name", "pk")
    )
    return [
        ReleasedAnswer(
            site=row.entry.name,
            site_url=reverse("network:entry", args=[row.entry.slug]),
            answer=row.get_answer_display(),
            capacity=row.capacity,
            time_frame=row.time_frame,
            contact_person=row.contact_person,
            contact_email=row.entry.contact_email,
            comments=row.comments,
            answered_on=timezone.localdate(row.answered_at) if row.answered_at else timezone.localdate(),
            late=row.is_late,
            site_language=row.entry.name_language,
        )
        for row in rows
    ]


def invitations_of(feasibility: Round) -> QuerySet[Invitation]:
    """The collated answers, side by side, for the secretariat."""
    return feasibility.invitations.select_related("entry").order_by("entry__name", "pk")


def directory_referrals(inquiry) -> list[DirectoryReferral]:
    """The provider the request page asks (inquiries.directory): the entries it was referred to.

    The applicant sees the entry as the public directory shows it, even once unpublished: it is
    where their request went.
    """
    rows = (
        EntryReferral.objects.filter(referral__inquiry=inquiry)
        .select_related("entry", "referral")
        .order_by("referral__referred_at", "pk")
    )
    return [
        DirectoryReferral(
            site=row.entry.name,
            site_language=row.entry.name_language,
            site_url=reverse("network:entry", args=[row.entry.slug]) if row.entry.is_published else "",
            contact_email=row.entry.contact_email,
            website=row.entry.website,
            shared=row.referral.note,
            referred_on=timezone.localdate(row.referral.referred_at),
        )
        for row in rows
    ]


# --- What the secretariat sees of one entry --------------------------------------------------------

# How many of an entry's invitations and referrals its admin page lists (newest first).
ENTRY_ACTIVITY_SHOWN = 50


def entry_history(entry_id: int) -> QuerySet[AuditEntry]:
    """An entry's lines of the one record: its own, and those of its corrections and referrals
    (rows of their own, recorded against themselves). One query with two sub-selects."""
    types = ContentType.objects.get_for_models(Entry, EntryChange, EntryReferral, for_concrete_models=False)
    return AuditEntry.objects.filter(
        Q(content_type=types[Entry], object_id=entry_id)
        | Q(
            content_type=types[EntryChange],
            object_id__in=EntryChange.objects.filter(entry_id=entry_id).values("pk"),
        )
        | Q(
            content_type=types[EntryReferral],
            object_id__in=EntryReferral.objects.filter(entry_id=entry_id).values("pk"),
        )
    )


def entry_invitations(entry: Entry) -> tuple[list[Invitation], int]:
    """The entry's latest invitations with their rounds and requests, and how many there are."""
    rows = (
        Invitation.objects.filter(entry=entry)
        .select_related("round__inquiry")
        .order_by("-round__started_at", "-pk")
    )
    return list(rows[:ENTRY_ACTIVITY_SHOWN]), rows.count()


def entry_referrals(entry: Entry) -> tuple[list[EntryReferral], int]:
    """The requests referred to the entry, latest first, with their outcomes, and how many."""
    rows = (
        EntryReferral.objects.filter(entry=entry)
        .select_related("referral__inquiry")
        .order_by("-referral__referred_at", "-pk")
    )
    return list(rows[:ENTRY_ACTIVITY_SHOWN]), rows.count()
