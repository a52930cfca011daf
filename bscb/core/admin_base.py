"""What every back-office page does: keep history, and refuse to save over a change unseen.

History is django-reversion (a record and its inline children are one
revision; deleted records can be recovered with their children). Lost-update
protection is django-concurrency: a record's version travels with the form,
and a save against an older version is refused with the newer one shown.

Permissions: every admin action names the permission it needs
(`@admin.action(permissions=[verb])`), and a verb other than Django's four is
a model permission `<app>.<verb>_<model>` declared in the model's Meta, asked
through `has_<verb>_permission` (see `model_permission`). Who holds which
permission is decided in bscb/roles.py, and for group work in subgroups/rules.py.
"""

from __future__ import annotations

import hashlib
import os
import re

from concurrency.admin import ConcurrentModelAdmin
from concurrency.api import disable_concurrency, get_revision_of_object
from concurrency.config import conf
from concurrency.forms import ConcurrentForm
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.contrib.auth import get_permission_codename
from django.core.cache import caches
from django.core.exceptions import (
    EmptyResultSet,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models import DateField, Model
from django.db.models.constants import LOOKUP_SEP
from django.forms import ModelChoiceField
from django.forms.widgets import Input
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from import_export.admin import ExportActionMixin, ExportMixin, ImportMixin
from import_export.forms import ConfirmImportForm
from import_export.tmp_storages import TempFolderStorage
from reversion.admin import VersionAdmin

from bscb.core import changes, imports
from bscb.core.models import ImportRun
from bscb.core.runs import progress_response


def _shown(value) -> str:
    if isinstance(value, Model):
        return str(value)
    if value in (None, ""):
        return "(blank)"
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all()) or "(none)"
    return localize(value)


class CarefulForm(ConcurrentForm):
    """Refuses to save over a version the editor never saw, saying what the newer version holds."""

    def clean(self):
        meta = getattr(self.instance, "_concurrencymeta", None)
        if meta is None or not conf.ENABLED or not meta.enabled or not self.instance.pk:
            return super(ConcurrentForm, self).clean()
        field = meta.field.name
        seen = self.cleaned_data.get(field)
        saved = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if saved is not None and seen is not None and get_revision_of_object(saved) != seen:
            newer = []
            for name in self.changed_data or self.fields:
                if name == field or name not in self.cleaned_data:
                    continue
                theirs = getattr(saved, name, None)
                mine = self.cleaned_data[name]
                if _shown(theirs) != _shown(mine):
                    label = self.fields[name].label or name
                    newer.append(f"{label}: {_shown(theirs)}")
            details = "; ".join(newer) if newer else "the same values, saved again"
            raise forms.ValidationError(
                "Someone else saved this record after you opened it, so your changes were not "
                f"saved. The newer version reads: {details}. Open the record again to see it "
                f"in full, then make your changes. (Checked at {timezone.localtime():%H:%M}.)",
                code="record_modified",
            )
        return super(ConcurrentForm, self).clean()


def model_permission(model_admin, request, verb: str) -> bool:
    """Whether the user holds `<app>.<verb>_<model>` for the page's model."""
    opts = model_admin.opts
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(verb, opts)}")


SELECTED_WITH_VERSION = re.compile(r"[0-9]+,[0-9]+")


# The parts of a date a list's address may filter on, and the values a calendar allows.
DATE_PARTS = {"year": (1, 9999), "iso_year": (1, 9999), "month": (1, 12), "day": (1, 31)}
LISTED_VALUES = {"in", "range"}


