"""Meeting notices: one scan on beat writes the due notices and their emails to the outbox."""

from celery import shared_task

from governance import services
from governance.due import due_scan


@shared_task
def scan_meeting_notices() -> int:
    """Beat runs this every few minutes on the "periodic" queue; it is safe to overlap.

    The emails go out through the outbox, which sends them after commit and retries them."""
    return len(services.notices_due())


@shared_task
def scan_due_notices() -> int:
    """Beat runs this hourly on the "periodic" queue: the weekly digest and the notices of terms
    ending and actions overdue, each once per period (governance.due). Safe to overlap."""
    return len(due_scan())
