"""The DKK ledger of the Strategy for life science 2024–2027 (ToR §5), and funding applications.

* A ``Grant`` is money from one source held by one organisation, with its yearly ``Allocation``s.
  The Strategy's DKK 18.5 million to Amgros is managed here; the Danish Medicines Agency's
  DKK 7.0 million is shown for the whole picture but never posted to (``is_managed`` off).
* A ``LedgerEntry`` is append-only. Every entry carries its signed effect on the two balances
  the reports add up: the open commitment (``committed_effect``) and what is spent
  (``spent_effect``). The database checks that each kind has the right sign and effects, and
  on PostgreSQL a trigger refuses any UPDATE or DELETE (migration 0002). A mistake is put right
  by a reversal: a new entry, pointing at the original, that negates both effects.
* A ``FundingApplication`` to a foundation goes through the steering group before it is sent;
  one that is granted becomes a ``Grant``.

Posting goes through ``budget.services.ledger_post``/``ledger_reverse``; reports add up the effect
columns (``budget.reports``), so a report is always the sum of the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.language import in_language
from budget.money import format_dkk

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ZERO = Decimal("0.00")

# The value a field accepts and the value it gives back (django-stubs' Field[_ST, _GT]); the
# type checker fills them in (Decimal, or Decimal | None for null=True).
_ST = TypeVar("_ST")
_GT = TypeVar("_GT")


class MoneyField(models.DecimalField[_ST, _GT]):
    """An amount in DKK, to the øre: ``Decimal`` with 14 digits, 2 of them after the comma."""

    def __init__(
        self,
        verbose_name: StrOrPromise | None = None,
        *,
        max_digits: int = 14,
        decimal_places: int = 2,
        **kwargs: Any,
    ) -> None:
        super().__init__(verbose_name, max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        # Migrations keep seeing the plain DecimalField they were written with (digits and places
        # included), so they never import this module and the field adds no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def kroner(value) -> Decimal:
    """A sum of money from the database, to the øre (``None``, an empty sum, is zero).

    SQLite adds decimal columns as floats: 0.15 − 0.14 comes back as 0.00999999999999998.
    Rounding each sum to øre keeps the laptop set-up exact; PostgreSQL's sums are exact anyway.
    """
    return ZERO if value is None else Decimal(value).quantize(ZERO)


class ImmutableEntryError(Exception):
    """A ledger entry was about to be changed or deleted; post a reversal instead."""


class CostCategory(models.Model):
    """The four kinds of spending of ToR §5 (reference data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)


class GrantHolder(models.TextChoices):
    AMGROS = "amgros", _("Amgros")
    DKMA = "dkma", _("Danish Medicines Agency")


