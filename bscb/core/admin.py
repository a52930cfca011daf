from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django_tasks_db.models import DBTaskResult

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedStackedInline,
    CheckedTabularInline,
    HistoryAdmin,
)
from bscb.core.models import (
    AccessibilityStatement,
    Appointment,
    Board,
    Organisation,
    Person,
    Priority,
    PriorityText,
)


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


class PriorityTextFormSet(BaseInlineFormSet):
    """A priority's texts: one a period; a second for the same period is refused beside it."""

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            period = data.get("period")
            if period is None or data.get("DELETE"):
                continue
            if period.pk in seen:
                form.add_error(
                    "period",
                    f"This priority already has its text for {period}: change that one.",
                )
            seen.add(period.pk)
        super().clean()


class PriorityTextInline(CheckedStackedInline):
    """The priority as each period's report words it, newest period first."""

    model = PriorityText
    formset = PriorityTextFormSet
    extra = 0
    fields = [
        "period",
        "wording",
        "lead_person",
        "lead_organisations",
        "lead_detail",
        "description",
        "went_well",
        "worried_about",
        "needs_to_happen",
    ]
    filter_horizontal = ["lead_organisations"]
    autocomplete_fields = ["lead_person"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("period", "lead_person")
            .prefetch_related("lead_organisations")
            .order_by("-period__start")
        )


@admin.register(Priority)
class PriorityAdmin(CarefulAdmin):
    """A priority's identity, with its text for each period it runs over."""

    list_display = ["name", "periods", "position"]
    list_filter = ["texts__period"]
    search_fields = ["name", "texts__wording", "texts__description", "texts__lead_detail"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "position", "version"]
    inlines = [PriorityTextInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("texts__period")

    @admin.display(description="Periods")
    def periods(self, obj):
        return ", ".join(text.period.name for text in obj.texts.all())


class AppointmentInline(CheckedTabularInline):
    """A person's roles, each with its dates."""

    model = Appointment
    extra = 1
    fields = ["role", "title", "organisation", "other_board", "starts_on", "ends_on"]
    autocomplete_fields = ["organisation"]
    show_change_link = True
    verbose_name = "role"
    verbose_name_plural = "roles (blank dates: not recorded, or still held)"


@admin.register(Person)
class PersonAdmin(CarefulAdmin):
    """A person with their roles in the partnership, on one page."""

    list_display = ["name", "organisation", "roles"]
    list_filter = ["appointments__role"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name", "appointments__title"]
    fields = ["name", "organisation", "user", "version"]
    autocomplete_fields = ["organisation"]
    inlines = [AppointmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("appointments")

    @admin.display(description="Roles")
    def roles(self, obj):
        return "; ".join(a.display_title for a in obj.appointments.all())


@admin.register(Appointment)
class AppointmentAdmin(CarefulAdmin):
    """Everyone in a role, to find who held one when; each is also on its person's page."""

    list_display = [
        "person",
        "role",
        "title",
        "organisation",
        "other_board",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["role", "organisation"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__name", "title", "organisation__name", "other_board"]
    fields = [
        "person",
        "role",
        "title",
        "organisation",
        "other_board",
        "starts_on",
        "ends_on",
        "version",
    ]
    autocomplete_fields = ["person", "organisation"]


@admin.register(AccessibilityStatement)
class AccessibilityStatementAdmin(HistoryAdmin):
    list_display = ["__str__", "compliance", "reviewed_on"]

    def has_add_permission(self, request):
        # One statement for the site.
        return not AccessibilityStatement.objects.exists()


# The task library's own admin would let any staff member with its permissions re-run
# or read any task's arguments; the tasks are shown through our own pages instead.
admin.site.unregister(DBTaskResult)
