"""Writing the record: every service calls ``audit_record`` inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.fields.files import FieldFile

from audit.models import AuditEntry

if TYPE_CHECKING:
    from accounts.models import User

# Fields whose values never reach the record (a password hash, a second factor's secret, a feed
# token): that they changed is recorded, what they hold is not.
SECRET_FIELDS = frozenset({"password", "data", "secret", "token", "key"})
HIDDEN = "********"

# Values longer than this are cut in the record (a long minutes text is kept by its object, not twice).
MAX_TEXT = 2000


def jsonable(value: Any) -> Any:
    """A value as the record keeps it: JSON types, ids for rows, names for files, text for the rest."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"
    if isinstance(value, models.Model):
        return {"id": value.pk, "repr": str(value)[:200]}
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return [jsonable(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` (foreign keys as the row they point at), before a change."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(obj.pk and getattr(obj, name).values_list("pk", flat=True) or [])
        elif isinstance(field, models.ForeignKey):
            values[name] = getattr(obj, field.attname)  # the id: no query for the related row
        else:
            values[name] = getattr(obj, name)
        if name in SECRET_FIELDS and values[name] not in ("", None):
            values[name] = HIDDEN
    return values


def changes(before: dict[str, Any], obj: models.Model) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields of ``before`` whose value on ``obj`` differs."""
    after = snapshot(obj, before)
    return {
        name: [jsonable(before[name]), jsonable(after[name])]
        for name in before
        if jsonable(before[name]) != jsonable(after[name])
    }


def audit_record(
    *, actor: User | None, obj: models.Model, action: str, data: dict[str, Any] | None = None
) -> AuditEntry:
    """One line in the record: ``actor`` (None: the portal itself) did ``action`` to ``obj``.

    ``action`` is dotted, ``<app>.<thing>.<what happened>`` (``governance.meeting.rescheduled``);
    ``data`` holds the changed values (``{"starts_at": [old, new]}``) and whatever else explains it.
    Call it inside the service's transaction, after the change is saved.
    """
    assert obj.pk is not None, "record a change after the object is saved"
    shown = obj.__str__()  # not str(obj): a LangText (accounts.language) keeps its language
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        object_repr=str(shown)[:200],
        object_language=getattr(shown, "lang", "")[:8],
        data=jsonable(data or {}),
    )


def _label(obj: models.Model) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def _fields_of(obj: models.Model) -> list[str]:
    return [f.name for f in obj._meta.concrete_fields if f.editable and not f.primary_key]


@transaction.atomic
def object_create(*, actor: User | None, obj: models.Model) -> models.Model:
    """Save a new plain row (reference data, an agenda item) and record it with its values.

    For rows with rules of their own, the app's service is the way (``meeting_schedule``).
    """
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor,
        obj=obj,
        action=f"{_label(obj)}.created",
        data={
            name: value for name, value in snapshot(obj, _fields_of(obj)).items() if value not in ("", None)
        },
    )
    return obj


@transaction.atomic
def object_update(*, actor: User | None, obj: models.Model, before: dict[str, Any]) -> models.Model:
    """Save changed plain fields of a row; ``before`` holds their values as they were."""
    obj.full_clean()
    obj.save()
    before = {name: HIDDEN if name in SECRET_FIELDS else value for name, value in before.items()}
    changed = {
        name: [jsonable(old), jsonable(new)]
        for name, old in before.items()
        if jsonable(old) != jsonable(new := snapshot(obj, [name])[name]) or name in SECRET_FIELDS
    }
    if changed:
        audit_record(actor=actor, obj=obj, action=f"{_label(obj)}.changed", data=changed)
    return obj


@transaction.atomic
def object_delete(*, actor: User | None, obj: models.Model) -> None:
    """Delete a row that may be deleted (an agenda item, a seat); the record keeps what it was."""
    audit_record(actor=actor, obj=obj, action=f"{_label(obj)}.deleted", data=snapshot(obj, _fields_of(obj)))
    obj.delete()


def object_related_changed(*, actor: User | None, obj: models.Model, before: dict[str, list[int]]) -> None:
    """Record a change of many-to-many fields (saved by the form after the row): old and new ids."""
    after = snapshot(obj, before)
    changed = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    if changed:
        audit_record(actor=actor, obj=obj, action=f"{_label(obj)}.changed", data=changed)


ERASED = "[erased]"


def _scrubbed(value: Any, markers: tuple[str, ...]) -> Any:
    """``value`` with every string that contains one of ``markers`` (already lower-cased) erased."""
    if isinstance(value, str):
        lowered = value.lower()
        return ERASED if any(m in lowered for m in markers) else value
    if isinstance(value, dict):
        return {k: _scrubbed(v, markers) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, markers) for v in value]
    return value


def audit_scrub(
    *,
    entries: models.QuerySet[AuditEntry],
    markers: frozenset[str],
    markers_by_object: Mapping[int, frozenset[str]] | None = None,
) -> int:
    """Erase a person's data from the record, keeping the facts (who, when, what was done).

    Any value in ``data`` and any ``object_repr`` that contains one of ``markers`` (the person's
    address, name, organisation, free text) becomes "[erased]". ``markers_by_object`` adds, per
    ``object_id``, the strings of that object only (retention scrubs each request's entries with
    that request's own texts, not with every due request's). This is the one change the record
    allows: on PostgreSQL the append-only trigger lets an UPDATE through only inside a transaction
    that set ``atmp.audit_scrub`` and only if nothing but those two columns changes (migration
    0003). Returns the number of entries changed.
    """
    if not markers and not markers_by_object:
        return 0
    common = _lowered(markers)
    own = {pk: _lowered(found) for pk, found in (markers_by_object or {}).items()}
    scrubbed: list[tuple[str, str, int]] = []
    for pk, object_id, data, object_repr in entries.values_list(
        "pk", "object_id", "data", "object_repr"
    ).iterator(chunk_size=2000):
        lowered = common + own.get(object_id, ())
        new_data = _scrubbed(data, lowered)
        new_repr = _scrubbed(object_repr, lowered)
        if new_data != data or new_repr != object_repr:
            scrubbed.append((json.dumps(new_data, cls=DjangoJSONEncoder), new_repr, pk))
    if not scrubbed:
        return 0
    from django.db import connection

    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('atmp.audit_scrub', 'on', true)")
        # AuditEntry's own queryset refuses every update on purpose; this statement is the one
        # sanctioned exception (one prepared UPDATE, run for each scrubbed entry in a pipeline).
        cursor.executemany(
            f"UPDATE audit_auditentry SET data = %s{cast}, object_repr = %s WHERE id = %s",  # noqa: S608
            scrubbed,
        )
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('atmp.audit_scrub', 'off', true)")
    return len(scrubbed)


def _lowered(markers) -> tuple[str, ...]:
    return tuple({m.lower() for m in markers if m})
