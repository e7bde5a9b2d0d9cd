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
        # News is withdrawn, never deleted; subscribers leave through their own link, and the
        # secretariat can take an address off the list (unsubscribe) but not add one unconfirmed.
        "newsitem": ["view", "add", "change"],
        "newsletterissue": ["view", "add", "change"],
        "subscriber": ["view", "change"],
    }

    def ready(self):
        from knowledge.services import report_item_sync
        from projects.publication import register_publication_listener

        # A deliverable published in projects appears in the library as a report, in the same transaction.
        register_publication_listener(report_item_sync)

        # Events: the reminder task (not in a tasks.py, so named for Celery here), and the
        # registrations' personal data and retention, declared to the privacy registry; and the
        # guidance items a person is named owner of.
        from knowledge import events_tasks  # noqa: F401
        from knowledge.privacy import OWNED_ITEMS_SOURCE, RETENTION, SOURCE
        from privacy.registry import register_retention, register_source

        register_source(SOURCE)
        register_source(OWNED_ITEMS_SOURCE)
        register_retention(RETENTION)
        # News and the newsletter: the send task, the subscribers' personal data.
        from knowledge import news_tasks  # noqa: F401 (registers the task with Celery)
        from knowledge.news_privacy import register_privacy

        register_privacy()

        # The library answers the request page's "related guidance" and the form's suggestions.
        from inquiries.guidance import register_guidance_provider
        from knowledge.guidance import related_items

        register_guidance_provider(related_items)

        # Items past their review date go into the secretariat's weekly digest (governance.due).
        from governance.due import register_digest_provider
        from knowledge.digest import review_due_section

        register_digest_provider(review_due_section)
