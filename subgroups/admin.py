import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from rules.contrib.admin import ObjectPermissionsModelAdminMixin

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedAdmin,
    CheckedStackedInline,
    CheckedTabularInline,
)
from bscb.core.models import ReportingPeriod
from subgroups.invitations import chair_invite
from subgroups.models import (
    Action,
    ActionPlan,
    EscalationNotice,
    Group,
    GroupTerm,
    Membership,
    ProgressUpdate,
    Risk,
    RiskReview,
)


class InviteChairForm(forms.Form):
    full_name = forms.CharField(max_length=150)
    email = forms.EmailField()


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


class MembershipInline(CheckedTabularInline):
    """The group's seats: each organisation, who represents it and their deputy."""

    model = Membership
    extra = 0
    fields = ["organisation", "person", "deputy", "role", "starts_on", "ends_on", "is_illustrative"]
    autocomplete_fields = ["organisation", "person", "deputy"]
    verbose_name_plural = "members (an organisation, who represents it, their deputy)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "person", "deputy")


class GroupTermFormSet(BaseInlineFormSet):
    """A group's records: one a period; a second for the same period is refused beside it."""

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            period = data.get("period")
            if period is None or data.get("DELETE"):
                continue
            if period.pk in seen:
                form.add_error(
                    "period", f"This group already has its record for {period}: change that one."
                )
            seen.add(period.pk)
        super().clean()


class GroupTermInline(CheckedStackedInline):
    """The group as each period's report describes it, newest period first."""

    model = GroupTerm
    formset = GroupTermFormSet
    extra = 0
    fields = [
        "period",
        "name",
        "purpose",
        "aims",
        "introduction",
        "chair_name",
        "chair_person",
        "chair_organisation",
    ]
    autocomplete_fields = ["chair_organisation", "chair_person"]
    verbose_name = "record for a period (name that year, purpose, aims, chair)"
    verbose_name_plural = "records by period (name that year, purpose, aims, chair)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("period").order_by("-period__start")


@admin.register(Group)
class GroupAdmin(CarefulAdmin):
    list_display = ["name", "kind", "meeting_count", "concluded_on"]
    list_filter = [LifeFilter, "kind"]
    search_fields = ["name", "short_name", "terms__name", "terms__purpose", "terms__aims"]
    prepopulated_fields = {"slug": ["short_name"]}
    # The meetings app adds the group's meetings and its attendance register (meetings/admin.py).
    inlines = [GroupTermInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "position", "version"]}),
        ("Chairs' workspace", {"fields": ["chairs", "invite_link"]}),
        ("Life", {"fields": ["established_on", "concluded_on"]}),
        ("Meetings in public", {"fields": ["publishes_agendas", "publishes_papers"]}),
        ("Attendance", {"fields": ["attendance_registers"]}),
    ]
    readonly_fields = ["attendance_registers", "invite_link"]
    filter_horizontal = ["chairs"]

    @admin.display(description="Invite a chair")
    def invite_link(self, obj):
        if not obj.pk:
            return "Save the group first."
        return format_html(
            '<a href="{}">Invite a chair by email</a>',
            reverse("admin:subgroups_group_invite", args=[obj.pk]),
        )

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
        return [
            path(
                "<int:pk>/invite/",
                self.admin_site.admin_view(self.invite_view),
                name="subgroups_group_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request, pk):
        """Invite a chair: an email with a single-use link to set their password."""
        group = get_object_or_404(Group, pk=pk)
        if not self.has_change_permission(request, group):
            raise PermissionDenied
        form = InviteChairForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = chair_invite(
                group=group,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                invited_by=request.user,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("admin:subgroups_group_change", group.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Invite a chair of {group.short_name}",
            "group": group,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/subgroups/group/invite.html", context)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(meeting_total=Count("meetings", distinct=True))
            # An aggregate drops the model's default order; lists and autocompletes need one.
            .order_by(*Group._meta.ordering)
        )

    @admin.display(description="Meetings", ordering="meeting_total")
    def meeting_count(self, obj):
        return obj.meeting_total


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue")]

    def queryset(self, request, queryset):
        return queryset.overdue() if self.value() == "yes" else queryset


class ProgressUpdateInline(CheckedStackedInline):
    model = ProgressUpdate
    extra = 0
    fields = ["date", "rag", "note", "evidence", "author", "created_at"]
    readonly_fields = ["author", "created_at"]


class ActionInline(CheckedTabularInline):
    model = Action
    extra = 0
    # Marking an action complete needs its evidence of impact (Action.clean), so both are here.
    fields = ["description", "owner_organisation", "due_on", "rag", "status", "evidence"]
    autocomplete_fields = ["owner_organisation"]
    show_change_link = True


@admin.register(ActionPlan)
class ActionPlanAdmin(ObjectPermissionsModelAdminMixin, CarefulAdmin):
    list_display = ["title", "group", "kind", "period", "closed_on"]
    list_filter = ["kind", "group", "period"]
    list_select_related = ["group", "period"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["group", "review", "audit"]
    inlines = [ActionInline]


@admin.register(Action)
class ActionAdmin(ObjectPermissionsModelAdminMixin, CarefulAdmin):
    list_display = ["__str__", "plan", "owner_organisation", "due_on", "rag", "status", "overdue"]
    list_filter = [OverdueFilter, "rag", "status", "plan__group"]
    list_select_related = ["plan", "owner_organisation"]
    search_fields = ["description", "lead", "evidence"]
    autocomplete_fields = ["plan", "owner_organisation", "priorities"]
    inlines = [ProgressUpdateInline]
    readonly_fields = ["arose_at"]

    @admin.display(description="Arose from")
    def arose_at(self, obj):
        item = obj.arose_from if obj and obj.pk else None
        if item is None:
            return "Not raised from a meeting's minutes."
        if item.is_confidential:
            # Named on the meeting's page, to those who read its group in confidence.
            return f"{item.meeting}, a confidential item"
        return f"{item.meeting}, item “{item.title}”"

    @admin.display(boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def save_formset(self, request, form, formset, change):
        for update in formset.save(commit=False):
            if isinstance(update, ProgressUpdate) and not update.author_id:
                update.author = request.user
            update.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


class RiskReviewInline(CheckedStackedInline):
    model = RiskReview
    extra = 0
    autocomplete_fields = ["meeting"]
    readonly_fields = ["author"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "date" and field is not None:
            field.help_text = "A review at a meeting takes the meeting's date."
        return field


@admin.register(Risk)
class RiskAdmin(ObjectPermissionsModelAdminMixin, CarefulAdmin):
    list_display = [
        "title",
        "owner_group",
        "likelihood",
        "impact",
        "score",
        "rag_label",
        "review_late",
    ]
    list_filter = ["owner_group", "closed_on"]
    list_select_related = ["owner_group"]
    search_fields = ["title", "description", "what_good_looks_like"]
    autocomplete_fields = ["owner_group", "lead_organisation", "priorities"]
    inlines = [RiskReviewInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_reviews()

    @admin.display(description="RAG")
    def rag_label(self, obj):
        return obj.get_rag_display()

    @admin.display(description="Review late", boolean=True)
    def review_late(self, obj):
        return obj.is_review_late()


@admin.register(EscalationNotice)
class EscalationNoticeAdmin(CheckedAdmin):
    list_display = ["item_key", "sent_on", "recipients"]
    search_fields = ["item_key", "recipients"]
    readonly_fields = ["item_key", "action", "risk", "sent_on", "recipients"]

    def has_add_permission(self, request):
        return False
