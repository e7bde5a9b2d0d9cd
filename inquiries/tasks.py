"""Celery tasks of the requests: they take ids, load the rows and call a service."""

import smtplib

from celery import shared_task


@shared_task(
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_notification(notification_id: int) -> bool:
    from inquiries.emails import notification_send

    return notification_send(notification_id=notification_id)
