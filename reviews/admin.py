from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import ngettext

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedStackedInline,
    CheckedTabularInline,
    HistoryAdmin,
    model_permission,
)
from bscb.core.working_days import add_working_days
from meetings.admin import MeetingAdmin
from meetings.models import Meeting
from meetings.rules import items_shown_to
from reviews.models import (
    Audit,
    CaseReview,
    LearningEvent,
    LearningMaterial,
    NilReturn,
    PanelCases,
    Recommendation,
)
from reviews.services import review_release


class ClockFilter(admin.SimpleListFilter):
    """What is due and what is late on the statutory clocks."""

    title = "statutory clocks"
    parameter_name = "clock"

    def lookups(self, request, model_admin):
        return [("late", "Late"), ("due", "Due within 5 working days")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        today = timezone.localdate()
        horizon = add_working_days(today, 5)
        keep = []
        for review in queryset:
            clock = review.next_deadline()
            if clock is None:
                continue
            if (self.value() == "late" and clock.late) or (
                self.value() == "due" and not clock.late and clock.due <= horizon
            ):
                keep.append(review.pk)
        return queryset.filter(pk__in=keep)


class RecommendationInline(CheckedStackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["agency", "action"]


class PrivateFileAdmin:
    """A learning file is private: its box never asks the storage for an address (it has
    none); a "Download" link goes through the view that checks who is asking."""

    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj) and "file" in fields:
            fields.remove("file")  # a read-only file box would ask for the address too
        return fields

    @admin.display(description="Stored file")
    def download(self, obj):
        if not obj or not obj.pk or not obj.file:
            return "None"
        return format_html('<a href="{}">Download</a>', reverse("learning_file", args=[obj.pk]))


class LearningMaterialInline(PrivateFileAdmin, CheckedTabularInline):
    model = LearningMaterial
    extra = 0
    fields = ["title", "kind", "published_on", "url", "file", "download"]
    readonly_fields = ["download"]


class LearningEventInline(CheckedStackedInline):
    """Events held after the review to share its learning, in whichever year they were held."""

    model = LearningEvent
    extra = 0
    fields = ["title", ("date", "date_known_to"), "attendees", "description"]


class LinkedAgendaItemsMixin:
    """The agenda items a review or an audit is linked to, as its reader may see them: to
    someone who may only read (a board member), a confidential item of a group they do not
    sit on is "A confidential item" (meetings/rules.py). Whoever may change the record (the
    support team) reads and picks them all."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        shown = "linked_agenda_items"
        return [
            (
                name,
                {
                    **options,
                    "fields": [shown if f == "agenda_items" else f for f in options["fields"]],
                },
            )
            for name, options in fieldsets
        ]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # For linked_agenda_items, which the admin gives the record alone.
            obj.reader = request.user
        return obj

    @admin.display(description="agenda items")
    def linked_agenda_items(self, obj):
        items = list(obj.agenda_items.select_related("meeting"))
        reader = getattr(obj, "reader", None)
        shown = set(
            items_shown_to(reader, obj.agenda_items.all()).values_list("pk", flat=True)
            if reader is not None
            else ()
        )
        names = [item.name_for(item.pk in shown) for item in items]
        return "; ".join(names) or "-"


@admin.register(CaseReview)
class CaseReviewAdmin(LinkedAgendaItemsMixin, CarefulAdmin):
    list_display = ["pseudonym", "kind", "status", "deadline", "embargo"]
    list_filter = [ClockFilter, "kind", "is_embargoed", "group"]
    search_fields = ["pseudonym", "summary", "criteria"]
    autocomplete_fields = ["group", "priorities", "agenda_items"]
    inlines = [RecommendationInline, LearningMaterialInline, LearningEventInline]
    actions = ["release_embargo"]
    readonly_fields = ["status", "clock_table", "released_on"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "pseudonym",
                    "kind",
                    "criteria",
                    "group",
                    "priorities",
                    "agenda_items",
                    "version",
                ]
            },
        ),
        (
            "Dates",
            {
                "fields": [
                    "incident_notified_on",
                    "panel_notified_on",
                    "commissioned_on",
                    "rapid_review_completed_on",
                    "held_on",
                    "signed_off_on",
                    "published_on",
                    "status",
                    "clock_table",
                ]
            },
        ),
        ("Publication", {"fields": ["summary", "report_url"]}),
        (
            "Embargo",
            {"fields": ["is_embargoed", "embargo_reason", "embargo_release_on", "released_on"]},
        ),
    ]

    @admin.display(description="Next deadline")
    def deadline(self, obj):
        clock = obj.next_deadline()
        if clock is None:
            return "-"
        state = "LATE" if clock.late else "due"
        return f"{clock.name}: {state} {date_format(clock.due)}"

    @admin.display(description="Statutory clocks")
    def clock_table(self, obj):
        clocks = obj.clocks() if obj.pk else []
        if not clocks:
            return "No clock runs until the incident or commissioning date is entered."
        lines = []
        for clock in clocks:
            if clock.done:
                outcome = f"done {date_format(clock.done)}" + (" (late)" if clock.late else "")
            else:
                outcome = "LATE" if clock.late else "open"
            lines.append(f"{clock.name}: due {date_format(clock.due)}, {outcome}")
        return "; ".join(lines)

    @admin.display(description="Embargo", boolean=True)
    def embargo(self, obj):
        return obj.is_embargoed

    def has_release_permission(self, request):
        return model_permission(self, request, "release")

    @admin.action(description="Release the selected reviews from embargo", permissions=["release"])
    def release_embargo(self, request, queryset):
        released = 0
        for review in queryset.filter(is_embargoed=True):
            review_release(review=review, user=request.user)
            released += 1
        messages.success(
            request,
            ngettext(
                "%d review released: it is now public.",
                "%d reviews released: they are now public.",
                released,
            )
            % released,
        )


@admin.register(Audit)
class AuditAdmin(LinkedAgendaItemsMixin, CarefulAdmin):
    list_display = ["title", "kind", "lead_group", "date", "method"]
    list_filter = ["kind", "method", "lead_group"]
    search_fields = ["title", "findings", "recommendations"]
    autocomplete_fields = ["lead_group", "priorities", "agenda_items"]
    inlines = [LearningMaterialInline]


@admin.register(LearningMaterial)
class LearningMaterialAdmin(PrivateFileAdmin, HistoryAdmin):
    list_display = ["title", "kind", "review", "audit", "published_on"]
    readonly_fields = ["download"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["review", "audit"]


@admin.register(NilReturn)
class NilReturnAdmin(HistoryAdmin):
    """A period's statement that no review of a kind was notified, commissioned or completed."""

    list_display = ["statement", "period", "kind", "what"]
    list_filter = ["period", "kind", "what"]
    list_select_related = ["period"]
    search_fields = ["note"]
    fields = ["period", "kind", "what", "note"]

    @admin.display(description="Statement")
    def statement(self, obj):
        return obj.statement


class PanelCasesInline(CheckedTabularInline):
    """On a panel meeting's page: how many cases it reviewed."""

    model = PanelCases
    extra = 0
    max_num = 1
    can_delete = True


class MeetingWithPanelCasesAdmin(MeetingAdmin):
    """A child death panel meeting's page records the cases it reviewed."""

    inlines = [*MeetingAdmin.inlines, PanelCasesInline]


admin.site.unregister(Meeting)
admin.site.register(Meeting, MeetingWithPanelCasesAdmin)
