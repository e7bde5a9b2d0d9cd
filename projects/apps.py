from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Analyses I–V and pilot projects (filled by the projects issue)."""

    name = "projects"
    verbose_name = _("Projects")
