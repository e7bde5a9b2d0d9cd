"""On PostgreSQL the database itself keeps the ledger append-only.

* No UPDATE or DELETE of a ledger entry, by any client, not even a superuser's SQL session.
  (TRUNCATE, which only the test runner's flush uses, is not a row operation.)
* A reversal must mirror the entry it reverses: same grant, year, category and project, amount
  and effects negated, and a reversal is never itself reversed.

SQLite (the laptop set-up) relies on the ORM guard in ``LedgerEntry.save``/``delete``.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION budget_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Ledger entry % cannot be changed or deleted: the ledger is append-only; post a reversal.', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER budget_ledger_append_only
    BEFORE UPDATE OR DELETE ON budget_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budget_ledger_refuse_change();

CREATE FUNCTION budget_ledger_check_reversal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    original budget_ledgerentry%ROWTYPE;
BEGIN
    IF NEW.kind <> 'reversal' THEN
        RETURN NEW;
    END IF;
    SELECT * INTO original FROM budget_ledgerentry WHERE id = NEW.reverses_id;
    IF original.kind = 'reversal' THEN
        RAISE EXCEPTION 'Entry % is a reversal and cannot be reversed.', original.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.amount <> -original.amount
       OR NEW.committed_effect <> -original.committed_effect
       OR NEW.spent_effect <> -original.spent_effect
       OR NEW.grant_id <> original.grant_id
       OR NEW.year <> original.year
       OR NEW.category_id <> original.category_id
       OR NEW.project_id IS DISTINCT FROM original.project_id THEN
        RAISE EXCEPTION 'A reversal must negate entry % exactly (same grant, year, category and project).', original.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER budget_ledger_reversal_mirrors
    BEFORE INSERT ON budget_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION budget_ledger_check_reversal();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS budget_ledger_reversal_mirrors ON budget_ledgerentry;
DROP FUNCTION IF EXISTS budget_ledger_check_reversal();
DROP TRIGGER IF EXISTS budget_ledger_append_only ON budget_ledgerentry;
DROP FUNCTION IF EXISTS budget_ledger_refuse_change();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # params=None: sent as written; with params, PL/pgSQL's "%" would be taken for placeholders.
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("budget", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
