from pathlib import Path

import django
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

# Det Fælles Designsystem's classes for each kind of widget.
_WIDGET_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-checkbox",
    "radio": "form-radio",
    "checkboxselectmultiple": "form-checkbox",
    "clearablefile": "form-file-input",
    "file": "form-file-input",
}


class PortalFormRenderer(TemplatesSetting):
    """Every form of the portal (ours and allauth's) renders with DKFDS markup.

    Fields use ``templates/forms/field.html``; widgets get DKFDS's classes here, in one
    place, instead of in every form's ``__init__``.
    """

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if (
            isinstance(widget, dict)
            and "attrs" in widget
            and template_name.startswith("django/forms/widgets/")
        ):
            kind = template_name.rsplit("/", 1)[-1].removesuffix(".html")
            css = _WIDGET_CLASSES.get(kind, "form-input")
            attrs = widget["attrs"]
            if css not in attrs.get("class", "").split():
                attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
            if template_name in _FAST and self.widget_templates_are_djangos:
                html = fast_widget_html(template_name, widget)
                if html is not None:
                    return mark_safe(html)  # noqa: S308 (every value in it is escaped)
        elif template_name in _OTHERS and self.widget_templates_are_djangos:
            html = fast_other_html(template_name, context)
            if html is not None:
                return mark_safe(html)  # noqa: S308 (every value in it is escaped)
        return super().render(template_name, context, request)

    @cached_property
    def widget_templates_are_djangos(self) -> bool:
        """Whether the widgets written in Python below are Django's own templates, not overridden."""
        own = Path(django.__file__).parent / "forms" / "templates"
        templates = [self.get_template(name) for name in _FAST]
        return all(t is not None and Path(t.origin.name).is_relative_to(own) for t in templates)


# --- The common widgets written in Python (issue 21) --------------------------------------------
#
# A widget rendered through the template engine costs ~0.4 ms, a select ~1 ms plus its options:
# the request's change page spent ~30 ms of ~105 on its widgets, hidden inputs included. These
# write the same HTML as Django's own templates for them (tests/pages/test_widget_html.py renders
# every kind both ways), and only while those templates are Django's own: a project that
# overrides one gets its override. Labels and empty error lists likewise (the admin's change page
# asks for ~70 of them).

_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "hidden",
        "email",
        "number",
        "password",
        "url",
        "search",
        "tel",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)
_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"
_TEXTAREA = "django/forms/widgets/textarea.html"
_LABEL = "django/forms/label.html"
_ERRORS = frozenset({"django/forms/errors/list/default.html", "django/forms/errors/list/ul.html"})
_OTHERS = _ERRORS | {_LABEL}
_FAST = (
    _INPUT_TEMPLATES
    | _OTHERS
    | {_SELECT, _OPTION, _TEXTAREA, "django/forms/widgets/attrs.html", "django/forms/attrs.html"}
)


def _text(value) -> str:
    """``{{ value }}``: in local time and localised, then escaped unless marked safe."""
    return conditional_escape(localize(template_localtime(value)))


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(value)}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _option(option: dict) -> str:
    value, label = conditional_escape(option["value"]), _text(option["label"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{label}</option>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append("\n  " + _option(option) + "\n")  # the option's template ends with a newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    text = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def fast_widget_html(template_name: str, widget: dict) -> str | None:
    """The widget's HTML as Django's template would write it, or None to use the template."""
    if template_name in _INPUT_TEMPLATES:
        return _input(widget)
    if template_name == _SELECT:
        return _select(widget)
    if template_name == _TEXTAREA:
        return _textarea(widget)
    return None


def fast_other_html(template_name: str, context: dict) -> str | None:
    """A field's label, or an empty list of errors (the admin asks for one per field), as Django's
    templates write them; None (the template) for errors to list."""
    if template_name in _ERRORS:
        return None if context.get("errors") else ""
    label = _text(context["label"])
    if not context.get("use_tag"):
        return label
    tag = _text(context["tag"])
    return f"<{tag}{_attrs(context.get('attrs') or {})}>{label}</{tag}>"
