from __future__ import annotations

import datetime
import re
import secrets
from urllib.parse import urlsplit

import reversion
from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.core.uploads import private_storage

# A period's slug is the first part of its report's addresses: it must not shadow the site's.
RESERVED_SLUGS = {
    "admin",
    "workspace",
    "accounts",
    "static",
    "media",
    "search",
    "feeds",
    "data",
    "themes",
    "meetings",
    "groups",
    "accessibility",
    "sitemap.xml",
}


class ByNaturalKey(models.Manager):
    """Finds a record by the field that names it, for exports with natural keys."""

    key_field = "pk"

    def get_by_natural_key(self, key):
        return self.get(**{self.key_field: key})

    @classmethod
    def on(cls, field: str) -> ByNaturalKey:
        return type(f"By{field.title()}", (cls,), {"key_field": field})()


class ReportingPeriodQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def published(self):
        return self.filter(status=ReportingPeriod.Status.PUBLISHED)

    def visible_to(self, user):
        """Published periods for everyone; drafts too for trusted staff (preview)."""
        from bscb.core.roles import sees_unpublished

        if sees_unpublished(user):
            return self.all()
        return self.published()

    def overlapping(self, start: datetime.date, end: datetime.date):
        return self.filter(start__lte=end, end__gte=start)

    def containing(self, day: datetime.date):
        return self.filter(start__lte=day, end__gte=day)

    def date_error(self, day: datetime.date) -> str | None:
        """Why a record dated `day` cannot be kept, or None when a period holds the date.

        Anything dated belongs to the period its date falls in, so a date outside every period
        is refused, and the message names the periods there are. A meeting planned beyond the
        last period (the meeting cycle schedules ahead) waits for the support team to add the
        next period: the message says so."""
        if self.containing(day).exists():
            return None
        periods = [
            f"{p.name} ({date_format(p.start)} to {date_format(p.end)})"
            for p in self.order_by("start")
        ]
        if not periods:
            known = "none is recorded yet"
        elif len(periods) == 1:
            known = f"the only period is {periods[0]}"
        else:
            known = f"the periods are {', '.join(periods)}"
        return (
            f"No reporting period holds {date_format(day)}: {known}. Check the date, or add "
            "the period that holds it first (back office, Reporting periods)."
        )

    def before(self, period: ReportingPeriod):
        """Periods that ended before this one started."""
        return self.filter(end__lt=period.start)


class Framework(models.TextChoices):
    """The statutory guidance a report answers to: Working Together to Safeguard Children."""

    WT2015 = "wt2015", "Working Together 2015 (Local Safeguarding Children Board)"
    WT2018 = "wt2018", "Working Together 2018 (safeguarding partners)"
    WT2023 = "wt2023", "Working Together 2023 (safeguarding partners)"

    @classmethod
    def in_force_at(cls, day: datetime.date) -> Framework:
        """The framework a report on a period ending on `day` answers to.

        Boards stayed under the 2015 guidance until they moved to the partnership arrangements,
        which every area had done by 29 September 2019; the 2023 guidance took effect on
        15 December 2023.
        """
        if day < datetime.date(2019, 9, 29):
            return cls.WT2015
        if day < datetime.date(2023, 12, 15):
            return cls.WT2018
        return cls.WT2023


