import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEX = (
    "CREATE INDEX IF NOT EXISTS inq_inquiry_subject_trgm "
    "ON inquiries_inquiry USING gin (UPPER(subject::text) gin_trgm_ops)"
)


def forwards(apps, schema_editor):
    """The admin's subject search is UPPER(subject) LIKE '%…%': only a trigram index serves it.

    PostgreSQL only; pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may
    create it. Where that is refused, the search still works, only slower: log and go on.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(INDEX)
    except DatabaseError as exc:
        logger.warning("trigram index on request (inquiry) subjects not created: %s", exc)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS inq_inquiry_subject_trgm")


class Migration(migrations.Migration):
    dependencies = [("inquiries", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
