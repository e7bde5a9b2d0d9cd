"""What the directory holds about a person: contact addresses, feasibility answers, corrections."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from network.models import Entry, EntryChange, Invitation
from privacy.registry import Exported, PersonalDataSource, Subject, register_source

ERASED_EMAIL = "erased@erased.invalid"


def _entries(subject: Subject) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(contact_email__iexact=subject.email) if subject.email else Entry.objects.none()
    )


def _invitations(subject: Subject) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(email__iexact=subject.email) if subject.email else Invitation.objects.none()
    )


def count(subject: Subject) -> int:
    return _entries(subject).count() + _invitations(subject).count()


def export(subject: Subject) -> Exported:
    entries = list(_entries(subject))
    return Exported(
        data={
            "directory_entries_you_are_contact_for": [
                {"name": e.name, "contact_email": e.contact_email} for e in entries
            ],
            "corrections_you_sent": [
                {"entry": c.entry.name, "sent_at": c.submitted_at, "status": c.status, "note": c.note}
                for c in EntryChange.objects.filter(entry__in=entries).select_related("entry")
            ],
            "feasibility_answers": [
                {
                    "site": i.entry.name,
                    "invited_at": i.invited_at,
                    "answer": i.answer,
                    "capacity": i.capacity,
                    "time_frame": i.time_frame,
                    "contact_person": i.contact_person,
                    "comments": i.comments,
                    "answered_at": i.answered_at,
                    "may_be_shared": i.consent_to_share,
                }
                for i in _invitations(subject).select_related("entry")
            ],
        }
    )


def markers(subject: Subject) -> set[str]:
    found = set(_invitations(subject).exclude(comments="").values_list("comments", flat=True))
    found |= set(
        EntryChange.objects.filter(entry__in=_entries(subject))
        .exclude(note="")
        .values_list("note", flat=True)
    )
    return found


def erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """The site's answer (interested or not) stays for the round; who wrote it and their words go.
    An entry stays in the directory without the contact address (the secretariat finds a new one)."""
    entries = list(_entries(subject).values_list("pk", flat=True))
    touched = 0
    for change in EntryChange.objects.filter(entry__in=entries):
        proposed = dict(change.proposed or {})
        if str(proposed.get("contact_email", "")).lower() == subject.email.lower():
            proposed["contact_email"] = ""
        touched += EntryChange.objects.filter(pk=change.pk).update(note="", proposed=proposed)
    touched += Entry.objects.filter(pk__in=entries).update(contact_email="")
    touched += _invitations(subject).update(
        email=ERASED_EMAIL, contact_person="", comments="", capacity="", time_frame=""
    )
    return touched


def register() -> None:
    register_source(
        PersonalDataSource(
            key="network.contacts",
            label=_(
                "The directory: entries you are the contact for, your answers to feasibility rounds, "
                "corrections you sent"
            ),
            count=count,
            export=export,
            erase=erase,
            markers=markers,
            note=_(
                "An entry stays in the directory without your address; a site's answer stays without your "
                "name and words."
            ),
            erase_order=30,
        )
    )
