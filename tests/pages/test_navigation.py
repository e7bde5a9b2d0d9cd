"""The main menu marks the section a page belongs to, decided from the resolved URL."""

import re

import pytest
from django.urls import reverse

from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[tuple[bool, bool, str]]:
    """Each main-menu item as (li marked active, link marked aria-current="page", link target)."""
    menu = html.split('<ul class="mainmenu">', 1)[1].split("</ul>", 1)[0]
    items = re.findall(
        r"<li( class=\"active[^\"]*\")?>\s*<a href=\"([^\"]+)\"[^>]*?( aria-current=\"page\")?>", menu
    )
    return [(bool(active), bool(current), href) for active, href, current in items]


def _active(html: str) -> list[str]:
    return [href for active, _current, href in _menu(html) if active]


def _current(html: str) -> list[str]:
    return [href for _active, current, href in _menu(html) if current]


def test_the_governance_page_marks_governance_and_is_the_current_page(client):
    html = client.get(reverse("governance:index")).content.decode()
    assert _active(html) == ["/governance/"]
    assert _current(html) == ["/governance/"]


def test_the_decisions_register_belongs_to_governance_but_is_not_its_front_page(client):
    html = client.get(reverse("governance:decisions")).content.decode()
    assert _active(html) == ["/governance/"]
    assert _current(html) == []


def test_the_projects_pages_mark_projects(client):
    html = client.get(reverse("projects:index")).content.decode()
    assert _active(html) == ["/projects/"]
    assert _current(html) == ["/projects/"]
    html = client.get(reverse("projects:timeline")).content.decode()
    assert _active(html) == ["/projects/"]
    assert _current(html) == []


def test_the_front_page_marks_only_itself(client):
    html = client.get(reverse("pages:home")).content.decode()
    assert _active(html) == ["/"] and _current(html) == ["/"]


def test_a_page_outside_the_menu_marks_nothing(client):
    html = client.get(reverse("pages:privacy")).content.decode()
    assert _active(html) == [] and _current(html) == []


def test_a_signed_in_applicants_requests_and_account_pages(client, owner):
    sign_in(client, owner)
    assert _active(client.get(reverse("inquiries:list")).content.decode()) == ["/requests/"]
    assert _active(client.get(reverse("account_email")).content.decode()) == ["/account/profile/"]
