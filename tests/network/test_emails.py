"""The network's emails go through the one outbox: invitations, the one reminder, the yearly
confirmation request; in the contact's language, with the personal link, never twice."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from inquiries.clock import add_working_days
from network import links, services
from network.models import Entry, Invitation
from network.tasks import remind_rounds, request_confirmations
from outbox.models import OutboundEmail
from tests.factories import directory_entry, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(owner, secretariat, capabilities):
    danish = directory_entry("Hæmatologi (demo)", contact_email="haem@unit.example", contact_language="da")
    english = directory_entry(
        "Nordic centre (demo)", region="norway", contact_email="nc@unit.example", contact_language="en"
    )
    inquiry = submit(owner, topic="clinical_trials", confidential_details="Secret potency data.")
    return services.round_start(
        inquiry=inquiry,
        actor=secretariat,
        synopsis="A CAR-T trial needs apheresis.",
        entries=[danish, english],
    )


def _link_in(text, kind: str) -> str:
    found = re.search(rf"/directory/{kind}/([^/\s]+)/", str(text))
    assert found is not None, text
    return found.group(1)


def test_each_site_gets_one_invitation_in_its_language_with_its_own_link(
    owner, secretariat, capabilities, django_capture_on_commit_callbacks
):
    danish = directory_entry("Hæmatologi (demo)", contact_email="haem@unit.example", contact_language="da")
    english = directory_entry(
        "Nordic centre (demo)", region="norway", contact_email="nc@unit.example", contact_language="en"
    )
    inquiry = submit(owner, topic="clinical_trials", confidential_details="Secret potency data.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feasibility = services.round_start(
            inquiry=inquiry,
            actor=secretariat,
            synopsis="A CAR-T trial needs apheresis.",
            entries=[danish, english],
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"haem@unit.example", "nc@unit.example"}
    assert "ATMP Danmark spørger" in sent["haem@unit.example"].subject
    assert "ATMP Danmark asks" in sent["nc@unit.example"].subject
    for address, entry in (("haem@unit.example", danish), ("nc@unit.example", english)):
        body = sent[address].body
        assert "A CAR-T trial needs apheresis." in body and "Secret potency data." not in body
        invitation = links.invitation_for_answer_token(_link_in(body, "answer"))
        assert invitation.entry == entry and invitation.round == feasibility
    assert OutboundEmail.objects.filter(key__startswith="network:invitation:").count() == 2


def test_one_reminder_a_working_day_before_the_deadline_only_to_sites_that_have_not_answered(started):
    answered = started.invitations.get(entry__name="Hæmatologi (demo)")
    services.round_answer(invitation=answered, link_version=answered.link_version, answer="interested")
    before_reminder_day = timezone.localdate()
    assert services.round_reminders_queue(today=before_reminder_day) == 0  # invited today: too early
    # The day before the deadline (a working day before it), with the invitations a week old.
    Invitation.objects.update(invited_at=timezone.now() - datetime.timedelta(days=7))
    reminder_day = started.deadline - datetime.timedelta(days=1)
    while reminder_day.weekday() >= 5:
        reminder_day -= datetime.timedelta(days=1)
    assert services.round_reminders_queue(today=reminder_day) == 1
    assert services.round_reminders_queue(today=reminder_day) == 0  # a second scan: nothing new
    assert services.round_reminders_queue(today=started.deadline) == 0  # nor on the deadline day
    reminders = OutboundEmail.objects.filter(key__startswith="network:reminder:")
    assert [r.to for r in reminders] == [["nc@unit.example"]]
    assert "Reminder" in reminders.get().subject


def test_the_yearly_confirmation_request_goes_once_to_each_entry_that_is_due(capabilities, settings):
    due = directory_entry("Due (demo)", contact_email="due@unit.example")
    fresh = directory_entry("Fresh (demo)", contact_email="fresh@unit.example")
    directory_entry("No contact (demo)", contact_email="")
    long_ago = timezone.localdate() - datetime.timedelta(days=settings.NETWORK_CONFIRM_EVERY_DAYS + 3)
    services.entry_confirm(entry=due, actor=None, on=long_ago)
    services.entry_confirm(entry=fresh, actor=None)
    Entry.objects.filter(name="No contact (demo)").update(last_confirmed=long_ago)

    assert request_confirmations() == 1
    assert request_confirmations() == 0  # asked: not again until another year has passed
    email = OutboundEmail.objects.get(key__startswith="network:confirm:")
    assert email.to == ["due@unit.example"]
    assert links.entry_for_confirm_token(_link_in(email.text, "confirm")) == due
    assert email.headers.get("X-ATMP-Sensitive") == "1"  # the personal link is blanked once sent


def test_the_beat_task_for_reminders_is_safe_to_run_twice(started):
    assert remind_rounds() == 0
    assert remind_rounds() == 0


def test_a_refused_round_queues_no_email(owner, secretariat, capabilities):
    site = directory_entry("Site (demo)", contact_email="s@unit.example")
    inquiry = submit(owner, confidential_details="Hidden.")
    with pytest.raises(ValidationError):
        services.round_start(inquiry=inquiry, actor=secretariat, synopsis="Hidden.", entries=[site])
    assert not OutboundEmail.objects.filter(key__startswith="network:").exists()


def test_a_deadline_is_working_days_ahead(started, settings):
    assert started.deadline == add_working_days(timezone.localdate(), settings.NETWORK_ROUND_WORKING_DAYS)
