"""What the requests hold about a person, for "My data", the export and erasure (docs/privacy.md).

Registered from ``InquiriesConfig.ready()``; ``privacy`` itself never imports this app.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from inquiries import services
from inquiries.models import FINISHED, PUBLIC_MESSAGE_KINDS, Inquiry, MessageKind
from privacy.registry import Exported, PersonalDataSource, RetentionRule, Subject


def _mine(subject: Subject) -> QuerySet[Inquiry]:
    if subject.user is None:
        return Inquiry.objects.none()
    return Inquiry.objects.filter(applicant=subject.user)


def count(subject: Subject) -> int:
    return _mine(subject).count()


def export(subject: Subject) -> Exported:
    """Each request with its public thread, public history, referrals and the person's own files."""
    requests = []
    files = []
    user = subject.user
    inquiries = _mine(subject).prefetch_related("messages", "events", "referrals", "attachments")
    for inquiry in inquiries.order_by("submitted_at"):
        own_files = [
            a
            for a in inquiry.attachments.all()
            if not a.is_internal and user is not None and a.uploaded_by_id == user.pk
        ]
        for attachment in own_files:
            if attachment.file:
                files.append(
                    (
                        f"requests/{inquiry.reference}/{attachment.uuid.hex[:8]}-{attachment.original_name}",
                        attachment.file,
                    )
                )
        requests.append(
            {
                "reference": inquiry.reference,
                "status": inquiry.status,
                "submitted_at": inquiry.submitted_at,
                "closed_at": inquiry.closed_at,
                "applicant_type": inquiry.applicant_type,
                "organisation": inquiry.organisation,
                "region": inquiry.region,
                "topic": inquiry.topic,
                "atmp_class": inquiry.atmp_class,
                "development_stage": inquiry.development_stage,
                "subject": inquiry.subject,
                "question": inquiry.question,
                "wished_answer_date": inquiry.wished_answer_date,
                "already_contacted": inquiry.already_contacted,
                "shareable_summary": inquiry.shareable_summary,
                "confidential_details": inquiry.confidential_details,
                "consent_given_at": inquiry.consent_given_at,
                "answer_due": inquiry.answer_due,
                "thread": [
                    {
                        "from": "you" if m.kind == MessageKind.APPLICANT else "secretariat",
                        "written_at": m.created_at,
                        "text": m.body,
                    }
                    for m in inquiry.messages.all()
                    if m.kind in PUBLIC_MESSAGE_KINDS
                ],
                "history": [
                    {"at": e.created_at, "event": e.kind, "from": e.from_status, "to": e.to_status}
                    for e in inquiry.events.all()
                    if e.is_public
                ],
                "referrals": [
                    {"partner": r.partner, "referred_at": r.referred_at, "outcome": r.outcome}
                    for r in inquiry.referrals.all()
                ],
                "your_attachments": [
                    {
                        "file": f"requests/{inquiry.reference}/{a.uuid.hex[:8]}-{a.original_name}",
                        "name": a.original_name,
                        "uploaded_at": a.created_at,
                        "size": a.size,
                    }
                    for a in own_files
                ],
            }
        )
    return Exported(data=requests, files=files)


def markers(subject: Subject) -> set[str]:
    return services.inquiry_markers(_mine(subject))


def before_delete(subject: Subject) -> list[str]:
    open_ones = list(
        _mine(subject).filter(status__in=services.WITHDRAWABLE).values_list("reference", flat=True)
    )
    if not open_ones:
        return []
    return [
        _("Your open requests are withdrawn first, and the secretariat stops working on them: %(refs)s.")
        % {"refs": ", ".join(open_ones)}
    ]


def erase(subject: Subject, *, actor, markers: frozenset[str]) -> int:
    """Withdraw what is open (by whoever erases: the person, or the secretariat for them), then
    anonymise every request of theirs."""
    for inquiry in _mine(subject).filter(status__in=services.WITHDRAWABLE):
        services.inquiry_withdraw(inquiry=inquiry, actor=actor, erasure=True)
    return services.inquiries_anonymise(inquiries=_mine(subject), actor=actor)


# --- Retention: closed and withdrawn requests, N years after closing ---------------------------


def _cutoff(now: datetime.datetime) -> datetime.datetime:
    years = settings.RETENTION_REQUESTS_YEARS
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due(now: datetime.datetime) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(status__in=FINISHED, closed_at__lt=_cutoff(now), anonymised_at__isnull=True)


def apply(queryset: QuerySet[Inquiry], *, now: datetime.datetime) -> int:
    return services.inquiries_anonymise(inquiries=queryset, actor=None, now=now)


def period():
    return ngettext_lazy(
        "%(n)d year after the request was closed or withdrawn",
        "%(n)d years after the request was closed or withdrawn",
        "n",
    ) % {"n": settings.RETENTION_REQUESTS_YEARS}


SOURCE = PersonalDataSource(
    key="inquiries.requests",
    label=gettext_lazy("Your requests, their public threads and history, and your attachments"),
    count=count,
    export=export,
    erase=erase,
    markers=markers,
    before_delete=before_delete,
    note=gettext_lazy(
        "When erased, a request keeps its reference, dates, status, topic, ATMP class and stage for the "
        "statistics; your name, organisation, texts and files are deleted."
    ),
    erase_order=10,
)

RULE = RetentionRule(
    key="inquiries.finished",
    label=gettext_lazy("Closed and withdrawn requests are anonymised"),
    period=period,
    due=due,
    apply=apply,
)


def register() -> None:
    from privacy.registry import register_retention, register_source

    register_source(SOURCE)
    register_retention(RULE)
