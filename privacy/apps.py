from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"
    # The secretariat handles data-subject requests and sees the record of handlings (read-only).
    secretariat_permissions = {"handling": ["view"]}

    def ready(self):
        from accounts.erasure import register_user_eraser
        from downloads.builders import Builder, register_builder
        from privacy import services, sources

        sources.register()  # accounts, outbox, the record of changes, downloads: the apps below
        # A superuser's "delete" of a person in the admin is this erasure (accounts.erasure).
        register_user_eraser(
            lambda *, actor, user: services.personal_data_erase(
                actor=actor, subject=services.subject_for_user(user)
            )
        )
        register_builder(
            Builder(
                kind=services.EXPORT_KIND,
                label=_("Your data from ATMP Danmark"),
                build=services.build_export,
                back_url_name="privacy:data",
            )
        )
