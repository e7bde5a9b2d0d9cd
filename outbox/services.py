"""The one way the portal sends email (docs/outbox.md).

    email_queue(key="inquiries:receipt:42", to=[...], subject=..., text=..., html=...)

inside the transaction of the change that causes the email. The row commits with the change or
not at all; after commit a task sends it; the sweeper (beat, every minute) sends or re-queues
whatever is due and unsent, so a lost broker, a killed worker or a refusing relay delays an
email and never loses it.
"""

from __future__ import annotations

import base64
import datetime
import logging
from collections.abc import Iterable, Sequence
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import UNSENT, EmailStatus, OutboundEmail

logger = logging.getLogger(__name__)

# A claim older than this is a worker that died mid-send: the row is handed on. It must exceed
# the send task's hard time limit (outbox.tasks.SEND_TIME_LIMIT), after which Celery has killed
# the task for certain, so a live send is never handed on.
CLAIM_TIMEOUT = datetime.timedelta(minutes=3)
# A row queued this long ago and still pending lost its task (a flushed or restarted broker):
# the sweeper queues it again. A duplicate task is harmless (the claim), only wasteful.
REQUEUE_AFTER = datetime.timedelta(minutes=2)
# After this many refused sends the row is marked failed (and stays visible in the admin).
MAX_ATTEMPTS = 10
SWEEP_BATCH = 500

Attachment = tuple[str, str | bytes, str]  # (file name, content, MIME type)


def email_queue(
    *,
    key: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
    language: str = "",
    from_email: str = "",
    sensitive: bool = False,
) -> OutboundEmail:
    """Write one email to the outbox; it is sent after the surrounding transaction commits.

    ``key`` names the email for good ("<app>:<what>:<id>"): the same key twice is one email, so
    a retried request or two overlapping scans cannot send a second copy. ``sensitive`` (login
    codes, password-reset links) blanks the body once the email has gone out.
    """
    recipients = [address for address in to if address]
    if not recipients:
        raise ValueError(f"email {key!r} has no recipient")
    email, created = OutboundEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": recipients,
            "subject": " ".join(subject.split())[:300],
            "text": text,
            "html": html,
            "headers": {**(headers or {}), **({"X-ATMP-Sensitive": "1"} if sensitive else {})},
            "attachments": [_stored_attachment(*attachment) for attachment in attachments],
            "language": language,
            "from_email": from_email,
            "queued_at": timezone.now(),
        },
    )
    if created:
        # robust: a broker that is down must not turn a saved change into an error page.
        transaction.on_commit(partial(_enqueue, email.pk), robust=True)
    return email


def _stored_attachment(filename: str, content: str | bytes, mimetype: str) -> dict:
    if isinstance(content, str):
        return {"filename": filename, "mimetype": mimetype, "text": content}
    return {"filename": filename, "mimetype": mimetype, "base64": base64.b64encode(content).decode()}


def _enqueue(email_id: int) -> None:
    """Hand one row to a worker; if the broker cannot take it, the sweeper will."""
    from outbox.tasks import send_outbound_email

    try:
        # Already after commit: OnCommitTask's flag sends now, even inside a test's transaction.
        send_outbound_email.apply_async((email_id,), _after_commit=True)  # type: ignore[call-arg]
    except Exception:  # any broker failure: the row is safe in the database
        logger.warning("outbox: could not queue email %s; the sweeper will send it", email_id, exc_info=True)
        OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(queued_at=None)


# --- Sending ---------------------------------------------------------------------------------


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID for every copy of this row, so mail clients recognise a repeat."""
    domain = urlsplit(settings.SITE_URL).hostname or "atmp.localhost"
    return f"<{email.uuid}@{domain}>"


def email_message(email: OutboundEmail) -> EmailMultiAlternatives:
    headers = {k: v for k, v in email.headers.items() if k != "X-ATMP-Sensitive"}
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        headers={**headers, "Message-ID": message_id(email)},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for item in email.attachments:
        content = item["text"] if "text" in item else base64.b64decode(item["base64"])
        message.attach(item["filename"], content, item["mimetype"])
    return message


def email_send(*, email_id: int, now: datetime.datetime | None = None) -> str:
    """Claim, send and mark one row: "sent", "skipped" (sent, or someone else has it),
    "retry" (the relay refused; back in the queue with a delay) or "failed" (the last attempt).

    The claim is a conditional UPDATE, so of any number of tasks for one row exactly one sends.
    When a row is due is the sweeper's business (``not_before``); a task sends what it can claim.
    The crash window: a worker that dies after the relay accepted the message and before the
    row is marked sent leaves a claim that the sweeper hands on after CLAIM_TIMEOUT, and the
    email goes out a second time, with the same Message-ID.
    """
    now = now or timezone.now()
    claimed = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.PENDING).update(
        status=EmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "skipped"
    email = OutboundEmail.objects.get(pk=email_id)
    try:
        email_message(email).send()
    except Exception as exc:  # SMTP refusal, lost connection, or a bad row: never stuck "sending"
        return _release(email, error=f"{exc.__class__.__name__}: {exc}", now=now)
    done = {"status": EmailStatus.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.headers.get("X-ATMP-Sensitive"):
        done.update(text="", html="")  # a login code or reset link is not kept once delivered
    OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.SENDING).update(**done)
    logger.info("outbox: sent %s (%s)", email.key, message_id(email))
    return "sent"


def retry_delay(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes after each refused send, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _release(email: OutboundEmail, *, error: str, now: datetime.datetime) -> str:
    final = email.attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING).update(
        status=EmailStatus.FAILED if final else EmailStatus.PENDING,
        claimed_at=None,
        queued_at=None,
        not_before=now + retry_delay(email.attempts),
        last_error=error[:300],
    )
    log = logger.error if final else logger.warning
    log("outbox: %s not sent (attempt %s): %s", email.key, email.attempts, error)
    return "failed" if final else "retry"


# --- The sweeper -----------------------------------------------------------------------------


def outbox_due(*, now: datetime.datetime | None = None, limit: int = SWEEP_BATCH) -> list[int]:
    """The rows to (re-)queue now, marked as queued: pending and due with no recent task, or
    claimed by a worker that died. One indexed query when nothing is due."""
    now = now or timezone.now()
    lost_task = Q(queued_at__isnull=True) | Q(queued_at__lte=now - REQUEUE_AFTER)
    due = (
        OutboundEmail.objects.filter(status__in=UNSENT)
        .filter(
            Q(status=EmailStatus.PENDING, not_before__lte=now) & lost_task
            | Q(status=EmailStatus.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT)
        )
        .order_by("not_before")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    if ids:
        rows = OutboundEmail.objects.filter(pk__in=ids)
        rows.filter(status=EmailStatus.PENDING).update(queued_at=now)
        # A dead worker's claim is handed on; the condition keeps a send finished meanwhile.
        rows.filter(status=EmailStatus.SENDING, claimed_at__lte=now - CLAIM_TIMEOUT).update(
            status=EmailStatus.PENDING, claimed_at=None, queued_at=now
        )
    return ids


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue a send for every row that is due and has no live task; returns how many."""
    ids = outbox_due(now=now)
    for email_id in ids:
        _enqueue(email_id)
    return len(ids)


def email_retry(*, ids: Iterable[int]) -> int:
    """Put failed emails back in the queue (the admin's "try again")."""
    return OutboundEmail.objects.filter(pk__in=list(ids), status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, not_before=timezone.now(), queued_at=None, attempts=0, last_error=""
    )
