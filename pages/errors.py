"""The portal's error pages, safe for any request however malformed.

Django's default handlers are wrapped in ``requires_csrf_token``, which runs the CSRF check
again, which reads the body again: a body that could not be parsed the first time (a
``charset=utf-16`` form post) raises again inside the 400 handler and becomes a 500. These
handlers never touch the body.
"""

import logging

from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)


def _page(request, template: str, status: int, context: dict | None = None) -> HttpResponse:
    try:
        # With the request: the portal's header, the person's name and language. Nothing here
        # reads the body (the CSRF token comes from the cookie).
        return render(request, template, context, status=status)
    except Exception:
        logger.exception("error page %s failed with the request; rendering it without", template)
        return HttpResponse(loader.render_to_string(template, context), status=status)


def bad_request(request, exception=None):
    return _page(request, "400.html", HttpResponseBadRequest.status_code)


def permission_denied(request, exception=None):
    # As Django's own handler: the reason raised with PermissionDenied, for the page to show.
    return _page(request, "403.html", 403, {"exception": str(exception or "")})


def page_not_found(request, exception=None):
    return _page(request, "404.html", 404, {"request_path": request.path})


def server_error(request):
    # No request context: whatever broke may break it again.
    return HttpResponseServerError(loader.render_to_string("500.html"))
