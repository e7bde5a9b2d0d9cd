"""What is due: the secretariat's weekly digest and the notices to members, written to the outbox.

One scan (``due_scan``) on beat does all of it. Each email has a key that names its period, so
any number of runs, at once or in a row, make one email per period:

- ``governance:digest:<ISO year>-W<week>``: the digest, on the first run on or after
  ``DIGEST_WEEKDAY`` in that week (a week whose day was missed still gets its digest);
- ``governance:term-ending:<membership>:<end date>``: a term ends within ``TERM_ENDING_DAYS``
  (a term extended to a new end date is a new period);
- ``governance:action-overdue:<action item>:<due date>``: an open action item is past its date
  (a new due date is a new period).

The digest goes to a shared mailbox, so it carries counts, request references and names of
members and staff, never an applicant's text.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from governance.models import ActionItem, Body, Membership, Seat
from governance.selectors import seats_filled
from inquiries.models import CLOCK_RUNNING, Inquiry
from outbox.models import OutboundEmail
from outbox.services import email_queue
from projects.models import Milestone

T = TypeVar("T")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _admin(name: str, *args, query: str = "") -> str:
    return settings.SITE_URL + reverse(f"admin:{name}", args=args) + (f"?{query}" if query else "")


@dataclass
class AssigneeRequests:
    name: str
    overdue: list[str] = field(default_factory=list)  # references only
    soon: list[str] = field(default_factory=list)


@dataclass
class DigestEntry:
    text: str
    date: datetime.date | None = None
    url: str = ""  # the admin page of this entry


@dataclass
class DigestSection:
    """A section another app adds to the digest (a provider's answer); ``title`` may be lazy, it is
    rendered in the digest's language."""

    title: str | Promise
    entries: list[DigestEntry]
    link: str = ""  # the admin list of all of them


# Apps above governance add their own sections (``knowledge``: library items past their review
# date) by registering a provider in their ``AppConfig.ready()``; governance imports none of them.
DigestProvider = Callable[[datetime.date], "DigestSection | None"]
_digest_providers: list[DigestProvider] = []


def register_digest_provider(provider: DigestProvider) -> None:
    if provider not in _digest_providers:
        _digest_providers.append(provider)


def unregister_digest_provider(provider: DigestProvider) -> None:
    if provider in _digest_providers:
        _digest_providers.remove(provider)


@dataclass
class Digest:
    """Everything the secretariat should look at this week; counts and references only."""

    today: datetime.date
    requests: list[AssigneeRequests]
    vacant_seats: Sequence[Seat]
    terms_ending: list[Membership]
    actions_overdue: list[ActionItem]
    milestones_overdue: list[Milestone]
    sections: list[DigestSection] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.requests
            or self.vacant_seats
            or self.terms_ending
            or self.actions_overdue
            or self.milestones_overdue
            or self.sections
        )


def digest_collect(*, today: datetime.date) -> Digest:
    """Five queries, whatever the size of the portal, and what each registered provider reads."""
    soon = today + datetime.timedelta(days=settings.REQUESTS_SOON_DUE_DAYS)
    by_assignee: dict[int | None, AssigneeRequests] = {}
    running = (
        Inquiry.objects.filter(status__in=CLOCK_RUNNING, answer_due__lte=soon)
        .select_related("assignee")
        .only("reference", "answer_due", "assignee__full_name", "assignee__email")
        .order_by("answer_due", "reference")
    )
    for inquiry in running:
        name = str(inquiry.assignee) if inquiry.assignee else _("Unassigned")
        group = by_assignee.setdefault(inquiry.assignee_id, AssigneeRequests(name=name))
        (group.overdue if inquiry.answer_due < today else group.soon).append(inquiry.reference)
    active_bodies = Body.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    vacant = list(
        Seat.objects.filter(body__in=active_bodies)
        .annotate(filled=seats_filled(today))
        .filter(filled__lt=F("count"))
        .select_related("body", "organisation")
    )
    for seat in vacant:
        seat.vacant = seat.count - seat.filled  # type: ignore[attr-defined]
    return Digest(
        today=today,
        requests=sorted(by_assignee.values(), key=lambda group: group.name),
        vacant_seats=vacant,
        terms_ending=list(
            Membership.objects.ending_within(settings.TERM_ENDING_DAYS, today)
            .select_related("body")
            .order_by("end_date", "full_name")
        ),
        actions_overdue=list(
            ActionItem.objects.overdue(today).select_related("decision", "owner").order_by("due_date", "pk")
        ),
        milestones_overdue=list(
            Milestone.objects.overdue(today).select_related("project").order_by("due_date", "pk")
        ),
        sections=[
            section for provider in _digest_providers if (section := provider(today)) and section.entries
        ],
    )


