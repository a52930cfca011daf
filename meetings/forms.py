from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from bscb.core.forms import DayMonthYearField
from bscb.core.models import Organisation
from meetings.models import DECISIONS_NEED_MINUTES, EMPTY_ENTRY, NO_FILE, Entry, Paper


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["kind", "text", "position", "priorities", "review"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        error_messages = {
            "text": {"required": EMPTY_ENTRY},
        }

    def has_changed(self):
        # An added row whose text is only spaces still counts as typed, so that it
        # gets an error instead of vanishing silently.
        raw = self.data.get(self.add_prefix("text"))
        return super().has_changed() or (raw is not None and raw != "" and not raw.strip())


class PaperForm(forms.ModelForm):
    """A paper's file is checked by what it holds (bscb.core.uploads.validate_document).

    The file box never shows the stored file's address (a private file has none): the
    row's "File" column links to the view that checks who is asking.
    """

    class Meta:
        model = Paper
        fields = ["agenda_item", "title", "file"]
        widgets = {"file": forms.FileInput}
        error_messages = {"file": {"required": NO_FILE}}


class MinutesForm(forms.Form):
    """An item's minutes and decisions, and an action arising that goes into the group's plan
    in the same step (meetings.minutes.minutes_actions_raise)."""

    minutes_text = forms.CharField(
        label="Minutes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown. Public once approved, unless the item is confidential.",
    )
    decisions = forms.CharField(
        label="Decisions (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown: one bullet per decision.",
    )
    action = forms.CharField(
        label="Action arising (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It goes into the group's action plan, linked to this item.",
    )
    owner_organisation = forms.ModelChoiceField(
        label="Owner organisation (optional)",
        queryset=Organisation.objects.order_by("name"),
        required=False,
    )
    lead = forms.CharField(label="Owner, a name or role (optional)", required=False, max_length=200)
    due_on = DayMonthYearField(
        label="Due date (optional)", required=False, help_text="For example, 31 3 2028"
    )

    # Where a refusal of the model or the service goes.
    FIELD_OF = {
        "minutes_text": "minutes_text",
        "decisions": "decisions",
        "description": "action",
        "owner_organisation": "owner_organisation",
        "lead": "lead",
        "due_on": "due_on",
    }

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault(
            "initial", {"minutes_text": item.minutes_text, "decisions": item.decisions}
        )
        super().__init__(*args, **kwargs)
        self.item = item
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("minutes_text", label_size=Size.SMALL),
            Field.textarea("decisions", label_size=Size.SMALL),
            Fieldset(
                Field.textarea("action", label_size=Size.SMALL),
                Field.select("owner_organisation", label_size=Size.SMALL),
                Field.text("lead", label_size=Size.SMALL),
                Field("due_on", legend_size=Size.SMALL),
                legend="Action arising",
                legend_size=Size.MEDIUM,
            ),
            Submit("submit", "Save the minutes"),
        )

    def clean(self):
        cleaned = super().clean()
        minutes = (cleaned.get("minutes_text") or "").strip()
        if (cleaned.get("decisions") or "").strip() and not minutes:
            self.add_error("minutes_text", DECISIONS_NEED_MINUTES)
        if (cleaned.get("action") or "").strip() and not minutes:
            self.add_error(
                "minutes_text", "Write the minutes of this item before raising an action from it."
            )
        has_owner_or_date = cleaned.get("owner_organisation") or cleaned.get("due_on")
        if has_owner_or_date and not (cleaned.get("action") or "").strip():
            self.add_error("action", "Say what the action is, or clear its owner and due date.")
        problem = self.item.meeting.arising_due_error(cleaned.get("due_on"))
        if problem:
            self.add_error("due_on", problem)
        return cleaned

    def add_model_error(self, error: ValidationError):
        """Put a refusal from the model or the service beside its field."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(self.FIELD_OF.get(name), errors)
