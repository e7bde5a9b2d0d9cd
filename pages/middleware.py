"""Cross-cutting rules for every response: what may be cached, and which requests are malformed."""

from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """A page or download made for a signed-in person is never kept by a browser or proxy cache.

    A shared computer's back button or disk cache would otherwise show the next person someone's
    request, the ledger or a meeting pack. A response that already says how to cache it (a public
    deliverable, allauth's never_cache pages) keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RejectNulBytesMiddleware:
    """A NUL byte in the path or the query string is a 400, before any view sends it to the database.

    PostgreSQL refuses NUL in text (Django raises ValueError, a 500); no URL of the portal has one.
    Form fields already refuse it (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the URL")
        return self.get_response(request)
