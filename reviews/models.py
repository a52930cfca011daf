from __future__ import annotations

import datetime
from dataclasses import dataclass

import reversion
from concurrency.fields import IntegerVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.core import visibility
from bscb.core.fields import CountField, WebAddressField
from bscb.core.models import Organisation, Priority, ReportingPeriod
from bscb.core.uploads import ALLOWED, private_storage, validate_document
from bscb.core.working_days import add_months, add_working_days
from meetings.models import Meeting
from reviews.vocabulary import plural as plural_of
from reviews.vocabulary import singular
from subgroups.models import Group

# Statutory clocks (Working Together 2018 and the National Panel's guidance).
PANEL_NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
PRACTICE_REVIEW_MONTHS = 6
# Any review date outside these years is a typing slip (and 9999 would run the clocks off the calendar).
FIRST_REVIEW_DATE = datetime.date(1900, 1, 1)
LAST_REVIEW_DATE = datetime.date(2100, 12, 31)


class CaseReviewQuerySet(models.QuerySet):
    """The embargo rule, in one place: every public page, search, feed, download and PDF asks here."""

    def get_by_natural_key(self, pseudonym):
        return self.get(pseudonym=pseudonym)

    @staticmethod
    def _publishable(today: datetime.date | None) -> Q:
        """The rule: a review is public unless embargoed, or once its release date has come."""
        today = today or timezone.localdate()
        return Q(is_embargoed=False) | Q(
            embargo_release_on__isnull=False, embargo_release_on__lte=today
        )

    def publishable(self, today: datetime.date | None = None):
        return self.filter(self._publishable(today))

    def withheld(self, today: datetime.date | None = None):
        # The rule's complement on the same rows (a condition, not a subquery of the
        # publishable ones): every public query nests it, and a subquery less makes each
        # cheaper to build (issue 18 item 6).
        return self.filter(~self._publishable(today))

    def public(self):
        """The reviews the public may see today."""
        return self.publishable()

    @staticmethod
    def _within(field: str, period: ReportingPeriod) -> Q:
        return Q(**{f"{field}__range": (period.start, period.end)})

    def notified_in(self, period: ReportingPeriod):
        """Notified to the National Panel in the period."""
        return self.filter(self._within("panel_notified_on", period))

    def held_in(self, period: ReportingPeriod):
        """Held in the period (a review of earlier reviews)."""
        return self.filter(self._within("held_on", period))

    def signed_off_in(self, period: ReportingPeriod):
        """Signed off in the period."""
        return self.filter(self._within("signed_off_on", period))

    def step_in(self, field: str, period: ReportingPeriod):
        """Whose step dated by `field` (commissioned_on, say) falls in the period: what a
        period's nil return for that step would contradict."""
        return self.filter(self._within(field, period))

    def for_period(self, period: ReportingPeriod):
        """The reviews that belong to a period: those notified to the National Panel, held or
        signed off in it, the three lists of the report's case reviews section.

        A review notified in one period and signed off in the next belongs to both. Being
        commissioned, finishing a rapid review or being published places a review in no
        period: the report lists none of them. The check, themes and open data ask here.
        """
        return self.filter(
            self._within("panel_notified_on", period)
            | self._within("held_on", period)
            | self._within("signed_off_on", period)
        )


@dataclass
class Clock:
    """One statutory deadline of a review."""

    name: str
    due: datetime.date
    done: datetime.date | None

    @property
    def late(self) -> bool:
        reference = self.done or timezone.localdate()
        return reference > self.due

    @property
    def open(self) -> bool:
        return self.done is None


