"""Money in pounds and pence: Decimal with two places, never a float."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

MONEY_MESSAGES = {
    "invalid": "Enter an amount in pounds and pence, like 1234.56.",
    "max_decimal_places": "Enter the pence as two digits at most, like 1234.56.",
    "max_digits": "Enter an amount below £10,000,000,000.",
    "max_whole_digits": "Enter an amount below £10,000,000,000.",
    "min_value": "An amount cannot be negative.",
}


class MoneyFormField(forms.DecimalField):
    """Accepts what people type from a spreadsheet or a report: '£1,234.56'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"] = {**MONEY_MESSAGES, **kwargs["error_messages"]}
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal("0"))])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


def format_money(value) -> str:
    """'£155,683.00', as the report prints money (en-GB)."""
    if value is None:
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


class WebAddressField(models.URLField):
    """A link; an address typed without a scheme is taken to be https (as Django 6 will)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class CountField(models.PositiveIntegerField):
    """A count of people or cases: a negative number gets a message in the domain's words."""

    def __init__(self, *args, negative_message: str = "A count cannot be negative.", **kwargs):
        self.negative_message = negative_message
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        messages = {"min_value": self.negative_message, **kwargs.pop("error_messages", {})}
        return super().formfield(error_messages=messages, **kwargs)

    def run_validators(self, value):
        try:
            super().run_validators(value)
        except ValidationError as error:
            if any(getattr(e, "code", None) == "min_value" for e in error.error_list):
                raise ValidationError(self.negative_message, code="min_value") from error
            raise
