"""Exporting and erasing a person's data, and the retention run (docs/privacy.md).

Everything walks the registry (``privacy.registry``): a kind of data is covered the day its app
registers it. The self-service pages and the secretariat's admin call the same functions.
"""

from __future__ import annotations

import json
import logging
import zipfile
from typing import TYPE_CHECKING, Any, BinaryIO

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from downloads.models import Download
from downloads.services import download_request
from privacy.models import Handling, HandlingKind
from privacy.registry import Subject, erase_with, retention_rules, sources, sources_in_erase_order

if TYPE_CHECKING:
    import datetime

    from accounts.models import User

logger = logging.getLogger(__name__)

EXPORT_KIND = "privacy.export"


def subject_for_user(user: User) -> Subject:
    return Subject(email=user.email, user=user)


def subject_for_email(email: str) -> Subject:
    """Whom an address names: the account with that address if there is one (case-insensitive)."""
    from accounts.models import User

    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    return Subject(email=email, user=user)


def personal_data_summary(subject: Subject) -> list[tuple[Any, int]]:
    """(source, count) for every registered source, with its count for ``subject``."""
    return [(source, source.count(subject)) for source in sources()]


def before_delete_lines(subject: Subject) -> list[str]:
    lines: list[str] = []
    for source in sources():
        if source.before_delete is not None:
            lines.extend(source.before_delete(subject))
    return lines


# --- Export -----------------------------------------------------------------------------------


@transaction.atomic
def personal_data_export_request(*, actor: User, subject: Subject) -> Download:
    """Queue the ZIP of ``subject``'s data; ``actor`` owns the file and gets the email with the link.

    The person themselves, or the secretariat for someone who wrote in (then the secretariat
    member downloads it and passes it on).
    """
    download = download_request(
        actor=actor,
        owner=actor,
        kind=EXPORT_KIND,
        params={"email": subject.email, "user": subject.user.pk if subject.user else None},
    )
    handling = Handling.objects.create(
        kind=HandlingKind.EXPORT,
        actor=actor,
        user_id_handled=subject.user.pk if subject.user else None,
        self_service=subject.user is not None and subject.user.pk == actor.pk,
    )
    audit_record(actor=actor, obj=handling, action="privacy.export.requested", data={"download": download.pk})
    return download


def _subject_from_params(params: dict) -> Subject:
    from accounts.models import User

    user_id = params.get("user")
    user = User.objects.filter(pk=int(user_id)).first() if user_id else None
    return Subject(email=params.get("email", ""), user=user)


def build_export(download: Download, out: BinaryIO, progress) -> tuple[str, str]:
    """The export's builder: ``data.json`` with every source's part, and the person's own files."""
    subject = _subject_from_params(download.params)
    all_sources = sources()
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "email": subject.email,
        "about": "ATMP Danmark (Amgros I/S): the personal data the portal holds about you. "
        "Internal notes and internal attachments of the secretariat are not included.",
        "sources": {},
    }
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for i, source in enumerate(all_sources):
            progress(i, len(all_sources))
            part = source.export(subject)
            data["sources"][source.key] = {"label": str(source.label), "data": part.data}
            counts[source.key] = len(part.files)
            for name, file in part.files:
                with file.open("rb") as handle, archive.open(f"files/{name}", "w") as target:
                    while chunk := handle.read(1 << 16):
                        target.write(chunk)
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
        )
        archive.writestr("README.txt", _readme())
    stamp = timezone.localdate().isoformat()
    return f"atmp-danmark-data-{stamp}.zip", "application/zip"


def _readme() -> str:
    return (
        "ATMP Danmark – dine data / your data\n\n"
        "data.json: alt hvad portalen har om dig, maskinlæsbart (JSON). / Everything the portal holds "
        "about you, machine-readable (JSON).\n"
        "files/: dine egne vedhæftede filer. / Your own attachments.\n\n"
        "Sekretariatets interne noter og interne bilag er arbejdspapirer og er ikke med. / The "
        "secretariat's internal notes and internal attachments are working papers and are not included.\n"
    )


# --- Erasure ----------------------------------------------------------------------------------


def _markers(subject: Subject) -> frozenset[str]:
    found: set[str] = {subject.email}
    if subject.user is not None:
        found |= {subject.user.email, subject.user.full_name, subject.user.organisation}
    for source in sources():
        if source.markers is not None:
            found |= set(source.markers(subject))
    # Very short strings ("Dr", "A") would scrub unrelated text.
    return frozenset(m.strip() for m in found if m and len(m.strip()) >= 4)


@transaction.atomic
def personal_data_erase(*, actor: User | None, subject: Subject, self_service: bool = False) -> Handling:
    """Erase or anonymise everything about ``subject`` that every registered source holds.

    One transaction: all or nothing. Files are removed from storage after commit. Returns the
    record of the erasure (counts per source, never the data).
    """
    markers = _markers(subject)
    user_id = subject.user.pk if subject.user else None
    counts: dict[str, int] = {}
    for source in sources_in_erase_order():
        counts[source.key] = erase_with(source, subject, actor=actor, markers=markers)
    handling = Handling.objects.create(
        kind=HandlingKind.ERASURE,
        actor=actor,
        user_id_handled=user_id,
        self_service=self_service,
        counts=counts,
        total=sum(counts.values()),
    )
    audit_record(actor=actor, obj=handling, action="privacy.subject.erased", data={"counts": counts})
    logger.info("personal data erased", extra={"handling": handling.pk, "rows": handling.total})
    return handling


# --- Retention --------------------------------------------------------------------------------


def retention_preview(*, now: datetime.datetime | None = None) -> list[tuple[Any, int]]:
    """(rule, how many rows the next run touches) for every registered rule."""
    now = now or timezone.now()
    return [(rule, rule.due(now).count()) for rule in retention_rules()]


def retention_run(*, now: datetime.datetime | None = None, actor: User | None = None) -> Handling:
    """Apply every retention rule once; safe to run twice (a second run finds nothing due).

    Each rule runs in its own transaction, so one failing rule does not hold back the others;
    the log and the record hold counts only.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for rule in retention_rules():
        try:
            with transaction.atomic():
                counts[rule.key] = rule.apply(rule.due(now), now=now)
        except Exception:
            logger.exception("retention rule failed", extra={"rule": rule.key})
            counts[rule.key] = -1
    with transaction.atomic():
        handling = Handling.objects.create(
            kind=HandlingKind.RETENTION,
            actor=actor if actor is not None and actor.is_authenticated else None,
            counts=counts,
            total=sum(n for n in counts.values() if n > 0),
        )
        audit_record(actor=actor, obj=handling, action="privacy.retention.ran", data={"counts": counts})
    logger.info("retention run", extra={"counts": counts})
    return handling
