"""Who sees what on the project pages, the filters, the timeline, and the downloads."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import finance, services
from projects.models import Health, Milestone, Project, ProjectKind, ProjectStatus, TorItem
from tests.conftest import sign_in
from tests.factories import MilestoneFactory, deliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(tor_projects, steering_decision):
    """Analysis II under way: a published checklist, a draft report, a hidden pilot beside it."""
    project = services.project_approve(actor=None, project=tor_projects["II"], decision=steering_decision)
    project = services.project_transition(actor=None, project=project, to_status=ProjectStatus.IN_PROGRESS)
    Project.objects.filter(pk=project.pk).update(
        planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2027, 6, 30)
    )
    services.progress_record(actor=None, project=project, text="Public progress note", is_public=True)
    services.progress_record(
        actor=None,
        project=project,
        text="Internal progress note",
        health=Health.AT_RISK,
        reason="The agency's guidance is late",
    )
    MilestoneFactory.create(project=project, title_da="Tjekliste klar", due_date=datetime.date(2026, 9, 1))
    published = services.deliverable_publish(
        actor=None,
        deliverable=services.deliverable_approve(
            actor=None,
            deliverable=deliverable(project, title="Published checklist"),
            decision=steering_decision,
        ),
    )
    draft = deliverable(project, title="Draft guideline", kind="guideline")
    hidden = Project.objects.create(
        code="P7",
        kind=ProjectKind.PILOT,
        tor_item=TorItem.V,
        title_da="Skjult pilot",
        title_en="Hidden pilot",
        purpose_da="Intern",
        is_public=False,
    )
    return {"project": project, "published": published, "draft": draft, "hidden": hidden}


def as_user(client, user):
    if user is not None and user.is_authenticated:
        sign_in(client, user)
    return client


FULL = ["steering_member", "secretariat"]
PUBLIC = ["outsider", "owner", "reference_member"]


@pytest.mark.parametrize("who", FULL + PUBLIC)
def test_the_project_list_shows_the_full_status_to_the_steering_group_and_secretariat_only(
    client, request, started, who
):
    as_user(client, request.getfixturevalue(who))
    page = client.get(reverse("projects:index")).content.decode()
    assert "Regulatoriske forhold" in page
    assert "Published checklist" in page
    full = who in FULL
    assert ("Draft guideline" in page) is full
    assert ("Skjult pilot" in page) is full


@pytest.mark.parametrize("who", FULL + PUBLIC)
def test_the_project_page_shows_health_reasons_and_internal_notes_to_the_full_view_only(
    client, request, started, who
):
    as_user(client, request.getfixturevalue(who))
    page = client.get(reverse("projects:detail", args=["II"])).content.decode()
    assert "Public progress note" in page and "Tjekliste klar" in page
    full = who in FULL
    assert ("The agency&#x27;s guidance is late" in page) is full
    assert ("Internal progress note" in page) is full
    assert ("Draft guideline" in page) is full
    assert ("Start analysis II" in page) is True  # the approving decision is public


def test_a_private_decision_is_named_only_to_the_full_view(
    client, tor_projects, private_decision, steering_member
):
    services.project_approve(actor=None, project=tor_projects["III"], decision=private_decision)
    url = reverse("projects:detail", args=["III"])
    assert private_decision.number not in client.get(url).content.decode()
    sign_in(client, steering_member)
    assert private_decision.number in client.get(url).content.decode()


@pytest.mark.parametrize("who", FULL + PUBLIC)
def test_a_hidden_project_is_not_found_by_the_public(client, request, started, who):
    as_user(client, request.getfixturevalue(who))
    response = client.get(reverse("projects:detail", args=["P7"]))
    assert response.status_code == (200 if who in FULL else 404)


@pytest.mark.parametrize("who", FULL + PUBLIC)
def test_deliverable_downloads(client, request, started, who):
    as_user(client, request.getfixturevalue(who))
    published = client.get(reverse("projects:deliverable", args=[started["published"].pk]))
    assert published.status_code == 200
    assert b"".join(published.streaming_content) == b"%PDF-1.4\nchecklist\n"
    assert published["Content-Disposition"].startswith("attachment;")
    assert published["X-Content-Type-Options"] == "nosniff"
    draft = client.get(reverse("projects:deliverable", args=[started["draft"].pk]))
    if who in FULL:
        assert draft.status_code == 200
        assert draft["Cache-Control"] == "private, no-store"
    else:
        assert draft.status_code == 404


def test_a_missing_deliverable_is_not_found(client, started):
    assert client.get(reverse("projects:deliverable", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({}, ["I", "II", "III", "IV", "V"]),
        ({"kind": "pilot"}, ["V"]),
        ({"kind": "analysis"}, ["I", "II", "III", "IV"]),
        ({"status": "in_progress"}, ["II"]),
        ({"status": "proposed", "kind": "analysis"}, ["I", "III", "IV"]),
        ({"tor_item": "II", "status": "in_progress"}, ["II"]),
        ({"tor_item": "II", "status": "proposed"}, []),
        ({"kind": "pilot", "tor_item": "V", "status": "proposed"}, ["V"]),
    ],
)
def test_list_filters_combine(client, started, query, codes):
    response = client.get(reverse("projects:index"), query)
    shown = [project.code for project in response.context["projects"]]
    assert shown == codes
    if not codes:
        assert "Ingen projekter matcher" in response.content.decode()


def test_an_unknown_filter_value_says_so_and_keeps_the_list(client, started):
    response = client.get(reverse("projects:index"), {"status": "bogus"})
    assert response.status_code == 200
    assert response.context["filter"].errors["status"]
    assert len(response.context["projects"]) == 5


def _svg(page: str) -> str:
    match = re.search(r"<svg class=\"timeline-svg\".*?</svg>", page, re.S)
    assert match, "no timeline SVG"
    return match.group(0)


def test_the_timeline_with_no_projects(client, db):
    page = client.get(reverse("projects:timeline")).content.decode()
    svg = _svg(page)
    assert 'role="img"' in svg and "<title" in svg
    assert 'class="timeline-mandate"' in svg and 'class="timeline-today"' in svg
    assert "timeline-bar" not in svg
    assert "Ingen projekter er offentliggjort endnu." in page


def test_the_timeline_with_one_project(client, started):
    Project.objects.exclude(code="II").delete()
    svg = _svg(client.get(reverse("projects:timeline")).content.decode())
    assert svg.count('class="timeline-bar ') == 1
    assert svg.count("<polygon") == 1
    assert 'class="timeline-milestone timeline-milestone-late"' in svg  # due 1 September 2026, not reached


def test_the_timeline_with_many_projects_draws_each_bar_and_milestone(client, started, steering_decision):
    for code in ("I", "III", "IV"):
        project = Project.objects.get(code=code)
        Project.objects.filter(pk=project.pk).update(
            planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2028, 2, 1)
        )
        MilestoneFactory.create(project=project, title_da=f"M {code}", due_date=datetime.date(2026, 5, 1))
    response = client.get(reverse("projects:timeline"))
    svg = _svg(response.content.decode())
    assert svg.count('class="timeline-bar ') == 4  # II and I, III, IV; V has no dates
    assert svg.count("<polygon") == 4
    # The table beside the picture has one row per project, and flags ends after 2027.
    table = response.content.decode().split("timeline-table", 1)[1]
    assert table.count('<th scope="row"') == 5
    assert table.count("Slutter efter 2027") == 3


def test_the_timeline_places_today_and_the_end_of_the_mandate(started):
    from projects.timeline import build

    projects = list(Project.objects.prefetch_related("milestones"))
    layout = build(projects, datetime.date(2026, 1, 1))
    assert layout.start == datetime.date(2025, 1, 1) and layout.end == datetime.date(2027, 12, 31)
    assert layout.today_x is not None
    assert layout.chart_left < layout.today_x < layout.mandate_x
    assert layout.mandate_x == pytest.approx(layout.chart_right)
    row = next(r for r in layout.rows if r.project.code == "II")
    # The bar begins on the day the work actually started (set by the transition), not the planned start.
    started = row.project.started_on
    assert started != row.project.planned_start
    span = (layout.end - layout.start).days + 1
    expected = layout.chart_left + (started - layout.start).days / span * (
        layout.chart_right - layout.chart_left
    )
    assert row.bar_x == pytest.approx(expected)
    assert [r.bar_x for r in layout.rows if r.project.code == "I"] == [None]  # no dates: no bar


def test_numbers_in_the_svg_are_never_localised(client, started):
    """Danish decimal commas would break the SVG coordinates."""
    svg = _svg(client.get(reverse("projects:timeline")).content.decode())
    assert not re.search(r'(?:x|y|width)="\d+,\d', svg)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_projects(client, started, steering_member):
    sign_in(client, steering_member)
    urls = [reverse("projects:index"), reverse("projects:timeline"), reverse("projects:detail", args=["II"])]
    before = [_queries(client, url) for url in urls]
    for number in range(1, 25):
        project = Project.objects.create(
            code=f"P{number + 10}",
            kind=ProjectKind.PILOT,
            tor_item=TorItem.V,
            title_da=f"Pilot {number}",
            title_en=f"Pilot {number}",
            purpose_da="Afprøvning",
            planned_start=datetime.date(2026, 1, 1),
        )
        MilestoneFactory.create(project=project, title_da="M1", due_date=datetime.date(2026, 6, 1))
        MilestoneFactory.create(project=project, title_da="M2", due_date=datetime.date(2027, 6, 1))
        deliverable(project, title=f"Rapport {number}")
    after = [_queries(client, url) for url in urls]
    assert after == before


def test_the_ledger_seam_shows_figures_to_the_full_view_only(client, started, steering_member):
    def provider(project):
        if project.code != "II":
            return None
        return finance.ProjectFinance(
            committed=Decimal("250000.00"),
            spent=Decimal("1234567.89"),
            years=[finance.FinanceYear(2026, Decimal("250000.00"), Decimal("1234567.89"))],
        )

    finance.register_finance_provider(provider)
    try:
        url = reverse("projects:detail", args=["II"])
        assert "1.234.567,89" not in client.get(url).content.decode()
        sign_in(client, steering_member)
        assert "1.234.567,89 kr." in client.get(url).content.decode()
        steering_member.preferred_language = "en"
        steering_member.save(update_fields=["preferred_language"])
        english = client.get(url).content.decode()
        assert "DKK 1,234,567.89" in english
        assert "1.234.567,89" not in english
    finally:
        finance._providers.remove(provider)


def test_the_navigation_links_the_projects(client, db):
    page = client.get(reverse("pages:home")).content.decode()
    assert f'href="{reverse("projects:index")}"' in page


def test_a_late_milestone_is_marked_overdue(client, started):
    MilestoneFactory.create(
        project=started["project"],
        title_da="Forsinket",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    page = client.get(reverse("projects:detail", args=["II"])).content.decode()
    assert "Overskredet" in page


def test_the_list_names_each_projects_next_milestone_and_marks_it_when_late(client, started):
    project = started["project"]
    today = timezone.localdate()
    Milestone.objects.filter(project=project).update(done_date=today)  # "Tjekliste klar" is reached
    MilestoneFactory.create(
        project=project, title_da="Høring afsluttet", due_date=today - datetime.timedelta(days=2)
    )
    MilestoneFactory.create(
        project=project, title_da="Endelig tjekliste", due_date=today + datetime.timedelta(days=40)
    )
    page = client.get(reverse("projects:index")).content.decode()
    card = page.split("II. Regulatoriske forhold</a>", 1)[1].split("project-card", 1)[0]
    assert "Næste milepæl" in card and "Høring afsluttet" in card and "Overskredet" in card
    assert "Endelig tjekliste" not in card and "Tjekliste klar" not in card
    assert list(Milestone.objects.overdue().values_list("title_da", flat=True)) == ["Høring afsluttet"]


def test_staff_without_a_second_factor_sees_what_the_public_sees(
    client, started, staff_without_second_factor
):
    sign_in(client, staff_without_second_factor)
    page = client.get(reverse("projects:index")).content.decode()
    assert "Published checklist" in page
    assert "Draft guideline" not in page and "Skjult pilot" not in page
    assert client.get(reverse("projects:detail", args=["P7"])).status_code == 404
    assert client.get(reverse("projects:deliverable", args=[started["draft"].pk])).status_code == 404
