"""An email backend that stands in for an SMTP relay that fails a given number of times.

The only stand-in in the suite: no SMTP server runs here. It fails *before* accepting the
message, as a relay does when the connection drops, so nothing counts as sent.
"""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

FAILURES_LEFT = {"count": 0}


class FlakyEmailBackend(EmailBackend):
    def send_messages(self, messages):
        if FAILURES_LEFT["count"] > 0:
            FAILURES_LEFT["count"] -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
