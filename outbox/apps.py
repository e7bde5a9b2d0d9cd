from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """Every email the portal sends: a row first, then a send (docs/outbox.md)."""

    name = "outbox"
    verbose_name = _("Outbox")
    # The secretariat reads the outbox (did the receipt go out?); it never edits or deletes it.
    secretariat_permissions = {"outboundemail": ["view"]}
