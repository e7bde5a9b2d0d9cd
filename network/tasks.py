"""Periodic work of the network app: feasibility rounds close at their deadline (beat)."""

from celery import shared_task

from network import services


@shared_task
def close_due_rounds() -> int:
    """Close every open round past its deadline; each close claims its row, so this is safe to
    run twice or on two workers at once."""
    return sum(services.round_close(round_id=round_id) for round_id in services.rounds_due())


@shared_task
def remind_rounds() -> int:
    """Queue the reminders that are due (one per site and round, claimed); safe to overlap."""
    return services.round_reminders_queue()


@shared_task
def request_confirmations() -> int:
    """Queue the yearly confirmation requests that are due (claimed per entry); safe to overlap."""
    return services.confirmation_requests_queue()
