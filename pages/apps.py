from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The public face of the portal: home and information pages, health, data loading.

    Kept out of ``atmp_portal/``, which holds configuration only.
    """

    name = "pages"
    verbose_name = _("Public pages")
