from django.db import migrations

from accounts.permissions import grant_secretariat


def forwards(apps, schema_editor):
    # Organisations are referred to by seats and referrals: deactivate, never delete.
    grant_secretariat(apps, {"governance.organisation": ["view", "add", "change"]})


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("accounts", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
