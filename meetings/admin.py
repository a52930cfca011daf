from django.contrib import admin
from django.db.models import Count

from bscb.admin_base import CarefulAdmin
from bscb.admin_filters import PeriodFilter
from meetings.forms import EntryForm
from meetings.models import Attendance, Entry, Meeting
from reviews.admin import PanelCasesInline


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
    inlines = [EntryInline, AttendanceInline, PanelCasesInline]
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
