"""Permissions of the Secretariat group, granted by each app's own data migration.

Each app that the secretariat manages in the admin adds a migration calling
``grant_secretariat(apps, {"app_label.model": ["view", "add", "change"], ...})``, so the
group always holds exactly what the admin needs, on every database, without hand edits.
"""

from django.contrib.auth.management import create_permissions

from accounts.roles import SECRETARIAT_GROUP


def _ensure_permissions(apps, app_labels):
    # Permissions are normally created after migrate; a data migration needs them now.
    for label in app_labels:
        app_config = apps.get_app_config(label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = previous


def grant_secretariat(apps, grants: dict[str, list[str]]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps, {key.split(".")[0] for key in grants})
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    for key, actions in grants.items():
        app_label, model = key.split(".")
        codenames = [f"{action}_{model}" for action in actions]
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for {key}: {sorted(missing)}")
        group.permissions.add(*perms)
