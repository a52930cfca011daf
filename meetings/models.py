from __future__ import annotations

import datetime

import reversion
from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.core import visibility
from bscb.core.models import BackgroundRun, Organisation, Priority, ReportingPeriod
from bscb.core.uploads import ALLOWED, private_storage, validate_document
from bscb.core.working_days import subtract_working_days
from subgroups.models import ActionPlan, Group

# Meetings public in the report (a meeting is shared, so no embargo applies to it).
PUBLIC = Q(is_public=True)
# Meetings a group's calendar (.ics) holds: public, on a day that is known. A group is
# offered its calendar only while it has such a meeting.
IN_CALENDAR = PUBLIC & Q(date_known=True)


class MeetingQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Meetings on a day of the period, public or not."""
        return self.filter(date__range=(period.start, period.end))

    def public(self):
        """Meetings public in the report (PUBLIC)."""
        return self.filter(PUBLIC)

    def in_calendar(self):
        """Meetings a group's calendar holds (IN_CALENDAR)."""
        return self.filter(IN_CALENDAR)

    def counts_by_group(self) -> dict[int, tuple[int, int]]:
        """Each group's number of these meetings and of those its calendar holds, in one query."""
        rows = (
            self.values_list("group")
            .annotate(total=models.Count("pk"), in_calendar=models.Count("pk", filter=IN_CALENDAR))
            .order_by()
        )
        return {group: (total, in_calendar) for group, total, in_calendar in rows}

    def between(self, start: datetime.date, end: datetime.date):
        """Meetings from `start` to `end`, both days included (the meeting cycle's window)."""
        return self.filter(date__range=(start, end))

    def upcoming(self, today: datetime.date | None = None):
        """Meetings from today on."""
        return self.filter(date__gte=today or timezone.localdate())

    def with_public_agenda(self):
        """Public meetings of groups that publish their agendas: what the public meetings pages
        may list (each shows its items only once its agenda is published)."""
        return self.public().filter(group__publishes_agendas=True)

    def with_public_minutes(self):
        """Meetings whose open items' minutes the public may read: those of
        `with_public_agenda` whose minutes are approved (meetings.minutes.public_minutes
        asks the same of one meeting in hand)."""
        return self.with_public_agenda().filter(minutes_status=MinutesStatus.APPROVED)

    def with_entries(self):
        """Meetings with their group and their public entries in order, in two queries."""
        return self.select_related("group").prefetch_related(
            Prefetch("entries", queryset=Entry.objects.public())
        )


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed by the chair"
    APPROVED = "approved", "Approved at the next meeting"


NO_APPROVING_MEETING = "Choose the meeting that approved these minutes."


