from django import forms
from django.contrib import admin
from django.db.models import Sum
from import_export.admin import ImportExportMixin

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedExportMixin,
    CheckedImportMixin,
    CheckedStackedInline,
    CheckedTabularInline,
    HistoryAdmin,
)
from bscb.core.admin_filters import PeriodFilter
from training.models import Course, Evaluation, PoolRequirement, Session, SessionAttendance, Trainer
from training.resources import SessionAttendanceResource


class SessionAttendanceForm(forms.ModelForm):
    class Meta:
        model = SessionAttendance
        fields = ["organisation", "booked", "attendees", "is_illustrative"]


class SessionAttendanceAdminForm(SessionAttendanceForm):
    """A line on its own page names its session too (on the session's page the inline does)."""

    class Meta(SessionAttendanceForm.Meta):
        fields = ["session", *SessionAttendanceForm.Meta.fields]


class AttendanceFormSet(forms.BaseInlineFormSet):
    """The session's rules about its attendees, checked over all the rows at once."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(
            form.cleaned_data.get("attendees") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        problem = self.instance.check_attendance(total)
        if problem:
            raise forms.ValidationError(problem)


class SessionAttendanceInline(CheckedTabularInline):
    model = SessionAttendance
    form = SessionAttendanceForm
    formset = AttendanceFormSet
    extra = 3
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "booked", "attendees", "is_illustrative"]


class EvaluationInline(CheckedStackedInline):
    model = Evaluation
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Session)
class SessionAdmin(CarefulAdmin):
    list_display = ["course", "date", "date_known", "kind", "delivery", "status", "attendee_count"]
    list_filter = [PeriodFilter, "status", "kind", "delivery", "cancellation_reason", "course"]
    list_select_related = ["course"]
    search_fields = ["course__title", "description", "note"]
    date_hierarchy = "date"
    autocomplete_fields = ["course", "trainer"]
    inlines = [SessionAttendanceInline, EvaluationInline]
    fieldsets = [
        (None, {"fields": ["course", "description", "date", "date_known", "version"]}),
        (
            "How it ran",
            {"fields": ["kind", "delivery", "trainer", "joint_with_adults_board", "places"]},
        ),
        ("Outcome", {"fields": ["status", "cancellation_reason", "note", "is_illustrative"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(total=Sum("attendances__attendees"))

    @admin.display(description="Attendees", ordering="total")
    def attendee_count(self, obj):
        return "Not recorded" if obj.total is None else obj.total


@admin.register(SessionAttendance)
class SessionAttendanceAdmin(
    CheckedImportMixin, CheckedExportMixin, ImportExportMixin, HistoryAdmin
):
    """Attendance by organisation, also imported from the booking system's export."""

    resource_classes = [SessionAttendanceResource]
    form = SessionAttendanceAdminForm
    list_display = ["session", "organisation", "booked", "attendees"]
    list_filter = ["session__status", "organisation__sector"]
    list_select_related = ["session__course", "organisation"]
    search_fields = ["session__course__title", "organisation__name"]
    autocomplete_fields = ["session", "organisation"]


@admin.register(Course)
class CourseAdmin(CarefulAdmin):
    list_display = ["title", "length_days", "audience", "retired_on"]
    search_fields = ["title", "description", "audience"]
    filter_horizontal = ["priorities"]


@admin.register(Trainer)
class TrainerAdmin(HistoryAdmin):
    list_display = ["name", "organisation", "in_pool"]
    list_filter = ["in_pool"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["requirements_met"]


@admin.register(PoolRequirement)
class PoolRequirementAdmin(HistoryAdmin):
    list_display = ["text", "position"]
    search_fields = ["text"]


@admin.register(Evaluation)
class EvaluationAdmin(HistoryAdmin):
    list_display = ["session", "rating", "organisation"]
    list_filter = ["rating"]
    search_fields = ["comment", "practice_change", "session__course__title"]
    autocomplete_fields = ["session", "organisation"]
