import pytest
from django.core.files.base import ContentFile

from governance import services as governance
from projects.models import Deliverable, DeliverableKind, Project
from projects.reference_data import load as load_projects
from tests.governance.helpers import plan


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tor_projects(db):
    """The five pieces of work of ToR §2, as `load_reference_data` makes them (all proposed)."""
    load_projects()
    return {project.code: project for project in Project.objects.all()}


@pytest.fixture
def steering_decision(governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=-10)
    return governance.decision_record(
        meeting=meeting,
        title="Start analysis II",
        text="The steering group starts analysis II.",
        is_public=True,
    )


@pytest.fixture
def private_decision(governance_bodies):
    meeting = plan(governance_bodies["steering-group"], in_days=-20)
    return governance.decision_record(meeting=meeting, title="Internal matter", text="Not public.")


@pytest.fixture
def reference_decision(governance_bodies):
    meeting = plan(governance_bodies["reference-group"], in_days=-10)
    return governance.decision_record(meeting=meeting, title="Advice", text="The reference group advises.")


def deliverable(project, *, title="Checklist for early advice", with_file=True, **fields):
    return Deliverable.objects.create(
        project=project,
        title=title,
        kind=fields.pop("kind", DeliverableKind.CHECKLIST),
        file=ContentFile(b"%PDF-1.4\nchecklist\n", name="checklist.pdf") if with_file else "",
        **fields,
    )
