"""The Danish admin speaks Danish: every model field the secretariat sees has a translatable label.

A field without ``verbose_name=_("…")`` gets Django's own, "uploaded by", in English on every
page, and no catalogue test can see it: it never reaches our catalogue.
"""

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.test import RequestFactory
from django.utils.functional import Promise

pytestmark = pytest.mark.django_db


def _shown_fields(model_admin, request):
    names = set(model_admin.get_fields(request)) | set(model_admin.get_list_display(request))
    for inline in model_admin.get_inline_instances(request):
        names_inline = set(inline.get_fields(request))
        yield from ((inline.model, name) for name in names_inline)
    yield from ((model_admin.model, name) for name in names)


def test_every_field_the_admin_shows_has_a_translatable_label(secretariat):
    request = RequestFactory().get("/admin/")
    request.user = secretariat
    untranslated = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"auth", "account", "mfa"}:
            continue  # Django's and allauth's own models, translated by them
        for shown_model, name in _shown_fields(model_admin, request):
            try:
                field = shown_model._meta.get_field(name)
            except (FieldDoesNotExist, TypeError):
                continue  # a method or a form-only field: its label is given where it is defined
            if not isinstance(getattr(field, "verbose_name", None), Promise):
                untranslated.add(f"{shown_model._meta.label}.{name}")
    assert not untranslated, sorted(untranslated)
