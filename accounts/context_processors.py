from django.conf import settings

from accounts.roles import Role, access_for


def portal(request):
    """What every page's header and navigation needs to know about the person."""
    user = getattr(request, "user", None)
    access = access_for(user) if user is not None else None
    return {
        "is_secretariat": access is not None and access.has(Role.SECRETARIAT),
        "is_body_member": access is not None and bool(access.bodies),
        # The steering group's pages (budget, dashboard): steering members and the secretariat.
        "sees_steering_pages": access is not None and access.sees_steering_pages,
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    }
