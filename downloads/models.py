"""A file the portal builds for one person, served once, only to them, before it expires.

See docs/downloads.md. The file lives in private storage (no MEDIA_URL serves it); the only way
to it is ``downloads.views.download_file``, which checks the owner, the expiry and the one use.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DownloadStatus(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def _download_path(instance, filename):
    # A generated name: nothing a person typed reaches the file system.
    return f"private/downloads/{timezone.now():%Y}/{instance.uuid.hex}"


class Download(models.Model):
    # The id in the link: random, so one download's address says nothing about another's.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DownloadStatus.choices, default=DownloadStatus.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    file = models.FileField(upload_to=_download_path, max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link expires"))
    used_at = models.DateTimeField(_("downloaded"), null=True, blank=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="downloads_owner_idx"),
            models.Index(fields=["created_at"], name="downloads_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="downloads_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status=DownloadStatus.READY) | Q(ready_at__isnull=False),
                name="downloads_ready_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.uuid}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_available(self, now=None) -> bool:
        """The link still works: built, not used, not expired."""
        return self.status == DownloadStatus.READY and self.used_at is None and not self.is_expired(now)
