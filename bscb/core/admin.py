from django.contrib import admin

from bscb.core.admin_base import CarefulAdmin, HistoryAdmin
from bscb.core.models import AccessibilityStatement, Board, Organisation, Priority


@admin.register(Board)
class BoardAdmin(CarefulAdmin):
    list_display = ["name", "short_name", "word"]
    filter_horizontal = ["statutory_partners"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "word", "statutory_partners", "version"]}),
        ("Headings of a meeting's entries", {"fields": ["did_heading", "difference_heading"]}),
    ]

    def has_add_permission(self, request):
        # One board per installation: made on first use, from then on only changed.
        return super().has_add_permission(request) and not Board.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(CarefulAdmin):
    list_display = ["name", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


@admin.register(Priority)
class PriorityAdmin(CarefulAdmin):
    list_display = ["name", "lead", "position"]
    list_filter = ["periods"]
    search_fields = ["name", "description", "lead_detail"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["lead_organisations", "periods"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lead_organisations")

    @admin.display(description="Strategic lead")
    def lead(self, obj):
        return obj.lead_display()


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(HistoryAdmin):
    list_display = ["__str__", "compliance", "reviewed_on"]

    def has_add_permission(self, request):
        # One statement for the site.
        return not AccessibilityStatement.objects.exists()
