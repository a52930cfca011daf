import datetime

from crispy_forms_gds.fields import DateInputField
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus: the first Tab must reach the skip link."""

    # request named in the signature: the sign-in wizard passes it only to forms that ask, and
    # django-axes needs it to count failures.
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)


class DayMonthYearField(DateInputField):
    """GOV.UK's day, month and year boxes; a date that cannot exist gets a message beside them.

    crispy-forms-gds turns the numbers into a date itself and lets OverflowError
    (a 20-digit year) through as a server error.
    """

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        name = self.label or "The date"
        if len(year) != 4:
            raise ValidationError(f"{name}: the year must have 4 numbers, like 2020.", code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(
                f"{name} must be a real date, like 31 3 2020.", code="invalid_date"
            ) from None
