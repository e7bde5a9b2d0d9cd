"""The contact's form behind their personal link: the entry as it stands, to confirm or correct."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inquiries.models import DevelopmentStage
from network.models import SERVED_ATMP_CLASSES, AnswerChoice, Capability, Entry, EntryType, Region


class EntryCorrectionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    entry_type = forms.ChoiceField(label=_("Type"), choices=EntryType.choices)
    region = forms.ChoiceField(label=_("Region"), choices=Region.choices)
    description_da = forms.CharField(
        label=_("Description in Danish"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capabilities = forms.ModelMultipleChoiceField(
        label=_("Capabilities"),
        queryset=Capability.objects.filter(is_active=True).order_by("position", "name_en"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    atmp_classes = forms.MultipleChoiceField(
        label=_("ATMP classes served"),
        choices=SERVED_ATMP_CLASSES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.MultipleChoiceField(
        label=_("Development stages served"),
        choices=DevelopmentStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_email = forms.EmailField(
        label=_("Contact email"),
        help_text=_("A role mailbox (e.g. gmp@…), not a person's private address."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Anything the secretariat should know"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_entry(cls, entry: Entry, data=None):
        initial = {
            "name": entry.name,
            "entry_type": entry.entry_type,
            "region": entry.region,
            "description_da": entry.description_da,
            "description_en": entry.description_en,
            "capabilities": [c.code for c in entry.capabilities.all()],
            "atmp_classes": [r.atmp_class for r in entry.atmp_class_rows.all()],
            "stages": [r.stage for r in entry.stage_rows.all()],
            "contact_email": entry.contact_email,
            "website": entry.website,
        }
        return cls(data=data, initial=initial)

    def proposal(self) -> dict:
        data = self.cleaned_data
        return {
            **{
                name: data[name]
                for name in ("name", "entry_type", "region", "description_da", "description_en")
            },
            "contact_email": data["contact_email"],
            "website": data["website"],
            "capabilities": [c.code for c in data["capabilities"]],
            "atmp_classes": list(data["atmp_classes"]),
            "stages": list(data["stages"]),
        }


class AnswerForm(forms.Form):
    """A site's answer to a feasibility round."""

    answer = forms.ChoiceField(label=_("Your answer"), choices=AnswerChoice.choices, widget=forms.RadioSelect)
    capacity = forms.CharField(
        label=_("Capacity"),
        max_length=2_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example how many patients a year, or slots in the cleanroom."),
    )
    time_frame = forms.CharField(label=_("Time frame"), max_length=200, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    comments = forms.CharField(
        label=_("Comments"), max_length=5_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    consent_to_share = forms.BooleanField(
        label=_("The secretariat may share this answer and our contact details with the applicant"),
        required=False,
    )

    @classmethod
    def for_invitation(cls, invitation, data=None):
        initial = {
            name: getattr(invitation, name)
            for name in ("answer", "capacity", "time_frame", "contact_person", "comments", "consent_to_share")
        }
        return cls(data=data, initial=initial)