@reversion.register(follow=["entries", "attendances", "panel_cases", "agenda_items", "papers"])
class Meeting(models.Model):
    """A meeting of the Board or one of its groups."""

    MinutesStatus = MinutesStatus

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    date_known = models.BooleanField(
        default=True,
        help_text="Untick only when the records lost the exact date: the date then only "
        "places the meeting in order and in its period, and pages say the date is not known.",
    )
    title = models.CharField(max_length=200, blank=True, help_text="e.g. 'Board meeting'.")
    is_public = models.BooleanField(
        "public in the report", default=True, help_text="Untick to keep it out of public pages."
    )
    start_time = models.TimeField(null=True, blank=True, help_text="e.g. 10:00.")
    place = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where it meets: a room and building, or 'Online'.",
    )
    # Set by the buttons "Publish the agenda" and "Circulate the papers", never typed.
    agenda_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    papers_circulated_at = models.DateTimeField(null=True, blank=True, editable=False)
    pack = models.FileField(
        "meeting pack",
        storage=private_storage,
        upload_to="meeting-packs/",
        blank=True,
        editable=False,
        help_text="The agenda and every PDF paper, made when the papers are circulated.",
    )
    public_pack = models.FileField(
        "public meeting pack",
        storage=private_storage,
        upload_to="meeting-packs/",
        blank=True,
        editable=False,
        help_text="The open items' agenda and papers, for a group that publishes its papers.",
    )
    # What the public pack holds ({"items": [pk...], "papers": [pk...]}): served only while
    # each is still public (an item made confidential since takes the pack off the public).
    public_pack_contents = models.JSONField(default=dict, blank=True, editable=False)
    minutes_status = models.CharField(
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
        help_text="Draft, agreed by the chair, or approved at a later meeting of the group.",
    )
    # Set by the chair's "Agree the minutes" button in the workspace, never typed.
    minutes_agreed_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    minutes_approved_at = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="minutes_approved",
        verbose_name="minutes approved at",
        help_text="The later meeting of the group that approved these minutes.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["group", "date"])]
        permissions = [("publish_meeting", "Can publish the agenda and circulate the papers")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(minutes_status="approved") & Q(minutes_approved_at__isnull=False))
                | (~Q(minutes_status="approved") & Q(minutes_approved_at__isnull=True)),
                name="meetings_meeting_approved_minutes_name_their_meeting",
                violation_error_message=NO_APPROVING_MEETING,
            ),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.display_date})"

    def get_absolute_url(self):
        period = self.report_period()
        if period is None:
            return ""
        return self.url_in(period)

    def report_period(self) -> ReportingPeriod | None:
        """The period whose report tells of this meeting: the one its date falls in."""
        return ReportingPeriod.objects.containing(self.date).first()

    def same_day_meetings(self):
        """The group's other meetings on this meeting's date: allowed (a morning and an
        afternoon session), but more often one meeting recorded twice. Placeholder dates
        (date not known) say nothing of the day, so they match nothing."""
        if not (self.date and self.date_known and self.group_id):
            return Meeting.objects.none()
        return Meeting.objects.filter(
            group_id=self.group_id, date=self.date, date_known=True
        ).exclude(pk=self.pk)

    def url_in(self, period: ReportingPeriod) -> str:
        return reverse("meeting_detail", args=[period.slug, self.group.slug, self.pk])

    @property
    def display_title(self) -> str:
        return self.title or f"{self.group.short_name} meeting"

    @property
    def display_date(self) -> str:
        return date_format(self.date) if self.date_known else "date not recorded"

    def clean(self):
        super().clean()
        if self.date and self.group_id:
            problem = self.group.life_error(self.date)
            if problem:
                raise ValidationError({"date": problem})
        if self.date:
            problem = ReportingPeriod.objects.date_error(self.date)
            if problem:
                raise ValidationError({"date": problem})
        if self.pk and self.date and not self.has_happened and self.entries.exists():
            raise ValidationError(
                {
                    "date": f"{date_format(self.date)} is in the future, and this meeting "
                    "already has entries of what it did: a meeting that has not happened "
                    "cannot have them."
                }
            )
        self._clean_minutes_approval()

    def _clean_minutes_approval(self):
        approver = self.minutes_approved_at
        if self.minutes_status == MinutesStatus.APPROVED and approver is None:
            raise ValidationError({"minutes_approved_at": NO_APPROVING_MEETING})
        if approver is None:
            return
        if self.minutes_status != MinutesStatus.APPROVED:
            raise ValidationError(
                {
                    "minutes_status": "Set the minutes to approved when you name the meeting "
                    "that approved them, or clear that meeting."
                }
            )
        if approver.group_id != self.group_id or approver.pk == self.pk:
            raise ValidationError(
                {"minutes_approved_at": "Choose a later meeting of the same group."}
            )
        if self.date and approver.date <= self.date:
            raise ValidationError(
                {
                    "minutes_approved_at": f"That meeting ({date_format(approver.date)}) is not "
                    "after this one: minutes are approved at a later meeting."
                }
            )
        if not approver.has_happened:
            raise ValidationError(
                {
                    "minutes_approved_at": f"That meeting is on {date_format(approver.date)} "
                    "and has not happened yet."
                }
            )

    @property
    def are_minutes_approved(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED

    def number_in(self, period: ReportingPeriod) -> int:
        """Its place among the group's public meetings of the period, as the report lists them."""
        earlier = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        others = Meeting.objects.for_period(period).public().filter(group=self.group_id)
        return others.filter(earlier).count() + 1

    def arising_due_error(self, due: datetime.date | None) -> str | None:
        """Why an action arising at this meeting cannot be due on `due`, or None: it cannot be
        due before it arose. A meeting whose date was lost has only a placeholder, which
        refuses nothing."""
        if due and self.date and self.date_known and due < self.date:
            return (
                f"The due date is before the meeting ({date_format(self.date)}): "
                "an action arising cannot be due before it arose."
            )
        return None

    @property
    def has_happened(self) -> bool:
        """A meeting whose date was lost is one the records tell of: it has met, whatever its
        placeholder date says."""
        return not self.date_known or self.date <= timezone.localdate()

    @property
    def agenda_due_on(self) -> datetime.date | None:
        """The day the agenda must go out: AGENDA_WORKING_DAYS working days before the meeting."""
        if not self.date or not self.date_known:
            return None
        return subtract_working_days(self.date, settings.AGENDA_WORKING_DAYS)

    @property
    def is_agenda_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def are_papers_circulated(self) -> bool:
        return self.papers_circulated_at is not None

    @property
    def display_place(self) -> str:
        return self.place or "place not recorded"

    def public_url(self) -> str:
        return reverse("public_meeting", args=[self.pk])


EMPTY_ENTRY = "Write what the entry says: it cannot be empty."


class EntryQuerySet(models.QuerySet):
    def public(self):
        """Entries fit for the public: none about a review whose publication is held back."""
        return visibility.public(self)


@reversion.register()
class Entry(models.Model):
    """One bullet of a meeting as the report prints it."""

    class Kind(models.TextChoices):
        DID = "did", "What did we do?"
        DIFFERENCE = "difference", "What difference did that make for children?"
        VOICE = "voice", "What children, young people and families told us"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DID)
    text = models.TextField(
        error_messages={"blank": EMPTY_ENTRY},
        help_text="Markdown: **bold**, [links](https://example.org) and nested bullets "
        "(start a line with two spaces and a dash).",
    )
    position = models.PositiveIntegerField(
        default=0,
        help_text="Order within the meeting. Leave 0 to put a new entry last.",
    )
    priorities = models.ManyToManyField(Priority, blank=True, related_name="entries")
    review = models.ForeignKey(
        "reviews.CaseReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        help_text="The review it concerns: while the review's publication is held back, "
        "the entry stays off public pages.",
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="meetings_entry_has_text"),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, **kwargs):
        if not self.position and self.meeting_id:
            # A new entry goes after the meeting's others unless staff gave it a place.
            last = self.meeting.entries.aggregate(last=models.Max("position"))["last"]
            self.position = (last or 0) + 1
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Spaces alone are no entry: strip them so that the blank check sees it.
        self.text = (self.text or "").strip()
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        meeting = getattr(self, "meeting", None)
        if meeting is not None and meeting.date and not meeting.has_happened:
            raise ValidationError(
                {
                    "text": f"This meeting is on {date_format(meeting.date)} and has not "
                    "happened yet: record its entries after it has met."
                }
            )


