import logging

from django.db import DatabaseError, migrations, models, transaction

logger = logging.getLogger(__name__)

INDEX = "CREATE INDEX IF NOT EXISTS net_entry_search_trgm ON network_entry USING gin (search_text gin_trgm_ops)"


def fill_search_text(apps, schema_editor):
    """Entries made before the column: the same text the services keep (network.services)."""
    Entry = apps.get_model("network", "Entry")
    for entry in Entry.objects.select_related("parent").prefetch_related("capabilities"):
        parts = [entry.name, entry.description_da, entry.description_en]
        if entry.parent_id:
            parts += [entry.parent.name_da, entry.parent.name_en, entry.parent.abbreviation]
        for capability in entry.capabilities.all():
            parts += [capability.name_da, capability.name_en]
        Entry.objects.filter(pk=entry.pk).update(search_text=" ".join(p for p in parts if p).lower())


def trigram_index(apps, schema_editor):
    """The search is search_text LIKE '%…%': only a trigram index serves it (PostgreSQL only).

    pg_trgm is a trusted extension (PostgreSQL 13+); where it is refused, the search still
    works, only slower: log and go on.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(INDEX)
    except DatabaseError as exc:
        logger.warning("trigram index on directory entries not created: %s", exc)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS net_entry_search_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0001_initial'),
        ('network', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='entry',
            name='search_text',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddIndex(
            model_name='entry',
            index=models.Index(fields=['name', 'id'], name='net_entry_name_idx'),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
