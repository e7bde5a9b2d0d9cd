"""Email leaves the web request: it is rendered there and sent by a worker."""

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_email(
    self,
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str | None = None,
    from_email: str | None = None,
    headers: dict | None = None,
) -> None:
    """Send one rendered message. A connection or SMTP failure is retried with backoff.

    An SMTP failure means the relay did not accept the message, so a retry does not
    deliver a second copy. The message is plain data, never a model instance.
    """
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    logger.info("email sent", extra={"subject": subject, "attempt": self.request.retries + 1})
