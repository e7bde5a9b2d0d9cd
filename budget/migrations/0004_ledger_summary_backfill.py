"""Sum the ledger already there into the summary (issue 21)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from budget.summaries import ledger_summaries_rebuild

    ledger_summaries_rebuild(
        entry_model=apps.get_model("budget", "LedgerEntry"),
        summary_model=apps.get_model("budget", "LedgerSummary"),
    )


class Migration(migrations.Migration):
    dependencies = [("budget", "0003_ledger_summary")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
