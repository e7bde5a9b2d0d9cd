"""Settings for a test's worker process that needs a test email backend (tests/crashing_email.py)
or that must send its own tasks to itself (a scan on the worker queues the sends it writes).

EMAIL_BACKEND in the environment takes only the portal's three choices, on purpose; a test hook
is named here instead, and only a test's worker process uses this module.
"""

import os

from atmp_portal.settings import *  # noqa: F403

EMAIL_BACKEND = os.environ.get("TEST_EMAIL_BACKEND", EMAIL_BACKEND)  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("TEST_DEFAULT_QUEUE", "celery")
