"""Public governance page, the members' area, meeting pages, documents and calendars."""

from __future__ import annotations

import datetime
import mimetypes

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.roles import Role, access_for, has_role, mark_second_factor
from governance import selectors
from governance.calendar import calendar_bytes, meeting_ics
from governance.filters import DecisionFilter
from governance.models import CalendarFeed, MinutesStatus, new_feed_token

MEMBERS_ONLY = gettext_lazy(
    "This page is for members of the ATMP Danmark steering group, reference group and working groups. "
    "If you have been appointed, ask the secretariat to link your membership to this account."
)


def index(request):
    year = timezone.localdate().year
    context = {
        "bodies": selectors.public_bodies(),
        "year": year,
        "meetings": list(selectors.meetings_of_year(year)),
        "decisions": list(selectors.decisions_visible_to_public()[:10]),
    }
    return render(request, "governance/index.html", context)


def decisions(request):
    queryset = selectors.decisions_visible_to(request.user)
    decision_filter = DecisionFilter(request.GET or None, queryset=queryset)
    results = decision_filter.qs if decision_filter.is_bound and decision_filter.is_valid() else queryset
    return render(
        request,
        "governance/decisions.html",
        {"filter": decision_filter, "decisions": list(results[:200]), "total": results.count()},
    )


def _members_only(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    raise PermissionDenied(MEMBERS_ONLY)


@login_required
def members_area(request):
    secretariat = has_role(request.user, Role.SECRETARIAT)
    if not access_for(request.user).bodies and not secretariat:
        raise PermissionDenied(MEMBERS_ONLY)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    context = {
        "memberships": selectors.memberships_of(request.user),
        "secretariat": secretariat,
        "upcoming": selectors.upcoming_meetings_for(request.user),
        "minutes": selectors.minutes_for(request.user),
        "decisions": list(selectors.decisions_visible_to(request.user)[:10]),
        "action_items": selectors.action_items_of(request.user),
        "feed_url": request.build_absolute_uri(reverse("governance:feed", args=[feed.token])) if feed else "",
    }
    return render(request, "governance/members_area.html", context)


def meeting_detail(request, pk: int):
    if not request.user.is_authenticated:
        return _members_only(request)
    meeting = selectors.meeting_for(request.user, pk)
    secretariat = has_role(request.user, Role.SECRETARIAT)
    show_minutes = meeting.minutes_status in (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED) or (
        secretariat and meeting.minutes
    )
    context = {
        "meeting": meeting,
        "agenda_items": list(meeting.agenda_items.all()),
        "documents": list(meeting.documents.all()) if meeting.documents_published or secretariat else [],
        "documents_pending": not meeting.documents_published,
        "decisions": list(meeting.decisions.all()),
        "attendance": list(meeting.attendance.all()),
        "show_minutes": show_minutes,
        "secretariat": secretariat,
        "total_minutes": sum(item.duration_minutes or 0 for item in meeting.agenda_items.all()),
    }
    return render(request, "governance/meeting_detail.html", context)


def meeting_calendar(request, pk: int):
    if not request.user.is_authenticated:
        return _members_only(request)
    meeting = selectors.meeting_for(request.user, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atmp-meeting-{meeting.pk}.ics"'
    return response


def document_download(request, pk: int):
    if not request.user.is_authenticated:
        return _members_only(request)
    document = selectors.document_for(request.user, pk)
    content_type = mimetypes.guess_type(document.original_name)[0] or "application/octet-stream"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def calendar_feed(request, token: str):
    """A member's meetings as a calendar subscription. The token is the key: no login."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    # The feed has no session: its token is the key, and only a session with the role (so with a
    # second factor passed) can make one. It shows what the account may see while the account
    # keeps an authenticator; without one, a secretariat account's feed falls back to its bodies.
    mark_second_factor(feed.user, passed=is_mfa_enabled(feed.user))
    meetings = selectors.meetings_for(feed.user).prefetch_related("agenda_items").order_by("starts_at")
    since = timezone.now() - datetime.timedelta(days=365)
    body = calendar_bytes(meetings.filter(starts_at__gte=since), name=_("ATMP Danmark meetings"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def calendar_reset(request):
    if not access_for(request.user).bodies and not has_role(request.user, Role.SECRETARIAT):
        raise PermissionDenied(MEMBERS_ONLY)
    feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token", "created_at"])
        messages.success(request, _("Your calendar link has been replaced. The old link no longer works."))
    else:
        messages.success(
            request, _("Your calendar link is ready. Add it to your calendar as a subscription.")
        )
    return redirect("governance:members_area")
