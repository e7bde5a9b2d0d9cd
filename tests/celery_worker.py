"""A real Celery worker process for the tests that prove the Redis path end to end."""

import email
import email.policy
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SEPARATOR = b"-" * 79  # what Django's file email backend writes after each message


def test_database_url() -> str:
    """The URL of the database this test has committed its rows to, for the worker to read."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def running_worker(
    tmp_path: Path, *, database: bool = False, default_queue: bool = False, queue: str | None = None, **env
):
    """Start a solo worker on its own queue, with email going to files in ``tmp_path/outbox``.

    Yields the queue name. Tasks are not eager meanwhile; with ``default_queue`` every task
    queued by the code under test goes to the worker's queue without naming it.
    """
    from atmp_portal.celery import app

    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    worker_env = {
        **os.environ,
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(tmp_path / "outbox"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **({"DATABASE_URL": test_database_url()} if database else {}),
        **env,
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "atmp_portal", "worker", "-Q", queue, "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=worker_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    if default_queue:
        app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def sent_messages(tmp_path: Path) -> list[email.message.EmailMessage]:
    """The messages the worker wrote to ``tmp_path/outbox``, parsed.

    Django names a file by the second and the id of the connection object; two sends in one
    second can reuse a freed object's id and so append to one file: every message in it counts.
    """
    return [
        email.message_from_bytes(part.strip(b"\n"), policy=email.policy.default)
        for path in sorted((tmp_path / "outbox").glob("*.log"))
        for part in path.read_bytes().split(SEPARATOR)
        if part.strip()
    ]
