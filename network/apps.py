from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """ToR §2, function 2: the directory of ATMP capabilities across the regions and Nordic partners."""

    name = "network"
    verbose_name = _("Network and directory")
    # Entries are unpublished, never deleted: rounds and referrals will point at them.
    # Capabilities are retired (inactive), never deleted: entries and profiles refer to them.
    secretariat_permissions = {
        "entry": ["view", "add", "change"],
        "capability": ["view", "add", "change"],
        "entryreferral": ["view", "add", "change"],
        "entrychange": ["view", "change"],
        "interestprofile": ["view", "add", "change", "delete"],
        "round": ["view", "add", "change"],
        "invitation": ["view"],
    }

    def ready(self):
        # inquiries cannot import network (dependencies point network → inquiries): the request
        # page asks inquiries.feasibility, and network answers through this provider.
        from inquiries.directory import register_directory_referral_provider
        from inquiries.feasibility import register_feasibility_provider
        from network.selectors import directory_referrals, released_answers

        register_feasibility_provider(released_answers)
        register_directory_referral_provider(directory_referrals)

        from network import privacy

        privacy.register()  # the personal data this app holds (docs/privacy.md)
