"""Import and export of session attendance, as an online booking system exports it.

Columns: course, date, organisation, booked, attended. One row per session and
organisation. A row whose session or organisation is not known, or whose
numbers break a rule, is reported with its line and field; nothing is imported
while any row is bad.
"""

import datetime

from django.db.models import Q
from import_export import fields, resources, widgets

from bscb.core.models import Organisation
from training.models import Session, SessionAttendance

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y"]


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date: write it as 31/03/2019 or 2019-03-31.")


class SessionWidget(widgets.Widget):
    """Finds the session from the row's course title and date."""

    def clean(self, value, row=None, **kwargs):
        title = str(row.get("course") or "").strip()
        if not title:
            raise ValueError("The course is missing.")
        day = parse_date(row.get("date"))
        sessions = list(Session.objects.filter(course__title__iexact=title, date=day)[:2])
        if not sessions:
            raise ValueError(
                f"No session of '{title}' on {day:%d/%m/%Y} is recorded: add the session first."
            )
        if len(sessions) > 1:
            raise ValueError(
                f"Two sessions of '{title}' run on {day:%d/%m/%Y}: enter this one by hand."
            )
        return sessions[0]

    def render(self, value, obj=None, **kwargs):
        return value.course.title if value else ""


class OrganisationWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError("The organisation is missing.")
        match = Organisation.objects.filter(
            Q(name__iexact=name) | Q(short_name__iexact=name)
        ).first()
        if match is None:
            raise ValueError(f"No organisation called '{name}': add it to the organisations first.")
        return match

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class CountWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return super().clean(value, row=row, **kwargs)
        except (ValueError, TypeError, ArithmeticError) as error:
            raise ValueError(f"'{value}' is not a whole number.") from error


class SessionAttendanceResource(resources.ModelResource):
    session = fields.Field(attribute="session", column_name="course", widget=SessionWidget())
    date = fields.Field(attribute="session__date", column_name="date", readonly=True)
    organisation = fields.Field(
        attribute="organisation", column_name="organisation", widget=OrganisationWidget()
    )
    booked = fields.Field(attribute="booked", column_name="booked", widget=CountWidget())
    attendees = fields.Field(attribute="attendees", column_name="attended", widget=CountWidget())

    class Meta:
        model = SessionAttendance
        fields = ["session", "date", "organisation", "booked", "attendees"]
        import_id_fields = ["session", "organisation"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # An unknown session or organisation: the row's validation names the field.
            return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.session_id and "attendees" not in errors:
            problem = instance.session_problem()
            if problem:
                errors["attendees"] = [problem]
        super().validate_instance(instance, errors, validate_unique)

    def dehydrate_date(self, attendance):
        return attendance.session.date.isoformat()

    def before_save_instance(self, instance, row, **kwargs):
        if instance.attendees is None:
            instance.attendees = 0
