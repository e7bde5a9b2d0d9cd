"""Status and date rules of projects and deliverables, in the services and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from projects import services
from projects.models import (
    MANDATE_END,
    DeliverableStatus,
    Health,
    Project,
    ProjectKind,
    ProjectStatus,
    TorItem,
)
from tests.factories import MilestoneFactory, deliverable

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are asserted in English (the msgids); the Danish ones are checked by the pages."""
    with translation.override("en"):
        yield


def test_a_project_cannot_be_approved_without_a_decision(tor_projects):
    with pytest.raises(ValidationError) as error:
        services.project_transition(actor=None, project=tor_projects["II"], to_status=ProjectStatus.APPROVED)
    assert "decision" in error.value.message_dict
    assert Project.objects.get(code="II").status == ProjectStatus.PROPOSED


def test_approving_with_a_steering_decision_records_it(tor_projects, steering_decision):
    project = services.project_approve(actor=None, project=tor_projects["II"], decision=steering_decision)
    assert project.status == ProjectStatus.APPROVED
    assert Project.objects.get(code="II").decision == steering_decision
    assert list(steering_decision.projects.all()) == [project]


def test_a_reference_group_decision_cannot_approve_a_project(tor_projects, reference_decision):
    with pytest.raises(ValidationError, match="steering group"):
        services.project_approve(actor=None, project=tor_projects["II"], decision=reference_decision)
    assert Project.objects.get(code="II").status == ProjectStatus.PROPOSED


def test_the_database_refuses_a_project_past_proposed_without_a_decision(tor_projects):
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(code="III").update(status=ProjectStatus.IN_PROGRESS)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ([ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED], True),
        (
            [
                ProjectStatus.APPROVED,
                ProjectStatus.IN_PROGRESS,
                ProjectStatus.PAUSED,
                ProjectStatus.IN_PROGRESS,
            ],
            True,
        ),
        ([ProjectStatus.APPROVED, ProjectStatus.STOPPED], True),
        ([ProjectStatus.APPROVED, ProjectStatus.COMPLETED], False),
        ([ProjectStatus.IN_PROGRESS], False),
        (
            [
                ProjectStatus.APPROVED,
                ProjectStatus.IN_PROGRESS,
                ProjectStatus.COMPLETED,
                ProjectStatus.IN_PROGRESS,
            ],
            False,
        ),
        ([ProjectStatus.STOPPED, ProjectStatus.APPROVED], False),
    ],
)
def test_transitions_follow_the_flow(tor_projects, steering_decision, path, allowed):
    project = tor_projects["I"]
    *before, last = path
    for status in before:
        project = services.project_transition(
            actor=None, project=project, to_status=status, decision=steering_decision
        )
    if allowed:
        assert (
            services.project_transition(
                actor=None, project=project, to_status=last, decision=steering_decision
            ).status
            == last
        )
    else:
        with pytest.raises(ValidationError, match="cannot become"):
            services.project_transition(
                actor=None, project=project, to_status=last, decision=steering_decision
            )


def test_starting_and_finishing_record_their_dates_once(tor_projects, steering_decision):
    day = datetime.date(2026, 3, 2)
    project = services.project_approve(actor=None, project=tor_projects["I"], decision=steering_decision)
    project = services.project_transition(
        actor=None, project=project, to_status=ProjectStatus.IN_PROGRESS, on=day
    )
    project = services.project_transition(
        actor=None, project=project, to_status=ProjectStatus.PAUSED, on=day + datetime.timedelta(days=30)
    )
    project = services.project_transition(
        actor=None, project=project, to_status=ProjectStatus.IN_PROGRESS, on=day + datetime.timedelta(days=60)
    )
    assert project.started_on == day  # resuming does not move the start
    project = services.project_transition(
        actor=None, project=project, to_status=ProjectStatus.COMPLETED, on=datetime.date(2027, 5, 1)
    )
    assert project.finished_on == datetime.date(2027, 5, 1)