@reversion.register(follow=["key_figures", "sources", "contributions", "other_income", "spending"])
class ReportingPeriod(models.Model):
    """The span of work one annual report covers: usually April to March."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    name = models.CharField(
        max_length=40, unique=True, help_text="As the report names it, e.g. 2018/19."
    )
    slug = models.SlugField(
        max_length=40, unique=True, help_text="Used in web addresses, e.g. 2018-19."
    )
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(
        null=True, blank=True, help_text="The date the report was published; blank if not known."
    )
    first_published_on = models.DateField(
        "first published",
        null=True,
        blank=True,
        help_text="When the report first came out, if before it was published here (on paper, "
        "as a PDF): readers see it beside each edition's date. Blank if not known.",
    )
    children_summary = models.TextField(
        "summary for children and young people",
        blank=True,
        help_text="Markdown: a short, plain-words page, linked from the report.",
    )
    training_note = models.TextField(
        "training: news", blank=True, help_text="Markdown, e.g. the booking system going live."
    )
    training_went_well = models.TextField(
        "training: what went well", blank=True, help_text="Markdown; usually a bulleted list."
    )
    training_went_badly = models.TextField(
        "training: what didn't go so well", blank=True, help_text="Markdown."
    )
    outturn_note = models.TextField(
        "reasons for the outturn",
        blank=True,
        help_text="Markdown: why the budget was under- or overspent.",
    )
    framework = models.CharField(
        "statutory framework",
        max_length=10,
        choices=Framework.choices,
        blank=True,
        help_text="Leave blank to use the guidance in force at the period's end; choose one "
        "to report against another, e.g. an area that moved to the partnership "
        "arrangements early.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        permissions = [("publish_reportingperiod", "Can publish an edition of the report")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="bscb_period_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("period_detail", args=[self.slug])

    @property
    def framework_in_force(self) -> Framework:
        return Framework(self.framework) if self.framework else Framework.in_force_at(self.end)

    @property
    def is_board_era(self) -> bool:
        """Whether the period's work was a Local Safeguarding Children Board's (before the
        safeguarding partners' arrangements): its words are the board's."""
        return self.framework_in_force == Framework.WT2015

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        first = self.first_published_on
        if first and first > timezone.localdate():
            raise ValidationError({"first_published_on": "The date cannot be in the future."})
        if first and self.start and first < self.start:
            raise ValidationError(
                {"first_published_on": "A report cannot be published before the period began."}
            )
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"“{self.slug}” is taken by another part of the site."})
        if self.start and self.end:
            if self.end <= self.start:
                raise ValidationError({"end": "The period must end after it starts."})
            clash = (
                ReportingPeriod.objects.overlapping(self.start, self.end)
                .exclude(pk=self.pk)
                .order_by("start")
                .first()
            )
            if clash:
                raise ValidationError(
                    {
                        "start": (
                            f"This period overlaps {clash.name} "
                            f"({date_format(clash.start)} to {date_format(clash.end)}). "
                            "Periods must not overlap: anything dated belongs to one period."
                        )
                    }
                )

        if self.pk and self.start and self.end:
            self._check_nothing_left_without_a_period()

    def _check_nothing_left_without_a_period(self):
        """Shrinking a period must not drop its dated records (meetings) out of every report."""
        from bscb.core.dated import dated_records

        old = ReportingPeriod.objects.get(pk=self.pk)
        others = ReportingPeriod.objects.exclude(pk=self.pk)
        for model, (field, describe) in dated_records().items():
            records = model._default_manager
            left_out = (
                records.for_period(old)
                .exclude(pk__in=records.for_period(self).values("pk"))
                .order_by(field)
            )
            for record in left_out:
                day = getattr(record, field)
                if not others.containing(day).exists():
                    raise ValidationError(
                        {
                            "start" if day < self.start else "end": f"{describe(record)} on "
                            f"{date_format(day)} would then belong to no period: "
                            "create the period it belongs to first, or move the meeting."
                        }
                    )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def staff_url(self, url: str) -> str:
        """`url`, a page of this period's report, as staff read it with the records as they
        stand: a published period's readers get its stored edition, which holds no page made
        since, so staff get the live preview (?preview=1; see roles.sees_unpublished)."""
        return f"{url}?preview=1" if self.is_published else url


@reversion.register()
class Organisation(models.Model):
    """A partner agency: funding, attendance, actions and training point to it."""

    class Sector(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        DISTRICT_COUNCIL = "district_council", "District council"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        PROBATION = "probation", "Probation"
        COURTS = "courts", "Courts and family justice"
        EDUCATION = "education", "Education"
        VOLUNTARY = "voluntary", "Voluntary and community"
        OTHER = "other", "Other"

    # The three statutory safeguarding partners under Working Together 2018.
    STATUTORY_SECTORS = (Sector.LOCAL_AUTHORITY, Sector.POLICE, Sector.HEALTH)

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40,
        blank=True,
        help_text='Optional short form, like "BCC": the funding chart uses it (it has room for '
        "about 34 characters), and tables give it in brackets after the name.",
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.OTHER)

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ByNaturalKey.on("name")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    @property
    def short_form(self) -> str:
        """The short form where one is recorded that is not the name itself ("CAFCASS")."""
        short = self.short_name.strip()
        return "" if short == self.name else short

    @property
    def label(self) -> str:
        """The organisation where room is short (a chart's bar): its short form, or its name."""
        return self.short_form or self.name

    @property
    def name_in_full(self) -> str:
        """The name with the short form a chart uses in brackets: "Thames Valley Police (TVP)"."""
        return f"{self.name} ({self.short_form})" if self.short_form else self.name


def _initials(name: str) -> str:
    # "Buckinghamshire Safeguarding Children Board" -> "BSCB"
    return "".join(word[0] for word in name.split() if word[:1].isupper())[:40]


@reversion.register()
class Board(models.Model):
    """The board or partnership itself, as its report names it: one record per installation."""

    # One record: its key is always 1 (the constraint below), so two servers creating it on
    # first use at once make one row, not two.
    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE, editable=False)
    name = models.CharField(
        max_length=200,
        help_text="As the report names it, e.g. Buckinghamshire Safeguarding Children Board.",
    )
    short_name = models.CharField(max_length=40, blank=True, help_text="e.g. BSCB.")
    word = models.CharField(
        "word for itself",
        max_length=40,
        default="Board",
        help_text="The word the report uses for the board itself, as in titles: Board or "
        "Partnership (“the work of the Partnership”, “the Partnership met 6 times”).",
    )
    did_heading = models.CharField(
        "heading of what was done",
        max_length=200,
        default="What did we do?",
        help_text="The heading over a meeting's entries of what was done.",
    )
    difference_heading = models.CharField(
        "heading of the difference made",
        max_length=200,
        default="What difference did that make for children?",
        help_text="The heading over a meeting's entries of the difference it made.",
    )
    report_title = models.CharField(
        "what it calls its report",
        max_length=100,
        default="Annual report",
        help_text="Before the period's name in titles, e.g. “Annual report” 2018/19.",
    )
    statutory_partners = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name="statutory partners",
        help_text="The safeguarding partners under Working Together: the local authority, "
        "the police and the health commissioners.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    class Meta:
        verbose_name = "board"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="bscb_board_one_record")]

    def __str__(self):
        return self.name

    @classmethod
    def load(cls) -> Board:
        """The installation's board, made from settings.BOARD_NAME the first time it is asked for.

        Read from the database each time, never kept in the process: several app servers
        serve the site, and a change in the back office must show on all of them.
        """
        name = settings.BOARD_NAME
        board, _ = cls.objects.get_or_create(
            id=cls.ONE,
            defaults={
                "name": name,
                "short_name": _initials(name),
                "word": "Partnership" if "partnership" in name.casefold() else "Board",
            },
        )
        return board


class PriorityQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def in_period(self, period: ReportingPeriod):
        """The priorities the period reports on: those with a text for it."""
        return self.filter(texts__period=period)

    def published(self):
        """Priorities some published report speaks of: a priority of drafts only is not public."""
        return self.filter(
            pk__in=PriorityText.objects.filter(
                period__status=ReportingPeriod.Status.PUBLISHED
            ).values("priority")
        )

    def with_title(self):
        """Each priority with `title`: its wording in the newest published period, else its name."""
        from django.db.models.functions import Coalesce

        newest = (
            PriorityText.objects.filter(
                priority=models.OuterRef("pk"), period__status=ReportingPeriod.Status.PUBLISHED
            )
            .order_by("-period__start")
            .values("wording")[:1]
        )
        return self.annotate(title=Coalesce(models.Subquery(newest), F("name")))


@reversion.register(follow=["texts"])
class Priority(models.Model):
    """A business-plan priority: its identity across years (themes follow it by slug).

    What the report says about it (wording, lead, description, assessment) is the
    period's: see PriorityText. A priority is in a period when it has a text for it.
    """

    name = models.CharField(
        max_length=200, unique=True, help_text="The name used in the back office."
    )
    slug = models.SlugField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the report.")

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = PriorityQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


@reversion.register()
class PriorityText(models.Model):
    """A priority as a period's report words it: its wording, lead, description, assessment.

    Editing one period's text leaves every other period's (and its editions) as they were.
    """

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="texts")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="priority_texts"
    )
    wording = models.CharField(
        max_length=200, help_text="The priority's title as the period's report words it."
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    lead_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="led_priorities", verbose_name="lead organisations"
    )
    lead_detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="The role, or the part of the organisation, e.g. 'the Director of "
        "Children's Services' or 'Education and Early Help'.",
    )
    lead_person = models.ForeignKey(
        "Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_priorities",
        verbose_name="lead (a named person)",
        help_text="Where a named person leads it that year; the report prints the name before "
        "the role.",
    )
    went_well = models.TextField(
        "what worked well", blank=True, help_text="Markdown; left out of the report when blank."
    )
    worried_about = models.TextField(
        "what we are worried about",
        blank=True,
        help_text="Markdown; left out of the report when blank.",
    )
    needs_to_happen = models.TextField(
        "what needs to happen", blank=True, help_text="Markdown; left out of the report when blank."
    )

    version = IntegerVersionField()

    ASSESSMENT = [
        ("went_well", "What worked well"),
        ("worried_about", "What we are worried about"),
        ("needs_to_happen", "What needs to happen"),
    ]

    class Meta:
        ordering = ["priority__position", "priority__name", "-period__start"]
        verbose_name = "priority's text for a period"
        verbose_name_plural = "priority's texts by period"
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "period"], name="bscb_priority_text_once_a_period"
            ),
        ]

    def __str__(self):
        return f"{self.wording} ({self.period})" if self.period_id else self.wording

    def clean(self):
        super().clean()
        if self.priority_id and self.period_id:
            twin = PriorityText.objects.filter(
                priority_id=self.priority_id, period_id=self.period_id
            ).exclude(pk=self.pk)
            if twin.exists():
                raise ValidationError(
                    {
                        "period": f"This priority already has its text for {self.period}: "
                        "change that one."
                    }
                )

    def lead_display(self) -> str:
        """The strategic lead as the report prints it ("Sam Jones, the Director of Children's
        Services (Northshire Council)"); uses prefetched organisations and the person."""
        names = [org.name for org in self.lead_organisations.all()]
        parts = []
        if self.lead_person_id:
            parts.append(self.lead_person.name + ("," if self.lead_detail else ""))
        if self.lead_detail:
            parts.append(self.lead_detail[:1].upper() + self.lead_detail[1:])
        if names:
            orgs = ", ".join(names)
            parts.append(f"({orgs})" if self.lead_detail else orgs)
        return " ".join(parts)

    def assessment(self) -> list[tuple[str, str]]:
        """The three-part assessment's recorded parts, as (heading, Markdown), in order."""
        return [
            (heading, getattr(self, name))
            for name, heading in self.ASSESSMENT
            if getattr(self, name).strip()
        ]


