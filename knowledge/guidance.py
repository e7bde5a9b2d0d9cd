"""The library's answer to "what guidance fits this request?" (registered with inquiries.guidance).

An item fits when it is published and tagged with the request's topic or ATMP class; items that
share more of the request's tags (topic, class, stage) come first, then the most recently
updated. Two queries, whatever the size of the library.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from inquiries.guidance import GuidanceLink
from knowledge.models import Item, ItemStatus, ItemTag, TagDimension


def related_items(
    *, topic: str, atmp_class: str, stage: str, language: str, limit: int
) -> list[GuidanceLink]:
    wanted = Q(pk__in=[])
    if topic:
        wanted |= Q(dimension=TagDimension.TOPIC, value=topic)
    if atmp_class:
        wanted |= Q(dimension=TagDimension.ATMP_CLASS, value=atmp_class)
    must_match = Q(pk__in=[]) | wanted  # the topic or the class
    if stage:
        wanted |= Q(dimension=TagDimension.STAGE, value=stage)
    ranked = (
        ItemTag.objects.filter(wanted, item__status=ItemStatus.PUBLISHED)
        .values("item_id")
        .annotate(
            score=Count("pk"),
            core=Count("pk", filter=must_match),
        )
        .filter(core__gt=0)
        .order_by("-score", "-item__updated_on", "-item_id")[:limit]
    )
    order = [row["item_id"] for row in ranked]
    if not order:
        return []
    items = Item.objects.in_bulk(order)
    links = []
    for pk in order:
        item = items[pk]
        title, lang = item.text("title", language)
        summary, _lang = item.text("summary", language)
        links.append(
            GuidanceLink(
                title=title,
                summary=summary,
                url=reverse("knowledge:item", args=[item.slug]),
                kind=str(item.get_kind_display()),
                lang=lang,
            )
        )
    return links
