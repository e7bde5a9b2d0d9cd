import pytest

from pages.loading import run_loaders
from projects.models import Project, ProjectKind, ProjectStatus

pytestmark = pytest.mark.django_db


def test_the_five_pieces_of_work_of_the_terms_of_reference(tor_projects):
    assert list(Project.objects.values_list("code", "tor_item", "kind")) == [
        ("I", "I", ProjectKind.ANALYSIS),
        ("II", "II", ProjectKind.ANALYSIS),
        ("III", "III", ProjectKind.ANALYSIS),
        ("IV", "IV", ProjectKind.ANALYSIS),
        ("V", "V", ProjectKind.PILOT),
    ]
    assert set(Project.objects.values_list("status", flat=True)) == {ProjectStatus.PROPOSED}
    assert "Danish Medicines Agency" in tor_projects["II"].purpose_en
    assert "finansieringsmodel" in tor_projects["IV"].purpose_da


def test_loading_twice_changes_nothing_and_keeps_the_secretariats_work(tor_projects):
    Project.objects.filter(code="I").update(lead="Amgros", title_en="Edited title")
    report = run_loaders("reference_data")
    assert "Projects (ToR §2, I–V): 0 created, 1 updated." in report
    project = Project.objects.get(code="I")
    assert project.lead == "Amgros"  # not ToR text: left alone
    assert project.title_en.startswith("International experience")
    assert "Projects (ToR §2, I–V): 0 created, 0 updated." in run_loaders("reference_data")
