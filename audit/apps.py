from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")
    # The record is read, never written by hand: services write it, nobody edits or deletes it.
    secretariat_permissions = {"auditentry": ["view"]}
