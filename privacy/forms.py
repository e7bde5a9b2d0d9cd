from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _


def second_factor_of(user) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


class DeleteAccountForm(forms.Form):
    """Proof that it is the person: their password, or for someone with an authenticator (staff)
    a code from it, since a stolen session of a secretariat member must not erase them."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.authenticator = second_factor_of(user)
        if self.authenticator is not None:
            del self.fields["password"]
            self.fields["code"].required = True
        else:
            del self.fields["code"]
            self.fields["password"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password. Nothing has been deleted."))
        return password

    def clean_code(self):
        code = "".join(self.cleaned_data.get("code", "").split())
        if self.authenticator is None or not self.authenticator.wrap().validate_code(code):
            raise forms.ValidationError(_("That code is not valid. Nothing has been deleted."))
        return code


class FindSubjectForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
