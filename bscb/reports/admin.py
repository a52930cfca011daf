"""The back office of the report: periods and their publishing, and the editions."""

import reversion
from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedAutocompleteMixin,
    CheckedStackedInline,
    CheckedTabularInline,
    ColumnLabelsMixin,
    HistoryAdmin,
)
from bscb.core.models import KeyFigure, ReportingPeriod, Source
from bscb.core.roles import may_publish
from bscb.core.runs import progress_response
from bscb.reports import export_runs, kinds
from bscb.reports.checker import check_report
from bscb.reports.models import (
    AgencyStatement,
    Edition,
    ExportRun,
    Figure,
    FigureBreakdown,
    FigureSet,
    Programme,
    ProgrammeReport,
    PublishingRun,
    ReportSection,
    exceeding_message,
    parts_exceeding,
)
from bscb.reports.tasks import ask_to_publish, progress_of, progress_url, running_for


class SourceInline(CheckedTabularInline):
    model = Source
    extra = 0


class KeyFigureInline(CheckedTabularInline):
    model = KeyFigure
    extra = 0
    fields = ["position", "value", "description", "comparator", "source"]


class ReportSectionFormSet(CustomInlineFormSet):
    """What one save of the list may not do, which a row on its own cannot see."""

    def clean(self):
        super().clean()
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.errors
        ]
        self._refuse_twins(rows)
        self._refuse_swapped_slugs(rows)

    def _refuse_twins(self, rows):
        seen: dict[tuple, str] = {}
        for form in rows:
            kind = kinds.KINDS.get(form.cleaned_data.get("kind"))
            if kind is None:
                continue
            if kind.key == kinds.GROUP:
                key = (kind.key, getattr(form.cleaned_data.get("group"), "pk", None))
            elif not kind.repeats:
                key = (kind.key,)
            else:
                continue
            if key in seen:
                form.add_error(
                    "kind" if len(key) == 1 else "group",
                    f"“{seen[key]}” in this list is that section already.",
                )
            seen[key] = form.cleaned_data.get("title", "")

    def _refuse_swapped_slugs(self, rows):
        # Saved one row after another, a row taking the address of a row that gives it up
        # (or is deleted) in the same save would clash halfway.
        leaving = {
            f.initial.get("slug"): f
            for f in self.forms
            if f.instance.pk
            and (
                (f.cleaned_data or {}).get("DELETE")
                or (f.cleaned_data or {}).get("slug") != f.initial.get("slug")
            )
        }
        for form in rows:
            if not form.instance.pk:
                continue  # new rows are saved after every change and deletion
            slug = form.cleaned_data.get("slug")
            holder = leaving.get(slug)
            if holder is not None and holder is not form and slug != form.initial.get("slug"):
                form.add_error(
                    "slug",
                    "Another section has this address until this save: give this one "
                    "another address, save, then change it.",
                )


class ReportSectionInline(ColumnLabelsMixin, CheckedAutocompleteMixin, SortableTabularInline):
    """The report's sections in order: drag a row to move a section."""

    model = ReportSection
    formset = ReportSectionFormSet
    # The order field django-admin-sortable2 keeps: the first one named here.
    ordering = ["position", "pk"]
    extra = 0
    fields = ["title", "kind", "slug", "group", "is_shown"]
    prepopulated_fields = {"slug": ["title"]}
    show_change_link = True
    verbose_name_plural = "sections of the report (drag to reorder; open one to write its text)"


