"""The public directory: the list with its map, and one page per entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from inquiries.models import AtmpClass, DevelopmentStage
from network import map as region_map
from network import selectors, services
from network.filters import EntryFilter
from network.forms import AnswerForm, EntryCorrectionForm
from network.links import LinkProblem, entry_for_confirm_token, invitation_for_answer_token
from network.models import Region

PER_PAGE = 20
_ORDER = {value: i for i, value in enumerate([*AtmpClass.values, *DevelopmentStage.values])}


def _query_with(params, **changes) -> str:
    """The current filters with ``changes`` applied (a value of "" drops it), without the page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def directory(request):
    visible = selectors.entries_visible_to(request.user)
    entry_filter = EntryFilter(request.GET or None, queryset=visible)
    valid = not entry_filter.is_bound or entry_filter.is_valid()
    results = entry_filter.qs if entry_filter.is_bound and valid else visible
    chosen_region = (
        entry_filter.form.cleaned_data.get("region", "") if entry_filter.is_bound and valid else ""
    )

    # The map counts what the other filters leave, in every region, so each region links to a
    # non-empty list exactly when its count says so.
    without_region = request.GET.copy()
    without_region.pop("region", None)
    map_filter = EntryFilter(without_region or None, queryset=visible)
    counted = map_filter.qs if map_filter.is_bound and map_filter.is_valid() else visible
    counts = selectors.region_counts(counted)

    paginator = Paginator(selectors.directory_page_entries(results.order_by("name", "pk")), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "filter": entry_filter,
        "filtered": entry_filter.is_bound,
        "page_obj": page,
        "entries": list(page.object_list),
        "total": paginator.count,
        "map": region_map.build(
            counts, lambda region: _query_with(request.GET, region=region), selected=chosen_region
        ),
        "clear_region": _query_with(request.GET, region=""),
        "page_query": _query_with(request.GET).lstrip("?"),
        "chosen_region": Region(chosen_region).label if chosen_region else "",
        "today": timezone.localdate(),
        "sees_unpublished": selectors.sees_unpublished(request.user),
    }
    return render(request, "network/directory.html", context, status=200 if valid else 400)


def entry_detail(request, slug: str):
    entry = selectors.entry_for(request.user, slug)
    return render(
        request,
        "network/entry_detail.html",
        {
            "entry": entry,
            "capabilities": list(entry.capabilities.all()),
            # In the taxonomies' own order (research before phase I …), not alphabetically.
            "atmp_classes": sorted(entry.atmp_class_rows.all(), key=lambda r: _ORDER[r.atmp_class]),
            "stages": sorted(entry.stage_rows.all(), key=lambda r: _ORDER[r.stage]),
            "not_confirmed_since": entry.confirmation_overdue_since(),
            "sees_unpublished": selectors.sees_unpublished(request.user),
        },
    )


def _personal(response):
    """A page behind a personal link: never cached.

    The portal-wide Referrer-Policy (same-origin) already keeps the link from other hosts, such
    as an entry's website. "no-referrer" would go further but makes browsers send "Origin: null"
    with the form, which Django's CSRF check rightly refuses.
    """
    response["Cache-Control"] = "private, no-store"
    return response


def _link_problem(request, problem: LinkProblem):
    response = render(request, "network/link_problem.html", {"problem": problem}, status=problem.status)
    return _personal(response)


@never_cache
def confirm(request, token: str):
    """The contact's form: confirm the entry as it is, or send corrections for approval."""
    try:
        entry = entry_for_confirm_token(token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    form = EntryCorrectionForm.for_entry(entry, data=request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.entry_confirm_by_contact(entry=entry, link_version=entry.link_version)
                return _personal(
                    render(request, "network/confirm_done.html", {"entry": entry, "changed": False})
                )
            if action == "propose" and form.is_valid():
                change = services.entry_change_propose(
                    entry=entry,
                    link_version=entry.link_version,
                    proposed=form.proposal(),
                    note=form.cleaned_data["note"],
                )
                context = {"entry": entry, "changed": change is not None}
                return _personal(render(request, "network/confirm_done.html", context))
        except services.LinkAlreadyUsed:
            return _link_problem(request, LinkProblem("used"))
        except ValidationError as exc:
            form.add_error(None, exc)
        status = 400
    pending = entry.changes.filter(status="pending").exists()
    context = {"entry": entry, "form": form, "pending": pending}
    return _personal(render(request, "network/confirm_form.html", context, status=status))


@never_cache
def answer(request, token: str):
    """A site's answer to a feasibility round: the synopsis, and its own answer only."""
    try:
        invitation = invitation_for_answer_token(token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    form = AnswerForm.for_invitation(invitation, data=request.POST if request.method == "POST" else None)
    status, saved = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                invitation = services.round_answer(
                    invitation=invitation, link_version=invitation.link_version, **form.cleaned_data
                )
                saved = True
            except services.LinkAlreadyUsed:
                return _link_problem(request, LinkProblem("used"))
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
        else:
            status = 400
    context = {
        "invitation": invitation,
        "round": invitation.round,
        "form": form,
        "saved": saved,
        "capabilities": list(invitation.round.capabilities.all()),
        "today": timezone.localdate(),
    }
    return _personal(render(request, "network/answer.html", context, status=status))
