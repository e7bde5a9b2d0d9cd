"""What the portal holds about a person, declared by each app that holds it (GDPR art. 15, 17, 20).

``privacy`` sits low in the app order and imports no app above it. Each app that keeps personal
data registers one ``PersonalDataSource`` per kind of data in its ``AppConfig.ready()``::

    from privacy.registry import PersonalDataSource, register_source
    register_source(PersonalDataSource(key="inquiries.requests", label=_("Your requests"), ...))

The self-service pages (``/account/data/``, ``/account/delete/``), the secretariat's handling of a
data-subject request by email address, and the export all walk the registered sources, so a new
kind of personal data is covered the day its app registers it. Retention rules register the same
way (``register_retention``); the daily job and the admin's "next run" view walk them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.utils.functional import Promise

if TYPE_CHECKING:
    import datetime

    from django.db.models import QuerySet

    from accounts.models import User


@dataclass(frozen=True)
class Subject:
    """Whose data: a signed-in person (``user``), or someone known only by email to the secretariat.

    ``email`` is always set (the user's own address when there is a user); sources match rows by
    the user where they have one, and by the email address (case-insensitive) otherwise.
    """

    email: str
    user: User | None = None


@dataclass
class Exported:
    """One source's part of an export: JSON-ready data and the files that go beside it in the ZIP.

    ``files`` are ``(name in the ZIP, file)`` pairs; the name starts with the source's key.
    """

    data: Any
    files: list[tuple[str, File]] = field(default_factory=list)


@dataclass(frozen=True)
class PersonalDataSource:
    """One kind of personal data, as the person sees it on "My data" and gets it in the export.

    * ``count(subject)``: how many rows of this kind the portal holds (0 hides the line).
    * ``export(subject)``: the person's data; never the secretariat's internal notes or files.
    * ``erase(subject, actor=, markers=)``: erase or anonymise according to docs/privacy.md,
      inside the caller's transaction; returns the number of rows touched. Safe to run twice.
      ``markers`` are the strings every source gave (below): a source that keeps copies of
      other data (the outbox, the record of changes) scrubs whatever contains one of them.
    * ``markers(subject)``: the person's own strings this source holds (name, organisation, free
      text), collected from every source *before* any erases, so copies elsewhere can be found.
    * ``before_delete(subject)``: lines for the "Delete my account" page saying what happens
      first (an open request is withdrawn); ``erase`` does it.
    * ``note``: one line on what is kept and why (for example the request's reference and dates).
    * ``erase_order``: lower erases first; the account itself (accounts.profile) goes last, so
      every other source can still match the person by their user and address.
    """

    key: str
    label: str | Promise
    count: Callable[[Subject], int]
    export: Callable[[Subject], Exported]
    erase: Callable[..., int]
    note: str | Promise = ""
    markers: Callable[[Subject], Iterable[str]] | None = None
    before_delete: Callable[[Subject], list[str]] | None = None
    erase_order: int = 100


@dataclass(frozen=True)
class RetentionRule:
    """Data that expires on a schedule: ``due(now)`` is what the next run touches, ``apply`` does it.

    ``apply(queryset, now=)`` returns the number of rows changed and must be safe to run twice
    (a second run finds nothing due). ``period`` is the human wording shown in the admin and the
    privacy notice ("5 years after closing"), built from the setting that governs it.
    """

    key: str
    label: str | Promise
    period: Callable[[], str | Promise]
    due: Callable[[datetime.datetime], QuerySet[Any]]
    apply: Callable[..., int]


_sources: dict[str, PersonalDataSource] = {}
_rules: dict[str, RetentionRule] = {}


def register_source(source: PersonalDataSource) -> None:
    """Called from an app's ``ready()``; registering a key twice replaces the first (autoreload)."""
    _sources[source.key] = source


def register_retention(rule: RetentionRule) -> None:
    _rules[rule.key] = rule


def sources() -> list[PersonalDataSource]:
    """Every registered source, in the order apps registered them (the order of "My data")."""
    return list(_sources.values())


def erase_with(source: PersonalDataSource, subject: Subject, *, actor: Any, markers: frozenset[str]) -> int:
    """Call ``source.erase``; ``markers`` only if it takes them (an erase written against the first
    form of this interface, ``erase(subject, actor)``, keeps working)."""
    try:
        takes_markers = "markers" in inspect.signature(source.erase).parameters
    except (TypeError, ValueError):
        takes_markers = True
    if takes_markers:
        return source.erase(subject, actor=actor, markers=markers)
    return source.erase(subject, actor=actor)


def sources_in_erase_order() -> list[PersonalDataSource]:
    return sorted(_sources.values(), key=lambda source: source.erase_order)


def retention_rules() -> list[RetentionRule]:
    return list(_rules.values())