@reversion.register(follow=["recommendations", "learning_materials", "learning_events"])
class CaseReview(models.Model):
    """A review of a serious case, known by a pseudonym: never by a child's name."""

    class Kind(models.TextChoices):
        SERIOUS_CASE_REVIEW = "scr", "Serious case review"
        RAPID_REVIEW = "rapid", "Rapid review"
        PRACTICE_REVIEW = "lcspr", "Local child safeguarding practice review"
        THEMATIC = "thematic", "Thematic review"
        REVIEW_OF_REVIEW = "review_of_review", "Review of an earlier review"

    pseudonym = models.CharField(
        max_length=120,
        unique=True,
        help_text="Baby Q, Family T, Child AA: never a child's name.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    criteria = models.TextField("criteria it met", blank=True)
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_reviews",
        help_text="The group that runs the review.",
    )
    incident_notified_on = models.DateField("incident notified", null=True, blank=True)
    panel_notified_on = models.DateField("notified to the National Panel", null=True, blank=True)
    commissioned_on = models.DateField(null=True, blank=True)
    rapid_review_completed_on = models.DateField(null=True, blank=True)
    held_on = models.DateField(
        null=True, blank=True, help_text="For a review of earlier reviews: the day it was held."
    )
    signed_off_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(
        blank=True, help_text="Markdown; public once the review is publishable."
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="case_reviews")
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem",
        blank=True,
        related_name="case_reviews",
        help_text="Meeting agenda items about this review.",
    )
    report_url = WebAddressField("published report", blank=True)
    is_embargoed = models.BooleanField(
        "publication embargoed",
        default=False,
        help_text="Held back after sign-off: nothing of it reaches a public page until released.",
    )
    embargo_reason = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'until the end of the criminal proceedings'."
    )
    embargo_release_on = models.DateField(
        "release date",
        null=True,
        blank=True,
        help_text="If known: the review becomes public on this date.",
    )
    released_on = models.DateField(null=True, blank=True, editable=False)

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = CaseReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-panel_notified_on", "pseudonym"]
        # Releasing makes a review public and republishes the reports it belongs in.
        permissions = [("release_casereview", "Can release a case review from embargo")]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_embargoed=True) | Q(embargo_release_on__isnull=True),
                name="reviews_release_date_only_when_embargoed",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (Q(signed_off_on__isnull=False) & Q(published_on__gte=models.F("signed_off_on"))),
                name="reviews_published_after_signed_off",
            ),
        ]

    def __str__(self):
        return self.pseudonym

    def natural_key(self):
        return (self.pseudonym,)

    def clean(self):
        super().clean()
        errors = {}
        if self.published_on and not self.signed_off_on:
            errors["published_on"] = (
                "A review is published after it is signed off: enter the sign-off date."
            )
        elif self.published_on and self.signed_off_on and self.published_on < self.signed_off_on:
            errors["published_on"] = (
                f"Published on {date_format(self.published_on)}, before it was signed off "
                f"on {date_format(self.signed_off_on)}."
            )
        if (
            self.signed_off_on
            and self.commissioned_on
            and self.signed_off_on < self.commissioned_on
        ):
            errors["signed_off_on"] = (
                f"Signed off on {date_format(self.signed_off_on)}, before it was commissioned "
                f"on {date_format(self.commissioned_on)}."
            )
        if self.embargo_release_on and not self.is_embargoed:
            errors["embargo_release_on"] = "Only an embargoed review has a release date."
        if self.is_embargoed:
            if not self.signed_off_on:
                errors["is_embargoed"] = (
                    "Only a signed-off review can be held back: enter the sign-off date."
                )
            if not self.embargo_reason:
                errors["embargo_reason"] = "Say why publication is held back."
            if self.published_on:
                errors["is_embargoed"] = "A published review cannot be held back."
        errors.update(self._contradicted_nil_returns(errors))
        for field in self._meta.concrete_fields:
            if not (field.editable and isinstance(field, models.DateField)):
                continue
            value = getattr(self, field.attname)
            if value is not None and not FIRST_REVIEW_DATE <= value <= LAST_REVIEW_DATE:
                errors[field.name] = (
                    f"Enter a date between {FIRST_REVIEW_DATE.year} and {LAST_REVIEW_DATE.year}."
                )
        if errors:
            raise ValidationError(errors)

    def _contradicted_nil_returns(self, errors: dict) -> dict:
        """A date that would make a period's nil return false (a review commissioned in a year
        that said none of its kind was) gets a message; the nil return is changed first."""
        found = {}
        for what, field in NilReturn.date_fields(self.kind).items():
            day = getattr(self, field)
            if day is None or field in errors:
                continue
            nil = (
                NilReturn.objects.filter(
                    kind=self.kind, what=what, period__start__lte=day, period__end__gte=day
                )
                .select_related("period")
                .first()
            )
            if nil is not None:
                found[field] = (
                    f"{nil.period} records that no {plural_of(self.kind)} were "
                    f"{nil.get_what_display()}: remove that nil return first."
                )
        return found

    @property
    def kind_name(self) -> str:
        """What the review is called in the report, in the words of its kind's era."""
        return singular(self.kind)

    @property
    def status(self) -> str:
        """Derived from the dates: the furthest step the review has reached."""
        if self.published_on:
            return "Published"
        if self.is_embargoed and not self.is_publishable:
            return "Signed off, publication held back"
        if self.signed_off_on:
            return "Signed off"
        if self.held_on:
            return "Held"
        if self.rapid_review_completed_on:
            return "Rapid review completed"
        if self.commissioned_on:
            return "Commissioned"
        if self.panel_notified_on:
            return "Notified to the National Panel"
        if self.incident_notified_on:
            return "Incident notified"
        return "Recorded"

    @property
    def is_publishable(self) -> bool:
        today = timezone.localdate()
        return not self.is_embargoed or bool(
            self.embargo_release_on and self.embargo_release_on <= today
        )

    def clocks(self) -> list[Clock]:
        """The review's statutory clocks; one whose due date would pass the calendar's end is left out."""
        wanted = []  # (name, add, start, amount, done)
        if self.incident_notified_on:
            wanted.append(
                (
                    "Notify the National Panel (5 working days)",
                    add_working_days,
                    self.incident_notified_on,
                    PANEL_NOTIFICATION_WORKING_DAYS,
                    self.panel_notified_on,
                )
            )
            # Rapid reviews came with the partnership arrangements (Working Together 2018): a
            # serious case review of a board's time has none.
            if self.kind in (self.Kind.RAPID_REVIEW, self.Kind.PRACTICE_REVIEW):
                wanted.append(
                    (
                        "Complete the rapid review (15 working days)",
                        add_working_days,
                        self.incident_notified_on,
                        RAPID_REVIEW_WORKING_DAYS,
                        self.rapid_review_completed_on,
                    )
                )
        if self.commissioned_on and self.kind == self.Kind.PRACTICE_REVIEW:
            wanted.append(
                (
                    "Publish the practice review (6 months)",
                    add_months,
                    self.commissioned_on,
                    PRACTICE_REVIEW_MONTHS,
                    self.published_on,
                )
            )
        if self.commissioned_on and self.kind == self.Kind.SERIOUS_CASE_REVIEW:
            # Working Together 2015: a serious case review is completed within six months of
            # its initiation; the board then decides when to publish it.
            wanted.append(
                (
                    "Complete the serious case review (6 months)",
                    add_months,
                    self.commissioned_on,
                    PRACTICE_REVIEW_MONTHS,
                    self.signed_off_on,
                )
            )
        clocks = []
        for name, add, start, amount, done in wanted:
            try:
                due = add(start, amount)
            except OverflowError:
                # A date stored past clean()'s check (e.g. 31/12/9999): no due date, not a 500.
                continue
            clocks.append(Clock(name, due, done))
        return clocks

    def next_deadline(self) -> Clock | None:
        open_clocks = [c for c in self.clocks() if c.open]
        return min(open_clocks, key=lambda c: c.due) if open_clocks else None

    def release(self, *, on: datetime.date | None = None) -> None:
        """Lift the embargo by hand: the review becomes public at once."""
        self.is_embargoed = False
        self.embargo_release_on = None
        self.released_on = on or timezone.localdate()
        self.save(update_fields=["is_embargoed", "embargo_release_on", "released_on"])


