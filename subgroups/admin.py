import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join

from bscb.models import ReportingPeriod
from meetings.models import Meeting
from meetings.register import AttendanceRegisterForm
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
        ("Attendance", {"fields": ["attendance_registers"]}),
    ]
    readonly_fields = ["attendance_registers"]

    @admin.display(description="Attendance registers")
    def attendance_registers(self, obj):
        if not obj.pk:
            return "Save the group first."
        periods = ReportingPeriod.objects.overlapping(
            obj.established_on or datetime.date.min, obj.concluded_on or datetime.date.max
        )
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:subgroups_group_register", args=[obj.pk, p.slug]), p.name)
                    for p in periods
                ),
            )
            or "No reporting period yet."
        )

    def get_urls(self):
        register = self.admin_site.admin_view(self.register_view)
        return [
            path("<int:pk>/register/<slug:period>/", register, name="subgroups_group_register"),
            *super().get_urls(),
        ]

    def register_view(self, request, pk, period):
        """A whole group's attendance for a period, entered as one register."""
        if not request.user.has_perms(
            ["meetings.add_attendance", "meetings.change_attendance", "meetings.delete_attendance"]
        ):
            raise PermissionDenied
        group = get_object_or_404(Group, pk=pk)
        period = get_object_or_404(ReportingPeriod, slug=period)
        form = AttendanceRegisterForm(request.POST or None, group=group, period=period)
        if request.method == "POST" and form.is_valid():
            changed = form.save()
            messages.success(request, f"Attendance register saved: {changed} record(s) changed.")
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Attendance register: {group.short_name}, {period.name}",
            "group": group,
            "period": period,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/subgroups/group/register.html", context)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(meeting_total=Count("meetings", distinct=True))
        )

    @admin.display(description="Meetings", ordering="meeting_total")
    def meeting_count(self, obj):
        return obj.meeting_total
