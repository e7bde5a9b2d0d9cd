from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    REGION = "region", _("Region")
    AGENCY = "agency", _("Agency")
    UNIVERSITY = "university", _("University")
    HOSPITAL = "hospital", _("Hospital")
    INDUSTRY_ASSOCIATION = "industry_association", _("Industry association")
    PATIENT_ORGANISATION = "patient_organisation", _("Patient organisation")
    FOUNDATION = "foundation", _("Foundation")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """An organisation that appoints members, is referred to, or is a partner (ToR §3)."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Stable short identifier, used by the reference data."),
    )
    name_da = models.CharField(_("name (Danish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    abbreviation = models.CharField(_("abbreviation"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    appointed_through = models.ForeignKey(
        "self",
        verbose_name=_("appoints through"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointing_for",
        help_text=_(
            "The organisation that makes the appointment on its behalf, "
            "where the Terms of Reference name one."
        ),
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_da"]
        constraints = [
            models.UniqueConstraint(Lower("name_da"), name="governance_organisation_name_da_ci_unique"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.pk and self.appointed_through_id == self.pk:
            raise ValidationError({"appointed_through": _("An organisation cannot appoint through itself.")})

    @property
    def name(self) -> str:
        """The name in the language the page is shown in."""
        return self.name_en if (get_language() or "da").startswith("en") else self.name_da