class RecommendationQuerySet(models.QuerySet):
    def public(self):
        """Never a recommendation of a review that is held back."""
        return visibility.public(self)


@reversion.register()
class Recommendation(models.Model):
    """A recommendation of a review, and the agency that must act on it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    agency = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    action = models.ForeignKey(
        "subgroups.Action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
        help_text="The action in a plan that answers it.",
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="reviews_recommendation_numbered_once"
            )
        ]

    def __str__(self):
        return f"{self.review} recommendation {self.number}"


class AuditQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Completed (or reported on) in the period."""
        return self.filter(date__range=(period.start, period.end))


@reversion.register(follow=["learning_materials"])
class Audit(models.Model):
    """A multi-agency audit, a statutory audit (Section 11, Section 175/157) or an inspection."""

    class Kind(models.TextChoices):
        MULTI_AGENCY = "multi_agency", "Multi-agency audit"
        SECTION_11 = "section_11", "Section 11 audit"
        SECTION_175 = "section_175", "Section 175/157 audit of schools"
        INSPECTION = "inspection", "Inspection"

    class Method(models.TextChoices):
        CASE_STUDY = "case_study", "Case study"
        TABLE_TOP = "table_top", "Table top"
        ONLINE = "online", "Online"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MULTI_AGENCY)
    lead_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    date = models.DateField(help_text="When it was completed (or reported on).")
    date_known = models.BooleanField(
        default=True,
        help_text="Untick when the records lost the date: it then only places the audit in its period.",
    )
    findings = models.TextField(blank=True, help_text="Markdown.")
    recommendations = models.TextField(blank=True, help_text="Markdown.")
    judgement = models.CharField(max_length=200, blank=True, help_text="For an inspection.")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="audits")
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem",
        blank=True,
        related_name="audits",
        help_text="Meeting agenda items about this audit.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["date", "title"]

    def __str__(self):
        return self.title

    def published_learning(self) -> list:
        """Its learning materials that are public; uses materials prefetched as `public_learning`."""
        if hasattr(self, "public_learning"):
            return self.public_learning
        return list(LearningMaterial.objects.public().filter(audit=self))


