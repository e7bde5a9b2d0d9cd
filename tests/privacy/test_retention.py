"""Retention: what expires goes on schedule, twice is once, and past years' figures stay."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from dashboard.figures import request_counts
from dashboard.periods import Period
from downloads.models import Download
from inquiries import services as inquiry_services
from inquiries.models import Inquiry
from outbox.models import OutboundEmail
from privacy import services
from privacy.models import Handling, HandlingKind
from tests.conftest import sign_in
from tests.factories import UserFactory, submit

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
NOW = datetime.datetime(2026, 3, 2, 3, 17, tzinfo=CPH)


def _at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 10, 0, tzinfo=CPH), tick=False)


@pytest.fixture
def history(owner, secretariat, django_capture_on_commit_callbacks):
    """Requests closed and withdrawn long ago and lately, one still open, old and new emails."""
    rows = {}
    with django_capture_on_commit_callbacks(execute=True):
        with _at(2019, 5, 6):
            rows["withdrawn_2019"] = submit(owner, subject="Old withdrawn")
            inquiry_services.inquiry_withdraw(inquiry=rows["withdrawn_2019"], actor=owner)
        with _at(2020, 9, 14):
            rows["closed_2020"] = submit(owner, subject="Closed in 2020")
            inquiry_services.inquiry_transition(inquiry=rows["closed_2020"], actor=secretariat, to="closed")
        with _at(2021, 6, 1):
            rows["closed_2021"] = submit(owner, subject="Closed in 2021")
            inquiry_services.inquiry_transition(inquiry=rows["closed_2021"], actor=secretariat, to="closed")
        with _at(2019, 2, 1):
            rows["open_since_2019"] = submit(owner, subject="Still open")
        with _at(2026, 2, 20):
            rows["recent"] = submit(owner, subject="Recent")
    return rows


def _figures(year):
    counts, _all = request_counts(Period.of_year(year))
    return counts[0]


def test_the_run_anonymises_exactly_the_requests_closed_more_than_five_years_ago(history):
    before = {year: _figures(year) for year in (2019, 2020, 2021)}
    with time_machine.travel(NOW, tick=False):
        (rule,) = [rule for rule, _n in services.retention_preview() if rule.key == "inquiries.finished"]
        due = set(rule.due(NOW).values_list("pk", flat=True))
        first = services.retention_run()
        second = services.retention_run()
    assert due == {history["withdrawn_2019"].pk, history["closed_2020"].pk}
    assert first.counts["inquiries.finished"] == 2
    assert second.counts["inquiries.finished"] == 0
    anonymised = set(Inquiry.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert anonymised == due
    assert Inquiry.objects.get(pk=history["closed_2021"].pk).subject == "Closed in 2021"
    assert Inquiry.objects.get(pk=history["open_since_2019"].pk).subject == "Still open"
    # The dashboard's figures for past years are the same, to the count.
    assert {year: _figures(year) for year in (2019, 2020, 2021)} == before
    assert Handling.objects.filter(kind=HandlingKind.RETENTION).count() == 2


def test_the_run_blanks_email_texts_older_than_ninety_days_and_keeps_the_rest(history):
    with time_machine.travel(NOW, tick=False):
        old = OutboundEmail.objects.filter(created_at__lt=NOW - datetime.timedelta(days=90))
        old_ids = set(old.values_list("pk", flat=True))
        assert old_ids
        services.retention_run()
    assert not OutboundEmail.objects.filter(pk__in=old_ids).exclude(text="").exists()
    recent = OutboundEmail.objects.exclude(pk__in=old_ids)
    assert recent.exists() and not recent.filter(text="").exists()
    assert OutboundEmail.objects.filter(pk__in=old_ids).exclude(subject="").count() == len(old_ids)


def test_unconfirmed_accounts_go_thirty_days_after_sign_up():
    with _at(2026, 1, 20):
        stale = UserFactory.create(email="stale@example.org", verified=False)
        confirmed = UserFactory.create(email="confirmed@example.org")
    with _at(2026, 2, 20):
        fresh = UserFactory.create(email="fresh@example.org", verified=False)
    with time_machine.travel(NOW, tick=False):
        handling = services.retention_run()
        again = services.retention_run()
    assert handling.counts["accounts.unconfirmed"] == 1
    assert again.counts["accounts.unconfirmed"] == 0
    from accounts.models import User

    assert set(User.objects.values_list("pk", flat=True)) == {confirmed.pk, fresh.pk}
    assert stale.pk not in set(User.objects.values_list("pk", flat=True))


def test_downloads_go_seven_days_after_they_were_made(owner):
    with _at(2026, 2, 20):
        old = Download.objects.create(owner=owner, kind="privacy.export", expires_at=NOW)
    with _at(2026, 2, 28):
        new = Download.objects.create(owner=owner, kind="privacy.export", expires_at=NOW)
    with time_machine.travel(NOW, tick=False):
        handling = services.retention_run()
    assert handling.counts["downloads.files"] == 1
    assert list(Download.objects.values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


def test_the_run_logs_counts_and_never_personal_data(history, caplog):
    with time_machine.travel(NOW, tick=False), caplog.at_level("INFO"):
        services.retention_run()
    logged = " ".join(f"{r.getMessage()} {getattr(r, 'counts', '')}" for r in caplog.records)
    assert "retention run" in logged
    assert "owner@example.org" not in logged and "Closed in 2020" not in logged


def test_the_admin_shows_what_the_next_run_touches_and_runs_it(history, secretariat, client, english):
    sign_in(client, secretariat)
    with time_machine.travel(NOW, tick=True):
        sign_in(client, secretariat)
        page = client.get(reverse("admin:privacy_handling_retention"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Closed and withdrawn requests are anonymised" in html
        assert "5 years after the request was closed or withdrawn" in html
        response = client.post(reverse("admin:privacy_handling_retention"))
    assert response.status_code == 302
    handling = Handling.objects.get(kind=HandlingKind.RETENTION)
    assert handling.actor == secretariat
    assert handling.counts["inquiries.finished"] == 2


def test_the_retention_page_is_for_the_secretariat_only(owner, staff_without_second_factor, client):
    url = reverse("admin:privacy_handling_retention")
    assert client.get(url).status_code == 302  # an outsider: to the login
    sign_in(client, owner)
    assert client.get(url).status_code in (302, 403)
    sign_in(client, staff_without_second_factor)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert not Handling.objects.exists()
