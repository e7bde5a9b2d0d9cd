"""Periodic work of the events: the reminder the day before (beat, on the "periodic" queue)."""

from celery import shared_task

from knowledge import events_services


@shared_task
def queue_event_reminders() -> int:
    """Queue the reminders that are due; each is claimed per registration, so this is safe to
    overlap or retry. The outbox sends them after commit."""
    return events_services.reminders_queue()