class LearningMaterialQuerySet(models.QuerySet):
    def public(self):
        """Published materials (not those dated later), never one of a review that is held back."""
        return visibility.public(self.filter(published_on__lte=timezone.localdate()))

    def for_period(self, period: ReportingPeriod):
        """Published in the period."""
        return self.filter(published_on__range=(period.start, period.end))


@reversion.register()
class LearningMaterial(models.Model):
    """A learning log, briefing or workshop pack from a review or an audit."""

    class Kind(models.TextChoices):
        LEARNING_LOG = "learning_log", "Learning log"
        BRIEFING = "briefing", "Briefing"
        WORKSHOP_PACK = "workshop_pack", "Workshop pack"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.LEARNING_LOG)
    review = models.ForeignKey(
        CaseReview,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning_materials",
    )
    audit = models.ForeignKey(
        Audit, null=True, blank=True, on_delete=models.CASCADE, related_name="learning_materials"
    )
    published_on = models.DateField(
        null=True, blank=True, help_text="Blank until it is published: only then is it public."
    )
    url = WebAddressField("link", blank=True)
    file = models.FileField(
        upload_to="learning/",
        blank=True,
        storage=private_storage,
        validators=[validate_document],
        help_text=f"{ALLOWED} file. Readers download it only while the material is public.",
    )
    summary = models.TextField(blank=True, help_text="Markdown.")

    objects = LearningMaterialQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title

    @property
    def link(self) -> str:
        """Where a reader gets it: its web address, or the download of its file."""
        if self.url:
            return self.url
        return reverse("learning_file", args=[self.pk]) if self.file else ""

    def clean(self):
        super().clean()
        if self.review_id and self.audit_id:
            raise ValidationError(
                {"audit": "Link the material to a review or to an audit, not both."}
            )


@reversion.register()
class PanelCases(models.Model):
    """The cases a child death overview panel meeting reviewed; its highlights are the meeting's entries."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="panel_cases")
    cases_reviewed = CountField(
        null=True,
        blank=True,
        negative_message="The number of cases cannot be negative.",
        help_text="Blank when the records do not say how many: pages then say it is not recorded.",
    )

    class Meta:
        verbose_name = "cases reviewed"
        verbose_name_plural = "cases reviewed"

    def __str__(self):
        if self.cases_reviewed is None:
            return f"Cases (number not recorded) at {self.meeting}"
        return f"{self.cases_reviewed} cases at {self.meeting}"


class NilReturnQuerySet(models.QuerySet):
    def in_period(self, period: ReportingPeriod):
        """The period's nil returns: what it says no review of a kind did."""
        return self.filter(period=period)


