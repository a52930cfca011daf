"""Editions: what publishing froze of a period's report."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

import reversion
from concurrency.fields import IntegerVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bscb.core.models import BackgroundRun, ReportingPeriod
from bscb.core.uploads import private_storage


class EditionQuerySet(models.QuerySet):
    def current(self):
        """The editions readers get at a period's own addresses: the current one of each
        published period, unless withdrawn. The embargo withdraws a current edition that may
        show a record held back, in the change's own transaction, before republishing it:
        until the new edition is stored, readers get the pages rendered from the records."""
        return self.filter(self.current_rule())

    @staticmethod
    def current_rule(via: str = "") -> Q:
        """current()'s rule as a condition, for an edition reached through `via` (e.g.
        "edition__" from its pages): the same joins as a filter written out, no subquery."""
        return Q(
            **{
                f"{via}is_current": True,
                f"{via}is_withdrawn": False,
                f"{via}period__status": ReportingPeriod.Status.PUBLISHED,
            }
        )

    def readable(self):
        """Editions anyone may read at their own address, the current one and those it
        replaced: of a published period, and not withdrawn. The embargo withdraws an edition
        the moment a record it may show is held back (editions.republish_for_embargo)."""
        return self.filter(is_withdrawn=False, period__status=ReportingPeriod.Status.PUBLISHED)

    def withdrawn(self):
        """Editions of a published period that were withdrawn: their address says so (410),
        and shows nothing of them."""
        return self.filter(is_withdrawn=True, period__status=ReportingPeriod.Status.PUBLISHED)


@reversion.register()
class Edition(models.Model):
    """A published edition of a period's report: the pages the public reads, frozen."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(
        blank=True, help_text="What changed since the last edition: shown to readers."
    )
    missing_items = models.TextField(
        blank=True, help_text="Statutory items the check found missing when it was published."
    )
    is_current = models.BooleanField(default=False)
    is_withdrawn = models.BooleanField(
        "withdrawn",
        default=False,
        help_text="Nobody can read a withdrawn edition at its own address. An edition is "
        "withdrawn when a record it may show is held back by a publication embargo, or by "
        "staff; it is never put back.",
    )
    static_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="The style sheets' addresses when the pages were stored; whole stored pages "
        "are served only while they still match.",
    )
    pdf = models.FileField(upload_to="editions/", blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    # What the embargo let this edition show, by identity (see reviews/embargo.py): the
    # reviews it could show, the records it held back, and the newest record of each kind
    # that existed, so that a change to the embargo republishes only when this changes.
    reviews_shown = models.JSONField(default=list, blank=True, editable=False)
    held_back = models.JSONField(default=dict, blank=True, editable=False)
    newest_records = models.JSONField(default=dict, blank=True, editable=False)
    released_reviews = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Reviews held back in the edition before and public in this one.",
    )
    contents = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="The edition's pages in reading order, each with its address, title and kind.",
    )
    warnings = models.TextField(
        blank=True,
        editable=False,
        help_text="What the publish check warned of, such as a held-back review named in a page.",
    )
    sent_to_panel_on = models.DateField(
        "sent to the National Panel",
        null=True,
        blank=True,
        help_text="When the copy the framework asks for was sent: to the Child Safeguarding "
        "Practice Review Panel within seven days (Working Together 2018 and 2023), or to the "
        "council's leaders, the police and crime commissioner and the health and wellbeing "
        "board (a board's report under Working Together 2015).",
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        db_table = "bscb_edition"
        ordering = ["period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="bscb_edition_numbered_once"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(is_current=True), name="bscb_one_current_edition"
            ),
        ]

    def __str__(self):
        return f"{self.period} edition {self.number}"

    def get_absolute_url(self):
        """The edition's own address, which stays when a later edition replaces it."""
        return reverse("edition_contents", args=[self.period.slug, self.number])

    def still_current(self) -> bool:
        """Whether this edition is, now, its period's current one (EditionQuerySet.current):
        asked of the database afresh, since the embargo may withdraw it at any moment."""
        return Edition.objects.current().filter(pk=self.pk).exists()

    @staticmethod
    def newest_number(period_id: int) -> int:
        """The period's newest edition number (0: none yet), withdrawn or not."""
        newest = Edition.objects.filter(period=period_id).aggregate(last=models.Max("number"))
        return newest["last"] or 0

    @property
    def framework(self):
        """The statutory framework the period's report answers to (frameworks.py)."""
        from bscb.reports.frameworks import framework_for

        return framework_for(self.period)

    @property
    def copy_to(self) -> str:
        """Whom the framework sends a copy of the published report to."""
        return self.framework.copy_to

    @property
    def panel_due_on(self) -> datetime.date | None:
        """When the copy is due: seven days after publishing under Working Together 2018
        and 2023; the 2015 guidance set no deadline (None)."""
        return self.framework.copy_due_on(timezone.localtime(self.published_at).date())


