from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")
    # The secretariat looks people up and corrects profiles; it does not delete accounts
    # (deactivating keeps the history of their requests).
    secretariat_permissions = {"user": ["view", "change"]}

    def ready(self):
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import record_second_factor_on_enrolment, start_session_clock
        from accounts.permissions import on_post_migrate

        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.start_session_clock")
        authenticator_added.connect(
            record_second_factor_on_enrolment, dispatch_uid="accounts.second_factor_on_enrolment"
        )

        # After every migrate (and every flush of a test database) the Secretariat group holds
        # exactly what the apps declare; see accounts.permissions.
        post_migrate.connect(on_post_migrate, dispatch_uid="accounts.sync_secretariat_group")