class AppointmentQuerySet(models.QuerySet):
    def during(self, period) -> AppointmentQuerySet:
        """Appointments held at some time in the period (anything with `start` and `end`).

        An end not recorded counts as still held, and a start not recorded as held before:
        an appointment with neither is held in every period. The one rule for the report,
        its open data and the back office.
        """
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=period.end),
            Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        )

    def in_report_order(self) -> AppointmentQuerySet:
        """By role in the report's order, then the partner, then who started first."""
        roles = models.Case(
            *[
                models.When(role=role, then=models.Value(n))
                for n, role in enumerate(Appointment.Role.values)
            ],
            output_field=models.IntegerField(),
        )
        return self.annotate(role_order=roles).order_by(
            "role_order",
            "organisation__name",
            "other_board",
            F("starts_on").asc(nulls_first=True),
            "person__name",
            "pk",
        )


@reversion.register(follow=["appointments"])
class Person(models.Model):
    """Someone who holds a role in the partnership: a chair, a scrutineer, a partner's lead."""

    name = models.CharField(max_length=200, help_text="As the report prints it, e.g. Dr Sam Jones.")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="Who employs them, where it matters; blank for an independent person.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name="sign-in",
        error_messages={"unique": "This sign-in is already linked to another person."},
        help_text="Their sign-in, if they have one: while they sit on a group (or deputise "
        "on it), they read its meetings' papers, confidential ones included.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name


