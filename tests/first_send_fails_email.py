"""An email backend standing in for a relay that refuses a fixed 30 % of messages the first time.

Which ones is decided by the recipient (a hash), so a run is repeatable; each refused message is
accepted when it comes again. It refuses *before* accepting, as a relay whose connection drops
does, so a refused message is not sent. For a test's worker process (tests/worker_settings.py);
the worker runs solo, so one process remembers what it has refused.
"""

import hashlib
import smtplib

from django.core.mail.backends.filebased import EmailBackend

REFUSE_PERCENT = 30
_refused: set[str] = set()


def refused_first_time(address: str) -> bool:
    return int(hashlib.sha256(address.encode()).hexdigest(), 16) % 100 < REFUSE_PERCENT


class FirstSendFailsEmailBackend(EmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            address = message.to[0]
            if refused_first_time(address) and address not in _refused:
                _refused.add(address)
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(email_messages)
