"""The Secretariat group's permissions: one map, kept true after every migrate.

Each app that the secretariat manages in the admin declares what the group may do with its
models on its AppConfig (``secretariat_permissions = {"model": ["view", "change"], ...}``).
After every ``migrate`` (and every flush of a test database) ``sync_secretariat_group`` sets the
group's permissions for that app to exactly the declared ones: a permission added to the map is
granted, one removed from it is taken back, and a name that matches no permission stops migrate.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

from accounts.roles import SECRETARIAT_GROUP


def declared_permissions(app_config: AppConfig) -> set[str]:
    """The codenames (``change_meeting`` …) that ``app_config`` grants the secretariat."""
    grants: dict[str, list[str]] = getattr(app_config, "secretariat_permissions", {})
    return {f"{action}_{model}" for model, actions in grants.items() for action in actions}


def sync_secretariat_group(
    app_config: AppConfig, *, using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps
) -> None:
    """Make the group's permissions on ``app_config``'s models exactly the declared ones."""
    if app_config.models_module is None:
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = declared_permissions(app_config)
    # Django creates permissions in its own post_migrate handler; make sure they exist first.
    create_permissions(app_config, verbosity=0, using=using, apps=apps)
    group, _ = Group.objects.using(using).get_or_create(name=SECRETARIAT_GROUP)
    in_app = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    found = list(in_app.filter(codename__in=wanted))
    missing = wanted - {p.codename for p in found}
    if missing:
        raise RuntimeError(
            f"{app_config.label}.apps declares Secretariat permissions that do not exist: {sorted(missing)}"
        )
    group.permissions.remove(*in_app.exclude(codename__in=wanted))
    group.permissions.add(*found)


def on_post_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, apps: Any = global_apps, **kwargs):
    sync_secretariat_group(sender, using=using, apps=apps)
