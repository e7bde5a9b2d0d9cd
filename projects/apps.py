from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """Analyses I–V and pilot projects of ToR §2."""

    name = "projects"
    verbose_name = _("Projects")
    # Projects and deliverables are stopped or kept as drafts, never deleted: decisions point
    # at them. Milestones and progress notes can be removed while editing.
    secretariat_permissions = {
        "project": ["view", "add", "change"],
        "deliverable": ["view", "add", "change"],
        "milestone": ["view", "add", "change", "delete"],
        "progressupdate": ["view", "add", "change", "delete"],
    }

    def ready(self):
        from audit import stamps
        from projects.models import STAMPED

        # The dashboard keeps its project figures under these models' change stamps; a bulk write
        # to one of them (update(), bulk_update) calls stamps.bump itself.
        stamps.watch(*STAMPED)
