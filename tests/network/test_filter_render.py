"""The directory's filter form: its selects written in Python by the portal's form renderer
(pages.forms), the same markup as Django's templates write, for less."""

import pytest

from network.filters import EntryFilter
from network.models import Entry

pytestmark = pytest.mark.django_db


def _template_rendered(entry_filter, monkeypatch) -> str:
    """The form as Django's templates render it: the renderer's Python path switched off."""
    from django.forms.renderers import get_default_renderer

    with monkeypatch.context() as patch:
        patch.setitem(get_default_renderer().__dict__, "widget_templates_are_djangos", False)
        return str(entry_filter.form)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"region": "hovedstaden", "capability": "gmp-manufacturing", "atmp_class": "gene_therapy"},
        {"entry_type": "facility", "q": "<b>celle & gen</b>"},
        {"region": "atlantis"},  # an invalid choice: the error and the select as typed
    ],
)
def test_the_selects_render_exactly_what_the_templates_render(capabilities, query, monkeypatch):
    data = query or None
    quick = str(EntryFilter(data, queryset=Entry.objects.all()).form)
    assert quick == _template_rendered(EntryFilter(data, queryset=Entry.objects.all()), monkeypatch)
    assert quick.count("<option") >= len(capabilities) + 20


def test_a_label_with_markup_is_escaped(capabilities):
    from network.models import Capability

    Capability.objects.filter(code="apheresis").update(name_da='Aferese <script>"x"</script>')
    html = str(EntryFilter(None, queryset=Entry.objects.all()).form)
    assert "<script>" not in html and "Aferese &lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html


def _templates_rendered(client, url) -> list[str]:
    from django.test.signals import template_rendered

    names: list[str] = []

    def seen(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(seen)
    try:
        assert client.get(url).status_code == 200
    finally:
        template_rendered.disconnect(seen)
    return names


def test_the_list_renders_no_template_per_option_however_many_capabilities(client, capabilities):
    """The pin of the cut: the templates the list page renders do not grow with the options."""
    from network.models import Capability

    few = _templates_rendered(client, "/directory/?region=hovedstaden")
    assert not [name for name in few if name and "select" in name]
    Capability.objects.bulk_create(
        Capability(code=f"extra-{n}", name_da=f"Ekstra {n}", name_en=f"Extra {n}", position=200 + n)
        for n in range(40)
    )
    many = _templates_rendered(client, "/directory/?region=hovedstaden")
    assert len(many) == len(few)
