from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from bscb.core.admin_base import CarefulAdmin
from bscb.core.admin_filters import PeriodFilter
from bscb.core.models import ReportingPeriod
from meetings.forms import EntryForm
from meetings.models import Attendance, Entry, Meeting
from meetings.register import AttendanceRegisterForm
from subgroups import admin as subgroups_admin
from subgroups.models import Group


class EntryInline(admin.StackedInline):
    model = Entry
    form = EntryForm
    extra = 3
    autocomplete_fields = ["priorities", "review"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 2
    autocomplete_fields = ["organisation"]


@admin.register(Meeting)
class MeetingAdmin(CarefulAdmin):
    list_display = ["__str__", "group", "date", "date_known", "is_public", "entry_count"]
    list_filter = [PeriodFilter, "group", "is_public"]
    list_select_related = ["group"]
    search_fields = ["title", "group__name", "entries__text"]
    date_hierarchy = "date"
    autocomplete_fields = ["group"]
    # The reviews app adds the child death panel's cases (reviews/admin.py).
    inlines = [EntryInline, AttendanceInline]
    fields = ["group", "date", "date_known", "title", "is_public", "version"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(entry_total=Count("entries", distinct=True))
            .order_by(*Meeting._meta.ordering)
        )

    @admin.display(description="Entries", ordering="entry_total")
    def entry_count(self, obj):
        return obj.entry_total


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


class GroupWithMeetingsAdmin(subgroups_admin.GroupAdmin):
    """The group's back-office page with its meetings and its attendance register."""

    inlines = [*subgroups_admin.GroupAdmin.inlines, MeetingInline]

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


admin.site.unregister(Group)
admin.site.register(Group, GroupWithMeetingsAdmin)
