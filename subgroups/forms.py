from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone

from bscb.core.admin_base import CarefulForm
from bscb.core.forms import DayMonthYearField
from subgroups.models import Action, ProgressUpdate, Rag, Risk, RiskReview

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


class NewActionForm(forms.ModelForm):
    """A chair adds an action to an open plan of their own group."""

    starts_on = DayMonthYearField(
        label="Start date (optional)", required=False, help_text="For example, 1 4 2027"
    )
    due_on = DayMonthYearField(
        label="Due date (optional)", required=False, help_text="For example, 31 3 2028"
    )

    class Meta:
        model = Action
        fields = ["description", "owner_organisation", "lead", "starts_on", "due_on"]
        labels = {
            "description": "What is the action?",
            "owner_organisation": "Owner organisation (optional)",
            "lead": "Lead, a name or role (optional)",
        }
        error_messages = {"description": {"required": "Say what the action is."}}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("description", label_size=Size.SMALL, rows=3),
            Field.select("owner_organisation", label_size=Size.SMALL),
            Field.text("lead", label_size=Size.SMALL),
            Field("starts_on", legend_size=Size.SMALL),
            Field("due_on", legend_size=Size.SMALL),
            Submit("submit", "Add the action"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.plan.is_closed:
            raise forms.ValidationError(
                f"The plan “{self.instance.plan}” is closed: it takes no more actions."
            )
        return cleaned


class NewRiskForm(forms.ModelForm):
    """A chair adds a risk to their own group's risk log."""

    opened_on = DayMonthYearField(
        label="Opened on (optional)", required=False, help_text="For example, 1 4 2027"
    )
    next_review_on = DayMonthYearField(
        label="Next review (optional)", required=False, help_text="For example, 1 7 2027"
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "lead_organisation",
            "likelihood",
            "impact",
            "opened_on",
            "next_review_on",
        ]
        labels = {
            "title": "What is the risk?",
            "description": "Description (optional)",
            "lead_organisation": "Lead organisation (optional)",
            "likelihood": "Likelihood (1 to 5, optional)",
            "impact": "Impact (1 to 5, optional)",
        }
        error_messages = {
            "title": {"required": "Say what the risk is."},
            "likelihood": ONE_TO_FIVE,
            "impact": ONE_TO_FIVE,
        }

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner_group = group
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title", label_size=Size.SMALL),
            Field.textarea("description", label_size=Size.SMALL, rows=3),
            Field.select("lead_organisation", label_size=Size.SMALL),
            Field.text("likelihood", field_width=2),
            Field.text("impact", field_width=2),
            Field("opened_on", legend_size=Size.SMALL),
            Field("next_review_on", legend_size=Size.SMALL),
            Submit("submit", "Add the risk"),
        )

    def clean_next_review_on(self):
        day = self.cleaned_data.get("next_review_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError("The next review cannot be in the past.")
        return day


class ReopenActionForm(forms.Form):
    """A chair reopens a completed action; the reason goes into its history."""

    reason = forms.CharField(
        label="Why is the action reopened?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for reopening the action."},
    )
    rag = forms.ChoiceField(
        label="How is the action going now?",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        initial=Rag.AMBER,
        error_messages={"required": "Choose a RAG rating: red, amber or green."},
    )

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL),
            Field.radios("rag", legend_size=Size.SMALL),
            Submit("submit", "Reopen the action"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.action.plan.is_closed:
            raise forms.ValidationError(
                f"The plan “{self.action.plan}” is closed: it takes no more changes."
            )
        if self.action.status != Action.Status.COMPLETE:
            raise forms.ValidationError("This action is not complete: there is nothing to reopen.")
        return cleaned


class NextReviewForm(forms.Form):
    """A chair sets the day a risk's next review is due."""

    next_review_on = DayMonthYearField(
        label="Next review", help_text="For example, 1 7 2027", required=True
    )

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        self.risk = risk
        self.fields["next_review_on"].error_messages["required"] = "Enter the next review date."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field("next_review_on", legend_size=Size.SMALL),
            Submit("submit", "Save the review date"),
        )

    def clean_next_review_on(self):
        day = self.cleaned_data.get("next_review_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError("The next review cannot be in the past.")
        if self.risk.closed_on:
            raise forms.ValidationError("This risk is closed: it has no more reviews.")
        return day
