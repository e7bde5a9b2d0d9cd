"""The admin's fieldsets written in Python are Django's, tag for tag (templatetags/admin_fieldsets.py).

Every admin page of every model the admin can change is rendered once; each fieldset it draws is
drawn again by Django's own ``admin/includes/fieldset.html`` with the same values, and the two are
compared with the whitespace between tags left out. The pages cover change forms, add forms, a form
sent back with errors, collapsed fieldsets, read-only fields, checkboxes and stacked inlines.
"""

import re
from pathlib import Path

import django.contrib.admin
import pytest
from django.template import Context, Engine
from django.urls import reverse

from accounts.templatetags import admin_fieldsets
from tests.audit.test_admin_registry import _changeable, _objects
from tests.conftest import TOTP_SECRET, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DJANGOS = Engine.get_default().from_string(
    (Path(django.contrib.admin.__file__).parent / "templates/admin/includes/fieldset.html").read_text()
)


def _tags_only(html: str) -> str:
    """The HTML without the whitespace next to its tags (the template's indentation)."""
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", html).strip()


@pytest.fixture
def superuser(db):
    from allauth.mfa.totp.internal.auth import TOTP

    user = UserFactory.create(email="root@example.org", is_staff=True, is_superuser=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


@pytest.fixture
def drawn(monkeypatch):
    """Each fieldset the pages draw: (ours, Django's)."""
    pairs = []
    ours = admin_fieldsets.fieldset_html

    def both(fieldset, heading_level=None, prefix="", id_prefix="", id_suffix=""):
        html = ours(fieldset, heading_level, prefix, id_prefix, id_suffix)
        context = {
            "fieldset": fieldset,
            "heading_level": heading_level,
            "prefix": prefix,
            "id_prefix": id_prefix,
            "id_suffix": id_suffix,
        }
        pairs.append((str(html), DJANGOS.render(Context(context))))
        return html

    monkeypatch.setattr(admin_fieldsets, "fieldset_html", both)
    return pairs


def _compare(pairs, where):
    assert pairs, f"{where}: no fieldset was drawn"
    for ours, djangos in pairs:
        assert _tags_only(ours) == _tags_only(djangos), where


@pytest.mark.parametrize("label", _changeable())
def test_every_admin_page_draws_djangos_fieldsets(
    label,
    client,
    superuser,
    governance_bodies,
    tor_projects,
    budget_data,
    drawn,  # noqa: F811
):
    obj = _objects()[label]()
    opts = type(obj)._meta
    sign_in(client, superuser)
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200
    _compare(drawn, change)
    drawn.clear()
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    if client.get(add).status_code == 200:
        _compare(drawn, add)
        drawn.clear()
        refused = client.post(add, {})  # nothing filled in: the form comes back with its errors
        if refused.status_code == 200:
            _compare(drawn, f"{add} with errors")


def test_the_comparison_sees_a_difference(client, superuser, drawn):
    """Guard: a fieldset drawn with one class too many is caught."""
    from inquiries.models import CannedReply

    reply = CannedReply.objects.create(title="Tak", body_da="Tak.", body_en="Thanks.")
    sign_in(client, superuser)
    client.get(reverse("admin:inquiries_cannedreply_change", args=[reply.pk]))
    ours, djangos = drawn[0]
    assert _tags_only(ours) == _tags_only(djangos)
    assert _tags_only(ours.replace("form-row", "form-row x", 1)) != _tags_only(djangos)


def test_the_request_change_page_has_its_fieldsets_with_errors_and_a_collapsed_one(
    client, secretariat, owner, drawn
):
    from tests.factories import submit

    inquiry = submit(owner)
    sign_in(client, secretariat)
    url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    page = client.get(url).content.decode()
    assert "<details><summary>" in page  # "Dates" is collapsed
    _compare(drawn, url)
    drawn.clear()
    response = client.post(url, {"expected_version": inquiry.version, "priority": "x", "refer_note": "y"})
    assert response.status_code == 200
    assert 'class="form-row errors field-priority"' in response.content.decode()
    _compare(drawn, f"{url} with errors")


def test_lines_of_several_fields_with_hidden_checkbox_read_only_and_errors_are_djangos():
    """What no admin of the portal draws today, drawn both ways: several fields to a line, a hidden
    one among them, a checkbox, a read-only field, a description, and errors on the line."""
    from django import forms
    from django.contrib import admin
    from django.contrib.admin import helpers

    from inquiries.models import CannedReply

    class Form(forms.ModelForm):
        token = forms.CharField(widget=forms.HiddenInput, help_text="Hidden <b>help</b>")
        code = forms.CharField(help_text="A code")

        class Meta:
            model = CannedReply
            fields = ["title", "is_active"]

    model_admin = admin.site._registry[CannedReply]
    for form in (Form(), Form(data={"title": "", "token": "", "code": ""})):
        form.is_valid()
        shapes: list[tuple[list, tuple[str, ...]]] = [
            ([("title", "token"), ("is_active", "code"), "body_da"], ("collapse", "wide")),
            (["is_active", ("code", "body_da")], ()),
        ]
        for fields, classes in shapes:
            fieldset = helpers.Fieldset(
                form,
                name="Svar <i>",
                fields=fields,
                classes=classes,
                description="A <em>description</em>",
                readonly_fields=("body_da",),
                model_admin=model_admin,
            )
            ours = admin_fieldsets.fieldset_html(fieldset, 4, "x", 1, 2)
            djangos = DJANGOS.render(
                Context(
                    {"fieldset": fieldset, "heading_level": 4, "prefix": "x", "id_prefix": 1, "id_suffix": 2}
                )
            )
            assert _tags_only(ours) == _tags_only(djangos), (fields, form.is_bound)
            assert "fieldBox" in ours and "checkbox-row" in ours and 'class="readonly"' in ours
            assert (" hidden" in ours) == any(isinstance(line, tuple) and "token" in line for line in fields)
