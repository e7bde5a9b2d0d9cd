"""An email backend for a worker process: a relay that refuses the first try of about 30 % of
messages (chosen by a hash of their Message-ID, so a retry of the same message is recognised),
then accepts them.

It refuses *before* accepting, as a relay does when the connection drops, so nothing counts as
sent; accepted messages are written to files like Django's file backend. Each refusal leaves a
marker in REFUSE_EMAIL_DIR, so the test can count them.
"""

import hashlib
import os
import smtplib
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

SHARE_REFUSED = 3  # of 10


def refused_first(message_id: str) -> bool:
    return int(hashlib.sha256(message_id.encode()).hexdigest(), 16) % 10 < SHARE_REFUSED


class RefusingFirstEmailBackend(EmailBackend):
    def send_messages(self, messages):
        markers = Path(os.environ["REFUSE_EMAIL_DIR"])
        for message in messages:
            message_id = message.extra_headers.get("Message-ID", "")
            marker = markers / hashlib.sha256(message_id.encode()).hexdigest()
            if refused_first(message_id) and not marker.exists():
                marker.touch()
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
