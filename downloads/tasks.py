"""Building a download in a worker (docs/downloads.md)."""

from celery import shared_task

from downloads import services
from downloads.models import Download


@shared_task
def build_download(download_id: int) -> str:
    """Build one download; safe to run twice (only a pending row is built)."""
    download = Download.objects.select_related("owner").filter(pk=download_id).first()
    if download is None:
        return "gone"
    return services.download_build(download=download).status
