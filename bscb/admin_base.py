"""What every back-office page does: keep history, and refuse to save over a change unseen.

History is django-reversion (a record and its inline children are one
revision; deleted records can be recovered with their children). Lost-update
protection is django-concurrency: a record's version travels with the form,
and a save against an older version is refused with the newer one shown.
"""

from __future__ import annotations

from concurrency.admin import ConcurrentModelAdmin
from concurrency.api import disable_concurrency, get_revision_of_object
from concurrency.config import conf
from concurrency.forms import ConcurrentForm
from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.formats import localize
from reversion.admin import VersionAdmin


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


class HistoryAdmin(VersionAdmin):
    """Back-office pages for records without a version of their own: history only."""

    history_latest_first = True


class CarefulAdmin(HistoryAdmin, ConcurrentModelAdmin):
    """History and lost-update protection."""

    form = CarefulForm

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        # Restoring an old version writes its old version number back on purpose.
        with disable_concurrency(self.model):
            return super()._reversion_revisionform_view(request, version, *args, **kwargs)
