"""The common widgets written in Python (pages.forms, issue 21) give exactly the HTML of Django's
own templates for them: every kind and awkward value, rendered both ways and compared."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from pages.forms import PortalFormRenderer

AWKWARD = "Tom & \"Jerry\" <script>alert(1)</script> 'quoted'"

WIDGETS = [
    (forms.TextInput(), AWKWARD),
    (forms.TextInput(attrs={"required": True, "disabled": False, "data-x": None, "maxlength": 30}), "x"),
    (forms.TextInput(), ""),
    (forms.TextInput(), None),
    (forms.HiddenInput(), 0),
    (forms.HiddenInput(), None),
    (forms.EmailInput(), "a@example.org"),
    (forms.NumberInput(), Decimal("1234.50")),
    (forms.NumberInput(), 2.5),
    (forms.PasswordInput(render_value=True), AWKWARD),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.SearchInput(), AWKWARD),
    (forms.TelInput(), "+45 12 34 56 78"),
    (forms.ColorInput(), "#ff0000"),
    (forms.DateInput(), datetime.date(2026, 11, 26)),
    (forms.DateInput(attrs={"type": "date"}), datetime.date(2026, 11, 26)),
    (forms.DateTimeInput(), datetime.datetime(2026, 11, 26, 23, 59)),
    (forms.TimeInput(), datetime.time(9, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.FileInput(), None),
    (forms.Textarea(), AWKWARD + "\nsecond line"),
    (forms.Textarea(), ""),
    (forms.Textarea(), mark_safe("<b>already safe</b>")),
    (forms.Select(choices=[("", "---------"), ("a", AWKWARD), (1, gettext_lazy("Yes")), (2, 2)]), "a"),
    (forms.Select(choices=[("x", "X"), ("Group & co", [("g1", "One"), ("g2", "Two")])]), "g2"),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
]


def _templates_only() -> PortalFormRenderer:
    renderer = PortalFormRenderer()
    renderer.__dict__["widget_templates_are_djangos"] = False  # the cached answer, overridden
    return renderer


def test_the_portals_widgets_take_the_python_path():
    renderer = get_default_renderer()
    assert isinstance(renderer, PortalFormRenderer) and renderer.widget_templates_are_djangos


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_each_widget_is_the_html_of_its_template(widget, value, language):
    fast, slow = PortalFormRenderer(), _templates_only()
    with override(language):
        by_python = widget.render("field", value, attrs={"id": "id_field"}, renderer=fast)
        by_template = widget.render("field", value, attrs={"id": "id_field"}, renderer=slow)
    assert by_python == by_template
    assert "<script>" not in by_python


def _page(client, url) -> str:
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_a_whole_admin_change_page_is_the_same_either_way(client, secretariat, owner, monkeypatch):
    from django.urls import reverse

    from inquiries import services
    from tests.conftest import sign_in
    from tests.factories import submit

    inquiry = submit(owner, subject=AWKWARD)
    services.referral_create(inquiry=inquiry, actor=secretariat, partner="medicines_agency")
    sign_in(client, secretariat)
    url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    by_python = _page(client, url)
    monkeypatch.setitem(get_default_renderer().__dict__, "widget_templates_are_djangos", False)
    by_template = _page(client, url)
    assert by_python == by_template
    assert by_python.count("<select") >= 5


class _Form(forms.Form):
    required_css_class = "required"
    name = forms.CharField(label='Name & "title" <b>')
    note = forms.CharField(label=mark_safe("Note <em>safe</em>"), required=False)
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


@pytest.mark.parametrize("data", [None, {"name": "", "choice": "zzz"}, {"name": "x", "choice": "a"}])
def test_labels_and_error_lists_are_the_html_of_their_templates(data):
    fast, slow = PortalFormRenderer(), _templates_only()
    for renderer in (fast, slow):
        form = _Form(data, renderer=renderer)
        form.is_valid()
        rendered = [
            (
                bf.label_tag(),
                bf.label_tag(attrs={"class": "x"}),
                bf.legend_tag(),
                str(bf.errors),
                bf.errors.as_ul(),
            )
            for bf in form
        ] + [
            str(form.non_field_errors()),
            str(_Form(None, renderer=renderer, auto_id=False)["name"].label_tag()),
        ]
        if renderer is fast:
            by_python = rendered
        else:
            by_template = rendered
    assert by_python == by_template
    assert "<b>" not in str(by_python[0]) and "&lt;b&gt;" in str(by_python[0])
