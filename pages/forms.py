from django.forms.renderers import TemplatesSetting

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
        return super().render(template_name, context, request)
