"""The library's part of the secretariat's weekly digest: published items past their review date.

Registered with ``governance.due`` (which sits below knowledge and imports nothing from it) in
``KnowledgeConfig.ready()``. One query; at most ``LIMIT`` items are named, the link lists all.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from governance.due import DigestEntry, DigestSection
from knowledge.services import item_review_due

LIMIT = 25


def review_due_section(today: datetime.date) -> DigestSection | None:
    items = list(item_review_due(today=today).only("pk", "title_da", "review_by")[: LIMIT + 1])
    if not items:
        return None
    admin = settings.SITE_URL + reverse("admin:knowledge_item_changelist")
    entries = [
        DigestEntry(
            text=item.title_da,
            date=item.review_by,
            url=settings.SITE_URL + reverse("admin:knowledge_item_change", args=[item.pk]),
        )
        for item in items[:LIMIT]
    ]
    if len(items) > LIMIT:
        entries.append(DigestEntry(text=str(_("… and more: see the list"))))
    return DigestSection(
        title=_("Library items past their review date"), entries=entries, link=f"{admin}?review=due"
    )
