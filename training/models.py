from __future__ import annotations

import reversion
from concurrency.fields import IntegerVersionField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format

from bscb.core.fields import CountField
from bscb.core.models import ByNaturalKey, Organisation, ReportingPeriod


@reversion.register()
class Course(models.Model):
    """A course the board offers: Everyone's Responsibility, Working Together, Neglect..."""

    title = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    length_days = models.DecimalField(
        "length in days",
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    audience = models.CharField(max_length=200, blank=True)
    retired_on = models.DateField(
        null=True, blank=True, help_text="The date the course stopped being offered, if it has."
    )
    priorities = models.ManyToManyField("bscb.Priority", blank=True, related_name="courses")

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ByNaturalKey.on("title")

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.title,)


@reversion.register()
class PoolRequirement(models.Model):
    """What the multi-agency training pool asks of its trainers (the partnership agreement)."""

    text = models.CharField(max_length=300, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "text"]

    def __str__(self):
        return self.text


@reversion.register()
class Trainer(models.Model):
    """A trainer: a member of the multi-agency pool, or an independent trainer."""

    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainers",
        help_text="Blank for an independent trainer.",
    )
    in_pool = models.BooleanField("in the multi-agency training pool", default=True)
    requirements_met = models.ManyToManyField(PoolRequirement, blank=True, related_name="trainers")
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SessionQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Sessions on a day of the period, whatever their status."""
        return self.filter(date__range=(period.start, period.end))

    def held(self):
        return self.filter(status=Session.Status.HELD)

    def with_attendees(self):
        return self.annotate(attendee_total=Sum("attendances__attendees"))


@reversion.register(follow=["attendances", "evaluations"])
class Session(models.Model):
    """One run of a course on a date."""

    class Kind(models.TextChoices):
        FULL_DAY = "full_day", "Full-day multi-agency course"
        BESPOKE = "bespoke", "Bespoke session"
        AWARENESS = "awareness", "Awareness-raising session"

    class Delivery(models.TextChoices):
        IN_HOUSE = "in_house", "By the board's training team"
        COMMISSIONED = "commissioned", "Commissioned from an independent trainer"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class CancellationReason(models.TextChoices):
        TRAINER_ILLNESS = "trainer_illness", "Trainer illness"
        TRAINER_UNAVAILABLE = "trainer_unavailable", "Trainer no longer available"
        LOW_ENROLMENTS = "low_enrolments", "Low enrolments"
        OTHER = "other", "Other"

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    date_known = models.BooleanField(
        default=True,
        help_text="Untick only when the records lost the date: it then only places the "
        "session in its period.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FULL_DAY)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IN_HOUSE)
    trainer = models.ForeignKey(
        Trainer, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    joint_with_adults_board = models.BooleanField("joint with the adults' board", default=False)
    description = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'a bespoke session for a children's home'."
    )
    places = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.CharField(
        max_length=20, choices=CancellationReason.choices, blank=True
    )
    note = models.TextField(
        blank=True,
        help_text="Explains anything unusual, e.g. why more came than there were places.",
    )
    is_illustrative = models.BooleanField(
        "illustrative",
        default=False,
        help_text="Demo data standing in for sessions the records lost: it carries part of "
        "a published total, so counts of sessions of its kind are not published.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "course__title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="cancelled", cancellation_reason__gt="")
                | (~Q(status="cancelled") & Q(cancellation_reason="")),
                name="training_session_cancelled_with_reason",
            ),
        ]

    def __str__(self):
        return (
            f"{self.course} ({date_format(self.date) if self.date_known else 'date not recorded'})"
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.status == self.Status.CANCELLED and not self.cancellation_reason:
            errors["cancellation_reason"] = "Say why the session was cancelled."
        if self.status != self.Status.CANCELLED and self.cancellation_reason:
            errors["cancellation_reason"] = "Only a cancelled session has a reason for cancelling."
        if (
            self.date
            and self.course_id
            and self.course.retired_on
            and self.date > self.course.retired_on
        ):
            errors["date"] = (
                f"{self.course.title} was retired on {date_format(self.course.retired_on)}: "
                "it cannot run after that date."
            )
        if self.date and self.status == self.Status.HELD and self.date > timezone.localdate():
            errors["status"] = (
                f"This session is on {date_format(self.date)}: it cannot have been held yet."
            )
        if errors:
            raise ValidationError(errors)

    def check_attendance(self, total: int) -> str | None:
        """Why `total` attendees cannot be recorded for this session, or None."""
        if total and self.status == self.Status.CANCELLED:
            return "This session was cancelled: it cannot have attendees."
        if total and self.status == self.Status.SCHEDULED and self.date > timezone.localdate():
            return "This session has not happened yet: record attendance after it is held."
        if self.places is not None and total > self.places and not self.note:
            return (
                f"{total} attendees is more than the {self.places} places: "
                "add a note to the session that explains it, or correct the numbers."
            )
        return None


@reversion.register()
class SessionAttendance(models.Model):
    """How many people from one organisation booked and came to a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="training_attendances"
    )
    booked = CountField(null=True, blank=True, negative_message="Bookings cannot be negative.")
    attendees = CountField(default=0, negative_message="Attendees cannot be negative.")
    is_illustrative = models.BooleanField(
        "illustrative",
        default=False,
        help_text="Demo data that splits a published total: public pages say so.",
    )

    class Meta:
        ordering = ["session", "organisation__name"]
        verbose_name_plural = "session attendance"
        permissions = [
            ("import_sessionattendance", "Can import session attendance from a spreadsheet"),
            ("export_sessionattendance", "Can export session attendance to a spreadsheet"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organisation"],
                name="training_attendance_one_per_organisation",
                violation_error_message="This organisation already has a line for this session.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} at {self.session}"

    def session_problem(self) -> str | None:
        """The session's rules, with this line added to the lines already saved.

        The admin checks all the rows of a session together instead (its formset),
        since rows typed at once are not saved yet.
        """
        session = self.session
        others = session.attendances.exclude(pk=self.pk).aggregate(total=Sum("attendees"))
        return session.check_attendance((others["total"] or 0) + (self.attendees or 0))


@reversion.register()
class Evaluation(models.Model):
    """A delegate's evaluation of a session, and what changed in their practice afterwards."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 (poor) to 5 (excellent).",
    )
    comment = models.TextField(blank=True)
    practice_change = models.TextField(
        "what changed in their practice",
        blank=True,
        help_text="The delegate's answer to the follow-up question, weeks after the session.",
    )

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self):
        return f"{self.rating}/5 for {self.session}"
