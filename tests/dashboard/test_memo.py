"""The dashboard's breakdowns are rendered once per set of figures ({% memo %}, issue 21), and a
page never shows a figure older than the data."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from pages import memo as tags
from tests.conftest import sign_in
from tests.factories import submit

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:index") + "?year=2025"


def _page(client) -> str:
    html = client.get(URL).content.decode()
    # What differs between two views of the same figures: the CSRF token of the period form.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _topic_row(html: str, label: str) -> str:
    section = html[html.index('id="by-topic-caption"') :]
    row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(label)}</th>\s*<td[^>]*>(.*?)</td>", section, re.S)
    assert row, label
    return re.sub(r"<[^>]+>", "", row.group(1)).strip()


@pytest.fixture(autouse=True)
def empty_memo():
    tags._memo.clear()
    yield
    tags._memo.clear()


def test_a_reused_breakdown_is_the_html_a_fresh_render_gives(client, secretariat, requests_2025):
    sign_in(client, secretariat)
    fresh = _page(client)
    assert tags._memo, "the breakdowns were kept"
    assert _page(client) == fresh
    tags._memo.clear()
    assert _page(client) == fresh


def test_a_new_request_shows_on_the_next_view(client, secretariat, owner, requests_2025):
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "en"
    before = int(_topic_row(_page(client), "Regulatory guidance"))
    import time_machine

    with time_machine.travel("2025-05-05 10:00 +0200", tick=False):
        submit(owner, topic="regulatory")
    from tests.dashboard.conftest import recount

    recount()
    assert int(_topic_row(_page(client), "Regulatory guidance")) == before + 1


def test_each_language_gets_its_own_words(client, secretariat, requests_2025):
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "da"
    danish = _page(client)
    client.cookies["atmp_language"] = "en"
    english = _page(client)
    assert "Received by topic" in english and "Received by topic" not in danish
    assert _topic_row(english, "Regulatory guidance") == _topic_row(danish, "Regulatorisk vejledning")


def test_a_memo_without_values_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load dashboard %}{% memo %}x{% endmemo %}")


def test_the_memo_keeps_only_its_newest_blocks(monkeypatch):
    monkeypatch.setattr(tags, "MEMO_SIZE", 3)
    block = Template("{% load dashboard %}{% memo n %}[{{ n }}]{% endmemo %}")
    for n in range(5):
        assert block.render(Context({"n": n})) == f"[{n}]"
    assert len(tags._memo) == 3
    assert block.render(Context({"n": 4})) == "[4]"


def _timeline(html: str) -> str:
    match = re.search(r'<svg class="timeline-svg".*?</svg>', html, re.S)
    assert match, "no timeline"
    return match.group(0)


def test_the_timeline_is_kept_and_redrawn_when_a_project_moves_on(
    client, secretariat, tor_projects, steering_decision
):
    from projects import services
    from projects.models import ProjectStatus

    project = tor_projects["II"]
    for status in (ProjectStatus.APPROVED, ProjectStatus.IN_PROGRESS):
        project = services.project_transition(
            actor=secretariat, project=project, to_status=status, decision=steering_decision
        )
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "en"
    before = _timeline(_page(client))
    assert "timeline-bar-in_progress" in before and ": In progress</title>" in before
    assert _timeline(_page(client)) == before, "the kept drawing is the same"

    services.project_transition(actor=secretariat, project=project, to_status=ProjectStatus.COMPLETED)

    after = _timeline(_page(client))
    assert "timeline-bar-completed" in after and ": Completed</title>" in after
    tags._memo.clear()
    assert _timeline(_page(client)) == after, "what was kept is what a fresh drawing gives"


def test_a_model_instance_is_keyed_by_what_it_holds_not_by_its_name(tor_projects):
    block = Template(
        "{% load dashboard %}{% memo project %}{{ project.title }}: {{ project.status }}{% endmemo %}"
    )
    project = tor_projects["II"]
    first = block.render(Context({"project": project}))
    project.status = "approved"  # same pk, same str(): another key all the same
    second = block.render(Context({"project": project}))
    assert first != second and second.endswith(": approved")


def test_a_value_that_cannot_be_pickled_is_drawn_afresh_and_not_kept(caplog):
    block = Template("{% load dashboard %}{% memo f n %}[{{ n }}]{% endmemo %}")
    import threading

    assert block.render(Context({"f": threading.Lock(), "n": 1})) == "[1]"
    assert block.render(Context({"f": threading.Lock(), "n": 2})) == "[2]"
    assert not tags._memo
    assert "cannot be pickled" in caplog.text


def test_a_second_view_of_the_same_figures_draws_nothing_again(
    client, secretariat, requests_2025, monkeypatch
):
    """The sections are keyed on what was read: with nothing changed, the figures are not worked
    out again (the functions still run, as before, when a section is drawn)."""
    from dashboard import figures

    worked_out = []
    for name in ("inquiry_figures", "open_now", "governance_figures", "project_figures"):
        real = getattr(figures, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            worked_out.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(figures, name, counted)
    sign_in(client, secretariat)
    first = _page(client)
    assert set(worked_out) == {"inquiry_figures", "open_now", "governance_figures", "project_figures"}
    worked_out.clear()
    assert _page(client) == first
    assert worked_out == []
