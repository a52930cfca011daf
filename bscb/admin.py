from django.contrib import admin

from bscb.models import Organisation, Priority, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "status", "published_on"]
    list_filter = ["status"]
    search_fields = ["name", "foreword", "whats_next"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "start", "end"]}),
        ("Publication", {"fields": ["status", "published_on"]}),
        ("Narrative", {"fields": ["chair_name", "chair_role", "foreword", "whats_next"]}),
        ("Training", {"fields": ["training_note", "training_went_well", "training_went_badly"]}),
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "short_name"]


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
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
