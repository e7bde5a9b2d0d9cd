"""A Redis server of the test's own, on a free port, that the test may stop and start again.

The machine's Redis is shared; a test that needs the broker to fail must never touch it.
"""

import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        options += [
            "--daemonize",
            "yes",
            "--dir",
            str(self.workdir),
            "--pidfile",
            str(self.workdir / "redis.pid"),
        ]
        subprocess.run(["redis-server", *options], check=True, capture_output=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server on port {self.port} did not start")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping())
        except redis.exceptions.ConnectionError:
            return False

    def stop(self) -> None:
        """Shut this server down (only this one: it is ours, on our port), without saving."""
        import redis

        try:
            redis.Redis.from_url(self.url, socket_connect_timeout=0.5).shutdown(nosave=True)
        except redis.exceptions.ConnectionError:
            pass  # shutdown closes the connection, or it was down already
        deadline = time.monotonic() + 10
        while self.ping() and time.monotonic() < deadline:
            time.sleep(0.05)

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushdb()


@contextmanager
def own_redis(workdir: Path):
    server = RedisServer(workdir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def broker_at(url: str, queue: str):
    """Point this process's Celery app (the web side) at ``url``: tasks go to ``queue`` there,
    not eagerly run, whether or not a worker is listening yet."""
    from atmp_portal.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager, app.conf.task_default_queue)

    def switch(to, eager, default_queue):
        app.conf.update(broker_url=to, task_always_eager=eager, task_default_queue=default_queue)
        # Celery caches its connection pools; drop them so the next publish uses ``to``.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]

    switch(url, False, queue)
    try:
        yield
    finally:
        switch(*previous)
