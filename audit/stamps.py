"""Change stamps: a number per model, raised in the writing transaction when a row is saved or deleted.

A page that draws figures from a few models keeps them in the cache under the models' stamps
(one small query) and reads the models again only when a stamp has moved. Unlike a version held in
the cache, the stamp is part of the database's own state: it commits and rolls back with the
change, a process whose cache is its own memory (Redis down, accounts.cache) reads the same number
as every other, and a figure kept under a stamp was read when that stamp was current (a change
committed between the stamp's read and the figures' read only leaves a newer figure under an
older stamp, which nobody asks for again).

Only writes that send ``post_save`` or ``post_delete`` raise a stamp: a ``QuerySet.update()`` or
``bulk_update`` of a watched model must call ``bump`` itself (governance.services does).
"""

from __future__ import annotations

from django.db import connection, models
from django.db.models.signals import post_delete, post_save

from audit.models import ChangeStamp

_watched: set[str] = set()


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def bump(model: type[models.Model]) -> None:
    """Raise ``model``'s stamp by one, in the current transaction (one statement)."""
    table = ChangeStamp._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (label, version) VALUES (%s, 1) "  # noqa: S608  (our own table)
            f"ON CONFLICT (label) DO UPDATE SET version = {table}.version + 1",
            [label(model)],
        )


def _on_change(sender: type[models.Model], **kwargs) -> None:
    if not kwargs.get("raw"):  # loaddata writes fixtures before the stamp table may exist
        bump(sender)


def watch(*watched: type[models.Model]) -> None:
    """Raise the stamps of these models whenever one of their rows is saved or deleted."""
    for model in watched:
        name = label(model)
        if name in _watched:
            continue
        for signal in (post_save, post_delete):
            signal.connect(_on_change, sender=model, weak=False, dispatch_uid=f"stamps:{name}")
        _watched.add(name)


def read(*watched: type[models.Model]) -> tuple[int, ...]:
    """The models' stamps, in their order (0 for a model never changed since the table was made)."""
    names = [label(model) for model in watched]
    found = dict(ChangeStamp.objects.filter(label__in=names).values_list("label", "version"))
    return tuple(found.get(name, 0) for name in names)
