"""An object's history in the admin costs the same number of queries with 3 or 60 entries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import services
from tests.conftest import sign_in
from tests.factories import UserFactory, decide, plan

pytestmark = pytest.mark.django_db


def _edit(decision, times):
    for n in range(times):
        editor = UserFactory.create(
            is_staff=True
        )  # a different person each time: actors must not cost a query each
        services.decision_update(actor=editor, decision=decision, text=f"Version {n}")


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["change", "history"])
def test_the_history_does_not_cost_a_query_per_entry(client, secretariat, governance_bodies, page):
    decision = decide(governance_bodies["steering-group"])
    sign_in(client, secretariat)
    url = reverse(f"admin:governance_decision_{page}", args=[decision.pk])
    _edit(decision, 3)
    few = _count(client, url)
    _edit(decision, 60)
    many = _count(client, url)
    assert many == few


def test_a_meetings_change_page_with_history_stays_flat(client, secretariat, governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=30)
    sign_in(client, secretariat)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    few = _count(client, url)
    for n in range(30):
        start = meeting.starts_at + datetime.timedelta(days=n + 1)
        services.meeting_reschedule(
            actor=UserFactory.create(is_staff=True),
            meeting=meeting,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    assert _count(client, url) == few
