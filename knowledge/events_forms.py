"""The events' public forms: the list's filters and the registration form."""

from __future__ import annotations

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from knowledge.models import Event, EventFormat, EventKind, EventLanguage


class FilterForm(forms.Form):
    is_filter = True  # every field is optional; the form template leaves out the "(optional)" marks


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventKind.choices, empty_label=_("All kinds"))
    format = django_filters.ChoiceFilter(
        label=_("Where"), choices=EventFormat.choices, empty_label=_("In person or online")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=EventLanguage.choices, empty_label=_("Any language")
    )

    class Meta:
        model = Event
        form = FilterForm
        fields = ["kind", "format", "language"]


class RegistrationForm(forms.Form):
    """Anyone may register; a signed-in person's name and address come from the account."""

    name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send the confirmation here. Other participants never see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    language = forms.ChoiceField(
        label=_("Language of our emails"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )

    def __init__(self, *args, user=None, language: str = "da", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["language"].initial = language
        if self.user is not None:
            # The account's verified address: no confirmation email needed, nothing to type.
            del self.fields["email"]
            self.fields["name"].initial = getattr(self.user, "full_name", "") or ""

    def registration_email(self) -> str:
        return self.user.email if self.user is not None else self.cleaned_data["email"]
