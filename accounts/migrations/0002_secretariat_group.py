from django.db import migrations

from accounts.permissions import grant_secretariat


def forwards(apps, schema_editor):
    # The secretariat looks people up and corrects profiles; it does not delete accounts
    # (deactivating keeps the history of their requests).
    grant_secretariat(apps, {"accounts.user": ["view", "change"]})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
