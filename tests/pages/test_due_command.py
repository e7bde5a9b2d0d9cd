"""`manage.py send_due_reminders`: every scan beat runs, once, for `make run` (no worker, no beat)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from tests.knowledge.test_events import emails_for, make_event, registered

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_due_reminders", stdout=out)
    return out.getvalue()


def test_the_start_up_command_also_reminds_tomorrows_participants_once():
    day = timezone.localdate() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())
    event = make_event(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    seated = registered(event)

    first = _run()
    assert "event reminders: 1;" in first
    assert "ida@example.org: I morgen: Webinar om CTIS" in first  # listed for make run
    assert "event reminders: 0;" in _run()
    assert len(emails_for(seated, "reminder")) == 1
    assert "feasibility rounds closed: 0, reminded: 0; directory confirmation requests: 0;" in first
