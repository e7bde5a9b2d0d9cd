"""The record stays append-only, with one exception for erasure (GDPR art. 17): inside a
transaction that set ``atmp.audit_scrub`` (``audit.services.audit_scrub``), an UPDATE may change
``data`` and ``object_repr`` and nothing else. DELETE is still refused, and so is any other
UPDATE, from any client.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('atmp.audit_scrub', true), '') = 'on'
       AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.action = OLD.action
       AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.content_type_id = OLD.content_type_id AND NEW.object_id = OLD.object_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Audit entry % cannot be changed or deleted: the record of changes is append-only.', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Audit entry % cannot be changed or deleted: the record of changes is append-only.', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_object_language")]

    operations = [migrations.RunPython(forwards, backwards)]
