"""The outbox: one row per email, written in the transaction of the change that causes it."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


UNSENT = (EmailStatus.PENDING, EmailStatus.SENDING)


class OutboundEmail(models.Model):
    """One email, rendered when it was queued, sent at least once.

    ``key`` is unique: queuing the same email twice (a retried request, two overlapping scans)
    makes one row. ``uuid`` gives the stable ``Message-ID``, so the rare second copy after a
    crash between the relay's accept and the row's "sent" is the same message to mail clients.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("key"), max_length=200, unique=True)
    to = models.JSONField(_("to"), default=list)
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # [{"filename": …, "mimetype": …, "content": base64}], e.g. a meeting's .ics.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at"]
        indexes = [
            # The sweeper reads only unsent rows: a partial index keeps that one short scan
            # however many sent rows pile up (bench/outbox_sweep.py).
            models.Index(
                fields=["not_before"],
                condition=Q(status__in=UNSENT),
                name="outbox_unsent_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
