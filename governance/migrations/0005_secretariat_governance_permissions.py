from django.db import migrations

from accounts.permissions import grant_secretariat

CHANGE = ["view", "add", "change"]


def forwards(apps, schema_editor):
    # Meetings are cancelled, memberships ended, decisions kept: those are never deleted.
    # Agenda items, documents, attendance rows and action items can be removed while editing.
    grant_secretariat(
        apps,
        {
            "governance.body": CHANGE,
            "governance.seat": [*CHANGE, "delete"],
            "governance.membership": CHANGE,
            "governance.meeting": CHANGE,
            "governance.agendaitem": [*CHANGE, "delete"],
            "governance.meetingdocument": [*CHANGE, "delete"],
            "governance.attendance": [*CHANGE, "delete"],
            "governance.decision": CHANGE,
            "governance.actionitem": [*CHANGE, "delete"],
            "governance.meetingnotice": ["view"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0004_bodies_meetings_decisions"),
        ("accounts", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
