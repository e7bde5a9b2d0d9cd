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
    # Organisations are referred to by seats and referrals: deactivated, never deleted.
    # Meetings are cancelled, memberships ended, decisions kept: those are never deleted.
    # Agenda items, documents, attendance rows and action items can be removed while editing.
    secretariat_permissions = {
        "organisation": ["view", "add", "change"],
        "body": ["view", "add", "change"],
        "seat": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change"],
        "meeting": ["view", "add", "change"],
        "agendaitem": ["view", "add", "change", "delete"],
        "meetingdocument": ["view", "add", "change", "delete"],
        "attendance": ["view", "add", "change", "delete"],
        "decision": ["view", "add", "change"],
        "actionitem": ["view", "add", "change", "delete"],
        "meetingnotice": ["view"],
    }

    def ready(self):
        from accounts.roles import register_membership_provider
        from audit import stamps
        from governance.models import STAMPED

        register_membership_provider(active_memberships)
        # The dashboard keeps its governance figures under these models' change stamps; a bulk
        # write to one of them (update(), bulk_update) calls stamps.bump itself.
        stamps.watch(*STAMPED)

        from governance import privacy

        privacy.register()  # the personal data this app holds (docs/privacy.md)
