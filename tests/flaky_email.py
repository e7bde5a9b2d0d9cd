"""Email backends that stand in for an SMTP relay that fails a given number of times.

The only stand-ins in the suite: no SMTP server runs here. It fails *before* accepting the
message, as a relay does when the connection drops, so nothing counts as sent.
"""

import os
import smtplib
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend
from django.core.mail.backends.locmem import EmailBackend

FAILURES_LEFT = {"count": 0}


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, messages):
        if FAILURES_LEFT["count"] > 0:
            FAILURES_LEFT["count"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class FirstSendFailsEmailBackend(EmailBackend):
    """For a worker *process*: the relay drops the first send to each address listed in
    FLAKY_EMAIL_FAIL_FIRST (comma-separated), then accepts it; messages go to files as with
    EMAIL_BACKEND=file. What failed is remembered as files in FLAKY_EMAIL_STATE, not in memory,
    so a worker restarted mid-round does not fail a second time. Used by tests/network/test_worker.py
    through tests/worker_settings.py (TEST_EMAIL_BACKEND)."""

    def send_messages(self, messages):
        failing = {a.strip().lower() for a in os.environ.get("FLAKY_EMAIL_FAIL_FIRST", "").split(",") if a}
        state = Path(os.environ["FLAKY_EMAIL_STATE"])
        state.mkdir(parents=True, exist_ok=True)
        for message in messages:
            for address in message.recipients():
                marker = state / address.lower()
                if address.lower() in failing and not marker.exists():
                    marker.touch()
                    raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return FileEmailBackend(fail_silently=self.fail_silently).send_messages(messages)
