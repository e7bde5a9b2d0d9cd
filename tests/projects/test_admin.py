"""The secretariat's project work in the admin: status through the services, sign-off, flags."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.models import Deliverable, DeliverableStatus, Milestone, ProgressUpdate, Project, ProjectStatus
from tests.conftest import sign_in
from tests.factories import DeliverableFactory

pytestmark = pytest.mark.django_db


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def project_form(project, **changes):
    data = {
        "code": project.code,
        "kind": project.kind,
        "tor_item": project.tor_item,
        "title_da": project.title_da,
        "title_en": project.title_en,
        "purpose_da": project.purpose_da,
        "purpose_en": project.purpose_en,
        "new_status": "",
        "decision": project.decision_id or "",
        "health": project.health,
        "health_reason": project.health_reason,
        "planned_start": project.planned_start or "",
        "planned_end": project.planned_end or "",
        "lead": project.lead,
        "working_group": project.working_group_id or "",
        "is_public": "on" if project.is_public else "",
        "position": project.position,
        **inline_management("milestones"),
        **inline_management(
            "deliverables", initial=project.deliverables.count(), total=project.deliverables.count()
        ),
        **inline_management("updates"),
    }
    for index, deliverable in enumerate(project.deliverables.all()):
        data[f"deliverables-{index}-id"] = deliverable.pk
        data[f"deliverables-{index}-project"] = project.pk
    data.update(changes)
    return data


def test_the_secretariat_opens_the_project_lists_and_forms(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    for name in ("project", "deliverable"):  # milestones and updates are edited inline on the project
        assert client.get(reverse(f"admin:projects_{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:projects_project_changelist"), {"mandate": "after"}).status_code == 200
    page = client.get(reverse("admin:projects_project_change", args=[tor_projects["II"].pk])).content.decode()
    assert 'name="new_status"' in page
    assert client.get(reverse("admin:projects_deliverable_add")).status_code == 200


def test_applicants_and_members_do_not_reach_the_project_admin(client, owner, steering_member):
    for user in (owner, steering_member):
        sign_in(client, user)
        response = client.get(reverse("admin:projects_project_changelist"))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_approving_without_a_decision_is_refused_and_keeps_what_was_typed(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = client.post(url, project_form(project, new_status="approved", lead="Karin Lead, Amgros"))
    assert response.status_code == 200
    assert "Angiv den beslutning i styregruppen" in response.content.decode()
    assert 'value="Karin Lead, Amgros"' in response.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED and project.lead == ""


def test_the_secretariat_approves_analysis_two_with_a_steering_decision(
    client, secretariat, tor_projects, steering_decision
):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = project_form(
        project,
        new_status="approved",
        decision=steering_decision.pk,
        planned_start="2026-12-01",
        planned_end="2027-09-30",
        **inline_management("milestones", total=2),
    )
    data.update(
        {
            "milestones-0-title_da": "Tjekliste i høring",
            "milestones-0-due_date": "2027-03-01",
            "milestones-1-title_da": "Tjekliste godkendt",
            "milestones-1-due_date": "2027-06-01",
        }
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    assert project.decision == steering_decision
    assert project.milestones.count() == 2
    assert "har nu status" in response.content.decode()


def test_a_reference_group_decision_is_not_offered(client, secretariat, tor_projects, reference_decision):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = client.post(url, project_form(project, new_status="approved", decision=reference_decision.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["decision"]
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED


def test_an_end_after_2027_warns(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    project = tor_projects["IV"]
    url = reverse("admin:projects_project_change", args=[project.pk])
    response = client.post(
        url, project_form(project, planned_start="2026-01-01", planned_end="2028-06-30"), follow=True
    )
    assert "31. december 2027" in response.content.decode()
    changelist = client.get(reverse("admin:projects_project_changelist"), {"mandate": "after"})
    assert list(changelist.context["cl"].result_list) == [Project.objects.get(code="IV")]


def test_a_progress_update_in_the_admin_records_its_author(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    project = tor_projects["I"]
    data = project_form(project, **inline_management("updates", total=1))
    data.update(
        {"updates-0-date": "2026-11-20", "updates-0-text": "Kick-off held", "updates-0-health": "on_track"}
    )
    client.post(reverse("admin:projects_project_change", args=[project.pk]), data)
    update = ProgressUpdate.objects.get(project=project)
    assert update.author == secretariat and update.text == "Kick-off held"


def test_a_checklist_is_added_signed_off_and_published_in_the_admin(
    client, secretariat, tor_projects, steering_decision
):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    project.related_decisions.add(steering_decision)  # the sign-off is a decision about II
    response = client.post(
        reverse("admin:projects_deliverable_add"),
        {
            "project": project.pk,
            "title": "Tjekliste til tidlig rådgivning",
            "kind": "checklist",
            "language": "da",
            "summary": "",
            "due_date": "",
            "file": SimpleUploadedFile("tjekliste.pdf", b"%PDF-1.4\nliste\n", content_type="application/pdf"),
            "decision": "",
            "new_status": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = Deliverable.objects.get(title="Tjekliste til tidlig rådgivning")
    change = reverse("admin:projects_deliverable_change", args=[item.pk])
    base = {
        "project": project.pk,
        "title": item.title,
        "kind": "checklist",
        "language": "da",
        "summary": "",
        "due_date": "",
    }
    client.post(change, {**base, "new_status": "for_sign_off", "decision": ""})
    refused = client.post(change, {**base, "new_status": "approved", "decision": ""})
    assert refused.status_code == 200 and "Angiv den beslutning" in refused.content.decode()
    client.post(change, {**base, "new_status": "approved", "decision": steering_decision.pk})
    item.refresh_from_db()
    assert item.status == DeliverableStatus.APPROVED
    client.post(
        reverse("admin:projects_deliverable_changelist"), {"action": "publish", "_selected_action": [item.pk]}
    )
    item.refresh_from_db()
    assert item.status == DeliverableStatus.PUBLISHED
    assert "Tjekliste til tidlig rådgivning" in client.get(reverse("projects:index")).content.decode()


def test_publishing_a_draft_from_the_list_says_why_not(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    item = DeliverableFactory.create(project=tor_projects["II"], title="Udkast", kind="report")
    response = client.post(
        reverse("admin:projects_deliverable_changelist"),
        {"action": "publish", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "kan ikke få status" in response.content.decode()
    item.refresh_from_db()
    assert item.status == DeliverableStatus.DRAFT


def test_milestones_after_2027_warn_when_saved(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    project = tor_projects["I"]
    data = project_form(project, **inline_management("milestones", total=1))
    data.update({"milestones-0-title_da": "Sent", "milestones-0-due_date": "2028-02-01"})
    response = client.post(reverse("admin:projects_project_change", args=[project.pk]), data, follow=True)
    assert Milestone.objects.filter(project=project, due_date=datetime.date(2028, 2, 1)).exists()
    assert "uden for kommissoriet" in response.content.decode()


def test_the_approving_decision_and_a_signed_off_file_cannot_be_swapped_afterwards(
    client, secretariat, tor_projects, steering_decision, private_decision
):
    from projects import services
    from tests.factories import deliverable

    sign_in(client, secretariat)
    project = services.project_approve(actor=None, project=tor_projects["II"], decision=steering_decision)
    client.post(
        reverse("admin:projects_project_change", args=[project.pk]),
        project_form(project, decision=private_decision.pk, lead="Changed lead"),
    )
    project.refresh_from_db()
    assert project.decision == steering_decision and project.lead == "Changed lead"

    item = services.deliverable_approve(
        actor=None, deliverable=deliverable(project), decision=steering_decision
    )
    stored = item.file.name
    client.post(
        reverse("admin:projects_deliverable_change", args=[item.pk]),
        {
            "project": project.pk,
            "title": "Renamed checklist",
            "kind": "checklist",
            "language": "da",
            "summary": "",
            "due_date": "",
            "new_status": "",
            "decision": private_decision.pk,
            "file": SimpleUploadedFile("other.pdf", b"%PDF-1.4\nother\n", content_type="application/pdf"),
        },
    )
    item.refresh_from_db()
    assert item.title == "Renamed checklist"
    assert item.file.name == stored and item.decision == steering_decision


def test_an_off_track_update_added_in_the_admin_changes_the_projects_health(
    client, secretariat, tor_projects
):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    assert project.health == "on_track"
    url = reverse("admin:projects_project_change", args=[project.pk])
    data = project_form(
        project,
        **inline_management("updates", total=1),
        **{
            "updates-0-date": "2026-03-02",
            "updates-0-text": "The interviews with the regions slipped by two months.",
            "updates-0-health": "off_track",
            "updates-0-reason": "Two regions have not named a contact.",
        },
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.health == "off_track"
    assert project.health_reason == "Two regions have not named a contact."
    update = ProgressUpdate.objects.get(project=project)
    assert update.author == secretariat


def test_an_off_track_update_without_a_reason_is_refused_next_to_the_field(client, secretariat, tor_projects):
    sign_in(client, secretariat)
    project = tor_projects["II"]
    data = project_form(
        project,
        **inline_management("updates", total=1),
        **{"updates-0-date": "2026-03-02", "updates-0-text": "Slipped.", "updates-0-health": "off_track"},
    )
    response = client.post(reverse("admin:projects_project_change", args=[project.pk]), data)
    assert response.status_code == 200
    assert "Slipped." in response.content.decode()
    assert not ProgressUpdate.objects.filter(project=project).exists()


def test_a_deliverable_is_not_signed_off_by_another_projects_decision_in_the_admin(
    client, secretariat, tor_projects, steering_decision
):
    tor_projects["III"].related_decisions.add(steering_decision)  # about III, not II
    item = DeliverableFactory.create(project=tor_projects["II"], status=DeliverableStatus.FOR_SIGN_OFF)
    sign_in(client, secretariat)
    response = client.post(
        reverse("admin:projects_deliverable_change", args=[item.pk]),
        {
            "project": item.project_id,
            "title": item.title,
            "kind": item.kind,
            "language": item.language,
            "summary": "",
            "due_date": "",
            "new_status": "approved",
            "decision": steering_decision.pk,
        },
    )
    assert response.status_code == 200
    assert "er ikke om II" in response.content.decode() or "is not about II" in response.content.decode()
    item.refresh_from_db()
    assert item.status == DeliverableStatus.FOR_SIGN_OFF
