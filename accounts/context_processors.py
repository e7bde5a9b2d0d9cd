from django.conf import settings

from accounts.roles import Role, access_for


def portal(request):
    """What every page's header and navigation needs to know about the person."""
    user = getattr(request, "user", None)
    return {
        "is_secretariat": user is not None and access_for(user).has(Role.SECRETARIAT),
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
