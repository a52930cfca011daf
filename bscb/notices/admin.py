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

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(CheckedAdmin):
    """Each person's choice, per email: at once, in the weekly digest, or not at all."""

    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