@reversion.register()
class Appointment(models.Model):
    """A person in a role for a time: the independent chair, a partner's lead officer."""

    class Role(models.TextChoices):
        # In the order the report lists them.
        INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
        INDEPENDENT_SCRUTINEER = "independent_scrutineer", "Independent scrutineer"
        BUSINESS_MANAGER = "business_manager", "Business manager"
        LEAD_OFFICER = "lead_officer", "Lead officer of a statutory partner"
        JOINT_CHAIR = "joint_chair", "Joint chair with another board"
        LINK = "link", "Link to another board"
        OTHER = "other", "Other"

    # Roles that name the other board they join this one to, and only they.
    WITH_OTHER_BOARD = (Role.JOINT_CHAIR, Role.LINK)
    # Roles the report prints by their title, which therefore must be given.
    BY_TITLE = (Role.LEAD_OFFICER, Role.OTHER)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="As the report prints it, e.g. “Chief Constable” or “Chief Executive of "
        "the Integrated Care Board”. Needed for a lead officer; otherwise the role's name "
        "is printed when blank.",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text="Whose officer they are: needed for a statutory partner's lead officer.",
    )
    other_board = models.CharField(
        max_length=200,
        blank=True,
        help_text="For a joint chair or a link: the other board, as the report names it, "
        "e.g. “the Safeguarding Adults Board”.",
    )
    starts_on = models.DateField(
        null=True, blank=True, help_text="Leave blank when not recorded: nothing is printed."
    )
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="Leave blank while they hold it, or when not recorded.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="bscb_appointment_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(role="lead_officer") | Q(organisation__isnull=False),
                name="bscb_appointment_lead_officer_of_a_partner",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["lead_officer", "other"]) | ~Q(title=""),
                name="bscb_appointment_titled_where_printed_by_title",
            ),
            models.CheckConstraint(
                condition=(Q(role__in=["joint_chair", "link"]) & ~Q(other_board=""))
                | (~Q(role__in=["joint_chair", "link"]) & Q(other_board="")),
                name="bscb_appointment_other_board_for_joint_chairs_and_links",
            ),
        ]

    def __str__(self):
        return f"{self.person}, {self.display_title}"

    @property
    def display_title(self) -> str:
        return self.title or self.get_role_display()

    @property
    def office(self) -> str:
        """The role as the report prints it: its title, whose officer, the other board."""
        if self.role == self.Role.JOINT_CHAIR:
            return f"{self.title or 'Joint chair'}, shared with {self.other_board}"
        if self.role == self.Role.LINK:
            if self.title:
                return f"{self.title}, link to {self.other_board}"
            return f"Link to {self.other_board}"
        if self.organisation_id:
            return f"{self.display_title}, {self.organisation.name}"
        return self.display_title

    def dates_within(self, period) -> str:
        """Its start and end where they fall in the period ("from 1 September 2020"); nothing
        for a date outside it or not recorded, so an unknown start never reads as today."""

        def within(day):
            return day is not None and period.start <= day <= period.end

        def shown(day):
            return f"{day.day} {day:%B %Y}"

        starts, ends = within(self.starts_on), within(self.ends_on)
        if starts and ends:
            return f"from {shown(self.starts_on)} to {shown(self.ends_on)}"
        if starts:
            return f"from {shown(self.starts_on)}"
        if ends:
            return f"until {shown(self.ends_on)}"
        return ""

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = (
                f"The role cannot end ({date_format(self.ends_on)}) before it starts "
                f"({date_format(self.starts_on)})."
            )
        if self.role == self.Role.LEAD_OFFICER and not self.organisation_id:
            errors["organisation"] = "Name the statutory partner whose lead officer this is."
        if self.role in self.BY_TITLE and not self.title.strip():
            errors["title"] = "Give the title the report prints, e.g. “Chief Constable”."
        if self.role in self.WITH_OTHER_BOARD and not self.other_board.strip():
            errors["other_board"] = "Name the other board, e.g. “Safeguarding Adults Board”."
        elif self.role and self.role not in self.WITH_OTHER_BOARD and self.other_board:
            errors["other_board"] = "Only a joint chair or a link to another board names one."
        if errors:
            raise ValidationError(errors)


