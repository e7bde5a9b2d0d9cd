"""What a kind of download is: registered by the app that knows how to build it.

An app above ``downloads`` registers a builder in its ``AppConfig.ready()``::

    from downloads.builders import Builder, register_builder
    register_builder(Builder(kind="budget.ledger_xlsx", label=_("Ledger (Excel)"), build=build_ledger))

``build(download, out, progress)`` writes the file into ``out`` (a binary file opened for writing),
may call ``progress(done, total)`` now and then, and returns ``(file name, MIME type)``. It runs in
a Celery worker, outside any request; it reads ``download.owner`` and ``download.params`` and must
show only what the owner may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from django.utils.functional import Promise

if TYPE_CHECKING:
    from downloads.models import Download

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Builder:
    kind: str
    label: str | Promise
    build: Callable[[Download, BinaryIO, Progress], tuple[str, str]]
    # Where the status page's "back" link goes (a URL name without arguments), e.g. "privacy:data".
    back_url_name: str = ""


_builders: dict[str, Builder] = {}


def register_builder(builder: Builder) -> None:
    """Called from an app's ``ready()``; registering a kind twice replaces the first (autoreload)."""
    _builders[builder.kind] = builder


def builder_for(kind: str) -> Builder | None:
    return _builders.get(kind)


def kinds() -> list[str]:
    return sorted(_builders)
