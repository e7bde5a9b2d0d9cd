"""gunicorn for the portal: the Dockerfile and docker-compose run `gunicorn -c gunicorn.conf.py`.

The aim is to shed overload, not queue it: under a flood the portal answers what it can at once
and refuses the rest quickly (nginx shows a "busy, try again" page), instead of working through
thousands of queued connections whose visitors left long ago.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: the views are synchronous Django, and nginx in front buffers request bodies and
# responses, so a slow client never holds a worker; a worker is busy only while it computes.
worker_class = "sync"
# gunicorn's rule of thumb, 2 × cores + 1; WEB_CONCURRENCY overrides it (e.g. a small container).
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)

# The kernel's queue of connections not yet accepted. gunicorn's default, 2048, is what kept
# rendering pages for clients long gone after an overload; 64 holds a short burst (a few seconds
# of work for the workers) and beyond it connections are refused at once.
backlog = 64

# A request still running after 30 s is killed and its worker restarted: no page of the portal
# should take that long (the slowest, the ledger's XLSX export, is capped at 50,000 entries for
# this limit, about 8 s; README "Budget").
# nginx waits 35 s, so the visitor sees gunicorn's answer, not a proxy timeout.
timeout = 30
graceful_timeout = 30
# nginx speaks HTTP/1.0 to the upstream without keepalive; a short keepalive frees workers fast.
keepalive = 2

# Recycle each worker after about 2,000 requests (jittered so they do not restart together):
# bounds slow memory growth in long-lived processes.
max_requests = 2000
max_requests_jitter = 200

# Request line and headers: gunicorn's limits, named so they are a decision (a 400 beyond them).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
errorlog = "-"
