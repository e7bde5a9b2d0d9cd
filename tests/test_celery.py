"""Celery without Redis: tasks run eagerly in the process that queues them, and say nothing odd."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
from atmp_portal.celery import app

@app.task(name="tests.probe")
def probe(x):
    return x * 2

print("result", probe.delay(21).get())
"""


def test_an_eager_task_runs_without_kombus_no_hostname_warning(tmp_path):
    # As `make run` starts it: DEBUG on, no REDIS_URL, so the memory broker and eager tasks.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_TASK_ALWAYS_EAGER"}
    }
    env.update(DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", LOG_LEVEL="INFO")
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "result 42" in done.stdout
    assert "succeeded" in done.stderr  # the task's own log line: logging reaches stderr at all
    assert "No hostname was supplied" not in done.stderr
