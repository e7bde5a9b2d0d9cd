from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import erasure, services
from accounts.models import User
from audit.admin import RecordedAdmin

# Who may sign in to the admin and what they may do there: only a superuser changes these. A
# secretariat member with "change user" could otherwise make themself (or anyone) a superuser.
SUPERUSER_ONLY_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


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
    actions = ["send_password_reset"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "organisation", "applicant_type", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        # No password field (its link opens the set-password form): a note on the reset email instead.
        return [
            (
                name,
                {
                    **options,
                    "fields": [("password_help" if f == "password" else f) for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [*SUPERUSER_ONLY_FIELDS, "password_help"]
        return fields

    @admin.display(description=_("Password"))
    def password_help(self, obj):
        return _(
            "Only the person chooses their password. To help them, tick them in the list of users "
            "and choose “Send a password reset email”."
        )

    def has_change_permission(self, request, obj=None):
        # A superuser's account is changed only by a superuser (its email is a way in).
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        user = self.get_object(request, id)
        old_hash, old_email = (user.password, user.email) if user else ("", "")
        response = super().user_change_password(request, id, form_url)
        if user is not None:
            user.refresh_from_db(fields=["password"])
            if user.password != old_hash:
                services.user_credentials_changed_notify(
                    actor=request.user, user=user, request=request, old_email=old_email, password_changed=True
                )
        return response

    def save_model(self, request, obj, form, change):
        old_email = form.initial.get("email", "") if change else ""
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data and old_email:
            services.user_credentials_changed_notify(
                actor=request.user, user=obj, request=request, old_email=old_email, email_changed=True
            )

    # "Delete" erases: the person's data goes, the empty account stays for what points at it
    # (requests, the record of changes). No ProtectedError, and nothing of history is lost.
    def get_deleted_objects(self, objs, request):
        if erasure.user_eraser() is None:
            return super().get_deleted_objects(objs, request)
        lines = [
            _("%(user)s: name, email address, organisation, texts and files are erased; the account can no "
              "longer sign in; requests stay, anonymised, for the statistics.") % {"user": obj}
            for obj in objs
        ]  # fmt: skip
        return lines, {self.opts.verbose_name_plural: len(lines)}, set(), []

    def delete_model(self, request, obj):
        if erasure.user_eraser() is None:
            return super().delete_model(request, obj)
        erasure.user_erase(actor=request.user, user=obj)

    def delete_queryset(self, request, queryset):
        if erasure.user_eraser() is None:
            return super().delete_queryset(request, queryset)
        for user in queryset:
            erasure.user_erase(actor=request.user, user=user)

    @admin.action(description=_("Send a password reset email"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        sent = sum(
            services.user_password_reset_send(actor=request.user, user=user, request=request)
            for user in queryset
        )
        self.message_user(
            request,
            ngettext(
                "A password reset email has been sent to %(count)d person.",
                "A password reset email has been sent to %(count)d people.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )


# The libraries' own admins, with the portal's record: a change to a group, an address or a second
# factor in the admin is recorded with who made it, like every other change there.
for _model, _admin in (
    (Group, GroupAdmin),
    (EmailAddress, EmailAddressAdmin),
    (Authenticator, AuthenticatorAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (RecordedAdmin, _admin), {}))
