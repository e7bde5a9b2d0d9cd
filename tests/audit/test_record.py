"""The one record of changes: append-only, written by the services with the acting user."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from audit.models import AuditEntry, ImmutableRecordError
from audit.services import audit_record
from governance import services as governance
from tests.conftest import sign_in
from tests.factories import decide, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(governance_bodies, secretariat):
    meeting = plan(governance_bodies["steering-group"])
    return audit_record(actor=secretariat, obj=meeting, action="governance.meeting.tested", data={"a": 1})


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(entry):
    entry.action = "something.else"
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(ImmutableRecordError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "governance.meeting.tested"


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_delete_an_entry_on_postgresql(entry):
    for sql in (
        "UPDATE audit_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "governance.meeting.tested"


def test_the_admin_offers_no_add_change_or_delete_of_the_record(client, secretariat, entry):
    sign_in(client, secretariat)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    page = client.get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (
        client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_a_rescheduled_meeting_is_recorded_with_who_moved_it_and_the_old_and_new_times(
    governance_bodies, secretariat
):
    meeting = plan(governance_bodies["steering-group"], in_days=20)
    old = meeting.starts_at
    new = old + datetime.timedelta(days=1)
    governance.meeting_reschedule(
        actor=secretariat, meeting=meeting, starts_at=new, ends_at=new + datetime.timedelta(hours=2)
    )
    entry = AuditEntry.objects.for_object(meeting).get(action="governance.meeting.rescheduled")
    assert entry.actor == secretariat
    assert [datetime.datetime.fromisoformat(v) for v in entry.data["starts_at"]] == [old, new]


def test_a_decision_edit_is_recorded_with_its_editor_and_the_old_text(governance_bodies, secretariat):
    decision = decide(governance_bodies["steering-group"], text="Agreed.")
    governance.decision_update(actor=secretariat, decision=decision, text="Agreed, with a budget of DKK 1m.")
    entry = AuditEntry.objects.for_object(decision).get(action="governance.decision.changed")
    assert entry.actor == secretariat
    assert entry.data == {"text": ["Agreed.", "Agreed, with a budget of DKK 1m."]}


def test_a_decisions_number_and_meeting_cannot_be_changed_by_the_update_service(
    governance_bodies, secretariat
):
    from django.core.exceptions import ValidationError

    decision = decide(governance_bodies["steering-group"])
    with pytest.raises(ValidationError):
        governance.decision_update(actor=secretariat, decision=decision, number="SG-1999-01-01")


def test_a_password_change_is_recorded_without_the_hash(secretariat, colleague):
    from audit.services import object_update

    colleague.set_password("another-long-passphrase")
    object_update(actor=secretariat, obj=colleague, before={"password": "old-hash"})
    entry = AuditEntry.objects.for_object(colleague).get()
    assert entry.data == {"password": ["********", "********"]}
