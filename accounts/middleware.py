from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

_LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class StaffMFARequiredMiddleware:
    """Staff reach the admin only once they have set up two-factor authentication.

    The secretariat sees applicants' personal data and the ledger, so a password alone is
    not enough. A staff user without an authenticator is sent to set one up first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_mfa_setup(request):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication before you use the administration. "
                    "Scan the code with an authenticator app and enter the six digits it shows."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _needs_mfa_setup(request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return False
        admin_root = reverse("admin:index")
        if not request.path.startswith(admin_root) or request.path.startswith(reverse("admin:logout")):
            return False
        return not is_mfa_enabled(user)


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
