"""Celery tasks of the outbox: one send per row, and the sweeper on beat."""

from celery import shared_task

# Celery kills a send that runs longer than this (services.CLAIM_TIMEOUT is longer still).
SEND_TIME_LIMIT = 90


@shared_task(time_limit=SEND_TIME_LIMIT, soft_time_limit=SEND_TIME_LIMIT - 15)
def send_outbound_email(email_id: int) -> str:
    """Send one row once. No Celery retry: a refused send puts the row back with a delay in the
    database, where the sweeper finds it even if the broker has lost everything meanwhile."""
    from outbox.services import email_send

    return email_send(email_id=email_id)


@shared_task
def outbox_sweep() -> int:
    """Beat, every minute, on the "periodic" queue: queue every due, unsent email again."""
    from outbox import services

    return services.outbox_sweep()
