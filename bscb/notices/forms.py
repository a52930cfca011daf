from django import forms

from bscb.notices.models import Kind, Preference


class PreferencesForm(forms.Form):
    """One choice per kind of email: at once, in the weekly digest, or not at all."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Preference.Delivery.choices,
                initial=chosen.get(kind.value, Preference.Delivery.IMMEDIATE),
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose at once, weekly digest or not at all."},
            )
        self.user = user

    def save(self):
        for kind in Kind:
            Preference.objects.update_or_create(
                user=self.user, kind=kind.value, defaults={"delivery": self.cleaned_data[kind]}
            )
