from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from bscb.core.admin_base import CarefulForm
from bscb.core.forms import DayMonthYearField
from subgroups.models import Action, ProgressUpdate, Rag, RiskReview

ONE_TO_FIVE = {
    "min_value": "Enter a number from 1 to 5.",
    "max_value": "Enter a number from 1 to 5.",
    "invalid": "Enter a number from 1 to 5.",
}


class ProgressUpdateForm(forms.ModelForm):
    """A chair's progress note on an action, with the RAG rating now."""

    class Meta:
        model = ProgressUpdate
        fields = ["rag", "note", "evidence"]
        labels = {
            "rag": "How is the action going?",
            "note": "What has happened since the last update?",
            "evidence": "Evidence of impact (optional)",
        }
        help_texts = {
            "rag": "Green: on track. Amber: some delay or risk. Red: little or no progress."
        }
        error_messages = {
            "rag": {"required": "Choose a RAG rating: red, amber or green."},
            "note": {"required": "Write what has happened since the last update."},
        }
        widgets = {"rag": forms.RadioSelect}

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.action = action
        self.fields["rag"].choices = Rag.choices
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("rag", legend_size=Size.MEDIUM),
            Field.textarea("note", label_size=Size.SMALL, rows=5),
            Field.textarea("evidence", label_size=Size.SMALL, rows=4),
            Submit("submit", "Save the update"),
        )


class CompleteActionForm(forms.Form):
    evidence = forms.CharField(
        label="What is the evidence of impact?",
        help_text="What changed for children and families, and how you know.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Give the evidence of impact before marking the action complete."
        },
    )
    note = forms.CharField(
        label="Anything else to record (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("evidence", label_size=Size.SMALL),
            Field.textarea("note", label_size=Size.SMALL),
            Submit("submit", "Mark the action complete"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.action.plan.is_closed:
            raise forms.ValidationError(
                f"The plan “{self.action.plan}” is closed: it takes no more updates."
            )
        if self.action.status == Action.Status.COMPLETE:
            raise forms.ValidationError("This action is already complete.")
        return cleaned


class RiskReviewForm(forms.ModelForm):
    class Meta:
        model = RiskReview
        fields = ["likelihood", "impact", "note"]
        labels = {
            "likelihood": "Likelihood now (1 to 5, optional)",
            "impact": "Impact now (1 to 5, optional)",
            "note": "What did the review find?",
        }
        error_messages = {
            "likelihood": ONE_TO_FIVE,
            "impact": ONE_TO_FIVE,
            "note": {"required": "Write what the review found."},
        }

    def __init__(self, *args, risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.risk = risk
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("likelihood", field_width=2),
            Field.text("impact", field_width=2),
            Field.textarea("note", label_size=Size.SMALL, rows=5),
            Submit("submit", "Save the review"),
        )


class ActionPlanningForm(CarefulForm):
    """The chair's part of an action's planning: its lead and its dates.

    The action's version travels in the form: saving over a change made since the
    chair opened it is refused, with the newer version shown.
    """

    starts_on = DayMonthYearField(
        label="Start date", required=False, help_text="For example, 1 4 2019"
    )
    due_on = DayMonthYearField(label="Due date", required=False, help_text="For example, 31 3 2020")

    class Meta:
        model = Action
        fields = ["lead", "starts_on", "due_on", "version"]
        labels = {"lead": "Lead (name or role)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("lead", label_size=Size.SMALL),
            Field("starts_on", legend_size=Size.SMALL),
            Field("due_on", legend_size=Size.SMALL),
            Field("version"),
            Submit("submit", "Save the dates"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.plan.is_closed:
            raise forms.ValidationError(
                f"The plan “{self.instance.plan}” is closed: it takes no more changes."
            )
        return cleaned