@reversion.register()
class Attendance(models.Model):
    """Whether an organisation was at a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        DEPUTY = "deputy", "Deputy attended"
        ABSENT = "absent", "Absent"

    # The organisation was represented: its member, its deputy.
    REPRESENTED = (Status.PRESENT, Status.DEPUTY)
    # What only a meeting that has happened can say.
    AFTER_THE_MEETING = (Status.PRESENT, Status.DEPUTY, Status.ABSENT)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PRESENT)
    person = models.ForeignKey(
        "bscb.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
        verbose_name="who attended",
        help_text="The member or deputy who came, if on record; a guest's name goes below.",
    )
    attendee = models.CharField(
        max_length=200,
        blank=True,
        help_text="Name or role of who came, if recorded: a guest, or someone not on record.",
    )
    is_illustrative = models.BooleanField(
        "illustrative",
        default=False,
        help_text="Demo data, not from the board's records: public pages say so.",
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                name="meetings_attendance_one_per_organisation",
                violation_error_message="This organisation's attendance at this meeting is already recorded.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_status_display()}"

    def clean(self):
        super().clean()
        meeting = getattr(self, "meeting", None)
        if (
            meeting is not None
            and meeting.date
            and self.status in self.AFTER_THE_MEETING
            and not meeting.has_happened
        ):
            what = {
                self.Status.PRESENT: "nobody can have been present yet",
                self.Status.DEPUTY: "no deputy can have attended yet",
                self.Status.ABSENT: "nobody can have been absent yet",
            }[self.status]
            raise ValidationError(
                {
                    "status": f"This meeting is on {date_format(meeting.date)}: {what}. "
                    "Record apologies now, attendance after it has met."
                }
            )


class AgendaItemQuerySet(models.QuerySet):
    def public(self):
        """Items the public may read of a published agenda: not confidential, and none about a
        review whose publication is held back."""
        return visibility.public(self.filter(is_confidential=False))

    def confidential(self):
        """Items the public may not read: confidential ones and those about a held-back review."""
        return self.exclude(pk__in=self.public().values("pk"))


DECISIONS_NEED_MINUTES = (
    "Write the minutes of this item: decisions are recorded with the minutes that led to them."
)
NO_MINUTES = "Give the minutes allotted as a whole number of minutes, 1 or more, or leave it blank."


@reversion.register(follow=["papers"])
class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order."""

    class Purpose(models.TextChoices):
        DECISION = "decision", "For decision"
        DISCUSSION = "discussion", "For discussion"
        INFORMATION = "information", "For information"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0, help_text="Order on the agenda.")
    title = models.CharField(max_length=300)
    presenter = models.CharField(
        max_length=200, blank=True, help_text="Who presents it: a name, a role or an organisation."
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.DISCUSSION)
    minutes = models.PositiveSmallIntegerField(
        "minutes allotted", null=True, blank=True, help_text="Time allotted, in minutes."
    )
    start_time = models.TimeField(
        null=True, blank=True, help_text="Or the time the item starts, e.g. 10:30."
    )
    is_confidential = models.BooleanField(
        "confidential",
        default=False,
        help_text="Tick to keep the item and its papers from the public: public pages "
        "show no more than that there is a confidential item.",
    )
    priority = models.ForeignKey(
        Priority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text="The board's priority it concerns, if any.",
    )
    action_plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
        help_text="The action plan it reviews, if any. Actions arising go into this plan "
        "(else into the group's open work plan).",
    )
    minutes_text = models.TextField(
        "minutes",
        blank=True,
        help_text="Markdown: what was discussed. Public once the minutes are approved, "
        "unless the item is confidential.",
    )
    decisions = models.TextField(
        blank=True, help_text="Markdown: what the meeting decided, one bullet each."
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gte=1),
                name="meetings_agendaitem_minutes_positive",
                violation_error_message=NO_MINUTES,
            ),
            models.CheckConstraint(
                condition=Q(decisions="") | ~Q(minutes_text=""),
                name="meetings_agendaitem_decisions_need_minutes",
                violation_error_message=DECISIONS_NEED_MINUTES,
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.position and self.meeting_id:
            # A new item goes last unless staff gave it a place.
            last = self.meeting.agenda_items.aggregate(last=models.Max("position"))["last"]
            self.position = (last or 0) + 1
        opened = (
            self.pk
            and not self.is_confidential
            and AgendaItem.objects.filter(pk=self.pk, is_confidential=True).exists()
        )
        super().save(*args, **kwargs)
        if opened:
            # Its papers went out to members only: they are public (and in the public pack)
            # only once the papers are circulated again.
            self.papers.update(circulated_at=None)

    def clean_fields(self, exclude=None):
        # Spaces alone are no minutes and no decision.
        self.minutes_text = (self.minutes_text or "").strip()
        self.decisions = (self.decisions or "").strip()
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.minutes is not None and self.minutes < 1:
            raise ValidationError({"minutes": NO_MINUTES})
        if self.decisions and not self.minutes_text:
            raise ValidationError({"minutes_text": DECISIONS_NEED_MINUTES})
        if (
            self.action_plan_id
            and self.meeting_id
            and self.action_plan.group_id != self.meeting.group_id
        ):
            # Actions arising go into the linked plan: it must be the meeting's group's.
            raise ValidationError(
                {
                    "action_plan": f"Choose a plan of {self.meeting.group.short_name}: "
                    "the actions arising from this item go into it."
                }
            )

    @property
    def timing(self) -> str:
        """ "10:30", "20 minutes", "10:30, 20 minutes" or nothing."""
        parts = []
        if self.start_time:
            parts.append(self.start_time.strftime("%H:%M"))
        if self.minutes:
            parts.append(f"{self.minutes} minute{'s' if self.minutes != 1 else ''}")
        return ", ".join(parts)

    CONFIDENTIAL_NAME = "A confidential item"

    def named_to(self, in_confidence: bool) -> bool:
        """Whether a reader sees the item's title: always for an open item; for a confidential
        one only if they read its group in confidence (meetings/rules.py says who does)."""
        return in_confidence or not self.is_confidential

    def name_for(self, in_confidence: bool) -> str:
        """The item's title, or "A confidential item" to a reader who may not see it."""
        return self.title if self.named_to(in_confidence) else self.CONFIDENTIAL_NAME


NO_FILE = "Choose the paper's file."


def paper_path(paper: Paper, filename: str) -> str:
    return f"papers/{paper.meeting_id or 'new'}/{filename}"


class PaperQuerySet(models.QuerySet):
    def circulated(self):
        """Papers that went out when the papers were last circulated: one added, moved to
        another item or given a new file since waits for the next circulation."""
        return self.filter(circulated_at__isnull=False)


@reversion.register()
class Paper(models.Model):
    """A file tabled at an agenda item: kept out of the web root, handed out by meetings.views.paper."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="papers")
    # The item's meeting, copied from the item on every save (not typed): the meeting's page
    # lists its papers in one table.
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=300)
    file = models.FileField(
        storage=private_storage,
        upload_to=paper_path,
        max_length=300,
        validators=[validate_document],
        help_text=f"A {ALLOWED} file. PDF papers go into the meeting pack.",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Set when the papers are circulated (meetings.cycle), never typed; cleared when the
    # file or the item changes. Only a circulated paper is public or in a pack.
    circulated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PaperQuerySet.as_manager()

    class Meta:
        ordering = ["agenda_item__position", "agenda_item_id", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(file=""), name="meetings_paper_has_file"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.meeting_id = self.agenda_item.meeting_id
        if self.circulated_at is not None and self._changed_since_circulated():
            # What went out is no longer this paper: it waits for the next circulation.
            self.circulated_at = None
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "circulated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meeting_paper", args=[self.meeting_id, self.pk])

    def clean(self):
        super().clean()
        item = getattr(self, "agenda_item", None)
        if item is not None and self.meeting_id and item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": "Choose an item of this meeting's agenda."})

    def _changed_since_circulated(self) -> bool:
        """Whether the file or the item differs from the one stored (a query, asked only of a
        circulated paper)."""
        if self.pk is None:
            return False
        stored = Paper.objects.filter(pk=self.pk).values("file", "agenda_item_id").first()
        return stored is not None and (
            stored["file"] != self.file.name or stored["agenda_item_id"] != self.agenda_item_id
        )

    @property
    def is_pdf(self) -> bool:
        return self.file.name.lower().endswith(".pdf")


class PackRun(BackgroundRun):
    """One press of "Circulate the papers": the background task makes the meeting packs (the
    old packs stay until the new ones are whole), then circulates the papers."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pack_runs")
    circulated_at = models.DateTimeField(
        null=True, blank=True, help_text="When the task circulated the papers (empty: not yet)."
    )
    made = models.BooleanField(
        default=False, help_text="Whether this server could make the pack (WeasyPrint)."
    )
    left_out = models.PositiveIntegerField(
        default=0, help_text="Papers not in the whole pack (not PDF files it can hold)."
    )

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Circulating the papers of {self.meeting} ({self.requested_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self):
        return reverse("admin:meetings_meeting_circulating", args=[self.meeting_id, self.pk])
