from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import access_for, is_secretariat


def portal(request):
    """What every page's header and navigation needs to know about the person.

    The memberships are read only when a template asks (``is_body_member``, ``sees_steering_pages``):
    the portal's header does, the admin's pages never do, and there they cost no query (issue 21).
    ``access_for`` keeps its answer on the user, so the two read the memberships once.
    """
    user = getattr(request, "user", None)
    if user is None:
        return {
            "is_secretariat": False,
            "is_body_member": False,
            "sees_steering_pages": False,
            "CONTACT_EMAIL": settings.CONTACT_EMAIL,
        }
    return {
        # Read with the user's row (accounts.backends): no query of its own.
        "is_secretariat": is_secretariat(user),
        "is_body_member": SimpleLazyObject(lambda: bool(access_for(user).bodies)),
        # The steering group's pages (budget, dashboard): steering members and the secretariat.
        "sees_steering_pages": SimpleLazyObject(lambda: access_for(user).sees_steering_pages),
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
