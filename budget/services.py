"""Every write to the ledger and to funding applications goes through here.

``ledger_post`` is the one way to add an entry (the admin, the demo data and the tests call it):
it checks the entry against the grant's allocation for the year and refuses what would take a
year's committed-plus-spent over the allocation unless a steering group decision is named.
``ledger_reverse`` is the one way to correct an entry. Both lock the grant's row, so two
secretaries posting at once are checked one after the other against the same balance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, snapshot
from budget import summaries
from budget.models import (
    ZERO,
    Allocation,
    ApplicationEvent,
    ApplicationStatus,
    CostCategory,
    EntryKind,
    FundingApplication,
    Grant,
    GrantHolder,
    LedgerEntry,
    kroner,
    validate_entry_year,
)
from budget.money import format_dkk

if TYPE_CHECKING:
    from accounts.models import User
    from governance.models import Decision
    from projects.models import Project

CENT = Decimal("0.01")


def _max_length(field_name: str) -> int:
    field = LedgerEntry._meta.get_field(field_name)
    assert isinstance(field, models.CharField) and field.max_length is not None, field_name
    return field.max_length


DESCRIPTION_MAX = _max_length("description")
VOUCHER_MAX = _max_length("voucher")


@dataclass(frozen=True)
class YearBalance:
    """One grant's year: allocated, open commitments, spent."""

    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.used

    @property
    def used_share(self) -> Decimal | None:
        return self.used / self.allocated if self.allocated else None


@dataclass(frozen=True)
class PostingResult:
    entry: LedgerEntry
    balance: YearBalance
    warning: str = ""


def year_balance(grant: Grant, year: int) -> YearBalance:
    allocated = (
        Allocation.objects.filter(grant=grant, year=year).values_list("amount", flat=True).first() or ZERO
    )
    sums = LedgerEntry.objects.filter(grant=grant, year=year).aggregate(
        committed=Coalesce(Sum("committed_effect"), ZERO), spent=Coalesce(Sum("spent_effect"), ZERO)
    )
    return YearBalance(allocated=allocated, committed=kroner(sums["committed"]), spent=kroner(sums["spent"]))


def commitment_open(commitment: LedgerEntry) -> Decimal:
    """What is still open on one commitment: its amount, less what was spent against or released from it.

    Reversals of the commitment itself and of the entries drawn on it count too.
    """
    touching = LedgerEntry.objects.filter(
        Q(pk=commitment.pk)
        | Q(commitment=commitment)
        | Q(reverses=commitment)
        | Q(reverses__commitment=commitment)
    )
    return kroner(touching.aggregate(total=Coalesce(Sum("committed_effect"), ZERO))["total"])


def _warning_threshold() -> Decimal:
    return Decimal(settings.BUDGET_WARNING_PERCENT) / 100


def _threshold_warning(grant: Grant, year: int, balance: YearBalance) -> str:
    share = balance.used_share
    if share is None or share < _warning_threshold():
        return ""
    return _(
        "%(grant)s %(year)s is now %(percent)s %% committed or spent: %(remaining)s left of %(allocated)s."
    ) % {
        "grant": grant,
        "year": year,
        "percent": int(share * 100),
        "remaining": format_dkk(balance.remaining),
        "allocated": format_dkk(balance.allocated),
    }


def _validate_decision(decision) -> None:
    from governance.models import validate_steering_decision

    validate_steering_decision(decision)


def _effects(kind: str, amount: Decimal, commitment: LedgerEntry | None) -> tuple[Decimal, Decimal]:
    if kind == EntryKind.COMMITMENT:
        return amount, ZERO
    if kind == EntryKind.EXPENSE:
        return (-amount if commitment is not None else ZERO), amount
    if kind == EntryKind.RELEASE:
        return amount, ZERO
    raise ValueError(kind)