class PublishForm(forms.Form):
    note = forms.CharField(
        label="What changed since the last edition",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="Shown to readers with the edition. Leave blank for a first edition.",
    )
    accept_missing = forms.BooleanField(
        label="Publish although the check found items missing", required=False
    )
    accept_names = forms.BooleanField(
        label="Publish although a page names a review whose publication is held back",
        required=False,
        help_text="Only when the words are not about that review (a common word, say).",
    )

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        # Readers of an edition after the first are told what changed; the first has no before.
        self.previous = period.editions.order_by("-number").first()
        if self.previous is not None:
            note = self.fields["note"]
            note.label = f"What changed since edition {self.previous.number}"
            note.help_text = "Required: shown to readers with the new edition and in the feed."

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if self.previous is not None and not note:
            raise forms.ValidationError(
                f"Say what changed since edition {self.previous.number}: readers see it with "
                "the new edition."
            )
        return note


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SortableAdminBase, CarefulAdmin):
    list_display = ["name", "start", "end", "status", "published_on", "report_links"]
    list_filter = ["status"]
    search_fields = ["name", "report_sections__title", "report_sections__introduction"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "published_on", "report_links"]
    inlines = [ReportSectionInline, KeyFigureInline, SourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "start", "end", "framework", "version"]}),
        (
            "Publication",
            {"fields": ["status", "published_on", "first_published_on", "report_links"]},
        ),
        ("Training", {"fields": ["training_note", "training_went_well", "training_went_badly"]}),
        ("For children and young people", {"fields": ["children_summary"]}),
    ]

    @admin.display(description="Report")
    def report_links(self, obj):
        if not obj.pk:
            return "Save the period first."
        preview = obj.staff_url(reverse("period_detail", args=[obj.slug]))
        return format_html(
            '<a href="{}">Preview as the public will see it</a> · <a href="{}">Check and publish</a>',
            preview,
            reverse("admin:bscb_reportingperiod_publish", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            rows = request.POST.get("report_sections-TOTAL_FORMS", "0")
            obj.sections_given = rows.isdigit() and int(rows) > 0
        super().save_model(request, obj, form, change)

    def get_urls(self):
        publish = self.admin_site.admin_view(self.publish_view)
        publishing = self.admin_site.admin_view(self.publishing_view)
        progress = self.admin_site.admin_view(self.publishing_progress_view)
        return [
            path("<int:pk>/publish/", publish, name="bscb_reportingperiod_publish"),
            path(
                "<int:pk>/publish/<int:run>/",
                publishing,
                name="bscb_reportingperiod_publishing",
            ),
            path(
                "<int:pk>/publish/<int:run>/progress.json",
                progress,
                name="bscb_reportingperiod_publishing_progress",
            ),
            *super().get_urls(),
        ]

    def has_publish_permission(self, request):
        return may_publish(request.user)

    def publish_view(self, request, pk):
        """The statutory check, item by item, then publishing a new edition.

        Reading the check needs the view permission; publishing needs the publish one.
        """
        period = get_object_or_404(ReportingPeriod, pk=pk)
        can_publish = self.has_publish_permission(request)
        if not self.has_view_permission(request, period) or (
            request.method == "POST" and not can_publish
        ):
            raise PermissionDenied
        check = check_report(period)
        form = PublishForm(request.POST or None, period=period)
        if request.method == "POST" and form.is_valid():
            if check.missing and not form.cleaned_data["accept_missing"]:
                form.add_error(
                    "accept_missing",
                    "The check found items missing: tick this box to publish anyway.",
                )
            else:
                run, queued = ask_to_publish(
                    period,
                    request.user,
                    note=form.cleaned_data["note"],
                    accept_missing=form.cleaned_data["accept_missing"],
                    accept_names=form.cleaned_data["accept_names"],
                )
                if not queued:
                    messages.warning(request, "Publishing is already under way: here it is.")
                return redirect(run.get_absolute_url())
        elif request.method == "GET" and request.GET.get("after", "").isdigit():
            # Back from a run that stopped on something the officer answers here.
            form = self._form_after(period, int(request.GET["after"])) or form
        context = {
            **self.admin_site.each_context(request),
            "title": f"Check and publish the {period.name} report",
            "period": period,
            "check": check,
            "form": form,
            "can_publish": can_publish,
            "under_way": running_for(period),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/bscb/reportingperiod/publish.html", context)

    def _form_after(self, period, run_pk):
        run = PublishingRun.objects.filter(period=period, pk=run_pk).first()
        if run is None or not run.error_field:
            return None
        form = PublishForm(
            {
                "note": run.note,
                "accept_missing": run.accept_missing,
                "accept_names": run.accept_names,
            },
            period=period,
        )
        form.is_valid()
        form.add_error(run.error_field, run.error)
        return form

    def _run_for(self, request, pk, run):
        """The run, for those who may read the period's check page (the publish page's rule)."""
        run = get_object_or_404(
            PublishingRun.objects.select_related("period", "edition"), period_id=pk, pk=run
        )
        if not self.has_view_permission(request, run.period):
            raise PermissionDenied
        return run

    def publishing_view(self, request, pk, run):
        """Publishing's progress: a bar the page's script moves; without script, a Refresh link."""
        run = self._run_for(request, pk, run)
        progress = progress_of(run)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publishing the {run.period.name} report",
            "period": run.period,
            "run": run,
            "progress": progress,
            "progress_url": progress_url(run),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/bscb/reportingperiod/publishing.html", context)

    def publishing_progress_view(self, request, pk, run):
        run = self._run_for(request, pk, run)
        progress = progress_of(run)
        return progress_response(progress, edition_url=progress.result_url)


@admin.register(Edition)
class EditionAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "published_at",
        "is_current",
        "is_withdrawn",
        "pdf_pages",
        "sent_to_panel_on",
        "panel_due",
    ]
    list_filter = ["period", "is_current", "is_withdrawn"]
    readonly_fields = [
        "period",
        "number",
        "published_at",
        "published_by",
        "note",
        "missing_items",
        "warnings",
        "is_current",
        "is_withdrawn",
        "pdf",
        "pdf_pages",
        "export_link",
    ]
    fields = [*readonly_fields, "sent_to_panel_on"]
    actions = ["record_sent_to_panel", "withdraw"]

    @admin.display(description="Export")
    def export_link(self, obj):
        if not obj.still_current():
            return "Only the current edition is exported."
        return format_html(
            '<a href="{}">Export this edition</a> (the pages as plain files, the PDF and the '
            "figures, in one zip)",
            reverse("admin:reports_edition_export_edition", args=[obj.pk]),
        )

    def get_urls(self):
        def view(method):
            return self.admin_site.admin_view(method)

        return [
            path("<int:pk>/export/", view(self.export_view), name="reports_edition_export_edition"),
            path(
                "<int:pk>/export/<int:run>/",
                view(self.exporting_view),
                name="reports_edition_exporting",
            ),
            path(
                "<int:pk>/export/<int:run>/progress.json",
                view(self.export_progress_view),
                name="reports_edition_export_progress",
            ),
            path(
                "<int:pk>/export/<int:run>/download/",
                view(self.export_download_view),
                name="reports_edition_export_download",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        """A confirmation page (GET) for whoever may view the edition; the export queued (POST)
        for whoever may change it, then its progress page."""
        edition = get_object_or_404(Edition.objects.select_related("period"), pk=pk)
        if not self.has_view_permission(request, edition):
            raise PermissionDenied
        may_export = export_runs.may_export(request.user, edition)
        if request.method == "POST":
            if not may_export:
                raise PermissionDenied
            if not edition.still_current():
                messages.error(request, export_runs.NOT_CURRENT)
                return redirect("admin:reports_edition_change", edition.pk)
            run, queued = export_runs.ask_to_export(edition, request.user)
            if not queued:
                messages.warning(request, "This edition is being exported already: here it is.")
            return redirect(run.get_absolute_url())
        context = {
            **self.admin_site.each_context(request),
            "title": f"Export {edition}",
            "edition": edition,
            "may_export": may_export,
            "is_current": edition.still_current(),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/edition/export.html", context)

    def _export_run_for(self, request, pk, run):
        """The run, for those who may view its edition."""
        run = get_object_or_404(
            ExportRun.objects.select_related("edition__period", "requested_by"),
            edition_id=pk,
            pk=run,
        )
        if not self.has_view_permission(request, run.edition):
            raise PermissionDenied
        return run

    def exporting_view(self, request, pk, run):
        run = self._export_run_for(request, pk, run)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Exporting {run.edition}",
            "edition": run.edition,
            "run": run,
            "progress": export_runs.progress_of(run),
            "progress_url": export_runs.progress_url(run),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/reports/edition/exporting.html", context)

    def export_progress_view(self, request, pk, run):
        run = self._export_run_for(request, pk, run)
        return progress_response(export_runs.progress_of(run))

    def export_download_view(self, request, pk, run):
        """The finished zip, as an attachment (the admin says private, no-store)."""
        run = self._export_run_for(request, pk, run)
        if not run.file:
            raise Http404("This export has no file (yet).")
        if not run.edition.still_current():
            # Withdrawn (the embargo) or replaced: what it holds may no longer be read.
            raise Http404("This export's edition is no longer the current one.")
        try:
            zipped = run.file.open("rb")
        except FileNotFoundError:  # replaced and deleted by the daily run since the check
            raise Http404("This export's edition is no longer the current one.") from None
        return FileResponse(
            zipped,
            as_attachment=True,
            filename=run.download_name,
            content_type="application/zip",
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # The record of what was published, for everyone (superusers too): deleting the
        # current one would leave its pages on disk and give its number to the next.
        # The "withdraw" action takes an edition out of service.
        return False

    @admin.display(description="Copy due")
    def panel_due(self, obj):
        # The framework's deadline (seven days under 2018 and 2023; none under 2015).
        return obj.panel_due_on

    @admin.action(
        description="Record the copy the guidance asks for (the National Panel's) as sent today",
        permissions=["change"],
    )
    def record_sent_to_panel(self, request, queryset):
        updated = queryset.filter(sent_to_panel_on__isnull=True).update(
            sent_to_panel_on=timezone.localdate()
        )
        messages.success(
            request,
            ngettext("%d edition recorded as sent.", "%d editions recorded as sent.", updated)
            % updated,
        )

    @admin.action(
        description="Withdraw replaced editions: nobody can read them at their own address",
        permissions=["change"],
    )
    def withdraw(self, request, queryset):
        # The current edition is what the public reads: publish again to replace it first.
        current = queryset.filter(is_current=True).count()
        withdrawn = list(
            queryset.filter(is_current=False, is_withdrawn=False).select_related("period")
        )
        # Kept in the history: who withdrew which edition, and when.
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment("Withdrawn: nobody can read it at its own address")
            for edition in withdrawn:
                edition.is_withdrawn = True
                edition.save(update_fields=["is_withdrawn"])
        if withdrawn:
            messages.success(request, f"Withdrawn: {', '.join(str(e) for e in withdrawn)}.")
        if current:
            messages.warning(
                request,
                "The current edition cannot be withdrawn: publish the report again, then "
                "withdraw the edition it replaced.",
            )


@admin.register(ReportSection)
class ReportSectionAdmin(CarefulAdmin):
    """One section: its title, address, introduction (a narrative's whole text) and signature."""

    list_display = ["title", "period", "kind", "position", "is_shown"]
    list_filter = ["period", "kind", "is_shown"]
    list_select_related = ["period"]
    search_fields = ["title", "introduction"]
    fields = [
        "period",
        "kind",
        "title",
        "slug",
        "group",
        "figure_set",
        "introduction",
        "note",
        "signature",
        "is_shown",
        "what_it_shows",
        "version",
    ]
    autocomplete_fields = ["group"]

    readonly_fields = ["what_it_shows"]

    @admin.display(description="What a section of this kind shows")
    def what_it_shows(self, obj):
        kind = kinds.KINDS.get(obj.kind) if obj else None
        return kind.description if kind else "Choose a kind and save to see what it shows."

    def view_on_site(self, obj):
        from bscb.reports.report import report_sections

        section = next((s for s in report_sections(obj.period) if s.record.pk == obj.pk), None)
        if section is None:
            return None
        return obj.period.staff_url(section.url(obj.period))


class FigureInline(CheckedTabularInline):
    """The set's figures; open one ("Change") to enter its breakdowns."""

    model = Figure
    extra = 0
    fields = [
        "position",
        "label",
        "key",
        "value",
        "unit",
        "denominator",
        "local_value",
        "comparator",
        "source",
    ]
    prepopulated_fields = {"key": ["label"]}
    show_change_link = True


@admin.register(FigureSet)
class FigureSetAdmin(CarefulAdmin):
    list_display = ["title", "period", "slug"]
    list_filter = ["period"]
    list_select_related = ["period"]
    search_fields = ["title", "figures__label"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "period",
        "title",
        "slug",
        "introduction",
        "source",
        "panel_area",
        "local_area",
        "version",
    ]
    inlines = [FigureInline]


class BreakdownFormSet(BaseInlineFormSet):
    """A figure's breakdowns: the parts of one dimension add up to no more than the figure."""

    def clean(self):
        super().clean()
        rows = [
            f
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.errors
        ]
        figure = self.instance
        parts = [(f.cleaned_data.get("dimension"), f.cleaned_data.get("value")) for f in rows]
        over = parts_exceeding(figure.value, parts)
        for dimension, total in over:
            for form in rows:
                if form.cleaned_data.get("dimension") == dimension:
                    form.add_error("value", exceeding_message([(dimension, total)]))


class FigureBreakdownInline(CheckedTabularInline):
    model = FigureBreakdown
    formset = BreakdownFormSet
    extra = 3
    fields = ["dimension", "position", "label", "value"]


class FigureForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The breakdowns on this page are checked against the new value by their formset.
        self.instance.breakdowns_checked_by_formset = True


@admin.register(Figure)
class FigureAdmin(HistoryAdmin):
    """One figure and its breakdowns by age band, sex or agency."""

    form = FigureForm
    list_display = ["label", "figure_set", "value", "unit"]
    list_filter = ["figure_set__period", "unit"]
    list_select_related = ["figure_set__period"]
    search_fields = ["label", "key"]
    fields = [
        "figure_set",
        "position",
        "label",
        "key",
        "value",
        "unit",
        "denominator",
        "local_value",
        "comparator",
        "source",
    ]
    inlines = [FigureBreakdownInline]


@admin.register(AgencyStatement)
class AgencyStatementAdmin(CarefulAdmin):
    """One agency's statement for a period's report: one an agency a period."""

    list_display = ["organisation", "author_role", "period", "position"]
    list_filter = ["period"]
    list_select_related = ["period", "organisation"]
    search_fields = ["organisation__name", "author_role", "statement"]
    fields = ["period", "organisation", "author_role", "statement", "position", "version"]
    autocomplete_fields = ["organisation"]


class ProgrammeReportInline(CheckedStackedInline):
    model = ProgrammeReport
    extra = 0
    fields = ["period", "status", "progress", "figure_set"]
    autocomplete_fields = ["figure_set"]
    verbose_name = "period whose report shows it"
    verbose_name_plural = "periods whose report shows it (status and progress that year)"


@admin.register(Programme)
class ProgrammeAdmin(CarefulAdmin):
    """A programme with the periods whose reports show it, each with its progress."""

    list_display = ["name", "launched", "position"]
    list_filter = ["reports__period", "reports__status"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [
        "name",
        "slug",
        "description",
        "launched_on",
        "launch_known_to",
        "priorities",
        "position",
        "version",
    ]
    filter_horizontal = ["priorities"]
    inlines = [ProgrammeReportInline]

    @admin.display(description="Launched")
    def launched(self, obj):
        return obj.launch_display
