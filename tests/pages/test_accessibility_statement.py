"""The accessibility statement says when the portal was tested, how, and with what result (WAS)."""

import datetime
from typing import cast

import pytest
from django.urls import reverse
from django.utils import formats

from pages.accessibility import AUDIT

pytestmark = pytest.mark.django_db


def test_the_statement_gives_the_audit_date_method_and_result(client, english):
    page = client.get(reverse("pages:accessibility")).content.decode()

    assert f'datetime="{AUDIT["date"]:%Y-%m-%d}"' in page
    assert formats.date_format(cast(datetime.date, AUDIT["date"]), "DATE_FORMAT") in page
    assert AUDIT["tool"] in page and f"all {AUDIT['pages']} pages" in page  # the method
    assert (
        f"{AUDIT['violations']} violations of WCAG 2.1 A and AA found in {AUDIT['page_states']} page views"
        in page
    )
    assert "partially meets the requirements" in page


def test_the_danish_statement_says_the_same(client):
    page = client.get(reverse("pages:accessibility")).content.decode()
    assert "Sådan har vi testet" in page and AUDIT["tool"] in page
    assert f"{AUDIT['violations']} overtrædelser af WCAG 2.1 A og AA" in page
