from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """What went out, to whom, and what is waiting. The bodies are not shown: an account email
    holds a login code or a password-reset link for someone else's account."""

    list_display = [
        "created_at",
        "subject_display",
        "recipients",
        "status",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["key", "subject", "to"]
    date_hierarchy = "created_at"
    fields = (
        "key",
        "recipients",
        "subject",
        "language",
        "status",
        "created_at",
        "not_before",
        "queued_at",
        "claimed_at",
        "attempts",
        "last_error",
        "sent_at",
        "uuid",
    )
    readonly_fields = fields
    actions = ["retry"]

    @admin.display(description=_("subject"), ordering="subject")
    def subject_display(self, email):
        # The subject is in the recipient's language, not the reader's: marked for screen readers.
        if email.language:
            return format_html('<span lang="{}">{}</span>', email.language, email.subject)
        return email.subject

    @admin.display(description=_("to"))
    def recipients(self, email):
        return ", ".join(email.to)

    @admin.action(description=_("Try the selected failed emails again"), permissions=["view"])
    def retry(self, request, queryset):
        count = services.email_retry(ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d email is queued again.", "%(count)d emails are queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
