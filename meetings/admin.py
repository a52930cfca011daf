import reversion
from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import ngettext

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedAutocompleteMixin,
    CheckedStackedInline,
    CheckedTabularInline,
    ColumnLabelsMixin,
    HistoryAdmin,
)
from bscb.core.admin_filters import PeriodFilter
from bscb.core.models import ReportingPeriod
from bscb.core.records import record_fields
from bscb.core.runs import progress_response
from meetings import cycle, register, tasks
from meetings.forms import EntryForm, PaperForm
from meetings.minutes import entries_from_minutes, minutes_send_to_chair
from meetings.models import AgendaItem, Attendance, Entry, Meeting, PackRun, Paper
from meetings.register import AttendanceRegisterForm
from meetings.rules import (
    items_shown_to,
    papers_shown_to,
    public_pack_still_public,
    reads_in_confidence,
    reads_minutes,
)
from subgroups import admin as subgroups_admin
from subgroups.models import Action, Group


class HistoryInConfidence:
    """A meeting's, an item's or a paper's history names every item and paper it touched,
    confidential or not, and its past versions show minutes as they stood: for those who read
    the group in confidence (meetings/rules.py), and nobody else."""

    group_path = "group"  # from the record to its group

    def _refuse_unless_in_confidence(self, request, object_id):
        try:
            found = self.model._default_manager.filter(pk=unquote(object_id))
            group_id = found.values_list(f"{self.group_path}__pk", flat=True).first()
        except (ValueError, ValidationError):
            group_id = None
        group = Group.objects.filter(pk=group_id).first() if group_id else None
        if group is None or not reads_in_confidence(request.user, group):
            raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_unless_in_confidence(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._refuse_unless_in_confidence(request, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)


class EntryInline(CheckedStackedInline):
    model = Entry
    form = EntryForm
    extra = 3
    autocomplete_fields = ["priorities", "review"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("priorities")


class AttendanceInline(CheckedTabularInline):
    """The register: "Fill the register from the members" adds a line per member organisation;
    a guest is a line of its own, with their name."""

    model = Attendance
    extra = 2
    fields = ["organisation", "status", "person", "attendee", "is_illustrative"]
    autocomplete_fields = ["organisation", "person"]
    verbose_name_plural = "attendance register"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "person")


class AgendaItemInline(ColumnLabelsMixin, CheckedAutocompleteMixin, SortableTabularInline):
    """The agenda in order: drag a row to move an item."""

    model = AgendaItem
    # The order field django-admin-sortable2 keeps: the first one named here.
    ordering = ["position", "pk"]
    extra = 0
    fields = [
        "title",
        "presenter",
        "purpose",
        "start_time",
        "minutes",
        "is_confidential",
        "priority",
        "action_plan",
    ]
    autocomplete_fields = ["priority", "action_plan"]
    show_change_link = True
    verbose_name_plural = "agenda (drag a row to reorder; save before adding its papers)"

    def get_queryset(self, request):
        # A reader not on the group (a board member) sees no confidential item: the page
        # says how many there are (MeetingAdmin.render_change_form).
        return items_shown_to(request.user, super().get_queryset(request))


def _when(moment) -> str:
    return f"{date_format(localtime(moment).date())} at {localtime(moment):%H:%M}"


def paper_link(paper: Paper) -> str:
    if not paper.pk or not paper.file:
        return ""
    return format_html('<a href="{}">Download</a>', paper.get_absolute_url())


class PaperInline(CheckedTabularInline):
    """The meeting's papers in one table: each names the agenda item it is tabled at.

    On the meeting's page rather than on each item's so that a support officer uploads a
    meeting's papers in one place, as they arrive, without opening item after item.
    """

    model = Paper
    fk_name = "meeting"
    form = PaperForm
    extra = 1
    fields = ["agenda_item", "title", "file", "download", "uploaded_at", "uploaded_by"]
    readonly_fields = ["download", "uploaded_at", "uploaded_by"]
    verbose_name_plural = "papers (PDF papers go into the meeting pack)"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["agenda_item"]
        # Only this meeting's items: a new item can take papers once the meeting is saved.
        field.queryset = (
            AgendaItem.objects.filter(meeting=obj) if obj else AgendaItem.objects.none()
        )
        field.widget.can_add_related = False
        field.widget.can_change_related = False
        field.widget.can_view_related = False
        return formset

    def get_queryset(self, request):
        papers = super().get_queryset(request).select_related("agenda_item", "uploaded_by")
        return papers_shown_to(request.user, papers)

    @admin.display(description="File")
    def download(self, obj):
        return paper_link(obj)

    def get_fields(self, request, obj=None):
        return fields_for(self, request, obj)


def fields_for(model_admin, request, obj) -> list[str]:
    """Someone who may only read sees the download link, not the file box: a private file's
    read-only display would ask for an address it has not got."""
    fields = list(model_admin.fields)
    if not model_admin.has_change_permission(request, obj):
        fields.remove("file")
    return fields


def actions_arising_rows(meeting: Meeting, in_confidence: bool) -> list[dict]:
    """The actions that arose from the meeting's minutes, in agenda order, for its back-office
    page: one query, whatever their number. A confidential item is named only to those who
    read its group in confidence."""
    actions = (
        Action.objects.filter(arose_from__meeting=meeting)
        .select_related("arose_from", "owner_organisation", "plan")
        .order_by("arose_from__position", "arose_from_id", "pk")
    )
    return [
        {
            "action": action,
            "item": action.arose_from.name_for(in_confidence),
            "url": reverse("admin:subgroups_action_change", args=[action.pk]),
        }
        for action in actions
    ]


@admin.register(Meeting)
class MeetingAdmin(HistoryInConfidence, SortableAdminBase, CarefulAdmin):
    list_display = [
        "__str__",
        "group",
        "day",
        "is_public",
        "entry_count",
        "agenda_state",
    ]
    list_filter = [PeriodFilter, "group", "is_public"]
    list_select_related = ["group"]
    # The list says "Show all" rather than counting every meeting a second time.
    show_full_result_count = False
    # Each row costs about 0.3 ms to draw (Django's admin cells): 100 rows were half of the
    # page's time. Fifty still hold a year of the demo board's meetings (41), and the
    # filters (period, group) and the search narrow a longer list to a page.
    list_per_page = 50
    search_fields = ["title", "group__name", "entries__text", "agenda_items__title"]
    date_hierarchy = "date"
    autocomplete_fields = ["group", "minutes_approved_at"]
    # The reviews app adds the child death panel's cases (reviews/admin.py).
    inlines = [AgendaItemInline, PaperInline, EntryInline, AttendanceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "group",
                    "date",
                    "date_known",
                    "start_time",
                    "place",
                    "title",
                    "is_public",
                ]
            },
        ),
        ("Agenda and papers", {"fields": ["cycle_state"]}),
        (
            "Minutes",
            {
                "fields": ["minutes_status", "minutes_approved_at", "minutes_agreed"],
                "description": "The chair agrees the draft minutes in the chairs' workspace; "
                "record here the later meeting that approved them. Approved minutes of the "
                "open items appear on the public meeting page.",
            },
        ),
        (None, {"fields": ["version"]}),
    ]
    readonly_fields = ["cycle_state", "minutes_agreed"]
    change_form_template = "admin/meetings/meeting/change_form.html"
    # The list page is drawn once for each generation of the records and each reader
    # (bscb.core.admin_base.list_page_key): its columns read the meetings, their groups and
    # entries, and the day. After a change, the rows are drawn once for each state of what
    # they show (list_row_content).
    list_drawn_from_records = True
    change_list_template = "admin/meetings/meeting/change_list.html"

    def list_row_content(self, obj) -> tuple:
        """What a row of the list is drawn from (bscb.core.admin_base.results_key): the
        meeting's fields, its count of entries, its group's fields (its name, the title a
        meeting without one takes) and the working days an agenda is due before."""
        return (
            record_fields(obj),
            obj.entry_total,
            record_fields(obj.group),
            settings.AGENDA_WORKING_DAYS,
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A subquery, not a join: counting the list and its date hierarchy then read the
            # meetings alone, not every entry of every meeting.
            .annotate(
                entry_total=Coalesce(
                    Subquery(
                        Entry.objects.filter(meeting=OuterRef("pk"))
                        .order_by()
                        .values("meeting")
                        .annotate(total=Count("pk"))
                        .values("total")
                    ),
                    0,
                )
            )
            .order_by(*Meeting._meta.ordering)
        )

    @admin.display(description="Date", ordering="date")
    def day(self, obj):
        # A placeholder date is never shown as a date: it only orders the meeting.
        return obj.display_date

    def view_on_site(self, obj):
        """The meeting's page in its period's report as the records stand: the published
        edition holds no meeting recorded since, so staff get the live preview. A meeting the
        report does not show has no page to view."""
        period = obj.report_period()
        if period is None or not obj.is_public:
            return None
        return period.staff_url(obj.url_in(period))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        same_day = list(obj.same_day_meetings())
        if same_day:
            # Allowed (a group may meet twice in a day), but more often one meeting typed twice.
            messages.warning(
                request,
                format_html(
                    "{} already has {} on {}: {}. If this is the same meeting recorded twice, "
                    "keep one and delete the other.",
                    obj.group.short_name,
                    "another meeting" if len(same_day) == 1 else f"{len(same_day)} other meetings",
                    date_format(obj.date),
                    format_html_join(
                        ", ",
                        '<a href="{}">{}</a>',
                        (
                            (reverse("admin:meetings_meeting_change", args=[m.pk]), m.display_title)
                            for m in same_day
                        ),
                    ),
                ),
            )

    @admin.display(description="Entries", ordering="entry_total")
    def entry_count(self, obj):
        return obj.entry_total

    @admin.display(description="Agenda")
    def agenda_state(self, obj):
        if obj.papers_circulated_at:
            return "Papers circulated"
        if obj.agenda_published_at:
            return "Published"
        due = obj.agenda_due_on
        return f"Due {date_format(due)}" if due else "-"

    def get_search_fields(self, request):
        # Searching the agenda's titles would tell a reader not on a group that one of its
        # confidential items holds the words: only the support team searches them.
        fields = list(super().get_search_fields(request))
        if not self.has_change_permission(request):
            fields.remove("agenda_items__title")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "minutes_status" and field is not None:
            # A form that leaves it out (an older page, a script) keeps the minutes' status.
            field.required = False
        return field

    @admin.display(description="Agreed by the chair")
    def minutes_agreed(self, obj):
        if not obj or not obj.minutes_agreed_at:
            return "Not yet"
        who = obj.minutes_agreed_by.get_full_name() if obj.minutes_agreed_by else ""
        return f"{_when(obj.minutes_agreed_at)}{f' by {who}' if who else ''}"

    @admin.display(description="Agenda and papers")
    def cycle_state(self, obj):
        if not obj or not obj.pk:
            return "Save the meeting, then add its agenda and papers."
        lines = []
        due = obj.agenda_due_on
        if obj.agenda_published_at:
            lines.append(f"Agenda published {_when(obj.agenda_published_at)}.")
        elif due:
            lines.append(f"Agenda due out by {date_format(due)}; not published yet.")
        else:
            lines.append("Agenda not published yet.")
        if obj.papers_circulated_at:
            lines.append(f"Papers circulated {_when(obj.papers_circulated_at)}.")
            not_out = obj.papers.filter(circulated_at__isnull=True).count()
            if not_out:
                lines.append(f"{cycle.papers_not_out_text(not_out)}.")
        links = []
        if obj.pack:
            links.append((reverse("meeting_pack", args=[obj.pk]), "Meeting pack (PDF)"))
        if obj.public_pack:
            url = reverse("meeting_pack", args=[obj.pk]) + "?public=1"
            links.append((url, "Public meeting pack (PDF)"))
            if not public_pack_still_public(obj):
                lines.append(
                    "An item or paper of the public pack is no longer public: the public "
                    "cannot download the pack until you circulate the papers again."
                )
        if obj.is_public and obj.group.publishes_agendas:
            links.append((obj.public_url(), "Public meeting page"))
        return format_html(
            "{}<br>{}",
            " ".join(lines),
            format_html_join(" · ", '<a href="{}">{}</a>', links),
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Paper:
            for paper_form in formset.forms:
                if not paper_form.instance.pk:
                    paper_form.instance.uploaded_by = request.user
        super().save_formset(request, form, formset, change)

    def has_publish_permission(self, request):
        """Publishing the agenda, circulating the papers: the circulating task's own rule."""
        return tasks.may_circulate(request.user)

    def has_fill_register_permission(self, request):
        """Filling the register adds attendance lines: whoever may add them."""
        return request.user.has_perm("meetings.add_attendance")

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_agenda_view)
        circulate = self.admin_site.admin_view(self.circulate_papers_view)
        circulating = self.admin_site.admin_view(self.circulating_view)
        circulating_progress = self.admin_site.admin_view(self.circulating_progress_view)
        fill = self.admin_site.admin_view(self.fill_register_view)
        send_minutes = self.admin_site.admin_view(self.send_minutes_view)
        cycle_view = self.admin_site.admin_view(self.cycle_view)
        return [
            path("cycle/", cycle_view, name="meetings_meeting_cycle"),
            path("<int:pk>/fill-register/", fill, name="meetings_meeting_fill_register"),
            path("<int:pk>/publish-agenda/", publish, name="meetings_meeting_publish_agenda"),
            path("<int:pk>/circulate-papers/", circulate, name="meetings_meeting_circulate"),
            path(
                "<int:pk>/circulate-papers/<int:run>/",
                circulating,
                name="meetings_meeting_circulating",
            ),
            path(
                "<int:pk>/circulate-papers/<int:run>/progress.json",
                circulating_progress,
                name="meetings_meeting_circulating_progress",
            ),
            path("<int:pk>/send-minutes/", send_minutes, name="meetings_meeting_send_minutes"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_publish"] = self.has_publish_permission(request)
        context["can_fill_register"] = self.has_fill_register_permission(request)
        if obj is not None and obj.pk:
            in_confidence = reads_in_confidence(request.user, obj.group)
            context["hidden_items"] = (
                0 if in_confidence else obj.agenda_items.filter(is_confidential=True).count()
            )
            context["actions_arising"] = actions_arising_rows(obj, in_confidence)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _confirm(self, request, pk, *, title, explanation, button, act, allowed=None):
        """A confirmation page (GET), then the act (POST): the support team's only."""
        if not (allowed or self.has_publish_permission)(request):
            raise PermissionDenied
        meeting = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
        if request.method == "POST":
            try:
                messages.success(request, act(meeting))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            return redirect("admin:meetings_meeting_change", meeting.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "meeting": meeting,
            "explanation": explanation(meeting),
            "button": button,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/meeting/confirm.html", context)

    def publish_agenda_view(self, request, pk):
        def act(meeting):
            cycle.publish_agenda(meeting, request.user)
            return f"The agenda of {meeting} is published."

        return self._confirm(
            request,
            pk,
            title="Publish the agenda",
            explanation=cycle.publish_explanation,
            button="Publish the agenda",
            act=act,
        )

    def circulate_papers_view(self, request, pk):
        """The confirmation page, then (POST) the circulation queued as a background task and
        its progress page."""
        if request.method == "POST":
            if not self.has_publish_permission(request):
                raise PermissionDenied
            meeting = get_object_or_404(Meeting, pk=pk)
            run, queued = tasks.ask_to_circulate(meeting, request.user)
            if not queued:
                messages.warning(request, "The papers are being circulated already: here it is.")
            return redirect(run.get_absolute_url())
        return self._confirm(
            request,
            pk,
            title="Circulate the papers",
            explanation=cycle.circulate_explanation,
            button="Circulate the papers",
            act=None,
        )

    def _pack_run_for(self, request, pk, run):
        """The run, for those who may view its meeting."""
        run = get_object_or_404(
            PackRun.objects.select_related("meeting__group", "requested_by"), meeting_id=pk, pk=run
        )
        if not self.has_view_permission(request, run.meeting):
            raise PermissionDenied
        return run

    def circulating_view(self, request, pk, run):
        """Circulating's progress: a bar the page's script moves; without script, a Refresh link."""
        run = self._pack_run_for(request, pk, run)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Circulating the papers of {run.meeting}",
            "meeting": run.meeting,
            "run": run,
            "progress": tasks.progress_of(run),
            "progress_url": tasks.progress_url(run),
            "can_circulate": self.has_publish_permission(request),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/meeting/circulating.html", context)

    def circulating_progress_view(self, request, pk, run):
        run = self._pack_run_for(request, pk, run)
        return progress_response(tasks.progress_of(run))

    def send_minutes_view(self, request, pk):
        def act(meeting):
            told = minutes_send_to_chair(meeting=meeting)
            if not told:
                return f"The chairs of {meeting.group.short_name} already had the draft minutes."
            return (
                f"The draft minutes of {meeting} are sent to the chair to agree "
                f"({told} email{pluralize(told)})."
            )

        def explanation(meeting):
            return (
                f"Each chair of {meeting.group.short_name} is emailed a link to the draft "
                f"minutes of {meeting}, to agree them in the chairs' workspace. A chair already "
                "sent them is not emailed again."
            )

        return self._confirm(
            request,
            pk,
            title="Send the draft minutes to the chair",
            explanation=explanation,
            button="Send the draft minutes",
            act=act,
        )

    def fill_register_view(self, request, pk):
        def act(meeting):
            if not meeting.has_happened:
                return (
                    f"{meeting} has not happened yet: fill its register once it has met "
                    "(record apologies as they come)."
                )
            if not meeting.date_known:
                return (
                    f"The date of {meeting} is not recorded, so who sat on the group that day "
                    "is not known: fill its register by hand."
                )
            added = register.fill_from_members(meeting, request.user)
            if not added:
                return f"Every member organisation is already on the register of {meeting}."
            lines = ngettext("%d attendance line", "%d attendance lines", added) % added
            return f"{lines} added to the register of {meeting}."

        return self._confirm(
            request,
            pk,
            title="Fill the register from the members",
            explanation=register.fill_explanation,
            button="Fill the register",
            act=act,
            allowed=self.has_fill_register_permission,
        )

    def cycle_view(self, request):
        """The meeting cycle: the coming and the just-held meetings, with what is missing.
        Whoever may view meetings (a board member reads it); nobody else."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "title": "Meeting cycle",
            "rows": cycle.cycle_rows(today),
            "today": today,
            "weeks_ahead": cycle.WEEKS_AHEAD,
            "weeks_behind": cycle.WEEKS_BEHIND,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/meetings/meeting/cycle.html", context)


@admin.register(AgendaItem)
class AgendaItemAdmin(HistoryInConfidence, HistoryAdmin):
    """One item with its papers; the meeting's page holds the whole agenda."""

    group_path = "meeting__group"

    list_display = ["title", "meeting", "purpose", "is_confidential"]
    list_filter = ["purpose", "is_confidential", "meeting__group"]
    list_select_related = ["meeting__group"]
    search_fields = ["title", "presenter", "meeting__title", "meeting__group__name"]
    autocomplete_fields = ["meeting", "priority", "action_plan"]
    fields = [
        "meeting",
        "position",
        "title",
        "presenter",
        "purpose",
        "start_time",
        "minutes",
        "is_confidential",
        "priority",
        "action_plan",
        "linked_reviews",
        "minutes_text",
        "decisions",
        "actions_arising",
    ]
    readonly_fields = ["linked_reviews", "actions_arising"]
    actions = ["entries_did_from_decisions", "entries_difference_from_decisions"]

    def get_queryset(self, request):
        # A reader not on the group finds no confidential item: not in the list, not by
        # its address (the admin says it does not exist).
        return items_shown_to(request.user, super().get_queryset(request))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None and not reads_minutes(request.user, obj.meeting):
            # Minutes not yet approved are for the group's members.
            fields = [f for f in fields if f not in ("minutes_text", "decisions")]
        return fields

    @admin.display(description="Actions arising")
    def actions_arising(self, obj):
        if not obj or not obj.pk:
            return "-"
        names = [str(a) for a in obj.actions_arising.all()]
        return "; ".join(names) or "None: the chairs' workspace raises them with the minutes."

    def _entries(self, request, queryset, kind):
        items = queryset.select_related("meeting")
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Entries made from the minutes' decisions")
            try:
                made = entries_from_minutes(items, kind=kind)
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
                return
        self.message_user(
            request,
            f"{len(made)} entr{'y' if len(made) == 1 else 'ies'} made from the decisions "
            "(items without decisions are skipped).",
            messages.SUCCESS,
        )

    @admin.action(
        description="Make “What did we do?” entries from the decisions",
        permissions=["change"],
    )
    def entries_did_from_decisions(self, request, queryset):
        self._entries(request, queryset, Entry.Kind.DID)

    @admin.action(
        description="Make “What difference did that make?” entries from the decisions",
        permissions=["change"],
    )
    def entries_difference_from_decisions(self, request, queryset):
        self._entries(request, queryset, Entry.Kind.DIFFERENCE)

    @admin.display(description="Case reviews and audits")
    def linked_reviews(self, obj):
        if not obj or not obj.pk:
            return "-"
        names = [str(r) for r in obj.case_reviews.all()] + [str(a) for a in obj.audits.all()]
        return "; ".join(names) or "None: link one from the review's or the audit's page."


@admin.register(Paper)
class PaperAdmin(HistoryInConfidence, HistoryAdmin):
    group_path = "meeting__group"
    list_display = ["title", "agenda_item", "meeting", "uploaded_at", "uploaded_by"]
    list_select_related = ["agenda_item", "meeting__group", "uploaded_by"]
    search_fields = ["title", "agenda_item__title"]
    autocomplete_fields = ["agenda_item"]
    form = PaperForm
    fields = ["agenda_item", "title", "file", "download", "uploaded_at", "uploaded_by"]
    readonly_fields = ["download", "uploaded_at", "uploaded_by"]

    def get_queryset(self, request):
        return papers_shown_to(request.user, super().get_queryset(request))

    @admin.display(description="File")
    def download(self, obj):
        return paper_link(obj)

    def get_fields(self, request, obj=None):
        return fields_for(self, request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class MeetingInline(CheckedTabularInline):
    """The group's meetings, newest first, each linking to its own page."""

    model = Meeting
    extra = 0
    fields = ["day", "title", "is_public"]
    readonly_fields = fields
    ordering = ["-date"]
    show_change_link = True
    can_delete = False
    verbose_name_plural = "meetings"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("group")

    @admin.display(description="Date")
    def day(self, obj):
        return obj.display_date


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
            changed_text = ngettext("%d record", "%d records", changed) % changed
            messages.success(request, f"Attendance register saved: {changed_text} changed.")
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
