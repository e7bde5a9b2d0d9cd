"""Choice lists of small tables that rarely change, read once and kept in the cache until a row does.

A change page offers the same few dozen organisations, staff members or canned replies on every
view; reading them costs a query each time (issue 21: the request's change page is to cost at most
ten). ``cached_choices`` keeps the ``(pk, label)`` pairs under a key that carries a version of the
model: any save or delete of a row of that model (``post_save``/``post_delete``, connected when the
model is first cached) draws a new version, and its commit another, so the next page reads the
table again. Labels are kept per language (an organisation's name is Danish or English).

Only the *offered* list comes from the cache. A submitted value is still checked against the
field's queryset (``ModelChoiceField.to_python``), so a row deactivated a moment ago is refused
even if a page offered it. Writes that bypass the signals (``QuerySet.update``) are not seen until
``TIMEOUT`` passes; nothing in the portal updates these models that way.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

TIMEOUT = 60 * 60
_watched: set[str] = set()


def _version_key(model: type[models.Model]) -> str:
    return f"choices-version:{model._meta.label_lower}"


def _new_version(sender: type[models.Model], **kwargs: Any) -> None:
    key = _version_key(sender)
    cache.set(key, uuid.uuid4().hex, None)
    # Once more when the change is committed: a page drawn between the save and the commit read the
    # table as it was, under the new version, and would offer that list until the next change.
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def _watch(model: type[models.Model]) -> None:
    label = model._meta.label_lower
    if label in _watched:
        return
    for signal in (post_save, post_delete):
        signal.connect(_new_version, sender=model, weak=False, dispatch_uid=f"choices:{label}")
    _watched.add(label)


def cached_choices(
    field: forms.ModelChoiceField,
    *,
    name: str,
    label: Callable[[Any], str] = str,
) -> None:
    """Give ``field`` its ``(pk, label)`` choices from the cache, reading its queryset on a miss.

    ``name`` tells apart two lists of one model (the staff, the applicants). The empty choice of
    the field is kept as Django writes it.
    """
    field.choices = choice_pairs(field, name=name, label=label)


def choice_pairs(
    field: forms.ModelChoiceField,
    *,
    name: str,
    label: Callable[[Any], str] = str,
) -> list[tuple[Any, Any]]:
    """The choices ``cached_choices`` gives, for a field whose ``choices`` cannot be set (a
    django-filter field): give them to its widget."""
    queryset = field.queryset
    assert queryset is not None
    model = queryset.model
    _watch(model)
    version = cache.get(_version_key(model))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(model), version, None)
        version = cache.get(_version_key(model)) or version
    key = f"choices:{model._meta.label_lower}:{name}:{translation.get_language()}:{version}"
    pairs = cache.get(key)
    if pairs is None:
        # Plain str: a label may be a str subclass (governance's language-marked names) that the
        # cache could not unpickle.
        pairs = [(row.pk, str(label(row))) for row in queryset]
        cache.set(key, pairs, TIMEOUT)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return [*empty, *pairs]