@reversion.register()
class Source(models.Model):
    """A numbered source the report cites as a footnote, e.g. "Mid-year population estimates 2018"."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="sources")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    url = models.CharField(
        "web address",
        max_length=500,
        blank=True,
        help_text="Where a reader finds the source on the web, e.g. www.ons.gov.uk or "
        "https://www.ons.gov.uk/…; the report links to it. Leave blank when it has none.",
    )

    class Meta:
        ordering = ["period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="bscb_source_numbered_once")
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    @property
    def href(self) -> str:
        """The web address as a link opens it: "www.ons.gov.uk" as https://www.ons.gov.uk;
        "" for anything that is not a web address (a javascript: link is shown, never followed)."""
        address = self.url.strip()
        if not address or any(c.isspace() for c in address):
            return ""
        scheme = urlsplit(address).scheme.lower()
        if scheme in ("http", "https"):
            return address
        if not scheme and re.match(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/|$)", address, re.IGNORECASE):
            return f"https://{address}"
        return ""

    def clean(self):
        super().clean()
        if self.url.strip() and not self.href:
            raise ValidationError(
                {"url": "Give a web address, like www.ons.gov.uk or https://www.ons.gov.uk/…"}
            )


@reversion.register()
class KeyFigure(models.Model):
    """A figure from elsewhere that the report quotes: a value, a unit, a comparator, a source."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="key_figures"
    )
    value = models.CharField(max_length=40, help_text="As printed, e.g. 18.2% or 36,950.")
    description = models.CharField(
        max_length=300,
        help_text="What it counts, e.g. 'of primary school children have a first "
        "language other than English'.",
    )
    comparator = models.CharField(
        max_length=200, blank=True, help_text="e.g. 'England average: 21.2%'."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="key_figures"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["period", "position", "pk"]

    def __str__(self):
        return f"{self.value} {self.description}"

    def clean(self):
        super().clean()
        if self.source_id and self.period_id and self.source.period_id != self.period_id:
            raise ValidationError({"source": "Cite a source of the same period."})


@reversion.register()
class AccessibilityStatement(models.Model):
    """The site's accessibility statement, in the form UK public-sector websites publish."""

    class Compliance(models.TextChoices):
        FULL = "full", "fully compliant"
        PARTIAL = "partial", "partially compliant"
        NOT = "not", "not compliant"

    site_name = models.CharField(max_length=200, default="the board's annual report website")
    compliance = models.CharField(
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text="With the Web Content Accessibility Guidelines version 2.2 AA standard.",
    )
    known_issues = models.TextField(
        blank=True, help_text="Markdown: the content that is not accessible, and why."
    )
    contact_email = models.EmailField(
        help_text="Where people report a problem or ask for another format."
    )
    contact_phone = models.CharField(max_length=40, blank=True)
    response_days = models.PositiveSmallIntegerField(default=10)
    tested_on = models.DateField(help_text="When the site was last tested.")
    tested_how = models.TextField(
        blank=True, help_text="Markdown: how it was tested (automated checks, manual checks)."
    )
    prepared_on = models.DateField()
    reviewed_on = models.DateField()

    class Meta:
        verbose_name = "accessibility statement"

    def __str__(self):
        return "Accessibility statement"


class SignOut(models.Model):
    """When a user chose to sign out everywhere: sessions begun before it end."""

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="sign_out")
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.user} signed out everywhere at {self.at:%d/%m/%Y %H:%M}"


