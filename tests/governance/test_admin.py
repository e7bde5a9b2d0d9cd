"""The secretariat's governance work in the admin, through the services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from governance.models import Decision, Meeting, MeetingNotice, MeetingStatus, MinutesStatus
from tests.conftest import sign_in
from tests.factories import plan, with_document

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "body",
    "seat",
    "membership",
    "meeting",
    "decision",
    "actionitem",
    "meetingnotice",
    "organisation",
]


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_secretariat_opens_every_governance_list(client, secretariat, steering_member, governance_bodies):
    plan(governance_bodies["steering-group"])
    sign_in(client, secretariat)
    for model in CHANGELISTS:
        response = client.get(reverse(f"admin:governance_{model}_changelist"))
        assert response.status_code == 200, model
    vacant = client.get(reverse("admin:governance_seat_changelist"), {"vacancy": "vacant"}).content.decode()
    assert "Danske Universiteter" in vacant


def test_applicants_and_members_do_not_reach_the_admin(client, owner, steering_member):
    for user in (owner, steering_member):
        sign_in(client, user)
        response = client.get(reverse("admin:governance_meeting_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_secretariat_schedules_a_meeting_with_an_agenda_in_the_admin(
    client, secretariat, governance_bodies
):
    sign_in(client, secretariat)
    day = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    data = {
        "body": governance_bodies["steering-group"].pk,
        "starts_at_0": day,
        "starts_at_1": "10:00",
        "ends_at_0": day,
        "ends_at_1": "12:00",
        "location": "Amgros",
        "online_url": "",
        **inline_management("agenda_items", total=2),
        "agenda_items-0-position": "1",
        "agenda_items-0-title": "Analyse II",
        "agenda_items-0-kind": "decision",
        "agenda_items-0-presenter": "Amgros",
        "agenda_items-0-duration_minutes": "30",
        "agenda_items-1-position": "2",
        "agenda_items-1-title": "Eventuelt",
        "agenda_items-1-kind": "information",
        **inline_management("documents", total=1),
        "documents-0-position": "1",
        "documents-0-title": "Bilag 1",
        "documents-0-file": SimpleUploadedFile("bilag.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        **inline_management("attendance"),
        **inline_management("decisions"),
    }
    response = client.post(reverse("admin:governance_meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert (meeting.number, meeting.status) == (1, MeetingStatus.PLANNED)
    assert [a.title for a in meeting.agenda_items.order_by("position")] == ["Analyse II", "Eventuelt"]
    assert meeting.documents.get().original_name == "bilag.pdf"

    changelist = reverse("admin:governance_meeting_changelist")
    client.post(changelist, {"action": "publish_documents", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.documents_published_at is not None


def test_actions_hold_circulate_approve_and_cancel(client, secretariat, governance_bodies):
    body = governance_bodies["steering-group"]
    first = plan(body, in_days=1)
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=first.starts_at - datetime.timedelta(days=40),
        ends_at=first.ends_at - datetime.timedelta(days=40),
    )
    second = plan(body, in_days=-5)  # minutes are approved at a meeting that has been held
    sign_in(client, secretariat)
    changelist = reverse("admin:governance_meeting_changelist")
    client.post(changelist, {"action": "mark_held", "_selected_action": [first.pk, second.pk]})
    Meeting.objects.filter(pk=first.pk).update(minutes="We met and decided.")
    client.post(changelist, {"action": "circulate_minutes", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert (first.status, first.minutes_status) == (MeetingStatus.HELD, MinutesStatus.CIRCULATED)
    client.post(changelist, {"action": "approve_previous_minutes", "_selected_action": [second.pk]})
    first.refresh_from_db()
    assert first.minutes_status == MinutesStatus.APPROVED and first.minutes_approved_at == second
    response = client.post(changelist, {"action": "cancel", "_selected_action": [first.pk]}, follow=True)
    assert "Kun et planlagt møde kan aflyses" in response.content.decode()  # the admin is in Danish
    assert Meeting.objects.get(pk=first.pk).status == MeetingStatus.HELD


def test_decisions_are_numbered_when_recorded_in_the_admin_and_never_deleted(
    client, secretariat, governance_bodies
):
    meeting = plan(governance_bodies["steering-group"], in_days=3)
    sign_in(client, secretariat)
    data = {
        "meeting": meeting.pk,
        "title": "Igangsættelse af analyse II",
        "text": "Styregruppen igangsætter analyse II.",
        "concerns": "project",
        "is_public": "on",
        **inline_management("action_items"),
    }
    response = client.post(reverse("admin:governance_decision_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    decision = Decision.objects.get()
    assert decision.number == f"SG-{meeting.year}-01-01"
    assert not secretariat.has_perm("governance.delete_decision")
    assert client.get(reverse("admin:governance_decision_delete", args=[decision.pk])).status_code == 403


def test_moving_a_meeting_in_the_admin_starts_the_reminders_over(client, secretariat, governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=30)
    with_document(meeting)
    sign_in(client, secretariat)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    new_day = (timezone.localdate() + datetime.timedelta(days=31)).isoformat()
    data = {
        "starts_at_0": new_day,
        "starts_at_1": "10:00",
        "ends_at_0": new_day,
        "ends_at_1": "12:00",
        "location": "",
        "online_url": "",
        "minutes": "",
        **inline_management("agenda_items"),
        **inline_management("documents", total=1, initial=1),
        "documents-0-id": meeting.documents.get().pk,
        "documents-0-meeting": meeting.pk,
        "documents-0-position": "0",
        "documents-0-title": "Board pack",
        **inline_management("attendance"),
        **inline_management("decisions"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.schedule_version == 2
    assert MeetingNotice.objects.count() == 0  # notices are the scan's job, not the form's


def test_a_decision_edited_in_the_admin_is_recorded_with_its_editor_and_shown_in_its_history(
    client, secretariat, governance_bodies
):
    from audit.models import AuditEntry
    from tests.factories import decide

    decision = decide(governance_bodies["steering-group"], title="Budget", text="Agreed.")
    sign_in(client, secretariat)
    url = reverse("admin:governance_decision_change", args=[decision.pk])
    data = {
        "title": "Budget",
        "text": "Agreed, DKK 400,000 for communication.",
        "concerns": "other",
        "working_group": "",
        "is_public": "",
        **inline_management("action_items"),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.for_object(decision).get(action="governance.decision.changed")
    assert entry.actor == secretariat
    assert entry.data["text"] == ["Agreed.", "Agreed, DKK 400,000 for communication."]
    history = client.get(reverse("admin:governance_decision_history", args=[decision.pk])).content.decode()
    assert "Sara Secretariat" in history and "DKK 400,000 for communication." in history
    assert "Sara Secretariat" in client.get(url).content.decode()  # the change page's recent changes
