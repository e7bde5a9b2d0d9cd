from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from budget.filters import budget_years
from budget.models import Grant


class ReportForm(forms.Form):
    """The report's choices: one year or the whole period, one grant or all grants managed here."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    grant = forms.ModelChoiceField(
        label=_("Grant"),
        queryset=Grant.objects.filter(is_managed=True),
        required=False,
        empty_label=_("All grants managed here"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", _("The whole period")), *budget_years()]
