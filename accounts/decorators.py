"""View decorators for pages that belong to a role."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts.roles import access_for


def steering_pages_only(refusal):
    """For the steering group's pages: anonymous visitors sign in first; anyone else signed in who is
    neither an active steering member nor the secretariat gets the 403 page with ``refusal``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
            if not access_for(request.user).sees_steering_pages:
                raise PermissionDenied(refusal)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
