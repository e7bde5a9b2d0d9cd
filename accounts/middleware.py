import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.roles import mark_second_factor

_LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


# The pages the secretariat role opens, by URL namespace: all of a namespace (None) or the named
# views. A staff session without a second factor is sent from these to set up or pass it; on every
# other page (the public pages, the library, projects' public view) it is an ordinary user.
SECRETARIAT_PAGES: dict[str, frozenset[str] | None] = {
    "admin": None,
    "budget": None,
    "dashboard": None,
    "inquiries": None,  # requests and their attachments (the role opens everyone's)
    "governance": frozenset({"members_area", "meeting", "meeting_ics", "document", "feed_reset"}),
}
# Signing out of the admin stays open.
_OPEN_IN_SECRETARIAT_PAGES = {("admin", "logout")}


def is_secretariat_page(resolver_match) -> bool:
    if resolver_match is None:
        return False
    namespace = resolver_match.namespaces[0] if resolver_match.namespaces else ""
    if (
        namespace not in SECRETARIAT_PAGES
        or (namespace, resolver_match.url_name) in _OPEN_IN_SECRETARIAT_PAGES
    ):
        return False
    names = SECRETARIAT_PAGES[namespace]
    return names is None or resolver_match.url_name in names


def session_passed_second_factor(request, user) -> bool:
    """Did this session pass a second factor for ``user``, and does the user still have one?

    allauth records each authentication step of the session; a TOTP or recovery code (at
    login, at re-authentication, or when the authenticator was set up) is an ``mfa`` step.
    """
    records = get_authentication_records(request, user)
    if not any(record.get("method") == "mfa" for record in records):
        return False
    # Read with the user's row when accounts.backends loaded it (one query less on every page).
    has_authenticator = getattr(user, "portal_has_authenticator", None)
    return is_mfa_enabled(user) if has_authenticator is None else has_authenticator


class StaffSecondFactorMiddleware:
    """The secretariat role exists only in a session that has passed a second factor.

    The secretariat sees every applicant's request, internal notes, the ledger and unpublished
    document packs, so a password (or an emailed code) alone is not enough. Every request marks
    the signed-in user with the session's second-factor state, which ``accounts.roles`` reads:
    without it a staff user is an ordinary user everywhere. And a staff session without it is sent,
    from every page but the sign-in and two-factor pages, to set up an authenticator (if the
    person has none) or to enter a code from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        passed = user.is_staff and session_passed_second_factor(request, user)
        mark_second_factor(user, passed=passed)
        request.needs_second_factor = user.is_staff and not passed
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "needs_second_factor", False) and is_secretariat_page(request.resolver_match):
            return self._send_to_second_factor(request, request.user)
        return None

    @staticmethod
    def _send_to_second_factor(request, user):
        next_query = urlencode({"next": request.get_full_path()})
        if is_mfa_enabled(user):
            messages.warning(
                request,
                _("Enter a code from your authenticator app to continue: the secretariat's pages need it."),
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        messages.warning(
            request,
            _(
                "Set up two-factor authentication before you use the secretariat's pages: confirm your "
                "password if asked, then scan the code with an authenticator app and enter the six digits "
                "it shows."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")


def record_second_factor_on_enrolment(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up an authenticator proves the person holds it (they typed a code from it): the
    session counts as having passed the second factor, so a new colleague is not asked again at once.

    Connected to allauth's ``authenticator_added`` signal in AccountsConfig.ready().
    """
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
        )


class SessionLifetimeMiddleware:
    """Signed-in sessions end after a while without requests, and after a fixed time in any case.

    Staff sessions idle out sooner (SESSION_IDLE_MINUTES_SECRETARIAT): an unlocked screen in an
    office shows every applicant's data. The last request's time is written at most once a minute,
    so an active session does not write to the session store on every page.
    """

    STARTED = "portal_session_started"
    SEEN = "portal_session_seen"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.STARTED, now)
            seen = session.get(self.SEEN, now)
            idle_minutes = (
                settings.SESSION_IDLE_MINUTES_SECRETARIAT if user.is_staff else settings.SESSION_IDLE_MINUTES
            )
            if now - seen > idle_minutes * 60 or now - started > settings.SESSION_MAX_HOURS * 3600:
                logout(request)
                messages.info(request, _("You have been signed out because the session has expired."))
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
            if self.SEEN not in session or now - seen >= self.WRITE_EVERY_SECONDS:
                session[self.SEEN] = now
        return self.get_response(request)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At login the session's clocks start (connected to ``user_logged_in`` in AccountsConfig)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SessionLifetimeMiddleware.STARTED] = now
        request.session[SessionLifetimeMiddleware.SEEN] = now


class LanguageMiddleware:
    """Danish unless the person chose otherwise.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so most visitors
    with an English browser would land on an English portal. A Danish public portal is
    Danish by default; the language switcher (cookie) and, once signed in, the profile's
    preferred language decide otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in _LANGUAGE_CODES:
            # Only someone with a session can be signed in: without its cookie, asking for the
            # user would load an empty session and cost an anonymous visitor's page its queries.
            user = getattr(request, "user", None) if settings.SESSION_COOKIE_NAME in request.COOKIES else None
            preferred = getattr(user, "preferred_language", None) if user and user.is_authenticated else None
            code = preferred if preferred in _LANGUAGE_CODES else settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        patch_vary_headers(response, ["Cookie"])
        return response
