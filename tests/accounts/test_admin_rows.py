"""The request queue's rows, written column by column ({% fast_result_list %}, issue 21), are the
HTML Django's own result_list writes: row by row, for requests in every state, with a filter and a
sort kept in the links, in Danish and English."""

import pytest
from django.contrib.admin.templatetags import admin_list
from django.urls import reverse

from accounts.templatetags.admin_rows import fast_result_list, fast_results
from inquiries import services
from inquiries.models import Status
from tests.conftest import sign_in
from tests.factories import submit

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:inquiries_inquiry_changelist")
AWKWARD = 'Tom & "Jerry" <script>alert(1)</script>'


@pytest.fixture
def varied(owner, colleague, secretariat):
    """Requests new, assigned, waiting, closed, urgent, with awkward subjects, long and short."""
    made = [submit(owner, subject=AWKWARD), submit(colleague, subject="x" * 80, topic="regulatory")]
    services.inquiry_assign(inquiry=made[0], assignee=secretariat, actor=secretariat)
    waiting = submit(owner, subject="Waiting")
    services.inquiry_transition(inquiry=waiting, to=Status.IN_TRIAGE, actor=secretariat)
    services.inquiry_transition(inquiry=waiting, to=Status.WAITING_FOR_APPLICANT, actor=secretariat)
    closed = submit(colleague, subject="Closed")
    services.inquiry_transition(inquiry=closed, to=Status.CLOSED, actor=secretariat)
    return made + [waiting, closed]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("query", ["", "?o=-3.1", "?status=open&q=x"])
def test_each_row_is_the_html_djangos_result_list_writes(client, secretariat, varied, language, query):
    client.cookies["atmp_language"] = language
    sign_in(client, secretariat)
    response = client.get(QUEUE + query)
    cl = response.context["cl"]
    assert cl.result_list, "rows to compare"

    fast = fast_results(cl)
    django = [list(row) for row in admin_list.results(cl)]

    assert fast is not None and [list(row) for row in fast] == django
    assert "<script>" not in "".join("".join(row) for row in fast)


def test_the_queue_page_uses_the_fast_rows_and_keeps_its_links(client, secretariat, varied):
    sign_in(client, secretariat)
    page = client.get(QUEUE + "?status=open").content.decode()
    first = varied[0]
    change = reverse("admin:inquiries_inquiry_change", args=[first.pk])
    assert f'<th class="field-reference"><a href="{change}?_changelist_filters=status%3Dopen">' in page
    assert 'class="action-select"' in page


def test_an_editable_or_popup_list_falls_back_to_djangos_rows(client, secretariat, varied):
    sign_in(client, secretariat)
    cl = client.get(QUEUE).context["cl"]
    cl.is_popup = True
    assert fast_results(cl) is None
    assert fast_result_list(cl)["results"] == admin_list.result_list(cl)["results"]


def _sidebar(html: str) -> str:
    start = html.index('<nav class="sticky" id="nav-sidebar"')
    return html[start : html.index("</nav>", start)]


def test_the_sidebar_is_kept_and_still_marks_the_page_you_are_on(client, secretariat, varied):
    from pages import memo

    memo._memo.clear()
    sign_in(client, secretariat)
    queue = _sidebar(client.get(QUEUE).content.decode())
    assert memo._memo, "the sidebar was kept"
    assert 'aria-current="page">' in queue and 'href="/admin/inquiries/inquiry/" aria-current="page"' in queue

    change = _sidebar(
        client.get(reverse("admin:inquiries_inquiry_change", args=[varied[0].pk])).content.decode()
    )
    assert change == queue, "the same model is open"
    users = _sidebar(client.get(reverse("admin:accounts_user_changelist")).content.decode())
    assert 'href="/admin/accounts/user/" aria-current="page"' in users
    assert 'href="/admin/inquiries/inquiry/" aria-current' not in users

    memo._memo.clear()
    assert _sidebar(client.get(QUEUE).content.decode()) == queue, "kept is what a fresh drawing gives"


def test_each_language_has_its_own_sidebar(client, secretariat, varied):
    sign_in(client, secretariat)
    client.cookies["atmp_language"] = "en"
    english = _sidebar(client.get(QUEUE).content.decode())
    client.cookies["atmp_language"] = "da"
    danish = _sidebar(client.get(QUEUE).content.decode())
    assert "Requests" in english and "Henvendelser" in danish and english != danish