@reversion.register()
class NilReturn(models.Model):
    """A period's statement that no review of a kind was notified, commissioned or completed
    in it: a true statement, unlike a period where nothing was recorded."""

    class What(models.TextChoices):
        NOTIFIED = "notified", "notified to the National Panel"
        COMMISSIONED = "commissioned", "commissioned"
        COMPLETED = "completed", "completed"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="nil_returns"
    )
    kind = models.CharField("kind of review", max_length=20, choices=CaseReview.Kind.choices)
    what = models.CharField(
        "none were",
        max_length=20,
        choices=What.choices,
        help_text="What no review of the kind did in the period.",
    )
    note = models.TextField(blank=True, help_text="Markdown, printed after the statement.")

    objects = NilReturnQuerySet.as_manager()

    class Meta:
        ordering = ["period", "kind", "what"]
        verbose_name = "nil return"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "what"], name="reviews_nil_return_once"
            ),
        ]

    def __str__(self):
        return self.statement

    @property
    def statement(self) -> str:
        """ "No local child safeguarding practice reviews were commissioned in 2020/21." """
        return f"No {plural_of(self.kind)} were {self.get_what_display()} in {self.period}."

    @staticmethod
    def date_fields(kind: str) -> dict[str, str]:
        """The date of a review that places each of its steps in a period."""
        completed = (
            "rapid_review_completed_on" if kind == CaseReview.Kind.RAPID_REVIEW else "signed_off_on"
        )
        return {
            NilReturn.What.NOTIFIED: "panel_notified_on",
            NilReturn.What.COMMISSIONED: "commissioned_on",
            NilReturn.What.COMPLETED: completed,
        }

    def contradicting_reviews(self):
        """The recorded reviews of the kind whose step falls in the period: each makes the
        statement false."""
        field = self.date_fields(self.kind)[self.what]
        return CaseReview.objects.filter(kind=self.kind).step_in(field, self.period)

    def clean(self):
        super().clean()
        if not (self.period_id and self.kind and self.what):
            return
        twin = NilReturn.objects.filter(
            period_id=self.period_id, kind=self.kind, what=self.what
        ).exclude(pk=self.pk)
        if twin.exists():
            raise ValidationError({"what": f"{self.period} says this already."})
        if self.what not in self.What.values or self.kind not in CaseReview.Kind.values:
            return
        found = list(self.contradicting_reviews().values_list("pseudonym", flat=True)[:3])
        if found:
            raise ValidationError(
                {
                    "what": f"Not true: {', '.join(found)} "
                    f"{'is a' if len(found) == 1 else 'are'} {singular(self.kind)}"
                    f"{'' if len(found) == 1 else 's'} {self.get_what_display()} in "
                    f"{self.period}."
                }
            )


class DatePrecision(models.TextChoices):
    DAY = "day", "To the day"
    MONTH = "month", "To the month"
    YEAR = "year", "To the year"


def precise_date(day: datetime.date | None, known_to: str) -> str:
    """A date as far as it is known: "3 December 2020", "December 2020", "2020"; blank if
    not recorded."""
    if day is None:
        return ""
    if known_to == DatePrecision.YEAR:
        return f"{day:%Y}"
    if known_to == DatePrecision.MONTH:
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


class LearningEventQuerySet(models.QuerySet):
    def in_period(self, period: ReportingPeriod):
        """Held in the period, by its date (for an event known only to the month or year, the
        day staff gave to place it); an event without a date belongs to no period."""
        return self.filter(date__range=(period.start, period.end))

    def public(self):
        """Never an event of a review that is held back."""
        return visibility.public(self)


@reversion.register()
class LearningEvent(models.Model):
    """A learning event held after a review (a briefing, a workshop, a conference), often in
    a later year than the review itself."""

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="learning_events")
    title = models.CharField(max_length=200)
    date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank when not recorded. Known only to the month or year? Give a "
        "day in it that places it in its reporting period (the report prints only the month "
        "or year), and say so below.",
    )
    date_known_to = models.CharField(
        "date known",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How the report prints it: “12 May 2020”, “May 2020” or “2020”.",
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    attendees = CountField(
        null=True,
        blank=True,
        negative_message="The number of attendees cannot be negative.",
        help_text="Leave blank when not recorded: the report then leaves it out, never 0.",
    )

    objects = LearningEventQuerySet.as_manager()

    class Meta:
        ordering = ["date", "title"]
        verbose_name = "learning event"

    def __str__(self):
        return self.title

    @property
    def date_display(self) -> str:
        return precise_date(self.date, self.date_known_to)

    def clean(self):
        super().clean()
        if self.date is not None and not FIRST_REVIEW_DATE <= self.date <= LAST_REVIEW_DATE:
            raise ValidationError(
                {
                    "date": f"Enter a date between {FIRST_REVIEW_DATE.year} and {LAST_REVIEW_DATE.year}."
                }
            )