def _date_part_out_of_range(model, key: str, values) -> bool:
    """Whether `key` filters on a date field's year, month or day with a value no calendar has.

    Django builds dates from a year only when the query runs (a year past 9999 or before 1
    then fails with a ValueError, a 500), so the address is checked before.
    """
    parts = key.split(LOOKUP_SEP)
    for i, part in enumerate(parts[1:], start=1):
        if part not in DATE_PARTS:
            continue
        try:
            field = get_fields_from_path(model, LOOKUP_SEP.join(parts[:i]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            return False
        if not isinstance(field, DateField):  # DateTimeField is one too
            return False
        lookup = parts[i + 1] if i + 1 < len(parts) else "exact"
        if lookup == "isnull":
            return False
        low, high = DATE_PARTS[part]
        for value in values:
            for number in value.split(",") if lookup in LISTED_VALUES else [value]:
                try:
                    if not low <= int(number) <= high:
                        return True
                except ValueError:
                    return True
        return False
    return False


# Raise to draw every cached list again after a change to how rows are drawn that the cache's
# key cannot see (server processes restart on a release, and the cache is each process's own).
RESULTS_KEY_VERSION = 1


def results_key(changelist, request) -> str | None:
    """The key of a change list's rows as drawn (`{% result_list_by_content %}`), or None
    where they are not to be cached.

    An admin that names what each row is drawn from (`list_row_content(obj)`: the record's
    fields, its annotations, the related records its columns read) has its rows drawn once for
    each state of them. The key holds everything else the rows and their headings read: the
    address with its query (sorting, filters, search, page, popup, the filters each row's
    link keeps), the columns this user is shown, the language and the admin site. The rows
    hold nothing of the user who reads them (a tick box, the change page's address), so two
    readers shown the same columns of the same records share them.
    """
    admin = changelist.model_admin
    row_content = getattr(admin, "list_row_content", None)
    if row_content is None or request is None or changelist.formset is not None:
        return None
    parts = (
        RESULTS_KEY_VERSION,
        type(admin).__qualname__,
        admin.admin_site.name,
        get_language(),
        request.get_full_path(),
        tuple(map(str, changelist.list_display)),
        tuple(map(str, changelist.list_display_links or ())),
        tuple(changelist.sortable_by or ()),
        tuple(row_content(obj) for obj in changelist.result_list),
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"admin-results:{digest}"


def list_page_key(admin, request) -> str | None:
    """The key of a whole list page as one reader reads it, or None where it is drawn each time.

    An admin whose list page reads nothing but records (`list_drawn_from_records`: no table
    outside bscb.core.changes, no clock finer than the day) has the page drawn once for each
    generation of the records, for each reader and address. The key holds what else the page
    shows: the reader and their session (their name, the columns and actions their role is
    given), the CSRF secret the page's forms carry a mask of, the address with its query,
    the host, and (bscb.core.changes.key) the day and the language. A page with a message to show is drawn each time and
    never kept: the message is shown once.
    """
    if not getattr(admin, "list_drawn_from_records", False) or request.method not in (
        "GET",
        "HEAD",
    ):
        return None
    csrf_secret = request.META.get("CSRF_COOKIE")
    session = getattr(request, "session", None)
    if not csrf_secret or session is None or session.session_key is None:
        return None
    if len(messages.get_messages(request)):
        return None
    return "admin-list:" + changes.key(
        changes.generation(),  # before the page reads any record
        RESULTS_KEY_VERSION,
        type(admin).__qualname__,
        admin.admin_site.name,
        request.user.pk,
        session.session_key,
        csrf_secret,
        request.get_host(),
        request.is_secure(),
        request.get_full_path(),
    )


class CheckedChangeList(ChangeList):
    """A list whose date filters in the address are checked: a year past 9999 is bad input,
    answered like any filter not understood (Django's "?e=1"), never with a 500."""

    def get_filters(self, request):
        for key, values in self.get_filters_params().items():
            if _date_part_out_of_range(self.model, key, values):
                raise IncorrectLookupParameters(f"{key} is not a date on the calendar")
        # Django turns ?date__year=... into datetimes; a huge or last year overflows them.
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def url_for_result(self, result):
        # Django reverses the change page's address for each row (about 20 us a row): the
        # address of a whole-number key is the same but for the key, reversed once a list.
        pk = getattr(result, self.pk_attname)
        if type(pk) is not int:
            return super().url_for_result(result)
        if not hasattr(self, "_change_url"):
            self._change_url = super().url_for_result(result).rsplit(f"/{pk}/", 1)
        before, after = self._change_url
        return f"{before}/{pk}/{after}"

    def get_results(self, request):
        # The list is counted and read here: a filter the database cannot build fails now.
        try:
            return super().get_results(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error


def _valid_keys(widget, value) -> list:
    """The values of `value` that could be keys of the field's related records."""
    opts = widget.field.remote_field.model._meta
    key = opts.get_field(getattr(widget.field.remote_field, "field_name", opts.pk.attname))
    valid = []
    for one in value:
        try:
            key.run_validators(key.to_python(one))
        except (ValidationError, TypeError, ValueError):
            continue
        valid.append(one)
    return valid


def _to_field(widget) -> str:
    opts = widget.field.remote_field.model._meta
    return opts.get_field(getattr(widget.field.remote_field, "field_name", opts.pk.attname)).attname


class _KnownChoicesMixin:
    """Draws the chosen records from `known` (the records every row of an inline names, fetched
    once by `share_choices`) where it holds them all; else asks the database, as Django does."""

    known: dict | None = None

    def optgroups(self, name, value, attr=None):
        value = _valid_keys(self, value)
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.known is None or not selected <= self.known.keys():
            return super().optgroups(name, value, attr)
        # As AutocompleteMixin.optgroups, from the records in hand.
        default = (None, [], 0)
        if not self.is_required and not self.allow_multiple_selected:
            default[1].append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for key, obj in self.known.items():
            if key in selected:
                option = self.create_option(name, key, label(obj), selected, len(default[1]))
                default[1].append(option)
        return [default]


class CheckedAutocompleteSelect(_KnownChoicesMixin, AutocompleteSelect):
    """An autocomplete that redraws a form posted with a made-up choice (a name where a
    number belongs): Django's looks the posted value up as it stands and fails with a 500;
    this one leaves out values that are no key, and the field says "Select a valid choice"."""


class CheckedAutocompleteSelectMultiple(_KnownChoicesMixin, AutocompleteSelectMultiple):
    """CheckedAutocompleteSelect for many choices."""


def _inner(widget):
    return getattr(widget, "widget", widget)  # under the admin's related-field wrapper


def _query_of(queryset) -> str:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # .none(), which has no SQL
        return ""


def share_choices(forms) -> None:
    """The rows of one inline draw their choices from one query per field, not one per row:
    a select's options are listed once, and an autocomplete's chosen records fetched once."""
    if not forms:
        return
    for name, field in forms[0].fields.items():
        if not isinstance(field, ModelChoiceField):
            continue
        fields = [form.fields[name] for form in forms]
        if len({_query_of(f.queryset) for f in fields}) != 1:
            continue  # a row that narrows its own choices keeps them
        widget = _inner(field.widget)
        if isinstance(widget, _KnownChoicesMixin):
            keys = set()
            for form in forms:
                value = form[name].value()
                values = value if isinstance(value, list | tuple) else [value]
                keys.update(str(v) for v in _valid_keys(widget, values) if v not in (None, ""))
            to_field = _to_field(widget)
            found = field.queryset.filter(**{f"{to_field}__in": keys}) if keys else []
            known = {str(getattr(obj, to_field)): obj for obj in found}
            for f in fields:
                _inner(f.widget).known = known
        elif not isinstance(widget, Input):
            choices = list(field.choices)
            for f in fields:
                f.choices = choices


class _SharedChoicesFormSet:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        share_choices(self.forms)


class CheckedAutocompleteMixin:
    """Every autocomplete field of a page or an inline drawn by the checked widgets; an
    inline's rows share their choices (share_choices)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        """(Inlines only: a page has no formset of its own.)"""
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (_SharedChoicesFormSet, formset), {})


class ColumnLabelsMixin:
    """A tabular inline's fields sit under its column headings with no <label> of their own:
    each is named by its column (aria-label), so that a screen reader says which field it is
    in. (Autocomplete fields pass the name on to the combobox Select2 draws: bscb/admin.js.)"""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.label:
            _inner(formfield.widget).attrs.setdefault("aria-label", str(formfield.label))
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (_LabelledDeletionFormSet, formset), {})


class _LabelledDeletionFormSet:
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:  # the "Delete?" column's box
            form.fields["DELETE"].widget.attrs.setdefault("aria-label", "Delete")


class CheckedTabularInline(ColumnLabelsMixin, CheckedAutocompleteMixin, admin.TabularInline):
    """A tabular inline of the back office (checked autocomplete fields, labelled columns)."""


class CheckedStackedInline(CheckedAutocompleteMixin, admin.StackedInline):
    """A stacked inline of the back office (checked autocomplete fields)."""


class CheckedAdmin(CheckedAutocompleteMixin, admin.ModelAdmin):
    """Every back-office page: its list's address and its autocomplete fields checked."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def lookup_allowed(self, lookup, value, request=None):
        """A list is filtered only as its filters (and its date bar) offer. Django allows a
        lookup on any field of the record in the address: `?body_text__regex=` would let a
        reader search, letter by letter, text the page hides from them."""
        filters = self.get_list_filter(request) if request is not None else self.list_filter
        offered = {self.model._meta.pk.name, "pk"}
        for one in filters:
            name = one[0] if isinstance(one, list | tuple) else one
            if isinstance(name, str):
                offered.add(name.split(LOOKUP_SEP, 1)[0])
            elif getattr(name, "parameter_name", None):  # a filter of our own (e.g. period)
                offered.add(name.parameter_name)
        if self.date_hierarchy:
            offered.add(self.date_hierarchy.split(LOOKUP_SEP, 1)[0])
        if lookup.split(LOOKUP_SEP, 1)[0] not in offered:
            return False
        return super().lookup_allowed(lookup, value, request)


class HistoryAdmin(CheckedAdmin, VersionAdmin):
    """Back-office pages for records without a version of their own: history only."""

    history_latest_first = True

    def changelist_view(self, request, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        # django-reversion opens a transaction and a revision around every list, for the
        # actions a POST runs: a list read saves nothing, so it is drawn without them (a
        # BEGIN and a COMMIT less a page). The same context as VersionAdmin gives it.
        key = list_page_key(self, request)
        drawn = caches["drawn"]
        if key is not None:
            page = drawn.get(key)
            if page is not None:
                if not self.has_view_or_change_permission(request):
                    raise PermissionDenied
                return HttpResponse(page)
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        response = super(VersionAdmin, self).changelist_view(request, context)
        if key is not None and response.status_code == 200 and hasattr(response, "render"):
            response.add_post_render_callback(lambda done: drawn.set(key, done.content))
        return response


class CarefulAdmin(HistoryAdmin, ConcurrentModelAdmin):
    """History and lost-update protection."""

    form = CarefulForm

    def action_checkbox(self, obj):
        # django-concurrency renders a CheckboxInput through the template engine for each
        # row: about 0.6 ms a row, most of a 100-row list's time. The same markup, directly,
        # and escaped by hand: two format_html a row were 0.1 ms of it (issue 18 item 6).
        label = _("Select this object for an action - {}").format(escape(obj))
        return mark_safe(
            f'<input type="checkbox" name="{helpers.ACTION_CHECKBOX_NAME}" '
            f'value="{escape(obj.pk)},{escape(get_revision_of_object(obj))}" '
            f'class="action-select" aria-label="{label}">'
        )

    action_checkbox.short_description = ConcurrentModelAdmin.action_checkbox.short_description

    def response_action(self, request, queryset):
        # django-concurrency reads each ticked row as "pk,version" and fails on anything else.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not SELECTED_WITH_VERSION.fullmatch(value) for value in selected):
            messages.error(
                request,
                "Nothing was done: the selection did not say which version of each record you "
                "saw. Open the list again, tick the records and choose the action again.",
            )
            return redirect(request.get_full_path())
        return super().response_action(request, queryset)

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        # Restoring an old version writes its old version number back on purpose.
        with disable_concurrency(self.model):
            return super()._reversion_revisionform_view(request, version, *args, **kwargs)


class CheckedConfirmImportForm(ConfirmImportForm):
    """The import's confirmation, refused unless it names a format, a resource and a file we made."""

    def __init__(self, *args, formats=(), resources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.formats, self.resources = formats, resources

    def clean_format(self):
        value = self.cleaned_data["format"]
        if not value.isdigit() or int(value) >= len(self.formats):
            raise forms.ValidationError("The file's format was not one this page offers.")
        return value

    def clean_resource(self):
        value = self.cleaned_data.get("resource") or "0"
        if not value.isdigit() or int(value) >= len(self.resources):
            raise forms.ValidationError("The kind of import was not one this page offers.")
        return value

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not os.path.exists(TempFolderStorage(name=name).get_full_path()):
            raise forms.ValidationError("The uploaded file is no longer there.")
        return name


def claim_confirmed_file(tmp_storage: TempFolderStorage) -> bool:
    """Take the previewed file for this confirmation alone, or say another took it first.

    Two presses of Confirm (a double click, two tabs) both pass the form's check that the
    file is there; a rename is atomic, so exactly one of them gets the file and queues its
    import, and the other imports nothing (rows imported twice would be counted twice)."""
    path = tmp_storage.get_full_path()
    claimed = f"{path}.confirmed"
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return False
    tmp_storage.name = os.path.basename(claimed)
    return True


class CheckedImportMixin(ImportMixin):
    """django-import-export's import, behind IMPORT_EXPORT_IMPORT_PERMISSION_CODE, with the
    confirmation step checked: a made-up format, resource or file name gets a message."""

    confirm_form_class = CheckedConfirmImportForm

    def has_import_permission(self, request):
        """The task's rule (imports.may_import), so the button and the task say the same."""
        return imports.may_import(request.user, self.model)

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {
            **super().get_confirm_form_kwargs(request, import_form),
            "formats": self.get_import_formats(),
            "resources": self.get_import_resource_classes(request),
        }

    def process_import(self, request, **kwargs):
        """The confirmation, after the dry-run preview: the rows are imported by a background
        task (bscb.core.imports), whose page says how many were new, updated or skipped."""
        if request.method != "POST" or not self.has_import_permission(request):
            return super().process_import(request, **kwargs)  # its own refusal
        form = self.create_confirm_form(request)
        if not form.is_valid():
            messages.error(
                request,
                "Nothing was imported: the confirmation did not match a file uploaded here "
                f"({_first_error(form)}). Upload the file again.",
            )
            return redirect(_admin_url(self, "import"))
        format_index = int(form.cleaned_data["format"])
        input_format = self.get_import_formats()[format_index](encoding=self.from_encoding)
        tmp_storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        if not claim_confirmed_file(tmp_storage):
            messages.error(
                request,
                "This file's import was confirmed already (by an earlier press of Confirm): "
                "nothing was imported a second time.",
            )
            return redirect(_admin_url(self, "import"))
        try:
            data = tmp_storage.read()
            run = imports.ask_to_import(
                self.model,
                request.user,
                data=data if isinstance(data, bytes) else data.encode(self.from_encoding),
                format_index=format_index,
                resource_index=int(form.cleaned_data.get("resource") or 0),
                file_name=form.cleaned_data.get("original_file_name") or "import",
            )
        finally:
            tmp_storage.remove()  # claimed by this press alone: nobody else will
        return redirect(run.get_absolute_url())

    def get_urls(self):
        opts = self.model._meta
        info = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "import/<int:run>/",
                self.admin_site.admin_view(self.importing_view),
                name=f"{info}_importing",
            ),
            path(
                "import/<int:run>/progress.json",
                self.admin_site.admin_view(self.importing_progress_view),
                name=f"{info}_importing_progress",
            ),
            *super().get_urls(),
        ]

    def _import_run_for(self, request, run):
        """The run, for those who may import these rows (who confirmed it, or may have)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        return get_object_or_404(ImportRun, model=self.model._meta.label_lower, pk=run)

    def importing_view(self, request, run):
        run = self._import_run_for(request, run)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Importing {opts.verbose_name_plural}",
            "run": run,
            "progress": imports.progress_of(run),
            "progress_url": reverse(
                f"admin:{opts.app_label}_{opts.model_name}_importing_progress", args=[run.pk]
            ),
            "opts": opts,
        }
        return TemplateResponse(request, "admin/import_run.html", context)

    def importing_progress_view(self, request, run):
        run = self._import_run_for(request, run)
        return progress_response(imports.progress_of(run), row_errors=run.row_errors)


class CheckedExportMixin(ExportMixin):
    """django-import-export's export, behind IMPORT_EXPORT_EXPORT_PERMISSION_CODE."""

    def export_action(self, request):
        try:
            return super().export_action(request)
        except (IncorrectLookupParameters, DisallowedModelAdminLookup):
            # The export reads the list's filters from the address; a made-up one is not a filter.
            messages.error(
                request,
                "Nothing was exported: the filters in the address were not understood. "
                "Filter the list again, then export.",
            )
            return redirect(_admin_url(self, "changelist"))


class CheckedExportActionMixin(CheckedExportMixin, ExportActionMixin):
    """The export as an action on the list too, declaring its permission like every action."""

    @admin.action(permissions=["export"], description="Export selected %(verbose_name_plural)s")
    def export_admin_action(self, request, queryset):
        return super().export_admin_action(request, queryset)


def _admin_url(model_admin, view: str) -> str:
    opts = model_admin.opts
    return reverse(f"{model_admin.admin_site.name}:{opts.app_label}_{opts.model_name}_{view}")


def _first_error(form) -> str:
    return next(str(e) for errors in form.errors.values() for e in errors)
