from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """Requests for guidance: the single point of entry (filled by the requests issue)."""

    name = "inquiries"
    verbose_name = _("Requests")