def ledger_check(
    *,
    grant: Grant,
    year: int,
    kind: str,
    amount: Decimal,
    category: CostCategory | None,
    project: Project | None = None,
    decision: Decision | None = None,
    commitment: LedgerEntry | None = None,
) -> YearBalance:
    """Validate a posting without writing it; returns the year's balance as it would be after it.

    Raises ``ValidationError`` with a message per field, in the words the admin form shows.
    """
    errors: dict[str, str] = {}
    if not grant.is_managed:
        raise ValidationError(
            {
                "grant": _("%(grant)s is not managed in this ledger; nothing can be posted to it.")
                % {"grant": grant}
            }
        )
    if kind == EntryKind.REVERSAL:
        raise ValidationError(
            {"kind": _("Reverse an entry with the “Reverse” action on the ledger instead.")}
        )
    amount = Decimal(amount)
    if amount != amount.quantize(CENT):
        errors["amount"] = _("Give the amount in kroner with at most two decimals (øre).")
    if amount <= 0:
        errors["amount"] = _("Give the amount as a positive number of kroner.")
    validate_entry_year(grant, year)
    if kind == EntryKind.RELEASE and commitment is None:
        errors["commitment"] = _("Choose the commitment that is released.")
    if kind == EntryKind.COMMITMENT and commitment is not None:
        errors["commitment"] = _("A commitment does not draw on another commitment.")
    if errors:
        raise ValidationError(errors)
    if decision is not None:
        _validate_decision(decision)

    signed = -amount if kind == EntryKind.RELEASE else amount
    if commitment is not None:
        _check_commitment(
            commitment=commitment, grant=grant, year=year, category=category, project=project, amount=amount
        )

    committed_effect, spent_effect = _effects(kind, signed, commitment)
    before = year_balance(grant, year)
    after = YearBalance(
        allocated=before.allocated,
        committed=before.committed + committed_effect,
        spent=before.spent + spent_effect,
    )
    _refuse_overspend(grant=grant, year=year, before=before, after=after, decision=decision)
    return after


def _check_commitment(
    *,
    commitment: LedgerEntry,
    grant: Grant,
    year: int,
    category: CostCategory | None,
    project: Project | None,
    amount: Decimal,
) -> None:
    """An expense or release drawn on ``commitment`` must match it and stay within what is open on it."""
    if commitment.kind != EntryKind.COMMITMENT or commitment.is_reversed:
        raise ValidationError({"commitment": _("Choose a commitment that has not been reversed.")})
    mismatch = [
        label
        for label, same in (
            (_("grant"), commitment.grant_id == grant.pk),
            (_("year"), commitment.year == year),
            (_("cost category"), commitment.category_id == getattr(category, "pk", None)),
            (_("project"), commitment.project_id == getattr(project, "pk", None)),
        )
        if not same
    ]
    if mismatch:
        raise ValidationError(
            {
                "commitment": _("The commitment #%(number)s has another %(fields)s than this entry.")
                % {"number": commitment.pk, "fields": ", ".join(str(m) for m in mismatch)}
            }
        )
    still_open = commitment_open(commitment)
    if amount > still_open:
        raise ValidationError(
            {
                "amount": _(
                    "Only %(open)s is still open on commitment #%(number)s. Post the rest as an expense "
                    "without a commitment, or commit more first."
                )
                % {"open": format_dkk(still_open), "number": commitment.pk}
            }
        )


def _refuse_overspend(
    *, grant: Grant, year: int, before: YearBalance, after: YearBalance, decision: Decision | None
) -> None:
    """What takes a year's committed-plus-spent up and over its allocation needs a decision."""
    if after.used > before.used and after.used > after.allocated and decision is None:
        raise ValidationError(
            {
                "decision": _(
                    "This would take %(grant)s %(year)s %(over)s over its allocation of %(allocated)s; "
                    "name the steering group decision that approves the overspend."
                )
                % {
                    "grant": grant,
                    "year": year,
                    "allocated": format_dkk(after.allocated),
                    "over": format_dkk(after.used - after.allocated),
                }
            }
        )