class EditionPageQuerySet(models.QuerySet):
    def current(self):
        """The pages of the current editions (EditionQuerySet.current), by its rule."""
        return self.filter(EditionQuerySet.current_rule(via="edition__"))


class EditionPage(models.Model):
    """One page or download of an edition, as rendered when it was published."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pages")
    path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100, default="text/html; charset=utf-8")
    title = models.CharField(max_length=300, blank=True)
    breadcrumbs = models.TextField(blank=True)
    body = models.TextField(help_text="The page's main content, or a download's whole text.")
    html = models.TextField(
        blank=True, help_text="The whole page as an anonymous reader gets it, served as it is."
    )
    text = models.TextField(blank=True, help_text="The main content as plain text, for search.")
    description = models.TextField(
        blank=True, help_text="The page's meta description, as plain text, for search engines."
    )

    objects = EditionPageQuerySet.as_manager()

    class Meta:
        db_table = "bscb_editionpage"
        ordering = ["edition", "path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "path"], name="bscb_edition_page_once")
        ]

    def __str__(self):
        return self.path


def section_kinds():
    from bscb.reports.kinds import kind_choices

    return kind_choices()


# Addresses a section cannot take: the report's other pages are there.
RESERVED_SECTION_SLUGS = {"report", "data", "groups", "editions", "for-children-and-young-people"}


class ReportSectionQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True)


@reversion.register()
class ReportSection(models.Model):
    """One section of a period's report, in its place: what kind it is and what it is called.

    The kinds (bscb/reports/kinds.py) say how a section renders from the records; the
    support team decides which sections a report has, their titles, order and introductions.
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="report_sections"
    )
    kind = models.CharField(
        max_length=40,
        choices=section_kinds,
        help_text="What the section shows: the README lists what each kind shows.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80, help_text="Its web address within the report, e.g. case-reviews."
    )
    position = models.PositiveIntegerField(default=0, db_index=True)
    introduction = models.TextField(
        blank=True,
        help_text="Markdown. For a narrative section (a foreword, a statement) this is its text.",
    )
    note = models.TextField(
        blank=True,
        help_text="Markdown. The editors' note, shown apart from the board's words at the "
        "section's start, e.g. that some figures of the original report were lost.",
    )
    signature = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who signs a narrative section, e.g. “Jane Smith, Independent Chair”.",
    )
    group = models.ForeignKey(
        "subgroups.Group",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a group's section. Left blank, it stands for every group with public "
        "meetings in the period that has no section of its own, in the groups' order.",
    )
    figure_set = models.ForeignKey(
        "reports.FigureSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
        help_text="For a figure set's section: the set of this period it shows (without one, "
        "the section is left out of the report). For the child death review's section: the "
        "year's profile, shown after the panel's meetings.",
    )
    is_shown = models.BooleanField(
        "shown", default=True, help_text="Hidden sections stay in the list but not the report."
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ReportSectionQuerySet.as_manager()

    class Meta:
        ordering = ["period", "position", "pk"]
        verbose_name = "report section"
        constraints = [
            models.UniqueConstraint(fields=["period", "slug"], name="reports_section_slug_once"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # A section added without a place goes at the end of the report.
        if self.period_id and (self.position is None or (self._state.adding and not self.position)):
            last = ReportSection.objects.filter(period_id=self.period_id).aggregate(
                last=models.Max("position")
            )["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)

    def clean(self):
        from bscb.reports import kinds

        super().clean()
        errors = {}
        kind = kinds.KINDS.get(self.kind)
        if self.slug in RESERVED_SECTION_SLUGS and self.kind != kinds.GROUP:
            errors["slug"] = f"“{self.slug}” is the address of another page of the report."
        if self.group_id and self.kind != kinds.GROUP:
            errors["group"] = "Only a group's section names a group."
        if self.figure_set_id and not (kind is not None and kind.names_figure_set):
            errors["figure_set"] = (
                "Only a figure set's or the child death review's section names a figure set."
            )
        elif self.figure_set_id and self.period_id and self.figure_set.period_id != self.period_id:
            errors["figure_set"] = "Choose a figure set of the same period as the section."
        if kind is not None and not kind.repeats and self.period_id:
            twin = (
                ReportSection.objects.filter(period_id=self.period_id, kind=self.kind)
                .exclude(pk=self.pk)
                .first()
            )
            if twin is not None:
                errors["kind"] = (
                    f"The report has a {kind.label.lower()} section already (“{twin.title}”): "
                    "rename or move that one instead."
                )
        if kind is not None and kind.key == kinds.GROUP and self.period_id:
            # One page a group: its own section, or one section standing for every group.
            twin = (
                ReportSection.objects.filter(
                    period_id=self.period_id, kind=self.kind, group_id=self.group_id
                )
                .exclude(pk=self.pk)
                .first()
            )
            if twin is not None:
                errors["group"] = (
                    f"“{twin.title}” is already the section of "
                    + (f"{self.group}" if self.group_id else "every group without one")
                    + "."
                )
        if errors:
            raise ValidationError(errors)


# Figures with their shape: a set of figures a section shows, each with its unit, an
# optional denominator, comparator and source, and its breakdowns.


@reversion.register(follow=["figures"])
class FigureSet(models.Model):
    """A period's set of figures: the child death review's yearly profile, casework figures,
    key local figures. A figure's key, in sets of the same address across periods, makes a
    series that the report follows year on year."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="figure_sets"
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        help_text="The same address in each period's set makes its figures a series "
        "(e.g. child-death-profile).",
    )
    introduction = models.TextField(blank=True, help_text="Markdown, shown before the figures.")
    source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the set's figures come from, unless a figure says.",
    )
    # A child death overview panel may serve several partnerships: its figures are the
    # whole area's, and a figure may give this partnership's part (Figure.local_value).
    panel_area = models.CharField(
        "area the figures cover",
        max_length=300,
        blank=True,
        help_text="For figures of a panel shared by several partnerships: the areas it "
        "covers, e.g. “Northshire and Southshire”. Leave blank when the figures are ours alone.",
    )
    local_area = models.CharField(
        "our area",
        max_length=120,
        blank=True,
        help_text="How the report names this partnership's part of a shared panel's figures, "
        "e.g. “Northshire” (“12 were of Northshire children”).",
    )

    version = IntegerVersionField()

    class Meta:
        ordering = ["period", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["period", "slug"], name="reports_figure_set_slug_once"),
        ]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def clean(self):
        super().clean()
        if self.pk and self.period_id:
            # A set moved to another period would put its figures into that period's report
            # through the sections and programmes of its first period that name it.
            named = [
                str(record.period)
                for record in (
                    *self.sections.exclude(period_id=self.period_id).select_related("period"),
                    *self.programme_reports.exclude(period_id=self.period_id).select_related(
                        "period"
                    ),
                )
            ]
            if named:
                raise ValidationError(
                    {
                        "period": "The report of "
                        + ", ".join(sorted(set(named)))
                        + " shows this set: choose another set there before moving it."
                    }
                )


class Unit(models.TextChoices):
    COUNT = "count", "count"
    PERCENTAGE = "percentage", "percentage"
    POUNDS = "pounds", "pounds"
    DAYS = "days", "days"


# Units whose figures cannot be below zero (pounds can: an overspend, a deficit).
NOT_NEGATIVE = {Unit.COUNT, Unit.PERCENTAGE, Unit.DAYS}


def refuse_bad_value(value, unit: str) -> str | None:
    """What is wrong with a figure's (or a breakdown's) value in its unit, if anything."""
    if value is None:
        return None
    if unit in NOT_NEGATIVE and value < 0:
        return f"A {Unit(unit).label} cannot be below zero."
    if unit == Unit.PERCENTAGE and value > 100:
        return "A percentage cannot be over 100."
    if unit == Unit.COUNT and value != value.to_integral_value():
        return "A count is a whole number."
    return None


def parts_exceeding(total, parts) -> list[tuple[str, Decimal]]:
    """The dimensions whose parts add up to more than the total: (dimension, sum)."""
    if total is None:
        return []
    sums: dict[str, Decimal] = {}
    for dimension, value in parts:
        if value is not None:
            sums[dimension] = sums.get(dimension, Decimal(0)) + value
    return [
        (d, sums[d]) for d in FigureBreakdown.Dimension.values if sums.get(d, Decimal(0)) > total
    ]


@reversion.register(follow=["breakdowns"])
class Figure(models.Model):
    """One figure of a set: a label, a value in its unit, and what puts it in context."""

    Unit = Unit

    figure_set = models.ForeignKey(FigureSet, on_delete=models.CASCADE, related_name="figures")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=300, help_text="What it counts, e.g. Deaths notified.")
    key = models.SlugField(
        max_length=80,
        help_text="The figure's stable name, e.g. deaths-notified: the same key in the same "
        "set of another period makes a series.",
    )
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank when it was not recorded: the report says so, never 0.",
    )
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.COUNT)
    denominator = models.PositiveIntegerField(
        null=True, blank=True, help_text="Out of how many, printed as “19 of 31”."
    )
    comparator = models.CharField(
        max_length=200, blank=True, help_text="e.g. England average: 21.2%."
    )
    source = models.CharField(max_length=300, blank=True)
    local_value = models.DecimalField(
        "our part",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For a panel shared by several partnerships: the same figure for this "
        "partnership's children alone (a count no more than the figure). Leave blank when "
        "not recorded or not shared.",
    )

    class Meta:
        ordering = ["figure_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["figure_set", "key"], name="reports_figure_key_once"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        problem = refuse_bad_value(self.value, self.unit)
        if problem:
            raise ValidationError({"value": problem})
        problem = refuse_bad_value(self.local_value, self.unit)
        if problem:
            raise ValidationError({"local_value": problem})
        if (
            self.unit != Unit.PERCENTAGE
            and self.value is not None
            and self.local_value is not None
            and self.local_value > self.value
        ):
            raise ValidationError(
                {"local_value": "Our part cannot be more than the whole area's figure."}
            )
        # Breakdowns saved before: a value lowered below them is refused here; changed with
        # the breakdowns on the figure's page, the breakdowns' formset checks them.
        if (
            self.value is not None
            and self.pk
            and not getattr(self, "breakdowns_checked_by_formset", False)
        ):
            over = parts_exceeding(self.value, self.breakdowns.values_list("dimension", "value"))
            if over:
                raise ValidationError({"value": exceeding_message(over)})
        if self.pk and not getattr(self, "breakdowns_checked_by_formset", False):
            # A unit changed under saved breakdowns: each part must still make sense in it.
            for label, value in self.breakdowns.values_list("label", "value"):
                problem = refuse_bad_value(value, self.unit)
                if problem:
                    raise ValidationError({"unit": f"The part “{label}”: {problem}"})


def exceeding_message(over) -> str:
    return " ".join(
        f"The breakdown by {FigureBreakdown.Dimension(dimension).label} adds up to "
        f"{total.normalize():f}, more than the figure."
        for dimension, total in over
    )


@reversion.register()
class FigureBreakdown(models.Model):
    """A part of a figure: by age band, by sex or by agency, in the figure's unit."""

    class Dimension(models.TextChoices):
        AGE_BAND = "age-band", "age band"
        SEX = "sex", "sex"
        AGENCY = "agency", "agency"

    figure = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="breakdowns")
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    label = models.CharField(max_length=200, help_text="e.g. Under 1, Female, Police.")
    value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In the figure's unit: the parts of one dimension add up to no more than "
        "the figure. Leave blank when not recorded.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["figure", "dimension", "position", "pk"]

    def __str__(self):
        return f"{self.get_dimension_display()}: {self.label}"

    def clean(self):
        super().clean()
        try:
            figure = self.figure
        except Figure.DoesNotExist:
            return
        problem = refuse_bad_value(self.value, figure.unit)
        if problem:
            raise ValidationError({"value": problem})


@reversion.register()
class AgencyStatement(models.Model):
    """One partner agency's statement in a period's report, signed by a role."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="agency_statements"
    )
    organisation = models.ForeignKey(
        "bscb.Organisation",
        on_delete=models.PROTECT,
        related_name="agency_statements",
        verbose_name="agency",
    )
    author_role = models.CharField(
        max_length=200, help_text="Who writes it, by role: e.g. “Chief Constable”."
    )
    statement = models.TextField(help_text="Markdown.")
    position = models.PositiveIntegerField(
        default=0, db_index=True, help_text="Order among the period's statements."
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    class Meta:
        ordering = ["period", "position", "pk"]
        verbose_name = "agency statement"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"], name="reports_one_statement_per_agency"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.author_role}), {self.period}"

    def clean(self):
        super().clean()
        if self.period_id and self.organisation_id:
            twin = AgencyStatement.objects.filter(
                period_id=self.period_id, organisation_id=self.organisation_id
            ).exclude(pk=self.pk)
            if twin.exists():
                raise ValidationError(
                    {
                        "organisation": f"{self.organisation} has a statement in "
                        f"{self.period} already: change that one instead."
                    }
                )


class LaunchPrecision(models.TextChoices):
    DAY = "day", "To the day"
    MONTH = "month", "To the month"
    YEAR = "year", "To the year"


@reversion.register(follow=["reports"])
class Programme(models.Model):
    """A practice framework or programme the partnership runs over years, such as
    Signs of Safety or Graded Care Profile 2. What it did in a period is a ProgrammeReport."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True, help_text="Markdown.")
    launched_on = models.DateField(
        "launch date",
        null=True,
        blank=True,
        help_text="Leave blank when not recorded: the report then says “not recorded”. "
        "Known only to the month or year? Give its first day and say so below.",
    )
    launch_known_to = models.CharField(
        "launch date known",
        max_length=5,
        choices=LaunchPrecision.choices,
        default=LaunchPrecision.DAY,
        help_text="How the report prints it: “12 May 2020”, “May 2020” or “2020”.",
    )
    priorities = models.ManyToManyField(
        "bscb.Priority", blank=True, related_name="programmes", verbose_name="linked priorities"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the report.")

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    @property
    def launch_display(self) -> str:
        if self.launched_on is None:
            return "not recorded"
        if self.launch_known_to == LaunchPrecision.YEAR:
            return f"{self.launched_on:%Y}"
        if self.launch_known_to == LaunchPrecision.MONTH:
            return f"{self.launched_on:%B %Y}"
        return f"{self.launched_on.day} {self.launched_on:%B %Y}"


@reversion.register()
class ProgrammeReport(models.Model):
    """A programme in a period's report: its status then and the progress made."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        ENDED = "ended", "Ended"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="programme_reports"
    )
    # The status belongs to the year, so that a programme ending later does not rewrite
    # an earlier report on republishing.
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text="At the end of the period.",
    )
    progress = models.TextField(blank=True, help_text="Markdown: what it did in the period.")
    figure_set = models.ForeignKey(
        FigureSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_reports",
        help_text="The programme's own figures for the period, e.g. assessments completed.",
    )

    class Meta:
        ordering = ["period", "programme"]
        verbose_name = "programme in a period"
        verbose_name_plural = "programmes in periods"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period"], name="reports_programme_reported_once"
            ),
        ]

    def __str__(self):
        return f"{self.programme} in {self.period}"

    def clean(self):
        super().clean()
        if self.period_id and self.programme_id:
            twin = ProgrammeReport.objects.filter(
                period_id=self.period_id, programme_id=self.programme_id
            ).exclude(pk=self.pk)
            if twin.exists():
                raise ValidationError({"period": f"The programme is in {self.period} already."})
        if self.figure_set_id and self.period_id and self.figure_set.period_id != self.period_id:
            raise ValidationError(
                {"figure_set": f"Choose a figure set of {self.period}, the programme's period."}
            )


class PublishingRun(BackgroundRun):
    """One press of "Publish": what was asked, and how far the background task got.

    The task writes its progress here outside the publishing transaction (autocommit),
    so the progress page sees each step while readers still get the old edition.
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="publishing_runs"
    )
    note = models.TextField(blank=True)
    accept_missing = models.BooleanField(default=False)
    accept_names = models.BooleanField(default=False)
    newest_when_asked = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The period's newest edition number when Publish was pressed (0: none yet; "
        "empty: not recorded). The task stores nothing if another edition came since.",
    )
    edition = models.OneToOneField(
        Edition, null=True, blank=True, on_delete=models.SET_NULL, related_name="publishing_run"
    )
    error_field = models.CharField(
        max_length=40,
        blank=True,
        help_text="The publish form's field the error belongs beside, when the officer can "
        "answer it there (tick to publish anyway).",
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Publishing {self.period} ({self.requested_at:%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        if self._state.adding and self.newest_when_asked is None:
            self.newest_when_asked = Edition.newest_number(self.period_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:bscb_reportingperiod_publishing", args=[self.period_id, self.pk])


def _export_name(run: ExportRun, filename: str) -> str:
    # A folder no one can guess: the file is handed out only by a view that checks who asks,
    # and its name tells nothing more to whoever lists the folder.
    return f"edition-exports/{secrets.token_urlsafe(24)}/{filename}"


class ExportRun(BackgroundRun):
    """One press of "Export this edition": a background task writes the edition as plain files
    (what `manage.py export_edition` writes) into a zip that staff download."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="export_runs")
    file = models.FileField(storage=private_storage, upload_to=_export_name, blank=True)
    files = models.PositiveIntegerField(null=True, blank=True, help_text="Files in the zip.")

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Exporting {self.edition} ({self.requested_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:reports_edition_exporting", args=[self.edition_id, self.pk])

    def download_url(self) -> str:
        return reverse("admin:reports_edition_export_download", args=[self.edition_id, self.pk])

    @property
    def download_name(self) -> str:
        return f"{self.edition.period.slug}-edition-{self.edition.number}.zip"
