"""Project reads shared by the pages, scoped to the person who asks.

The public (and applicants) see public projects, their published deliverables and public
progress notes. The steering group and the secretariat see the full status: every project,
unpublished deliverables, health and its reason, and what the ledger holds.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.roles import access_for
from projects.models import Deliverable, DeliverableStatus, Milestone, ProgressUpdate, Project


def sees_full_status(user) -> bool:
    return access_for(user).sees_steering_pages


def projects_for(user, *, deliverables: bool = True, updates: bool = False) -> QuerySet[Project]:
    """The projects ``user`` may see, with milestones and (as asked) deliverables and progress notes."""
    full = sees_full_status(user)
    projects = Project.objects.all() if full else Project.objects.public()
    related: list[Prefetch] = [Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk"))]
    if deliverables:
        shown = Deliverable.objects.order_by("pk").select_related("decision")
        if not full:
            shown = shown.filter(status=DeliverableStatus.PUBLISHED)
        related.append(Prefetch("deliverables", queryset=shown))
    if updates:
        notes = ProgressUpdate.objects.order_by("-date", "-pk")
        if not full:
            notes = notes.filter(is_public=True)
        related.append(Prefetch("updates", queryset=notes))
    return projects.select_related("decision__meeting__body", "working_group").prefetch_related(*related)


def deliverable_for(user, pk: int) -> Deliverable | None:
    """The deliverable if ``user`` may download it: published ones to anyone, others to the full view."""
    deliverable = Deliverable.objects.select_related("project").filter(pk=pk).first()
    if deliverable is None or not deliverable.file:
        return None
    if deliverable.is_published and deliverable.project.is_public:
        return deliverable
    return deliverable if sees_full_status(user) else None
