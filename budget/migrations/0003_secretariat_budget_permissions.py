from django.db import migrations

from accounts.permissions import grant_secretariat


def forwards(apps, schema_editor):
    # Ledger entries are added and never changed or deleted (corrections are reversals).
    # Grants and applications are kept for the record, so nothing here can be deleted.
    grant_secretariat(
        apps,
        {
            "budget.ledgerentry": ["view", "add"],
            "budget.grant": ["view", "add", "change"],
            "budget.allocation": ["view", "add", "change"],
            "budget.costcategory": ["view"],
            "budget.fundingapplication": ["view", "add", "change"],
            "budget.applicationevent": ["view"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("budget", "0002_ledger_append_only_on_postgresql"),
        ("accounts", "0002_secretariat_group"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
