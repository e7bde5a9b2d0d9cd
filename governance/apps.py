from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def active_memberships(user):
    """accounts.roles asks this which bodies a user is an active member of today."""
    from accounts.roles import BodyMembership
    from governance.models import Membership

    return [
        BodyMembership(body_id=m.body_id, body_kind=m.body.kind, role=m.role)
        for m in Membership.objects.active().filter(user=user).select_related("body")
    ]


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from accounts.roles import register_membership_provider

        register_membership_provider(active_memberships)
