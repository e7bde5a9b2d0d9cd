"""Reads shared by the library's pages. The public sees published items only."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from knowledge.models import Item, ItemFile, ItemStatus, ItemVersion

LIST_FIELDS = (
    "slug",
    "kind",
    "title_da",
    "title_en",
    "summary_da",
    "summary_en",
    "updated_on",
    "status",
    "external_url",
    "deliverable_id",
)


def library_items() -> QuerySet[Item]:
    """The library's list: published items with their tags, newest change first."""
    return Item.objects.published().only(*LIST_FIELDS).prefetch_related("tags").order_by("-updated_on", "-pk")


def item_for_public(slug: str) -> Item:
    """A published or withdrawn item by address (a withdrawn one is answered with 410); else 404."""
    try:
        return (
            Item.objects.public()
            .select_related("successor", "deliverable__project")
            .prefetch_related(
                "tags",
                Prefetch("files", queryset=ItemFile.objects.order_by("position", "pk")),
                Prefetch(
                    "versions",
                    queryset=ItemVersion.objects.only(
                        "item_id", "number", "published_on", "change_note"
                    ).order_by("-number"),
                ),
            )
            .get(slug=slug)
        )
    except Item.DoesNotExist:
        raise Http404("No such library item") from None


def file_for_public(slug: str, pk: int) -> ItemFile:
    try:
        return ItemFile.objects.select_related("item").get(
            pk=pk, item__slug=slug, item__status=ItemStatus.PUBLISHED
        )
    except ItemFile.DoesNotExist:
        raise Http404("No such file") from None
