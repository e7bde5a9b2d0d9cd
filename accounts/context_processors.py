from django.conf import settings

from accounts.roles import Role, access_for


def portal(request):
    """What every page's header and navigation needs to know about the person."""
    user = getattr(request, "user", None)
    access = access_for(user) if user is not None else None
    roles = access.roles if access else frozenset()
    return {
        "portal_roles": roles,
        "is_secretariat": Role.SECRETARIAT in roles,
        "SITE_URL": settings.SITE_URL,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
