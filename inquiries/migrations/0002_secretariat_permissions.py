from django.db import migrations

from accounts.permissions import grant_secretariat


def forwards(apps, schema_editor):
    # Requests are never added or deleted in the admin (applicants file them; history is kept).
    # The read-only inlines need "view" on their models; canned replies are the secretariat's own.
    grant_secretariat(
        apps,
        {
            "inquiries.request": ["view", "change"],
            "inquiries.message": ["view"],
            "inquiries.attachment": ["view"],
            "inquiries.event": ["view"],
            "inquiries.referral": ["view", "add", "change"],
            "inquiries.cannedreply": ["view", "add", "change", "delete"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
        ("accounts", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
