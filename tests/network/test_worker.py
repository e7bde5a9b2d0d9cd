"""A feasibility round end to end on a real Celery worker, Redis and PostgreSQL (issue 16).

20 sites; the relay drops the first send to 6 of them (30 %); the worker is stopped mid-round and
a new one started. Every site still gets exactly one invitation, and a reminder goes once to each
site that has not answered (none to those that have), however often the scans and the sweeper run.
"""

import datetime
import time
from collections import Counter
from contextlib import contextmanager

import pytest
from django.utils import timezone

from network import services
from network.services import _working_day_before
from outbox import services as outbox
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages
from tests.factories import UserFactory, directory_entry, submit
from tests.redis_server import RedisServer, broker_at

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = "test-network-round"
SITES = 20
FAILING = 6  # 30 % of the first sends
# The network engineer's ports (8131–8139): a Redis of this test's own, so stopping it or the
# worker touches no one else's broker.
REDIS_PORT = 8133


@contextmanager
def own_redis_on_our_port(workdir):
    server = RedisServer(workdir)
    server.port = REDIS_PORT
    server.url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wait_until(condition, timeout=90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def network_rows(kind: str):
    return OutboundEmail.objects.filter(key__startswith=f"network:{kind}:")


def sweep_as_beat_later() -> int:
    """What beat's sweeper does once the refused sends are due again (1 minute after a refusal),
    read 2.5 minutes ahead: past the retry delay, short of the 3-minute claim timeout, so a send
    in progress is never handed on."""
    return outbox.outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2, seconds=30))


def all_sent(kind: str) -> bool:
    return not network_rows(kind).exclude(status=EmailStatus.SENT).exists()


def test_a_round_on_a_real_worker_sends_one_invitation_per_site_and_at_most_one_reminder(
    tmp_path, capabilities, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    secretariat = UserFactory.create(is_staff=True, email="sekretariat@example.org")
    inquiry = submit(UserFactory.create(), topic="clinical_trials", shareable_summary="Fase I.")
    sites = [
        directory_entry(f"Site {n:02d} (demo)", contact_email=f"site{n:02d}@sites.example")
        for n in range(SITES)
    ]
    failing = [site.contact_email for site in sites[:: SITES // FAILING]][:FAILING]
    assert len(failing) == FAILING
    flaky = {
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "TEST_EMAIL_BACKEND": "tests.flaky_email.FirstSendFailsEmailBackend",
        "FLAKY_EMAIL_FAIL_FIRST": ",".join(failing),
        "FLAKY_EMAIL_STATE": str(tmp_path / "refused"),
    }
    with own_redis_on_our_port(tmp_path / "redis") as redis, broker_at(redis.url, QUEUE):
        worker_options = {"database": True, "queue": QUEUE, "REDIS_URL": redis.url, **flaky}
        with running_worker(tmp_path, **worker_options):
            feasibility = services.round_start(
                inquiry=inquiry, actor=secretariat, synopsis="Et fase I-forsøg søger steder.", entries=sites
            )
            # Mid-round: some invitations are out, the refused ones wait for their retry.
            assert wait_until(lambda: network_rows("invitation").filter(status=EmailStatus.SENT).count() >= 5)
        # The worker is gone (stopped as a deploy stops it); a new one takes over.
        with running_worker(tmp_path, **worker_options):
            assert wait_until(lambda: sweep_as_beat_later() >= 0 and all_sent("invitation")), Counter(
                network_rows("invitation").values_list("status", flat=True)
            )
            refused = network_rows("invitation").filter(attempts__gt=1).count()
            assert refused == FAILING, "the relay refused the first send of 30 % of the sites"

            # Five sites answer; the reminder day comes; beat's scan runs twice (overlapping
            # runs, a retry), and the sweeper keeps sweeping.
            for invitation in feasibility.invitations.order_by("pk")[:5]:
                services.round_answer(
                    invitation=invitation, link_version=invitation.link_version, answer="interested"
                )
            remind_on = _working_day_before(feasibility.deadline)
            first = services.round_reminders_queue(today=remind_on)
            second = services.round_reminders_queue(today=remind_on)
            assert (first, second) == (SITES - 5, 0)
            assert wait_until(lambda: sweep_as_beat_later() >= 0 and all_sent("reminder"))

    messages = sent_messages(tmp_path)
    keys = {str(row.uuid): row.key for row in OutboundEmail.objects.filter(key__startswith="network:")}

    def kind_of(message) -> str:
        uuid = message["Message-ID"].strip("<>").split("@")[0]
        return keys.get(uuid, "other:other").split(":")[1]  # network:<kind>:<id>

    invitations = Counter(m["To"] for m in messages if kind_of(m) == "invitation")
    reminders = Counter(m["To"] for m in messages if kind_of(m) == "reminder")
    addresses = {site.contact_email for site in sites}
    assert invitations == Counter({address: 1 for address in addresses})
    answered = set(feasibility.invitations.exclude(answer="").values_list("email", flat=True))
    assert reminders == Counter({address: 1 for address in addresses - answered})
