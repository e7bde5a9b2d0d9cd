"""Search every text column of every table for a string: what an erasure must leave nowhere."""

from django.db import connection


def rows_containing(needle: str) -> list[tuple[str, str]]:
    """(table, column) pairs where some row's text (or JSON, as text) contains ``needle``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            for column in description:
                type_name = (
                    column.type_code if connection.vendor == "sqlite" else _pg_type(cursor, column.type_code)
                )
                if not _is_text(str(type_name)):
                    continue
                quoted_table = connection.ops.quote_name(table)
                quoted = connection.ops.quote_name(column.name)
                cast = f"CAST({quoted} AS TEXT)"
                cursor.execute(f"SELECT 1 FROM {quoted_table} WHERE {cast} LIKE %s LIMIT 1", [f"%{needle}%"])
                if cursor.fetchone():
                    found.append((table, column.name))
    return sorted(found)


def _is_text(type_name: str) -> bool:
    lowered = type_name.lower()
    return any(t in lowered for t in ("char", "text", "json", "clob"))


_types: dict[int, str] = {}


def _pg_type(cursor, oid) -> str:
    if oid not in _types:
        cursor.execute("SELECT typname FROM pg_type WHERE oid = %s", [oid])
        row = cursor.fetchone()
        _types[oid] = row[0] if row else ""
    return _types[oid]
