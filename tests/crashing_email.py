"""An email backend that kills its worker process mid-send: the "worker killed" test hook.

CRASH_EMAIL_WHEN=after: the message is written (the relay accepted it), then the process dies
before the row can be marked sent: the documented crash window. =before: it dies before the
relay has the message. It crashes once per CRASH_EMAIL_MARKER file, then sends normally.
"""

import os
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend


class CrashingEmailBackend(EmailBackend):
    def send_messages(self, messages):
        marker = Path(os.environ["CRASH_EMAIL_MARKER"])
        crash = not marker.exists()
        if crash and os.environ.get("CRASH_EMAIL_WHEN") == "before":
            marker.touch()
            os._exit(137)
        sent = super().send_messages(messages)
        if crash:
            marker.touch()
            os._exit(137)
        return sent
