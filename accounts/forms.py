from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import ApplicantType, Language, User


class ProfileSignupForm(forms.Form):
    """The extra fields of allauth's sign-up form (allauth adds email and password)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("Hospital, university, company or other. Leave empty if you ask as a private person."),
    )
    applicant_type = forms.ChoiceField(label=_("I am a"), choices=[("", "—"), *ApplicantType.choices])
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggest the language the person is reading the page in.
        current = (get_language() or "da")[:2]
        self.fields["preferred_language"].initial = current if current in Language.values else "da"
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def signup(self, request, user: User) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.organisation = self.cleaned_data["organisation"]
        user.applicant_type = self.cleaned_data["applicant_type"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "organisation", "applicant_type", "preferred_language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "organisation", "applicant_type", "preferred_language"]
        labels = {
            "full_name": _("Full name"),
            "organisation": _("Organisation"),
            "applicant_type": _("I am a"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        # WCAG 1.3.5: the browser can fill in (and assistive tools can recognise) a person's own data.
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["preferred_language"].widget.attrs["autocomplete"] = "language"
