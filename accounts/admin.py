from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.admin import RecordedAdmin


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(RecordedAdmin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "organisation",
        "applicant_type",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = ["applicant_type", "is_staff", "is_active", "groups", "preferred_language"]
    search_fields = ["email", "full_name", "organisation"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "organisation", "applicant_type", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]


# The libraries' own admins, with the portal's record: a change to a group, an address or a second
# factor in the admin is recorded with who made it, like every other change there.
for _model, _admin in (
    (Group, GroupAdmin),
    (EmailAddress, EmailAddressAdmin),
    (Authenticator, AuthenticatorAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (RecordedAdmin, _admin), {}))
