"""The status page of a download and its one-time file (docs/downloads.md)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from downloads import services
from downloads.builders import builder_for
from downloads.models import Download, DownloadStatus
from downloads.selectors import download_for_owner


def _gone(request, download: Download) -> HttpResponse:
    return render(request, "downloads/gone.html", _context(download), status=410)


def _context(download: Download) -> dict:
    builder = builder_for(download.kind)
    back = reverse(builder.back_url_name) if builder and builder.back_url_name else ""
    return {
        "download": download,
        "label": builder.label if builder else download.kind,
        "back_url": back,
        "expired": download.is_expired(),
    }


@login_required
@require_GET
def download_status(request, uuid):
    """Where the email's link goes: progress while it builds, then the button that fetches it once."""
    download = download_for_owner(request.user, uuid)
    if download.status == DownloadStatus.READY and not download.is_available():
        return _gone(request, download)
    return render(request, "downloads/status.html", _context(download))


@login_required
@require_GET
def download_progress(request, uuid):
    """What the status page's script polls; no file, no personal data."""
    download = download_for_owner(request.user, uuid)
    response = JsonResponse({"status": download.status, "progress": download.progress})
    response["Cache-Control"] = "private, no-store"
    return response


class _OnceFile:
    """The stored file, read once and then removed from storage when the response is closed."""

    def __init__(self, download: Download):
        self.download = download
        self.handle = download.file.open("rb")

    def read(self, *args):
        return self.handle.read(*args)

    def close(self):
        self.handle.close()
        services.download_file_discard(download=self.download)


@login_required
@require_GET
def download_file(request, uuid):
    download = download_for_owner(request.user, uuid)
    if download.status != DownloadStatus.READY:
        return redirect("downloads:status", uuid=download.uuid)
    if not download.file.name or not services.download_claim(download=download, actor=request.user):
        download.refresh_from_db()
        return _gone(request, download)
    response = FileResponse(
        _OnceFile(download),
        as_attachment=True,
        filename=download.filename or f"atmp-{timezone.localdate():%Y-%m-%d}",
        content_type=download.content_type or "application/octet-stream",
    )
    response["Content-Length"] = str(download.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    return response