@transaction.atomic
def ledger_post(
    *,
    grant: Grant,
    year: int,
    kind: str,
    amount: Decimal,
    category: CostCategory,
    description: str,
    actor: User,
    date: datetime.date | None = None,
    project: Project | None = None,
    decision: Decision | None = None,
    commitment: LedgerEntry | None = None,
    voucher: str = "",
) -> PostingResult:
    """Add one entry to the ledger; the only way entries other than reversals are written.

    ``amount`` is positive for every kind; a release is stored negative.
    """
    if not description.strip():
        raise ValidationError({"description": _("Say what the entry is for.")})
    if len(description.strip()) > DESCRIPTION_MAX:
        raise ValidationError(
            {"description": _("Keep the description to %(max)d characters.") % {"max": DESCRIPTION_MAX}}
        )
    if len(voucher.strip()) > VOUCHER_MAX:
        raise ValidationError(
            {"voucher": _("Keep the voucher reference to %(max)d characters.") % {"max": VOUCHER_MAX}}
        )
    # One posting per grant at a time: the balance checked is the balance written against.
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if commitment is not None:
        commitment = LedgerEntry.objects.select_related("reversed_by").get(pk=commitment.pk)
    after = ledger_check(
        grant=grant,
        year=year,
        kind=kind,
        amount=amount,
        category=category,
        project=project,
        decision=decision,
        commitment=commitment,
    )
    amount = Decimal(amount).quantize(CENT)
    signed = -amount if kind == EntryKind.RELEASE else amount
    committed_effect, spent_effect = _effects(kind, signed, commitment)
    entry = LedgerEntry(
        date=date or timezone.localdate(),
        year=year,
        grant=grant,
        category=category,
        project=project,
        decision=decision,
        kind=kind,
        amount=signed,
        committed_effect=committed_effect,
        spent_effect=spent_effect,
        commitment=commitment,
        voucher=voucher.strip(),
        description=description.strip(),
        posted_by=actor,
    )
    entry.save()
    audit_record(
        actor=actor,
        obj=entry,
        action=f"budget.ledger.{kind}_posted",
        data=snapshot(
            entry,
            [
                "date",
                "year",
                "grant",
                "category",
                "project",
                "decision",
                "amount",
                "commitment",
                "voucher",
                "description",
            ],
        ),
    )
    summaries.ledger_counted(entry)
    return PostingResult(entry=entry, balance=after, warning=_threshold_warning(grant, year, after))


