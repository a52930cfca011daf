from django.contrib import admin
from django.db.models import Count

from meetings.models import Meeting
from subgroups.models import Group, Membership


class LifeFilter(admin.SimpleListFilter):
    """Hides concluded groups unless asked: staff mostly work with the current ones."""

    title = "status"
    parameter_name = "life"

    def lookups(self, request, model_admin):
        return [("concluded", "Concluded"), ("all", "All")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Current",
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "concluded":
            return queryset.filter(concluded_on__isnull=False)
        if self.value() == "all":
            return queryset
        return queryset.current()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


class MeetingInline(admin.TabularInline):
    """The group's meetings, newest first, each linking to its own page."""

    model = Meeting
    extra = 0
    fields = ["date", "date_known", "title", "is_public"]
    readonly_fields = fields
    ordering = ["-date"]
    show_change_link = True
    can_delete = False
    verbose_name_plural = "meetings"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "chair_name", "meeting_count", "concluded_on"]
    list_filter = [LifeFilter, "kind"]
    search_fields = ["name", "short_name", "purpose", "aims"]
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["chair_organisation"]
    inlines = [MembershipInline, MeetingInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "position"]}),
        ("Purpose", {"fields": ["purpose", "aims"]}),
        ("Chair", {"fields": ["chair_name", "chair_organisation"]}),
        ("Life", {"fields": ["established_on", "concluded_on"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(meeting_total=Count("meetings", distinct=True))
        )

    @admin.display(description="Meetings", ordering="meeting_total")
    def meeting_count(self, obj):
        return obj.meeting_total
