"""The library's reference data.

- Every published project deliverable is a report in the library. Deliverables published from
  now on appear by themselves (``knowledge.services.report_item_sync`` listens to projects); this
  catches the ones published before the library existed.
- The regulatory checklist's seed steps (``knowledge.checklist_seed``), added once by code and
  never overwritten: the secretariat maintains them in the admin.

Idempotent.
"""

from knowledge.checklist_seed import SEED_STEPS
from knowledge.models import ChecklistStep
from knowledge.services import report_item_sync
from projects.models import Deliverable


def load() -> list[str]:
    report = []
    added = 0
    for deliverable in (
        Deliverable.objects.published().filter(library_item__isnull=True).select_related("project")
    ):
        if report_item_sync(deliverable=deliverable) is not None:
            added += 1
    # Silent when there was nothing to add: `make run` prints this report above the demo logins.
    if added:
        report.append(f"Knowledge: {added} published deliverables added to the library as reports.")
    new_steps = 0
    for spec in SEED_STEPS:
        _step, created = ChecklistStep.objects.get_or_create(code=spec["code"], defaults=spec)
        new_steps += created
    if new_steps:
        report.append(f"Knowledge: {new_steps} regulatory checklist steps added (to be confirmed).")
    return report