def test_the_planned_end_cannot_be_before_the_start(tor_projects):
    project = tor_projects["I"]
    project.planned_start, project.planned_end = datetime.date(2026, 6, 1), datetime.date(2026, 5, 1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "planned_end" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        project.save()


def test_an_end_after_2027_is_flagged_not_refused(tor_projects):
    project = tor_projects["IV"]
    project.planned_start, project.planned_end = datetime.date(2026, 1, 1), datetime.date(2028, 3, 31)
    project.full_clean()
    project.save()
    assert project.ends_after_mandate
    assert not Project(planned_end=MANDATE_END).ends_after_mandate
    late = MilestoneFactory.create(project=project, title_da="Slut", due_date=datetime.date(2028, 1, 2))
    on_time = MilestoneFactory.create(project=project, title_da="Start", due_date=MANDATE_END)
    assert late.after_mandate and not on_time.after_mandate


def test_a_worrying_health_needs_a_reason(tor_projects):
    project = tor_projects["I"]
    project.health = Health.OFF_TRACK
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "health_reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.progress_record(actor=None, project=project, text="Delayed", health=Health.AT_RISK)


def test_the_newest_progress_update_sets_the_health(tor_projects):
    project = tor_projects["I"]
    today = timezone.localdate()
    services.progress_record(
        actor=None, project=project, text="Late", health=Health.AT_RISK, reason="Interviews moved", on=today
    )
    services.progress_record(
        actor=None, project=project, text="Old note", on=today - datetime.timedelta(days=30)
    )
    project.refresh_from_db()
    assert (project.health, project.health_reason) == (Health.AT_RISK, "Interviews moved")
    services.progress_record(
        actor=None, project=project, text="Back on track", on=today + datetime.timedelta(days=1)
    )
    project.refresh_from_db()
    assert (project.health, project.health_reason) == (Health.ON_TRACK, "")


def test_kind_and_tor_item_must_agree(db):
    pilot = Project(
        code="P1", kind=ProjectKind.PILOT, tor_item=TorItem.II, title_da="x", title_en="x", purpose_da="x"
    )
    with pytest.raises(ValidationError) as error:
        pilot.full_clean()
    assert "tor_item" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        pilot.save()


def test_project_codes_are_roman_numerals_or_pilot_numbers(db):
    for bad in ("VI", "P", "P0", "X1"):
        project = Project(
            code=bad, kind=ProjectKind.PILOT, tor_item=TorItem.V, title_da="t", title_en="t", purpose_da="p"
        )
        with pytest.raises(ValidationError) as error:
            project.full_clean()
        assert "code" in error.value.message_dict, bad


def test_a_deliverable_goes_to_sign_off_approval_and_publication(tor_projects, steering_decision):
    tor_projects["II"].related_decisions.add(steering_decision)  # the sign-off is about II
    project = tor_projects["II"]
    item = deliverable(project)
    with pytest.raises(ValidationError, match="cannot become"):
        services.deliverable_publish(actor=None, deliverable=item)
    item = services.deliverable_transition(
        actor=None, deliverable=item, to_status=DeliverableStatus.FOR_SIGN_OFF
    )
    with pytest.raises(ValidationError) as error:
        services.deliverable_transition(actor=None, deliverable=item, to_status=DeliverableStatus.APPROVED)
    assert "decision" in error.value.message_dict
    item = services.deliverable_approve(actor=None, deliverable=item, decision=steering_decision)
    item = services.deliverable_publish(actor=None, deliverable=item)
    assert item.status == DeliverableStatus.PUBLISHED
    assert item.published_on == timezone.localdate()
    assert item.decision == steering_decision


def test_a_deliverable_without_its_file_is_not_published(tor_projects, steering_decision):
    tor_projects["II"].related_decisions.add(steering_decision)  # the sign-off is about II
    item = services.deliverable_approve(
        actor=None, deliverable=deliverable(tor_projects["II"], with_file=False), decision=steering_decision
    )
    with pytest.raises(ValidationError) as error:
        services.deliverable_publish(actor=None, deliverable=item)
    assert "file" in error.value.message_dict
    assert type(item).objects.get(pk=item.pk).status == DeliverableStatus.APPROVED


def test_a_hidden_project_does_not_publish_deliverables(tor_projects, steering_decision):
    project = tor_projects["III"]
    project.related_decisions.add(steering_decision)  # the sign-off is about III
    Project.objects.filter(pk=project.pk).update(is_public=False)
    item = services.deliverable_approve(
        actor=None, deliverable=deliverable(project), decision=steering_decision
    )
    with pytest.raises(ValidationError, match="not shown publicly"):
        services.deliverable_publish(actor=None, deliverable=item)


def test_the_database_refuses_an_approved_deliverable_without_a_decision(tor_projects):
    item = deliverable(tor_projects["II"])
    with pytest.raises(IntegrityError), transaction.atomic():
        type(item).objects.filter(pk=item.pk).update(status=DeliverableStatus.APPROVED)


def test_a_deliverable_records_its_file_name_and_size(tor_projects):
    item = deliverable(tor_projects["II"])
    assert item.original_name == "checklist.pdf"
    assert item.size == len(b"%PDF-1.4\nchecklist\n")
    assert item.file.name.startswith("private/projects/")
    assert "checklist" not in item.file.name


def test_a_deliverable_cannot_be_signed_off_by_a_decision_about_another_project(
    tor_projects, steering_decision
):
    tor_projects["III"].related_decisions.add(steering_decision)
    item = deliverable(tor_projects["II"])
    with pytest.raises(ValidationError, match="not about II"):
        services.deliverable_approve(actor=None, deliverable=item, decision=steering_decision)
    tor_projects["II"].related_decisions.add(steering_decision)
    assert services.deliverable_approve(actor=None, deliverable=item, decision=steering_decision).decision


def test_the_decision_that_started_the_project_signs_off_its_deliverables(tor_projects, steering_decision):
    project = services.project_approve(actor=None, project=tor_projects["II"], decision=steering_decision)
    item = services.deliverable_approve(
        actor=None, deliverable=deliverable(project), decision=steering_decision
    )
    assert item.status == DeliverableStatus.APPROVED