def digest_key(today: datetime.date) -> str:
    year, week, _day = today.isocalendar()
    return f"governance:digest:{year}-W{week:02d}"


def _digest_queue(today: datetime.date) -> str | None:
    """The week's digest, once, on or after the digest weekday; always in Danish (a shared mailbox)."""
    key = digest_key(today)
    if (
        today.weekday() < WEEKDAYS.index(settings.DIGEST_WEEKDAY)
        or OutboundEmail.objects.filter(key=key).exists()
    ):
        return None
    digest = digest_collect(today=today)
    for milestone in digest.milestones_overdue:
        milestone.admin_url = _admin("projects_project_change", milestone.project_id)  # type: ignore[attr-defined]
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "digest": digest,
            "soon_days": settings.REQUESTS_SOON_DUE_DAYS,
            "term_days": settings.TERM_ENDING_DAYS,
            "links": {
                "overdue": _admin("inquiries_inquiry_changelist", query="clock=overdue"),
                "requests": _admin("inquiries_inquiry_changelist"),
                "seats": _admin("governance_seat_changelist", query="vacancy=vacant"),
                "terms": _admin("governance_membership_changelist", query="term=ending"),
                "actions": _admin("governance_actionitem_changelist", query="due=overdue"),
            },
            "week": key.rsplit(":", 1)[1],
        }
        subject = _("ATMP Danmark: what is due, week %(week)s") % {"week": today.isocalendar()[1]}
        text = render_to_string("governance/email/digest.txt", context)
        html = render_to_string("governance/email/digest.html", context)
    with transaction.atomic():
        email_queue(
            key=key,
            to=[str(settings.DIGEST_EMAIL)],
            subject=subject,
            text=text,
            html=html,
            language=settings.LANGUAGE_CODE,
            headers={"Auto-Submitted": "auto-generated"},
        )
    return key


def _member_notice_queue(key: str, membership: Membership, template: str, context: dict) -> None:
    language = membership.language
    with translation.override(language):
        context = {**context, "membership": membership, "contact_email": settings.CONTACT_EMAIL}
        subject = " ".join(render_to_string(f"governance/email/{template}_subject.txt", context).split())
        text = render_to_string(f"governance/email/{template}.txt", context)
        html = render_to_string(f"governance/email/{template}.html", context)
    with transaction.atomic():
        email_queue(
            key=key,
            to=[membership.contact_email],
            subject=subject,
            text=text,
            html=html,
            language=language,
            headers={"Auto-Submitted": "auto-generated"},
        )


def _new(keys: dict[str, T]) -> dict[str, T]:
    """The keys of ``keys`` that have no email yet (one query)."""
    sent = set(OutboundEmail.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    return {key: value for key, value in keys.items() if key not in sent}


def due_scan(*, today: datetime.date | None = None) -> list[str]:
    """Write every due digest and notice to the outbox (each once); return the keys this run wrote.

    When nothing is due it reads: is this week's digest written, which terms end soon, which
    action items are overdue, and which of their keys exist: a handful of queries.
    """
    today = today or timezone.localdate()
    written = []
    if (key := _digest_queue(today)) is not None:
        written.append(key)
    ending = (
        Membership.objects.ending_within(settings.TERM_ENDING_DAYS, today)
        .exclude(user__isnull=True, email="")
        .select_related("body", "user")
    )
    terms = {f"governance:term-ending:{m.pk}:{m.end_date.isoformat()}": m for m in ending}
    for key, membership in _new(terms).items():
        _member_notice_queue(key, membership, "term_ending", {"body": membership.body})
        written.append(key)
    overdue = (
        ActionItem.objects.overdue(today)
        .filter(owner__isnull=False)
        .exclude(owner__user__isnull=True, owner__email="")
        .select_related("owner__user", "owner__body", "decision")
    )
    actions = {f"governance:action-overdue:{a.pk}:{a.due_date.isoformat()}": a for a in overdue}
    for key, item in _new(actions).items():
        _member_notice_queue(key, item.owner, "action_overdue", {"item": item})
        written.append(key)
    return written
