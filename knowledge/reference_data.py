"""The library's reference data: every published project deliverable is a report in the library.

Deliverables published from now on appear by themselves (``knowledge.services.report_item_sync``
listens to projects); this catches the ones published before the library existed. Idempotent.
"""

from knowledge.services import report_item_sync
from projects.models import Deliverable


def load() -> list[str]:
    added = 0
    for deliverable in (
        Deliverable.objects.published().filter(library_item__isnull=True).select_related("project")
    ):
        if report_item_sync(deliverable=deliverable) is not None:
            added += 1
    # Silent when there was nothing to add: `make run` prints this report above the demo logins.
    return [f"Knowledge: {added} published deliverables added to the library as reports."] if added else []
