"""What was done with personal data: every export, erasure and retention run, without the data."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HandlingKind(models.TextChoices):
    EXPORT = "export", _("Export")
    ERASURE = "erasure", _("Erasure")
    RETENTION = "retention", _("Retention run")


class Handling(models.Model):
    """One export, erasure or retention run: who, when, what kind, how many rows of each source.

    Never the person's name or address: an erasure's line names the (anonymised) account by id
    only, and an erasure for someone without an account names nobody.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=HandlingKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the portal itself acted (the daily retention run)."),
    )
    user_id_handled = models.BigIntegerField(_("account id"), null=True, blank=True)
    self_service = models.BooleanField(_("by the person themselves"), default=False)
    counts = models.JSONField(_("rows per kind of data"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("personal data handling")
        verbose_name_plural = _("personal data handlings")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["kind", "-at"], name="privacy_handling_kind_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
