"""The one record of changes: who did what, when, to which object, with the changed values.

Modelled on pretix's ``LogEntry``/``log_action``: one append-only table for every app, written by
the services (``audit.services.audit_record``) in the same transaction as the change itself, so a
change and its line in the record commit or roll back together.

Append-only twice over: ``AuditEntry.save``/``delete`` and the queryset refuse to change or remove
a row (the admin, the shell, a careless migration), and on PostgreSQL a trigger refuses UPDATE and
DELETE from any client (migration 0002). SQLite relies on the ORM guard, as the ledger does: its
test flush deletes rows, which a trigger would refuse.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableRecordError(Exception):
    """An audit entry was about to be changed or deleted."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError(_("The record of changes cannot be changed."))

    def delete(self):
        raise ImmutableRecordError(_("The record of changes cannot be deleted."))

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRecordError(_("The record of changes cannot be changed."))

    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
        )


class AuditEntry(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,  # someone who changed things is deactivated, not deleted
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the portal itself acted (a scheduled job)."),
    )
    action = models.CharField(
        _("action"), max_length=100, help_text=_("What was done, e.g. governance.meeting.rescheduled.")
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of object"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    # The language of ``object_repr`` where the object knows it (a name kept in Danish and English,
    # an entry's Danish name): a page in the other language marks it (WCAG 3.1.2). Empty: unknown.
    object_language = models.CharField(_("language of the object's name"), max_length=8, blank=True)
    data = models.JSONField(_("changed values"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("record of changes")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_entry_object_idx"),
            models.Index(fields=["-at"], name="audit_entry_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_entry_actor_idx"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError(_("The record of changes cannot be changed."))
        kwargs["force_insert"] = True  # an instance given an existing id must not UPDATE that row
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(_("The record of changes cannot be deleted."))


class ChangeStamp(models.Model):
    """How many times the rows of a model have changed: a cache of figures drawn from that model is
    kept under this number (``audit.stamps``). Raised in the same transaction as the change, so a
    number read from the database never names figures older than what it counts."""

    label = models.CharField(max_length=100, primary_key=True)  # "governance.meeting"
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "change stamp"
        verbose_name_plural = "change stamps"

    def __str__(self):
        return f"{self.label} #{self.version}"
