"""Public project pages, the timeline, and deliverable downloads.

One set of pages for everyone: what a person sees depends on ``selectors.sees_full_status``
(the steering group and the secretariat see everything, others the public part).
"""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from projects import selectors, timeline
from projects.filters import ProjectFilter
from projects.finance import finance_for
from projects.models import MANDATE_END, Project


def index(request):
    projects = selectors.projects_for(request.user)
    project_filter = ProjectFilter(request.GET or None, queryset=projects)
    shown = project_filter.qs if project_filter.is_bound and project_filter.is_valid() else projects
    results = list(shown)
    return render(
        request,
        "projects/index.html",
        {
            "filter": project_filter,
            "projects": results,
            "filtered": project_filter.is_bound,
            "full_status": selectors.sees_full_status(request.user),
            "mandate_end": MANDATE_END,
            "today": timezone.localdate(),
        },
    )


def timeline_view(request):
    projects = list(selectors.projects_for(request.user, deliverables=False))
    today = timezone.localdate()
    return render(
        request,
        "projects/timeline.html",
        {
            "timeline": timeline.build(projects, today),
            "today": today,
            "mandate_end": MANDATE_END,
            "full_status": selectors.sees_full_status(request.user),
        },
    )


def detail(request, code: str):
    try:
        project = selectors.projects_for(request.user, updates=True).get(code=code)
    except Project.DoesNotExist:
        raise Http404 from None
    full = selectors.sees_full_status(request.user)
    today = timezone.localdate()
    decision = project.decision
    show_decision = decision is not None and (full or decision.is_public)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "full_status": full,
            "show_decision": show_decision,
            "milestones": list(project.milestones.all()),
            "deliverables": list(project.deliverables.all()),
            "updates": list(project.updates.all()),
            "finance": finance_for(project) if full else None,
            "today": today,
            "mandate_end": MANDATE_END,
        },
    )


def deliverable_download(request, pk: int):
    deliverable = selectors.deliverable_for(request.user, pk)
    if deliverable is None:
        raise Http404
    content_type = mimetypes.guess_type(deliverable.original_name)[0] or "application/octet-stream"
    response = FileResponse(
        deliverable.file.open("rb"),
        as_attachment=True,
        filename=deliverable.original_name or f"deliverable-{deliverable.pk}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if deliverable.is_published:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
