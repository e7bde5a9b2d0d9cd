from django.db import migrations

from accounts.permissions import grant_secretariat

CHANGE = ["view", "add", "change"]


def forwards(apps, schema_editor):
    # Projects and deliverables are stopped or kept as drafts, never deleted: decisions point
    # at them. Milestones and progress notes can be removed while editing.
    grant_secretariat(
        apps,
        {
            "projects.project": CHANGE,
            "projects.deliverable": CHANGE,
            "projects.milestone": [*CHANGE, "delete"],
            "projects.progressupdate": [*CHANGE, "delete"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("accounts", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
