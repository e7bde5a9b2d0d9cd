"""Every write to the directory: entries, their taxonomies, capabilities.

Keyword-only and typed; each validates, writes inside a transaction and records who did what
(``actor``; ``None`` for the reference and demo data loaders).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from network.models import (
    Capability,
    Entry,
    EntryAtmpClass,
    EntryEvent,
    EntryEventKind,
    EntryStage,
)

# The fields of an entry that a service sets directly (the taxonomies are rows of their own).
ENTRY_FIELDS = (
    "name",
    "entry_type",
    "region",
    "parent",
    "description_da",
    "description_en",
    "contact_email",
    "contact_language",
    "website",
    "is_published",
)


# slugify drops what is not ASCII after decomposing it; æ, ø and å do not decompose.
_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(name.translate(_DANISH)) or "entry")[:80].strip("-") or "entry"
    candidate, n = base, 1
    taken = Entry.objects.exclude(pk=exclude_pk) if exclude_pk else Entry.objects.all()
    while taken.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _set_taxonomies(
    entry: Entry,
    *,
    capabilities: Iterable[Capability] | None,
    atmp_classes: Iterable[str] | None,
    stages: Iterable[str] | None,
) -> list[str]:
    """Replace what is given (``None`` leaves it as it is); the names of what changed."""
    changed = []
    if capabilities is not None:
        wanted = {c.pk for c in capabilities}
        if wanted != set(entry.capabilities.values_list("pk", flat=True)):
            entry.capabilities.set(wanted)
            changed.append("capabilities")
    for rows, model, field, values, label in (
        (entry.atmp_class_rows, EntryAtmpClass, "atmp_class", atmp_classes, "atmp_classes"),
        (entry.stage_rows, EntryStage, "stage", stages, "stages"),
    ):
        if values is None:
            continue
        wanted_values = set(values)
        current = set(rows.values_list(field, flat=True))
        if wanted_values == current:
            continue
        rows.filter(**{f"{field}__in": current - wanted_values}).delete()
        for value in sorted(wanted_values - current):
            row = model(entry=entry, **{field: value})
            row.full_clean(exclude=["entry"])
            row.save()
        changed.append(label)
    return changed


def _refresh_search_text(entry: Entry) -> None:
    parts = [entry.name, entry.description_da, entry.description_en]
    if entry.parent_id:
        parts += [entry.parent.name_da, entry.parent.name_en, entry.parent.abbreviation]
    for capability in entry.capabilities.all():
        parts += [capability.name_da, capability.name_en]
    text = " ".join(p for p in parts if p).lower()
    if text != entry.search_text:
        entry.search_text = text
        Entry.objects.filter(pk=entry.pk).update(search_text=text)


@transaction.atomic
def entry_create(
    *,
    actor: User | None,
    name: str,
    entry_type: str,
    region: str,
    capabilities: Iterable[Capability] = (),
    atmp_classes: Iterable[str] = (),
    stages: Iterable[str] = (),
    slug: str = "",
    **fields: Any,
) -> Entry:
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_create() got unexpected fields: {sorted(unknown)}")
    entry = Entry(name=name, entry_type=entry_type, region=region, **fields)
    entry.slug = slug or _unique_slug(name)
    entry.full_clean()
    entry.save()
    _set_taxonomies(entry, capabilities=capabilities, atmp_classes=atmp_classes, stages=stages)
    _refresh_search_text(entry)
    EntryEvent.objects.create(entry=entry, actor=actor, kind=EntryEventKind.CREATED)
    return entry


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    actor: User | None,
    capabilities: Iterable[Capability] | None = None,
    atmp_classes: Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
    **fields: Any,
) -> Entry:
    """Change what is given; the history names the fields that changed."""
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"entry_update() got unexpected fields: {sorted(unknown)}")
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
    changed += _set_taxonomies(locked, capabilities=capabilities, atmp_classes=atmp_classes, stages=stages)
    if changed:
        _refresh_search_text(locked)
        EntryEvent.objects.create(
            entry=locked, actor=actor, kind=EntryEventKind.UPDATED, detail=", ".join(changed)[:500]
        )
    return locked


@transaction.atomic
def capability_save(*, actor: User | None, capability: Capability) -> Capability:
    """Create or change one item of the taxonomy (the admin's form fills ``capability``)."""
    if not capability.code:
        capability.code = slugify(capability.name_en or capability.name_da)[:60]
    capability.full_clean()
    capability.save()
    # Its name is part of the entries' search text.
    for entry in capability.entries.select_related("parent").prefetch_related("capabilities"):
        _refresh_search_text(entry)
    return capability


@transaction.atomic
def entry_confirm(
    *, entry: Entry, actor: User | None, on: datetime.date | None = None, detail: str = ""
) -> Entry:
    """The entry is true as it stands (confirmed by its contact, or by the secretariat for them)."""
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    locked.last_confirmed = on or timezone.localdate()
    locked.save(update_fields=["last_confirmed", "updated_at"])
    EntryEvent.objects.create(entry=locked, actor=actor, kind=EntryEventKind.CONFIRMED, detail=detail[:500])
    return locked