class WorkerHeartbeat(models.Model):
    """A background worker process saying it is alive (`manage.py worker` writes it
    every few seconds, whether or not it runs a task); /healthz and the progress pages
    read the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"Worker {self.worker_id} seen at {self.seen_at:%d/%m/%Y %H:%M:%S}"

    @classmethod
    def beat(cls, worker_id: str) -> None:
        cls.objects.update_or_create(worker_id=worker_id, defaults={"seen_at": timezone.now()})

    @classmethod
    def last_seen(cls) -> datetime.datetime | None:
        return cls.objects.aggregate(last=models.Max("seen_at"))["last"]


class BackgroundRun(models.Model):
    """One press of a button whose work a background task does (publishing, the meeting pack,
    an export): who asked, and how far the task got.

    The task writes its progress here outside any transaction of its own work (autocommit), so
    the progress page sees each step while readers still get what was there before.
    bscb.core.runs reads a run as the progress page tells it.
    """

    WAITING = "Waiting for the worker"

    requested_by = models.ForeignKey(
        "auth.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(
        max_length=64, blank=True, help_text="The background task's result id."
    )
    step = models.CharField(max_length=200, default=WAITING)
    done = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    error = models.TextField(blank=True)

    class Meta:
        abstract = True

    def report(self, step: str, done: int | None = None, total: int | None = None) -> None:
        """Record a step: one UPDATE, committed at once when no transaction is open."""
        self.step, self.done, self.total, self.updated_at = step, done, total, timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            step=step, done=done, total=total, updated_at=self.updated_at
        )

    def record_error(self, error: str, **fields) -> None:
        """The run stopped: why, as the progress page says it (never a server path)."""
        type(self).objects.filter(pk=self.pk).update(
            error=error, step="Stopped", updated_at=timezone.now(), **fields
        )


def _import_name(run: ImportRun, filename: str) -> str:
    # Kept privately until the task has read it, in a folder no one can guess.
    return f"imports/{secrets.token_urlsafe(24)}/{filename}"


class ImportRun(BackgroundRun):
    """One confirmed spreadsheet import (after its dry-run preview): a background task imports
    the rows the preview showed, and the page says how many were new, updated or skipped."""

    model = models.CharField(max_length=100, help_text="The imported model, as app_label.model.")
    resource = models.PositiveSmallIntegerField(default=0)
    format = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=_import_name)
    original_file_name = models.CharField(max_length=255, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    totals = models.JSONField(default=dict, blank=True)
    row_errors = models.JSONField(
        default=list, blank=True, help_text="Each row refused: its number and the messages."
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Importing {self.original_file_name} ({self.requested_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self):
        app_label, model_name = self.model.split(".")
        return reverse(f"admin:{app_label}_{model_name}_importing", args=[self.pk])


class RecordChange(models.Model):
    """One write to a record table (bscb.core.changes): a database trigger adds a row for
    every statement that inserts, updates or deletes records, however it was made."""

    id = models.BigAutoField(primary_key=True)

    class Meta:
        default_permissions = ()

    def __str__(self):
        return f"Change {self.pk}"
