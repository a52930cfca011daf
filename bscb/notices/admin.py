from django.contrib import admin

from bscb.core.admin_base import CheckedAdmin
from bscb.notices.models import Notice, Preference


@admin.register(Notice)
class NoticeAdmin(CheckedAdmin):
    """What was emailed, to whom and when: written by the sending, never typed."""

    list_display = ["kind", "recipient", "object_key", "status", "sent_at", "tries"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient", "object_key", "subject"]
    readonly_fields = [
        "kind",
        "recipient",
        "user",
        "object_key",
        "subject",
        "body_text",
        "status",
        "created_at",
        "sent_at",
        "tries",
        "last_error",
    ]
    exclude = ["body_html", "attachment", "attachment_name", "attachment_type"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            # An email's words can name a group's confidential business (the agenda's
            # confidential items, for its chairs): the support team reads them, not every
            # board member.
            fields.remove("body_text")
        return fields

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(CheckedAdmin):
    """Each person's choice, per email: at once, in the weekly digest, or not at all."""

    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
