from django.http import Http404

from downloads.models import Download


def download_for_owner(user, uuid) -> Download:
    """The download, only for its owner: anyone else gets a 404, not a 403 (nothing to learn)."""
    download = Download.objects.filter(uuid=uuid, owner_id=user.pk).first()
    if download is None:
        raise Http404("No such download")
    return download
