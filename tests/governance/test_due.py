"""What is due: the weekly digest to the secretariat and the notices to members, each once a period."""

import datetime
import io
import time
import uuid

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from governance.due import digest_key, due_scan
from governance.models import Membership
from inquiries.models import Inquiry
from outbox.models import EmailStatus, OutboundEmail
from tests.celery_worker import running_worker, sent_messages
from tests.factories import (
    ActionItemFactory,
    MilestoneFactory,
    UserFactory,
    decide,
    membership_for,
    submit,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())
DIGEST = "atmp-sekretariat@example.org"


def scan(today=TODAY):
    """What beat does: the scan, whose emails the outbox sends after commit (eagerly here)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return due_scan(today=today)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture(autouse=True)
def digest_settings(settings):
    settings.DIGEST_EMAIL = DIGEST
    settings.DIGEST_WEEKDAY = "monday"
    settings.TERM_ENDING_DAYS = 60
    settings.REQUESTS_SOON_DUE_DAYS = 5


@pytest.fixture
def steering(governance_bodies):
    return governance_bodies["steering-group"]


@pytest.fixture
def due(steering):
    """A Danish and an English member whose terms end within 60 days; an overdue action of each."""
    return _due(steering, TODAY)


@pytest.fixture
def due_now(steering):
    """The same, dated from the day the test runs: a real worker scans with the real clock, and
    TODAY was taken when the module was collected (a run that crosses midnight in Copenhagen
    would see the action due "today" as overdue)."""
    return _due(steering, timezone.localdate())


def _due(steering, today):
    dorte = UserFactory(email="dansk@example.org", full_name="Dorte Dansk", preferred_language="da")
    emma = UserFactory(email="english@example.org", full_name="Emma English", preferred_language="en")
    danish = membership_for(dorte, steering, seat_code="dkma", end=today + datetime.timedelta(days=40))
    english = membership_for(emma, steering, seat_code="dccc", end=today + datetime.timedelta(days=59))
    decision = decide(steering, title="Start analysis II")
    ActionItemFactory(decision=decision, owner=danish, title="Send the protocol", due_date=today)
    ActionItemFactory(
        decision=decision,
        owner=english,
        title="Draft the checklist",
        due_date=today - datetime.timedelta(days=3),
    )
    mail.outbox.clear()
    return danish, english


def test_the_scan_twice_in_one_period_sends_one_email_each(due):
    first = scan()
    assert (
        len(first) == 1 + 2 + 1
    )  # the digest, two terms ending, one action overdue (the other is due today)
    assert scan() == []
    assert len(to(DIGEST)) == 1
    assert len(to("dansk@example.org")) == 1
    assert len(to("english@example.org")) == 2  # term ending and the overdue action
    assert len(mail.outbox) == 4


def test_a_new_period_sends_a_new_email(due):
    danish, english = due
    first = set(scan(MONDAY))
    # Next week: a new digest. The term extended (still within 60 days) and a new due date passed.
    Membership.objects.filter(pk=danish.pk).update(end_date=MONDAY + datetime.timedelta(days=50))
    action = english.action_items.get()
    action.due_date = MONDAY + datetime.timedelta(days=5)
    action.save()
    next_monday = MONDAY + datetime.timedelta(days=7)
    second = set(scan(next_monday))
    assert first.isdisjoint(second)
    year, week, _day = next_monday.isocalendar()
    assert {
        f"governance:digest:{year}-W{week:02d}",
        f"governance:term-ending:{danish.pk}:{(MONDAY + datetime.timedelta(days=50)).isoformat()}",
        f"governance:action-overdue:{action.pk}:{action.due_date.isoformat()}",
    } <= second
    assert len(to(DIGEST)) == 2
    assert scan(next_monday) == []


def test_the_digest_waits_for_its_weekday_and_a_missed_day_catches_up(settings, steering):
    settings.DIGEST_WEEKDAY = "wednesday"
    assert scan(MONDAY) == []
    assert scan(MONDAY + datetime.timedelta(days=3)) == [digest_key(MONDAY)]
    assert scan(MONDAY + datetime.timedelta(days=4)) == []
    assert len(to(DIGEST)) == 1
    body = to(DIGEST)[0].body
    assert "Intet er overskredet" not in body  # vacant seats are due: the reference data has empty seats
    assert "Ledige pladser" in body


def test_each_person_is_told_in_their_own_language_in_text_and_html(due, steering):
    no_account = Membership.objects.create(
        body=steering,
        full_name="Niels Nokonto",
        email="niels@example.org",
        start_date=TODAY - datetime.timedelta(days=100),
        end_date=TODAY + datetime.timedelta(days=10),
    )
    scan()
    (danish,) = to("dansk@example.org")
    assert danish.subject.startswith("Din periode i")
    assert "Kære Dorte Dansk" in danish.body
    english = {m.subject.split()[0]: m for m in to("english@example.org")}
    assert set(english) == {"Your", "Overdue"}
    assert "Draft the checklist" in english["Overdue"].body
    assert "was due on" in english["Overdue"].body
    html, mimetype = english["Your"].alternatives[0]
    assert mimetype == "text/html" and 'lang="en"' in html and "Dear Emma English" in html
    (niels,) = to(no_account.email)  # no account: the site language, Danish
    assert "Kære Niels Nokonto" in niels.body
    assert OutboundEmail.objects.get(to=[no_account.email]).language == "da"


def test_ended_terms_and_actions_without_a_member_tell_no_one(steering):
    gone = UserFactory(email="gone@example.org", full_name="Gone Member")
    ended = membership_for(gone, steering, seat_code="dkma", end=TODAY - datetime.timedelta(days=1))
    decision = decide(steering)
    ActionItemFactory(
        decision=decision, owner_label="Amgros secretariat", due_date=TODAY - datetime.timedelta(days=9)
    )
    ActionItemFactory(
        decision=decision, owner=ended, due_date=TODAY - datetime.timedelta(days=9), status="done"
    )
    mail.outbox.clear()
    scan()
    assert [m.to for m in mail.outbox] == [[DIGEST]]


def test_the_digest_is_danish_names_requests_by_reference_only_and_links_into_the_admin(
    due, owner, secretariat, tor_projects
):
    overdue = submit(owner, subject="Hemmelig CAR-T sag", question="Fortroligt spørgsmål om patient X")
    soon = submit(owner, subject="Anden sag")
    later = submit(owner, subject="Tredje sag")
    Inquiry.objects.filter(pk=overdue.pk).update(
        acknowledge_due=TODAY - datetime.timedelta(days=4),
        answer_due=TODAY - datetime.timedelta(days=2),
        assignee=secretariat,
    )
    Inquiry.objects.filter(pk=soon.pk).update(
        acknowledge_due=TODAY, answer_due=TODAY + datetime.timedelta(days=3)
    )
    Inquiry.objects.filter(pk=later.pk).update(answer_due=TODAY + datetime.timedelta(days=30))
    project = next(iter(tor_projects.values()))
    MilestoneFactory(
        project=project, title_da="Udkast til tjekliste", due_date=TODAY - datetime.timedelta(days=1)
    )
    mail.outbox.clear()
    scan()
    (digest,) = to(DIGEST)
    html = digest.alternatives[0][0]
    for body in (digest.body, html):
        assert overdue.reference in body and soon.reference in body
        assert later.reference not in body
        for private in (
            "Hemmelig",
            "Fortroligt",
            "Anden sag",
            owner.email,
            owner.full_name,
            "Rigshospitalet",
        ):
            assert private not in body
        assert "Sara Secretariat" in body and "Ikke tildelt" in body  # by assignee
        assert "Perioder, der slutter inden for 60 dage" in body
        assert "Dorte Dansk" in body and "Emma English" in body
        assert "Overskredne opfølgningspunkter" in body and "Draft the checklist" in body
        assert "Overskredne milepæle" in body and "Udkast til tjekliste" in body
        assert (
            "http://testserver/admin/inquiries/inquiry/?clock=overdue" in body
            or "/admin/inquiries/inquiry/" in body
        )
        assert f"/admin/projects/project/{project.pk}/change/" in body
    assert digest.subject.startswith("ATMP Danmark: hvad der forfalder")


def test_nothing_due_costs_a_handful_of_queries(due, django_assert_max_num_queries):
    scan()
    with django_assert_max_num_queries(5):
        assert scan() == []


def test_the_start_up_command_runs_both_scans(due_now):
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("send_due_reminders", stdout=out)
    assert "what is due: 4 email(s)" in out.getvalue()
    assert f"  {DIGEST}: ATMP Danmark: hvad der forfalder, uge" in out.getvalue()  # listed for make run
    assert len(mail.outbox) == 4


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_beat_task_twice_on_a_real_worker_sends_one_email_each(due_now, tmp_path):
    from governance.tasks import scan_due_notices

    queue = f"test-{uuid.uuid4().hex[:8]}"
    # The worker runs the scan and sends the emails it writes: its own tasks go to its own queue.
    with running_worker(
        tmp_path,
        database=True,
        queue=queue,
        DIGEST_EMAIL=DIGEST,
        DJANGO_SETTINGS_MODULE="tests.worker_settings",
        TEST_DEFAULT_QUEUE=queue,
    ):
        scan_due_notices.apply_async(queue=queue)
        scan_due_notices.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            OutboundEmail.objects.filter(key__startswith="governance:", status=EmailStatus.SENT).count() < 4
        ):
            time.sleep(0.25)
        # One solo worker: the second scan ran before the first scan's sends (queued after it),
        # so whatever it wrote is in the count below; a second send would have gone by now.
        time.sleep(1)
    sent = sent_messages(tmp_path)
    assert sorted(m["To"] for m in sent) == sorted(
        [DIGEST, "dansk@example.org", "english@example.org", "english@example.org"]
    )
    assert OutboundEmail.objects.filter(key__startswith="governance:").count() == 4
