"""A GIN index on the library's search document, on PostgreSQL only (SQLite searches with icontains)."""

from django.db import migrations

INDEX = "knowledge_item_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON knowledge_item USING gin (search_document)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_library")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
