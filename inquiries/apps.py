from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """Requests for guidance ("Inquiry" in code): the single point of entry of ToR §2."""

    name = "inquiries"
    verbose_name = _("Requests")
    # Requests are never added or deleted in the admin (applicants file them; history is kept).
    # The read-only inlines need "view" on their models; canned replies are the secretariat's own.
    secretariat_permissions = {
        "inquiry": ["view", "change"],
        "message": ["view"],
        "attachment": ["view"],
        "event": ["view"],
        "referral": ["view", "add", "change"],
        "cannedreply": ["view", "add", "change", "delete"],
    }

    def ready(self):
        from inquiries import privacy

        privacy.register()  # the requests' personal data and their retention (docs/privacy.md)