@transaction.atomic
def ledger_reverse(
    *,
    entry: LedgerEntry,
    actor: User,
    reason: str,
    date: datetime.date | None = None,
    decision: Decision | None = None,
) -> PostingResult:
    """Correct ``entry`` by a new entry that negates it. An entry is reversed at most once.

    Reversing a release commits its money again; if that takes the year over its allocation
    (the room was used since), it needs a steering group ``decision``, as a posting would.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the entry is reversed.")})
    if decision is not None:
        _validate_decision(decision)
    Grant.objects.select_for_update().filter(pk=entry.grant_id).first()
    entry = LedgerEntry.objects.select_related("grant").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(
            _("Entry #%(number)s is itself a reversal; post the entry again instead.") % {"number": entry.pk}
        )
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Entry #%(number)s has already been reversed.") % {"number": entry.pk})
    if entry.kind == EntryKind.COMMITMENT:
        drawn = LedgerEntry.objects.filter(commitment=entry, reversed_by__isnull=True)
        if drawn.exists():
            numbers = ", ".join(f"#{pk}" for pk in drawn.values_list("pk", flat=True))
            raise ValidationError(
                _(
                    "Expenses or releases are booked against commitment #%(number)s (%(entries)s). "
                    "Reverse those first, or release what is left of the commitment."
                )
                % {"number": entry.pk, "entries": numbers}
            )
    before = year_balance(entry.grant, entry.year)
    after = YearBalance(
        allocated=before.allocated,
        committed=before.committed - entry.committed_effect,
        spent=before.spent - entry.spent_effect,
    )
    _refuse_overspend(grant=entry.grant, year=entry.year, before=before, after=after, decision=decision)
    reversal = LedgerEntry(
        date=date or timezone.localdate(),
        year=entry.year,
        grant=entry.grant,
        category_id=entry.category_id,
        project_id=entry.project_id,
        decision_id=decision.pk if decision is not None else entry.decision_id,
        kind=EntryKind.REVERSAL,
        amount=-entry.amount,
        committed_effect=-entry.committed_effect,
        spent_effect=-entry.spent_effect,
        reverses=entry,
        voucher=entry.voucher,
        description=(
            _("Reversal of #%(number)s: %(reason)s") % {"number": entry.pk, "reason": reason.strip()}
        )[:300],
        posted_by=actor,
    )
    reversal.save()
    audit_record(
        actor=actor,
        obj=entry,
        action="budget.ledger.reversed",
        data={"reversal": reversal.pk, "reason": reason.strip(), "amount": reversal.amount},
    )
    audit_record(
        actor=actor,
        obj=reversal,
        action="budget.ledger.reversal_posted",
        data={"reverses": entry.pk, "reason": reason.strip(), "amount": reversal.amount},
    )
    summaries.ledger_counted(reversal)
    after = year_balance(entry.grant, entry.year)
    return PostingResult(
        entry=reversal, balance=after, warning=_threshold_warning(entry.grant, entry.year, after)
    )


# --- Funding applications -------------------------------------------------------------------------


def _application_label(value: str) -> str:
    return str(ApplicationStatus(value).label)


@transaction.atomic
def application_create(*, actor: User | None, application: FundingApplication) -> FundingApplication:
    """Register a funding application (a draft, as the form says) with its first history line."""
    application.full_clean()
    application.save()
    ApplicationEvent.objects.create(application=application, by=actor, to_status=application.status)
    audit_record(
        actor=actor,
        obj=application,
        action="budget.application.created",
        data=snapshot(application, ["foundation", "title", "amount", "project", "deadline", "status"]),
    )
    return application


@transaction.atomic
def application_transition(
    *,
    application: FundingApplication,
    to_status: str,
    actor: User | None = None,
    decision: Decision | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> FundingApplication:
    """Move an application along its flow; clearing it for submission needs a steering group decision.

    Granting is ``application_grant``, which also creates the grant.
    """
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if to_status not in application.allowed_transitions():
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": _application_label(application.status), "target": _application_label(to_status)}
        )
    if to_status == ApplicationStatus.GRANTED:
        raise ValidationError(_("Record a grant with the amount and the years it covers."))
    if decision is not None:
        _validate_decision(decision)
        application.decision = decision
    if to_status == ApplicationStatus.APPROVED_FOR_SUBMISSION and application.decision_id is None:
        raise ValidationError(
            {"decision": _("Name the steering group decision that cleared the application for submission.")}
        )
    on = on or timezone.localdate()
    if to_status == ApplicationStatus.SUBMITTED:
        application.submitted_on = on
    if to_status == ApplicationStatus.DECLINED:
        application.answered_on = on
    ApplicationEvent.objects.create(
        application=application, by=actor, from_status=application.status, to_status=to_status, note=note
    )
    audit_record(
        actor=actor,
        obj=application,
        action=f"budget.application.{to_status}",
        data={
            "status": [application.status, to_status],
            "decision": application.decision_id,
            "note": note,
        },
    )
    application.status = to_status
    application.save()
    return application


@transaction.atomic
def application_grant(
    *,
    application: FundingApplication,
    allocations: dict[int, Decimal],
    actor: User | None = None,
    note: str = "",
    on: datetime.date | None = None,
) -> Grant:
    """The foundation said yes: the application becomes a grant with its yearly allocations."""
    application = FundingApplication.objects.select_for_update().get(pk=application.pk)
    if ApplicationStatus.GRANTED not in application.allowed_transitions():
        raise ValidationError(
            _("Only a submitted application can be granted; this one is “%(current)s”.")
            % {"current": _application_label(application.status)}
        )
    allocations = {int(year): Decimal(amount) for year, amount in allocations.items() if Decimal(amount) != 0}
    if not allocations:
        raise ValidationError({"allocations": _("Give the amount granted for at least one year.")})
    if any(amount < 0 or amount.quantize(CENT) != amount for amount in allocations.values()):
        raise ValidationError(
            {"allocations": _("Give each year's amount in kroner, not negative, at most two decimals.")}
        )
    if any(not 2000 <= year <= 2100 for year in allocations):
        raise ValidationError({"allocations": _("Give years between 2000 and 2100.")})
    total = sum(allocations.values(), ZERO)
    grant = Grant.objects.create(
        code=f"application-{application.pk}",
        name_da=application.title,
        name_en=application.title,
        source=application.foundation,
        holder=GrantHolder.AMGROS,
        is_managed=True,
        note=_("Granted on application #%(number)s.") % {"number": application.pk},
        position=100 + application.pk,
    )
    Allocation.objects.bulk_create(
        [Allocation(grant=grant, year=year, amount=amount) for year, amount in sorted(allocations.items())]
    )
    ApplicationEvent.objects.create(
        application=application,
        by=actor,
        from_status=application.status,
        to_status=ApplicationStatus.GRANTED,
        note=note,
    )
    application.status = ApplicationStatus.GRANTED
    application.amount_granted = total
    application.answered_on = on or timezone.localdate()
    application.grant = grant
    application.save()
    audit_record(
        actor=actor,
        obj=application,
        action="budget.application.granted",
        data={
            "status": [ApplicationStatus.SUBMITTED, ApplicationStatus.GRANTED],
            "grant": grant.pk,
            "allocations": allocations,
            "note": note,
        },
    )
    audit_record(actor=actor, obj=grant, action="budget.grant.created", data={"application": application.pk})
    return grant