class Grant(models.Model):
    """Money from one source to one holder, allocated year by year."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_(
            "Where the money comes from, e.g. the Strategy for life science 2024–2027 or a foundation."
        ),
    )
    holder = models.CharField(_("holder"), max_length=16, choices=GrantHolder.choices)
    is_managed = models.BooleanField(
        _("managed in this ledger"),
        default=True,
        help_text=_("Off for money held by others (the Danish Medicines Agency): shown, never posted to."),
    )
    is_reference = models.BooleanField(
        _("from the Terms of Reference"),
        default=False,
        editable=False,
        help_text=_("Loaded from ToR §5; its allocations are set back to the ToR's figures."),
    )
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)


class Allocation(models.Model):
    """What one grant makes available in one budget year."""

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="allocations"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    amount = MoneyField(_("amount (DKK)"), validators=[MinValueValidator(ZERO)])

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["grant", "year"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "year"], name="budget_allocation_one_per_year"),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_allocation_not_negative",
                violation_error_message=_("An allocation cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.grant} {self.year}"


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", pgettext_lazy("ledger entry kind", "Commitment")
    EXPENSE = "expense", pgettext_lazy("ledger entry kind", "Expense")
    RELEASE = "release", pgettext_lazy("ledger entry kind", "Release of a commitment")
    REVERSAL = "reversal", pgettext_lazy("ledger entry kind", "Reversal")


class LedgerEntryQuerySet(models.QuerySet):
    """Entries are never changed or deleted in bulk either."""

    def update(self, **kwargs):
        raise ImmutableEntryError(_("Ledger entries cannot be changed; post a reversal instead."))

    def delete(self):
        raise ImmutableEntryError(_("Ledger entries cannot be deleted; post a reversal instead."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableEntryError(_("Ledger entries cannot be changed; post a reversal instead."))

    def managed(self):
        return self.filter(grant__is_managed=True)


class LedgerEntry(models.Model):
    """One line of the ledger. Written once by ``budget.services``; corrected only by a reversal.

    Signs: a commitment and an expense are positive, a release negative, a reversal the
    negation of its original. The effects say what the entry does to the open commitment and
    to the spent total; an expense against a commitment spends and relieves it at once.
    """

    date = models.DateField(_("date"), help_text=_("The voucher's date."))
    year = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="entries"
    )
    category = models.ForeignKey(
        CostCategory, verbose_name=_("cost category"), on_delete=models.PROTECT, related_name="entries"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
        help_text=_("The steering group decision behind the entry; required to go over a year's allocation."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    amount = MoneyField(_("amount (DKK)"))
    committed_effect = MoneyField(_("change in open commitments"), editable=False)
    spent_effect = MoneyField(_("change in spent"), editable=False)
    commitment = models.ForeignKey(
        "self",
        verbose_name=_("against commitment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="drawn_by",
        limit_choices_to={"kind": EntryKind.COMMITMENT},
        help_text=_("For an expense paid against a commitment, or a release of one."),
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        editable=False,
    )
    voucher = models.CharField(_("voucher reference"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        editable=False,
    )
    posted_at = models.DateTimeField(_("posted"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["year", "grant", "category"], name="budget_entry_year_grant_cat"),
            models.Index(fields=["project", "year"], name="budget_entry_project_year"),
            # The ledger page's order: newest first, without sorting the whole ledger.
            models.Index(fields=["-date", "-id"], name="budget_entry_date_id_desc"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="commitment", amount__gt=0, commitment__isnull=True, reverses__isnull=True)
                    | Q(kind="expense", amount__gt=0, reverses__isnull=True)
                    | Q(kind="release", amount__lt=0, commitment__isnull=False, reverses__isnull=True)
                    | (Q(kind="reversal", reverses__isnull=False, commitment__isnull=True) & ~Q(amount=0))
                ),
                name="budget_entry_sign_per_kind",
                violation_error_message=_(
                    "Commitments and expenses are positive, a release is negative and names its commitment, "
                    "and a reversal names the entry it reverses."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="commitment", committed_effect=models.F("amount"), spent_effect=0)
                    | Q(
                        kind="expense",
                        commitment__isnull=True,
                        committed_effect=0,
                        spent_effect=models.F("amount"),
                    )
                    | Q(
                        kind="expense",
                        commitment__isnull=False,
                        committed_effect=-models.F("amount"),
                        spent_effect=models.F("amount"),
                    )
                    | Q(kind="release", committed_effect=models.F("amount"), spent_effect=0)
                    | Q(kind="reversal")
                ),
                name="budget_entry_effects_match_kind",
                violation_error_message=_("The entry's effect on the balances does not match its kind."),
            ),
        ]

    def __str__(self):
        amount = format_dkk(self.amount)
        return f"#{self.pk} {self.get_kind_display()} {amount}, {self.year}: {self.description[:60]}"

    # Append-only at the ORM level too (the admin, the shell, a careless migration).
    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableEntryError(_("Ledger entries cannot be changed; post a reversal instead."))
        # INSERT only: a new instance given the id of a posted entry would otherwise UPDATE that row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableEntryError(_("Ledger entries cannot be deleted; post a reversal instead."))

    @property
    def is_reversed(self) -> bool:
        return hasattr(self, "reversed_by")


class LedgerSummary(models.Model):
    """The ledger's effects summed per grant, budget year, category, project and quarter of the
    voucher date; kept by ``budget.summaries`` in the same transaction as each posting. The ledger
    is append-only, so a summary row only ever adds."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    category = models.ForeignKey(CostCategory, on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date_year = models.PositiveSmallIntegerField()
    date_quarter = models.PositiveSmallIntegerField()
    committed = MoneyField(default=ZERO)
    spent = MoneyField(default=ZERO)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "grant",
                "year",
                "category",
                Coalesce("project", models.Value(0)),
                "date_year",
                "date_quarter",
                name="budget_summary_key",
            ),
        ]

    def __str__(self):
        where = f"{self.grant_id}/{self.year}/{self.category_id}/{self.project_id}"
        return f"{where} {self.date_year}Q{self.date_quarter}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("funding application", "Draft")
    TO_STEERING_GROUP = "to_steering_group", pgettext_lazy("funding application", "With the steering group")
    APPROVED_FOR_SUBMISSION = "approved", pgettext_lazy("funding application", "Cleared for submission")
    SUBMITTED = "submitted", pgettext_lazy("funding application", "Submitted")
    GRANTED = "granted", pgettext_lazy("funding application", "Granted")
    DECLINED = "declined", pgettext_lazy("funding application", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("funding application", "Withdrawn")


# ToR §5: "Any applications for additional funding will have to be submitted to the steering group."
APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.DRAFT: (ApplicationStatus.TO_STEERING_GROUP, ApplicationStatus.WITHDRAWN),
    ApplicationStatus.TO_STEERING_GROUP: (
        ApplicationStatus.APPROVED_FOR_SUBMISSION,
        ApplicationStatus.DRAFT,
        ApplicationStatus.WITHDRAWN,
    ),
    ApplicationStatus.APPROVED_FOR_SUBMISSION: (ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN),
    ApplicationStatus.SUBMITTED: (
        ApplicationStatus.GRANTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
    ),
    ApplicationStatus.GRANTED: (),
    ApplicationStatus.DECLINED: (),
    ApplicationStatus.WITHDRAWN: (),
}

OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.TO_STEERING_GROUP,
    ApplicationStatus.APPROVED_FOR_SUBMISSION,
    ApplicationStatus.SUBMITTED,
)


class FundingApplicationQuerySet(models.QuerySet):
    def in_pipeline(self):
        return self.filter(status__in=OPEN_APPLICATION_STATUSES)


class FundingApplication(models.Model):
    """An application for further funding, e.g. to a private foundation (ToR §5)."""

    foundation = models.CharField(_("foundation"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    amount = MoneyField(_("amount applied for (DKK)"), validators=[MinValueValidator(Decimal("0.01"))])
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_applications",
    )
    deadline = models.DateField(_("foundation's deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        editable=False,
    )
    decision = models.ForeignKey(
        "governance.Decision",
        verbose_name=_("cleared by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_applications",
        help_text=_("The steering group decision that cleared the application for submission."),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True, editable=False)
    amount_granted = MoneyField(_("amount granted (DKK)"), null=True, blank=True, editable=False)
    grant = models.OneToOneField(
        Grant,
        verbose_name=_("grant"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FundingApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "to_steering_group", "withdrawn"])
                | Q(decision__isnull=False),
                name="budget_application_cleared_by_decision",
                violation_error_message=_(
                    "An application goes to the foundation only with the steering group decision "
                    "that cleared it."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="granted") | Q(grant__isnull=False, amount_granted__gt=0),
                name="budget_application_granted_has_grant",
                violation_error_message=_("A granted application names the grant and the amount granted."),
            ),
        ]

    def __str__(self):
        return f"{self.foundation}: {self.title}"

    def allowed_transitions(self) -> tuple[str, ...]:
        return APPLICATION_TRANSITIONS.get(self.status, ())


class ApplicationEvent(models.Model):
    """The history of a funding application: who moved it, when, and why."""

    application = models.ForeignKey(
        FundingApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


def validate_entry_year(grant: Grant, year: int) -> None:
    if not grant.allocations.filter(year=year).exists():
        years = ", ".join(str(y) for y in grant.allocations.values_list("year", flat=True))
        raise ValidationError(
            {
                "year": _("%(grant)s has no allocation for %(year)s (it has %(years)s).")
                % {"grant": grant, "year": year, "years": years or "–"}
            }
        )
