"""The daily retention run (beat, on the "periodic" queue)."""

from celery import shared_task

from privacy.services import retention_run


@shared_task
def retention_daily() -> dict:
    """Apply every retention rule; safe to overlap and repeat (a second run finds nothing due)."""
    return retention_run().counts
