"""Accessible names for the admin's controls that Django renders without a label."""

from django import forms
from django.utils.translation import gettext as _


def labelled_changelist_form(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """A changelist's ``list_editable`` form whose inputs say what they edit, and in which row.

    The column heading labels nothing: a screen reader hears "combo box" forty times.
    """

    class LabelledChangelistForm(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                if not field.widget.is_hidden:
                    field.widget.attrs["aria-label"] = _("%(field)s: %(row)s") % {
                        "field": field.label,
                        "row": self.instance,
                    }

    return LabelledChangelistForm
