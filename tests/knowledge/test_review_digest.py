"""Library items past their review date in the secretariat's weekly digest, through a provider
that knowledge registers with governance (governance imports nothing from knowledge)."""

import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from governance import due
from knowledge.digest import LIMIT, review_due_section
from knowledge.models import Item
from tests.factories import library_item

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())
DIGEST = "atmp-sekretariat@example.org"


@pytest.fixture(autouse=True)
def digest_settings(settings):
    settings.DIGEST_EMAIL = DIGEST
    settings.DIGEST_WEEKDAY = "monday"


def overdue(item, days=3):
    Item.objects.filter(pk=item.pk).update(review_by=MONDAY - datetime.timedelta(days=days))


def scan(today=MONDAY):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return due.due_scan(today=today)


def test_knowledge_registers_its_digest_section_with_governance():
    assert review_due_section in due._digest_providers


def test_the_digest_lists_items_past_their_review_date_with_links_into_the_admin(secretariat):
    late = library_item(actor=secretariat, slug="late", title_da="Forældet vejledning")
    fresh = library_item(actor=secretariat, slug="fresh", title_da="Frisk vejledning")
    overdue(late)
    scan()
    (digest,) = [m for m in mail.outbox if m.to == [DIGEST]]
    html = digest.alternatives[0][0]  # type: ignore[attr-defined]
    for body in (digest.body, html):
        assert "Vidensbankens materialer, der har passeret deres revisionsdato" in body
        assert "Forældet vejledning" in body and fresh.title_da not in body
        assert f"/admin/knowledge/item/{late.pk}/change/" in body
        assert "/admin/knowledge/item/?review=due" in body


def test_a_week_with_only_overdue_reviews_still_gets_a_digest(secretariat):
    overdue(library_item(actor=secretariat, slug="late"))
    digest = due.digest_collect(today=MONDAY)
    assert not digest.is_empty and len(digest.sections) == 1


def test_no_overdue_review_adds_no_section_and_one_query(secretariat, django_assert_num_queries):
    library_item(actor=secretariat, slug="fresh")
    with django_assert_num_queries(1):
        assert review_due_section(MONDAY) is None


def test_a_long_list_names_the_first_and_points_to_the_rest(secretariat):
    for n in range(LIMIT + 2):
        overdue(library_item(actor=secretariat, slug=f"late-{n}", title_da=f"Gammel {n}"), days=n + 1)
    section = review_due_section(MONDAY)
    assert section is not None
    assert (
        len(section.entries) == LIMIT + 1 and section.entries[0].text == f"Gammel {LIMIT + 1}"
    )  # most overdue first
    assert section.entries[-1].url == ""
