from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    """ToR function 3: networking and knowledge sharing (library, checklist, events, news)."""

    name = "knowledge"
    verbose_name = _("Knowledge sharing")
    # Items are withdrawn, never deleted: a withdrawn page still answers 410 with its successor.
    # Versions are the record of what was published: read-only. Files can be replaced.
    secretariat_permissions = {
        "item": ["view", "add", "change"],
        "itemfile": ["view", "add", "change", "delete"],
        "itemversion": ["view"],
        "checkliststep": ["view", "add", "change"],
        # Events are cancelled, never deleted (registrations point at them). Registrations are
        # the participants' own: the secretariat reads, exports and cancels them, never edits.
        "event": ["view", "add", "change"],
        "eventmaterial": ["view", "add", "change", "delete"],
        "registration": ["view", "change"],
    }

    def ready(self):
        from knowledge.services import report_item_sync
        from projects.publication import register_publication_listener

        # A deliverable published in projects appears in the library as a report, in the same transaction.
        register_publication_listener(report_item_sync)

        # Events: the reminder task (not in a tasks.py, so named for Celery here), and the
        # registrations' personal data and retention, declared to the privacy registry.
        from knowledge import events_tasks  # noqa: F401
        from knowledge.privacy import RETENTION, SOURCE
        from privacy.registry import register_retention, register_source

        register_source(SOURCE)
        register_retention(RETENTION)
