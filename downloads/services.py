"""Requesting, building and handing over a download (docs/downloads.md)."""

from __future__ import annotations

import datetime
import logging
import tempfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from downloads.builders import builder_for
from downloads.models import Download, DownloadStatus
from outbox.services import email_queue

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.DOWNLOAD_LINK_HOURS)


@transaction.atomic
def download_request(*, actor: User, owner: User, kind: str, params: dict | None = None) -> Download:
    """Queue the building of a ``kind`` file for ``owner``; they get an email with the link.

    ``actor`` is who asked (the owner themselves, or the secretariat exporting for someone who
    wrote in: then the secretariat member is the owner of the file and gets the email).
    """
    if builder_for(kind) is None:
        raise ValidationError(_("There is no download of this kind."))
    download = Download(
        owner=owner,
        kind=kind,
        params=params or {},
        expires_at=timezone.now() + link_lifetime(),
    )
    download.full_clean()
    download.save()
    audit_record(actor=actor, obj=download, action="downloads.download.requested", data={"kind": kind})
    from downloads.tasks import build_download

    build_download.delay(download.pk)  # after commit (OnCommitTask)
    return download


def _progress_reporter(download: Download):
    last = [-1]

    def report(done: int, total: int) -> None:
        percent = max(0, min(99, int(done * 100 / total))) if total else 0
        if percent != last[0]:
            last[0] = percent
            Download.objects.filter(pk=download.pk, status=DownloadStatus.PENDING).update(progress=percent)

    return report


def download_build(*, download: Download) -> Download:
    """Build the file and announce it; safe to run twice (a second run finds it no longer pending).

    Runs outside a transaction while it builds (progress is visible to the status page), then
    marks the row ready and queues the email in one transaction.
    """
    if download.status != DownloadStatus.PENDING:
        return download
    builder = builder_for(download.kind)
    try:
        if builder is None:
            raise LookupError(f"no builder for {download.kind!r}")
        with tempfile.TemporaryFile() as out:
            filename, content_type = builder.build(download, out, _progress_reporter(download))
            out.seek(0, 2)
            size = out.tell()
            out.seek(0)
            stored_name = download.file.storage.save(_stored_name(download), File(out))
    except Exception:
        logger.exception(
            "download could not be built", extra={"download": download.pk, "kind": download.kind}
        )
        return _download_fail(download=download)
    try:
        return _download_store(
            download=download,
            stored_name=stored_name,
            filename=filename,
            content_type=content_type,
            size=size,
        )
    except BaseException:
        # The row did not take the file: leave nothing behind on disk.
        download.file.storage.delete(stored_name)
        raise


def _stored_name(download: Download) -> str:
    field = Download._meta.get_field("file")
    return field.generate_filename(download, download.uuid.hex)


@transaction.atomic
def _download_store(
    *, download: Download, stored_name: str, filename: str, content_type: str, size: int
) -> Download:
    locked = Download.objects.select_for_update().get(pk=download.pk)
    if locked.status != DownloadStatus.PENDING:  # another run got there first
        download.file.storage.delete(stored_name)
        return locked
    now = timezone.now()
    locked.file.name = stored_name
    locked.filename = filename[:200]
    locked.content_type = content_type[:100]
    locked.size = size
    locked.status = DownloadStatus.READY
    locked.progress = 100
    locked.ready_at = now
    # The link's time starts when the file is ready, not when it was asked for.
    locked.expires_at = now + link_lifetime()
    locked.save()
    audit_record(
        actor=None, obj=locked, action="downloads.download.ready", data={"kind": locked.kind, "size": size}
    )
    _announce(locked, ready=True)
    logger.info("download ready", extra={"download": locked.pk, "kind": locked.kind})
    return locked


@transaction.atomic
def _download_fail(*, download: Download) -> Download:
    locked = Download.objects.select_for_update().get(pk=download.pk)
    if locked.status != DownloadStatus.PENDING:
        return locked
    locked.status = DownloadStatus.FAILED
    locked.save(update_fields=["status"])
    audit_record(actor=None, obj=locked, action="downloads.download.failed", data={"kind": locked.kind})
    _announce(locked, ready=False)
    return locked


def _announce(download: Download, *, ready: bool) -> None:
    owner = download.owner
    language = owner.preferred_language or settings.LANGUAGE_CODE
    builder = builder_for(download.kind)
    with translation.override(language):
        label = str(builder.label) if builder else download.kind
        subject = (
            _("Your download is ready: %(label)s")
            if ready
            else _("Your download could not be prepared: %(label)s")
        ) % {"label": label}
        context = {
            "owner": owner,
            "download": download,
            "label": label,
            "ready": ready,
            "subject": subject,
            "link": settings.SITE_URL + reverse("downloads:status", args=[download.uuid]),
            "hours": settings.DOWNLOAD_LINK_HOURS,
        }
        text = render_to_string("downloads/email/announce.txt", context)
        html = render_to_string("downloads/email/announce.html", context)
    email_queue(
        key=f"downloads:{'ready' if ready else 'failed'}:{download.pk}",
        to=[owner.email],
        subject=f"[ATMP Danmark] {subject}",
        text=text,
        html=html,
        language=language,
        headers={"Auto-Submitted": "auto-generated"},
        sensitive=True,  # the link is the owner's: blank the body once it has gone
    )


def download_claim(*, download: Download, actor: User) -> bool:
    """Mark the download used, once: True for the one request that may have the file.

    A conditional UPDATE, so two clicks at the same moment cannot both get the file.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Download.objects.filter(
            pk=download.pk,
            owner=actor,
            status=DownloadStatus.READY,
            used_at__isnull=True,
            expires_at__gt=now,
        ).update(used_at=now)
        if claimed:
            download.used_at = now
            audit_record(
                actor=actor, obj=download, action="downloads.download.used", data={"kind": download.kind}
            )
    return bool(claimed)


def download_file_discard(*, download: Download) -> None:
    """Remove the stored file (after its one use, or when it expires); the row stays as a record."""
    name = download.file.name
    if name:
        download.file.storage.delete(name)
        Download.objects.filter(pk=download.pk).update(file="")
        download.file.name = ""


def downloads_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete downloads (row and file) made more than ``RETENTION_DOWNLOADS_DAYS`` ago.

    Used by the retention job; safe to run twice. Returns how many rows went.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RETENTION_DOWNLOADS_DAYS)
    count = 0
    for download in Download.objects.filter(created_at__lt=cutoff).only("pk", "file").iterator():
        if download.file.name:
            download.file.storage.delete(download.file.name)
        count += Download.objects.filter(pk=download.pk).delete()[0]
    return count
