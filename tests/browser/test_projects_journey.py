"""The secretariat starts analysis II on the steering group's decision and publishes its checklist;
the public finds the checklist and the timeline."""

import re

import pytest
from playwright.sync_api import expect

from governance import services as governance
from governance.models import Body
from governance.reference_data import load as load_governance
from projects.models import Deliverable, DeliverableStatus, Project, ProjectStatus
from projects.reference_data import load as load_projects
from tests.conftest import totp_code
from tests.factories import plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def decision(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_governance()
    load_projects()
    meeting = plan(Body.objects.get(code="steering-group"), in_days=-14)
    return governance.decision_record(
        actor=None,
        meeting=meeting,
        title="Igangsættelse af analyse II om regulatoriske forhold",
        text="Styregruppen igangsætter analyse II.",
        is_public=True,
    )


def test_the_secretariat_starts_analysis_two_and_publishes_its_checklist(
    page, browser, live_server, screenshot, secretariat, decision, tmp_path
):
    project = Project.objects.get(code="II")
    page.goto(f"/admin/projects/project/{project.pk}/change/")
    page.fill("#id_login", secretariat.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.fill("#id_code", totp_code())
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"**/admin/projects/project/{project.pk}/change/")

    # Approve by pointing at the steering group's decision, with a plan and two milestones.
    page.select_option("#id_new_status", "approved")
    page.select_option("#id_decision", str(decision.pk))
    page.fill("#id_planned_start", "01.12.2026")
    page.fill("#id_planned_end", "30.09.2027")
    for index, (title, due) in enumerate(
        [("Tjekliste i høring", "01.03.2027"), ("Tjekliste godkendt", "01.06.2027")]
    ):
        page.locator("#milestones-group .add-row a").click()
        page.fill(f"#id_milestones-{index}-title_da", title)
        page.fill(f"#id_milestones-{index}-due_date", due)
    screenshot(page, "projects-admin-approve-da")
    page.get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Godkendt")
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED and project.decision_id == decision.pk
    assert project.milestones.count() == 2

    # The checklist: upload, send for sign-off, approve on the decision, publish.
    upload = tmp_path / "tjekliste.pdf"
    upload.write_bytes(b"%PDF-1.4\nTjekliste til tidlig regulatorisk raadgivning\n")
    page.goto("/admin/projects/deliverable/add/")
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_title", "Tjekliste til tidlig regulatorisk rådgivning")
    page.select_option("#id_kind", "checklist")
    page.set_input_files("#id_file", str(upload))
    page.get_by_role("button", name="Gem og fortsæt med at redigere").click()
    page.select_option("#id_new_status", "for_sign_off")
    page.get_by_role("button", name="Gem og fortsæt med at redigere").click()
    page.select_option("#id_new_status", "approved")
    page.select_option("#id_decision", str(decision.pk))
    page.get_by_role("button", name="Gem og fortsæt med at redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("Godkendt")
    screenshot(page, "projects-admin-deliverable-da")
    page.goto("/admin/projects/deliverable/")
    page.locator("input[name=_selected_action]").first.check()
    page.select_option("select[name=action]", "publish")
    page.get_by_role("button", name=re.compile("Udfør")).click()
    expect(page.locator(".messagelist")).to_contain_text("offentliggjort")
    assert Deliverable.objects.get().status == DeliverableStatus.PUBLISHED
    assert page.csp_violations == []

    # The public, not signed in, finds it on the list, downloads it, and sees the timeline.
    public = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    visitor = public.new_page()
    violations: list[str] = []

    def note_csp_violation(msg):
        if "Content Security Policy" in msg.text:
            violations.append(msg.text)

    visitor.on("console", note_csp_violation)
    visitor.goto("/projects/")
    card = visitor.locator(".project-card", has_text="Regulatoriske forhold")
    expect(card).to_contain_text("Godkendt")
    expect(card).to_contain_text("Tjekliste til tidlig regulatorisk rådgivning")
    screenshot(visitor, "projects-public-list-da")
    with visitor.expect_download() as download:
        card.get_by_role("link", name="Tjekliste til tidlig regulatorisk rådgivning").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == upload.read_bytes()

    visitor.get_by_role("link", name="Se alle projekter og milepæle på en tidslinje").click()
    svg = visitor.locator("svg.timeline-svg")
    expect(svg).to_be_visible()
    assert svg.locator("rect.timeline-bar").count() == 1
    assert svg.locator("polygon.timeline-milestone").count() == 2
    expect(visitor.locator(".timeline-table")).to_contain_text("Tjekliste godkendt")
    screenshot(visitor, "projects-timeline-da")

    visitor.goto("/projects/II/")
    screenshot(visitor, "projects-detail-public-da")
    visitor.get_by_role("button", name="English").click()
    visitor.wait_for_selector("html[lang=en]")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Regulatory conditions")
    screenshot(visitor, "projects-detail-public-en")
    visitor.goto("/projects/timeline/")
    screenshot(visitor, "projects-timeline-en")
    assert violations == []
    public.close()
