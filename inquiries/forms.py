import re
import uuid
from collections.abc import Iterable
from datetime import date
from typing import cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import ApplicantType
from inquiries.models import APPLICANT_FIELDS, Inquiry
from inquiries.uploads import ALLOWED_EXTENSIONS, validate_uploads

# DDMMYY-XXXX or DDMMYYXXXX, not part of a longer number.
_CPR = re.compile(r"(?<![\d-])(\d{2})(\d{2})(\d{2})[- ]?(\d{4})(?![\d-])")


def find_cpr_numbers(text: str) -> list[str]:
    """Strings in ``text`` that look like a Danish CPR number with a plausible birth date."""
    found = []
    for match in _CPR.finditer(text or ""):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        for century in (1900, 2000):
            try:
                date(century + year, month, day)
            except ValueError:
                continue
            found.append(match.group(0))
            break
    return found


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); limits checked by content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return validate_uploads([super(MultipleFileField, self).clean(f, initial) for f in files])


def _upload_help():
    return _("Up to %(count)d files of at most %(size)s each: %(types)s.") % {
        "count": settings.REQUESTS_MAX_UPLOADS,
        "size": filesizeformat(settings.REQUESTS_MAX_UPLOAD_BYTES),
        "types": ALLOWED_EXTENSIONS,
    }


upload_help = lazy(_upload_help, str)


class CprWarningMixin(forms.BaseForm):
    """A possible CPR number stops the form once, with a warning and a box to tick to go on."""

    cpr_fields: tuple[str, ...] = ()
    cpr_warning = False

    def check_cpr(self, cleaned):
        text = " ".join(str(cleaned.get(name) or "") for name in self.cpr_fields)
        if find_cpr_numbers(text) and not cleaned.get("cpr_confirmed"):
            self.cpr_warning = True
            self.add_error(
                "cpr_confirmed",
                _(
                    "Your text seems to contain a CPR number. Please remove personal identification "
                    "numbers unless they are necessary; if it is not a CPR number, or it must be there, "
                    "tick the box to send anyway."
                ),
            )


class InquiryForm(CprWarningMixin, forms.ModelForm):
    attachments = MultipleFileField(label=_("Attachments"), help_text=upload_help())
    cpr_confirmed = forms.BooleanField(
        label=_("I have checked: the text does not contain a CPR number, or it has to be there"),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I have read how ATMP Danmark processes the personal data in my request"),
        required=True,
    )
    # Sent back with the form; the same key twice is one request (services.inquiry_submit).
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    cpr_fields = ("subject", "question", "already_contacted", "shareable_summary", "confidential_details")

    class Meta:
        model = Inquiry
        fields = list(APPLICANT_FIELDS)
        labels = {
            "applicant_type": _("I am a"),
            "organisation": _("Organisation"),
            "region": _("Region"),
            "topic": _("Topic"),
            "atmp_class": _("ATMP class"),
            "development_stage": _("Development stage"),
            "subject": _("Subject"),
            "question": _("Your question"),
            "wished_answer_date": _("When would you like an answer?"),
            "already_contacted": _("Who have you already contacted about this?"),
            "shareable_summary": _("What may we share in anonymised form?"),
            "confidential_details": _("Confidential details"),
        }
        help_texts = {
            "subject": _("A short title, e.g. “Hospital exemption for a CAR-T product”."),
            "question": _("Describe your question and what you need from us."),
            "wished_answer_date": _(
                "Optional. We answer within 10 working days; tell us if you need it sooner."
            ),
            "already_contacted": _("E.g. the Danish Medicines Agency, a region or a hospital. Optional."),
            "shareable_summary": _(
                "A summary we may use, without names, in anonymised statistics, FAQs and knowledge sharing."
            ),
            "confidential_details": _(
                "Trade secrets, unpublished data and similar. Only the secretariat reads this, and it is "
                "never shared."
            ),
        }
        widgets = {
            # DKFDS's widest input: room to write, still a readable line length.
            "subject": forms.TextInput(attrs={"class": "input-width-l"}),
            "organisation": forms.TextInput(attrs={"class": "input-width-m"}),
            "question": forms.Textarea(attrs={"rows": 8, "class": "input-width-l"}),
            "already_contacted": forms.Textarea(attrs={"rows": 3, "class": "input-width-l"}),
            "shareable_summary": forms.Textarea(attrs={"rows": 4, "class": "input-width-l"}),
            "confidential_details": forms.Textarea(attrs={"rows": 4, "class": "input-width-l"}),
            "wished_answer_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["applicant_type"]).choices = [("", "—"), *ApplicantType.choices]
        for name in ("region", "topic", "atmp_class", "development_stage"):
            choice = cast(forms.ChoiceField, self.fields[name])
            choice.choices = [("", "—"), *list(cast(Iterable, choice.choices))[1:]]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())
        if user is not None and not self.is_bound:
            self.initial.setdefault("applicant_type", user.applicant_type)
            self.initial.setdefault("organisation", user.organisation)
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["consent"].help_text = format_html(
            '{} <a href="{}">{}</a>',
            _(
                "Amgros, as the secretariat of ATMP Danmark, uses your details to answer and follow up on "
                "your request. Please do not send patients' CPR numbers or health information."
            ),
            reverse_lazy("pages:privacy"),
            _("Read the privacy notice"),
        )

    def clean_wished_answer_date(self):
        wished = self.cleaned_data.get("wished_answer_date")
        if wished and wished < timezone.localdate():
            raise ValidationError(_("The date has passed; choose a later date or leave it empty."))
        return wished

    def clean(self):
        cleaned = super().clean()
        self.check_cpr(cleaned)
        return cleaned

    def _post_clean(self):
        # The service builds the row (reference, clock); the model's full_clean runs there.
        pass


class ReplyForm(CprWarningMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "input-width-l"}),
        max_length=20_000,
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=upload_help())
    cpr_confirmed = forms.BooleanField(
        label=_("I have checked: the text does not contain a CPR number, or it has to be there"),
        required=False,
    )
    cpr_fields = ("body",)

    def clean(self):
        cleaned = super().clean()
        self.check_cpr(cleaned)
        return cleaned
