"""A select that writes its options in Python.

Django renders a ``<select>`` through a template, and each ``<option>`` through a template of its
own: the directory's filter form (about 80 options over four selects) spent ~70 ms of every list
page there (bench/directory.py, docs/benchmarks.md). This widget writes the same markup with
``format_html``: the same attributes, the DKFDS class the portal's form renderer would add, and
the options escaped as the template escapes them.
"""

from django import forms
from django.utils.html import format_html, format_html_join


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: in order (flatatt sorts), True bare,
    False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class QuickSelect(forms.Select):
    # What pages.forms.PortalFormRenderer adds to a select rendered through its template.
    css_class = "form-select"

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        own = dict(widget["attrs"])
        classes = own.get("class", "").split()
        if self.css_class not in classes:
            own["class"] = " ".join([*classes, self.css_class])
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option["value"] is None else str(option["value"]),
                    _attributes(option["attrs"]),
                    option["label"],
                )
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attributes(own), options)
