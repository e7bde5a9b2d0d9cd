"""The public events: the list (upcoming and past), one page per event with its registration
form, the personal confirm and cancel pages, the iCal feed and each event's ``.ics``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from knowledge import events_selectors as selectors
from knowledge import events_services as services
from knowledge.events_calendar import calendar_bytes, event_ics
from knowledge.events_forms import EventFilter, RegistrationForm
from knowledge.events_links import (
    LinkProblem,
    cancel_url,
    registration_for_cancel_token,
    registration_for_confirm_token,
)
from knowledge.models import RegistrationStatus
from knowledge.rendering import render_markdown
from knowledge.templatetags.knowledge import localized

PAGE_SIZE = 20
ICS_TYPE = "text/calendar; charset=utf-8"


def _language() -> str:
    return (get_language() or "da")[:2]


@require_GET
def event_list(request):
    past = request.GET.get("when") == "past"
    events = selectors.past_events() if past else selectors.upcoming_events()
    event_filter = EventFilter(request.GET, queryset=events)
    valid = event_filter.is_valid()
    results = event_filter.qs if valid else events.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "when"))
    return render(
        request,
        "knowledge/events/list.html",
        {
            "filter": event_filter,
            "page": page,
            "past": past,
            "query": query.urlencode(),
            "filtered": filtered,
            "now": timezone.now(),
        },
        status=200 if valid else 400,
    )


def _seats(event) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - event.seats_taken, 0)


@require_http_methods(["GET", "HEAD", "POST"])
def event_detail(request, slug: str):
    event = selectors.event_for_public(slug)
    language = _language()
    own = selectors.registration_of(request.user, event)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, user=request.user, language=language
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                registration = services.registration_register(
                    event=event,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    email=form.registration_email(),
                    organisation=form.cleaned_data["organisation"],
                    language=form.cleaned_data["language"],
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(request, _registered_message(request, registration))
                return redirect("events:detail", slug=event.slug)
        else:
            status = 400
    programme = localized(event, "programme")
    materials_note = localized(event, "materials")
    past = event.is_past()
    return render(
        request,
        "knowledge/events/detail.html",
        {
            "event": event,
            "form": form,
            "own": own,
            "own_cancel_url": cancel_url(own) if own else "",
            "programme": programme,
            "programme_html": render_markdown(programme.text),
            "materials_note": materials_note,
            "materials_html": render_markdown(materials_note.text) if past else "",
            "materials": list(event.materials.all()) if past else [],
            "past": past,
            "open": event.registration_open(),
            "seats_left": _seats(event),
        },
        status=status,
    )


def _registered_message(request, registration) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("You are registered. We have sent you a confirmation with a calendar file.")
    if registration.status == RegistrationStatus.WAITING:
        return _(
            "The event is full, so you are on the waiting list. We will email you if a seat becomes free."
        )
    return _(
        "Almost done: we have sent an email to %(email)s. Follow the link in it within %(hours)s hours "
        "to confirm your registration."
    ) % {"email": registration.email, "hours": _confirm_hours()}


def _confirm_hours() -> int:
    return settings.EVENT_CONFIRM_LINK_HOURS


def _personal(response):
    """A page behind a personal link: never cached, never in a shared cache."""
    response["Cache-Control"] = "private, no-store"
    return response


def _link_problem(request, problem: LinkProblem):
    return _personal(
        render(request, "knowledge/events/link_problem.html", {"problem": problem}, status=problem.status)
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token: str):
    """The double opt-in: the link shows a button (mail scanners follow links; only a person presses)."""
    try:
        registration = registration_for_confirm_token(token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    event = registration.event
    error = ""
    status = 200
    if request.method == "POST":
        try:
            registration = services.registration_confirm(registration=registration)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
    context = {
        "registration": registration,
        "event": event,
        "error": error,
        "cancel_url": cancel_url(registration),
        "done": request.method == "POST" and not error,
    }
    return _personal(render(request, "knowledge/events/confirm.html", context, status=status))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token: str):
    try:
        registration = registration_for_cancel_token(token)
    except LinkProblem as problem:
        return _link_problem(request, problem)
    error = ""
    status = 200
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        try:
            registration = services.registration_cancel(registration=registration)
        except ValidationError as exc:
            error = " ".join(exc.messages)
            status = 400
    context = {
        "registration": registration,
        "event": registration.event,
        "error": error,
        "started": registration.event.starts_at <= timezone.now(),
    }
    return _personal(render(request, "knowledge/events/cancel.html", context, status=status))


@require_GET
def event_calendar(request, slug: str):
    event = selectors.event_for_public(slug)
    response = HttpResponse(event_ics(event, _language()), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


# Calendar programs poll the feed; it changes rarely, and building it costs a few ms per event.
@cache_page(300)
@require_GET
def feed(request):
    name = _("ATMP Danmark events")
    response = HttpResponse(
        calendar_bytes(selectors.feed_events(), name=name, language=_language()), content_type=ICS_TYPE
    )
    response["Content-Disposition"] = 'inline; filename="atmp-danmark-events.ics"'
    return response


@require_GET
def material(request, slug: str, pk: int):
    row = selectors.material_for_public(slug, pk)
    suffix = row.file.name.rsplit(".", 1)[-1] if "." in row.file.name else ""
    response = FileResponse(
        row.file.open("rb"),
        as_attachment=True,
        filename=row.original_name or (f"{row.title}.{suffix}" if suffix else row.title),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
