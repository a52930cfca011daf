from __future__ import annotations

import datetime

import reversion
from concurrency.fields import IntegerVersionField
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from bscb.core import visibility
from bscb.core.models import Organisation, ReportingPeriod


class GroupQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def active_during(self, start: datetime.date, end: datetime.date):
        """Groups whose life overlaps the span: established by its end, not concluded before its start."""
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=end),
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=start),
        )

    def for_period(self, period: ReportingPeriod):
        """Groups alive at some point of the period."""
        return self.active_during(period.start, period.end)

    def current(self):
        return self.filter(concluded_on__isnull=True)

    def child_death_panel(self) -> Group | None:
        """The panel that reviews children's deaths: the panel whose meetings record the cases
        they reviewed, whatever other panels the board has (the first by position when none
        has recorded any yet)."""
        panels = self.filter(kind=Group.Kind.PANEL).order_by("position", "name", "pk")
        return panels.filter(meetings__panel_cases__isnull=False).first() or panels.first()

    def with_term_name(self, period: ReportingPeriod):
        """Each group with `term_name`: its name in the period's record ("" for the standing one)."""
        # A group has one record a period: no ordering, whose joins every report page paid for.
        return self.annotate(
            term_name=models.Subquery(
                GroupTerm.objects.filter(group=models.OuterRef("pk"), period=period)
                .order_by()
                .values("name")[:1]
            )
        )


@reversion.register(follow=["memberships", "terms"])
class Group(models.Model):
    """The Board, its Executive group, a subgroup, a panel or a task-and-finish group.

    Its identity stands across years; its name that year, purpose, aims and chair are the
    period's: see GroupTerm.
    """

    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        EXECUTIVE = "executive", "Executive group"
        SUBGROUP = "subgroup", "Subgroup"
        PANEL = "panel", "Panel"
        TASK_AND_FINISH = "task_and_finish", "Task and finish group"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=80, help_text="Used in headings and titles, e.g. 'E-Safety'."
    )
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUBGROUP)
    chairs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="chaired_groups",
        help_text="Who may update the group's plans and risks in the chairs' workspace.",
    )
    established_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(
        null=True, blank=True, help_text="The date the group concluded its work, if it has."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the report.")
    publishes_agendas = models.BooleanField(
        "publishes its meetings' agendas",
        default=False,
        help_text="Tick if the public may read the open part of its meetings' agendas "
        "(confidential items stay private) on the public meetings page once published.",
    )
    publishes_papers = models.BooleanField(
        "publishes its meetings' papers",
        default=False,
        help_text="Tick if the public may download the papers of open agenda items "
        "once they are circulated. Confidential items' papers stay private.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(concluded_on__gte=F("established_on")),
                name="subgroups_group_concludes_after_established",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The group's page in the latest published period of its life."""
        period = (
            ReportingPeriod.objects.published()
            .filter(
                Q(end__gte=self.established_on) if self.established_on else Q(),
                Q(start__lte=self.concluded_on) if self.concluded_on else Q(),
            )
            .first()
        )
        return reverse("group_detail", args=[period.slug, self.slug]) if period else ""

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        super().clean()
        if self.established_on and self.concluded_on and self.concluded_on < self.established_on:
            raise ValidationError(
                {"concluded_on": "A group cannot conclude before it was established."}
            )
        if self.pk:
            self._check_meetings_within_life()

    def _check_meetings_within_life(self):
        meetings = self.meetings.order_by("date")
        if self.concluded_on:
            last = meetings.filter(date__gt=self.concluded_on).last()
            if last:
                raise ValidationError(
                    {
                        "concluded_on": f"{self.short_name} has a meeting on "
                        f"{date_format(last.date)}, after this date: move or delete that "
                        "meeting first."
                    }
                )
        if self.established_on:
            first = meetings.filter(date__lt=self.established_on).first()
            if first:
                raise ValidationError(
                    {
                        "established_on": f"{self.short_name} has a meeting on "
                        f"{date_format(first.date)}, before this date: move or delete that "
                        "meeting first."
                    }
                )

    def life_error(self, day: datetime.date) -> str | None:
        """Why a meeting on `day` falls outside this group's life, or None when it does not."""
        if self.concluded_on and day > self.concluded_on:
            return (
                f"{self.short_name} concluded on {date_format(self.concluded_on)}: "
                "it cannot meet after that date."
            )
        if self.established_on and day < self.established_on:
            return (
                f"{self.short_name} was established on {date_format(self.established_on)}: "
                "it cannot meet before that date."
            )
        return None


@reversion.register()
class GroupTerm(models.Model):
    """A group as one period's report describes it: its name that year, purpose, aims, chair.

    Editing one period's record leaves the other periods' reports as they were.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="group_terms"
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The group's name that year, when it differs from its standing name.",
    )
    purpose = models.TextField(blank=True, help_text="Markdown.")
    aims = models.TextField(
        blank=True,
        help_text="Markdown; usually a bulleted list. When the purpose ends with a colon "
        "(“… which aims to:”), the aims are printed straight after it, as its list.",
    )
    introduction = models.TextField(
        blank=True,
        help_text="Markdown. What the report says of the group's year before its meetings, "
        "e.g. “The Board met four times before starting to reform.”",
    )
    chair_name = models.CharField(
        "chair's name", max_length=200, blank=True, help_text="Or choose the person below."
    )
    chair_person = models.ForeignKey(
        "bscb.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chaired_group_terms",
        verbose_name="chair (a person on record)",
    )
    chair_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_group_terms",
    )

    version = IntegerVersionField()

    class Meta:
        ordering = ["group", "-period__start"]
        verbose_name = "group's record for a period"
        verbose_name_plural = "group's records by period"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "period"], name="subgroups_group_term_once_a_period"
            ),
            models.CheckConstraint(
                condition=Q(chair_person__isnull=True) | Q(chair_name=""),
                name="subgroups_group_term_one_chair",
            ),
        ]

    def __str__(self):
        return f"{self.name or self.group} ({self.period})"

    @property
    def purpose_leads_into_aims(self) -> bool:
        """Whether the purpose is a lead-in to the aims ("… a forum which aims to:"): the
        two are then one statement, printed without a heading between them."""
        return bool(self.aims.strip()) and self.purpose.rstrip().endswith(":")

    def clean(self):
        super().clean()
        if self.chair_person_id and self.chair_name.strip():
            raise ValidationError(
                {"chair_name": "Type the chair's name or choose the person on record, not both."}
            )
        if self.group_id and self.period_id:
            twin = GroupTerm.objects.filter(group_id=self.group_id, period_id=self.period_id)
            if twin.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {
                        "period": f"This group already has its record for {self.period}: "
                        "change that one."
                    }
                )

    @property
    def shown_name(self) -> str:
        return self.name or self.group.name

    @property
    def chair(self) -> str:
        """The chair as the report prints it: "Jo Smith, Thames Valley Police"."""
        organisation = self.chair_organisation.name if self.chair_organisation else ""
        name = self.chair_person.name if self.chair_person_id else self.chair_name
        return ", ".join(part for part in (name, organisation) if part)


class MembershipQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Memberships held at some point of the period."""
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=period.end),
            Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        )

    def on(self, day: datetime.date | None = None):
        """Memberships held on the day (today by default): an unrecorded start counts as
        before, an unrecorded end as still held."""
        day = day or timezone.localdate()
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=day),
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
        )

    def of_user(self, user):
        """Seats the signed-in person holds, as the member or as the deputy."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(person__user=user) | Q(deputy__user=user))

    def sign_ins(self):
        """The sign-ins of the people who hold these seats, members and deputies alike."""
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(
                Q(person__memberships__in=self) | Q(person__deputy_memberships__in=self)
            )
            .distinct()
        )


SAME_DEPUTY = "A member cannot be their own deputy: choose someone else, or leave it blank."


@reversion.register()
class Membership(models.Model):
    """An organisation's seat on a group, held by a role for a span of time: the person who
    represents the organisation there, and their deputy, where they are on record."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. 'Head of Service'.")
    person = models.ForeignKey(
        "bscb.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="member",
        help_text="Who represents the organisation on the group, if on record.",
    )
    deputy = models.ForeignKey(
        "bscb.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputy_memberships",
        help_text="Who attends in the member's place when they cannot.",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    is_illustrative = models.BooleanField(
        "illustrative",
        default=False,
        help_text="Demo data, not from the board's records: public pages say so.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="subgroups_membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | ~Q(deputy=F("person")),
                name="subgroups_membership_deputy_is_someone_else",
                violation_error_message=SAME_DEPUTY,
            ),
        ]

    def __str__(self):
        who = f"{self.person.name}, " if self.person_id else ""
        return f"{who}{self.organisation} on {self.group.short_name}"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A membership cannot end before it starts."})
        if self.deputy_id and self.deputy_id == self.person_id:
            raise ValidationError({"deputy": SAME_DEPUTY})


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ActionPlanQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Plans open during the period: not closed before it starts, and a work plan only in
        the period it covers (a plan answering a review or an audit has no period)."""
        return self.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
            Q(period__isnull=True) | Q(period=period),
        )


@reversion.register(follow=["actions"])
class ActionPlan(models.Model):
    """A group's work plan for a period, or the plan that answers a case review or an audit."""

    class Kind(models.TextChoices):
        WORK_PLAN = "work_plan", "Work plan"
        REVIEW = "review", "Plan answering a case review"
        AUDIT = "audit", "Plan answering an audit or inspection"
        OTHER = "other", "Other plan"

    title = models.CharField(max_length=200)
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="action_plans")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WORK_PLAN)
    period = models.ForeignKey(
        ReportingPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
        help_text="For a work plan: the period it covers.",
    )
    review = models.ForeignKey(
        "reviews.CaseReview",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    audit = models.ForeignKey(
        "reviews.Audit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    agreed_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="Once closed, the plan takes no more updates."
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["group__position", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.kind == self.Kind.REVIEW and not self.review_id:
            raise ValidationError({"review": "Name the case review this plan answers."})
        if self.kind == self.Kind.AUDIT and not self.audit_id:
            raise ValidationError({"audit": "Name the audit this plan answers."})

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class ActionQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """Actions of plans open during the period, started by its end (or with no start)."""
        return self.filter(
            Q(plan__in=ActionPlan.objects.for_period(period)),
            Q(starts_on__isnull=True) | Q(starts_on__lte=period.end),
        )

    def public(self):
        """Never an action of a plan answering a review that is held back."""
        return visibility.public(self)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(due_on__lt=today).exclude(status=Action.Status.COMPLETE)


@reversion.register(follow=["updates"])
class Action(models.Model):
    """One action of a plan, with its owner, dates, RAG rating and evidence of impact."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    lead = models.CharField(max_length=200, blank=True, help_text="The named lead or role.")
    priorities = models.ManyToManyField("bscb.Priority", blank=True, related_name="actions")
    starts_on = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField("evidence of impact", blank=True)
    completed_on = models.DateField(null=True, blank=True)
    is_illustrative = models.BooleanField(
        "illustrative",
        default=False,
        help_text="Demo data, not from the board's records: public pages say so.",
    )
    # Set when the action is raised from a meeting's minutes (meetings.minutes), never typed.
    arose_from = models.ForeignKey(
        "meetings.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions_arising",
        editable=False,
        verbose_name="arose from the agenda item",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=F("starts_on")),
                name="subgroups_action_due_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status="complete") | ~Q(evidence=""),
                name="subgroups_action_complete_with_evidence",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = (
                f"The due date is before the start ({date_format(self.starts_on)}): "
                "an action cannot be due before it starts."
            )
        if self.status == self.Status.COMPLETE and not (self.evidence or "").strip():
            errors["evidence"] = "Give the evidence of impact before marking the action complete."
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_on and self.due_on < today and self.status != self.Status.COMPLETE)

    def rag_on(self, day: datetime.date) -> str:
        """The RAG rating it had on `day`: the latest update's then, else its own. Uses prefetched updates."""
        earlier = [u for u in self.updates.all() if u.date <= day and u.rag]
        if earlier:
            return max(earlier, key=lambda u: (u.date, u.pk)).rag
        return self.rag


@reversion.register()
class ProgressUpdate(models.Model):
    """A dated note on an action's progress, with the RAG rating at that time and who wrote it."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices)
    note = models.TextField()
    evidence = models.TextField("evidence of impact", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.action}: {self.get_rag_display()} on {date_format(self.date)}"

    def clean(self):
        super().clean()
        action = getattr(self, "action", None)
        if action is not None and action.plan.is_closed:
            raise ValidationError(
                f"The plan “{action.plan}” was closed on {date_format(action.plan.closed_on)}: "
                "it takes no more updates."
            )
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "An update cannot be dated in the future."})


def one_to_five(label: str, help_text: str = "") -> models.PositiveSmallIntegerField:
    """A risk's likelihood or impact: 1 to 5, or blank until scored."""
    message = f"{label} is from 1 to 5."
    return models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        error_messages={"min_value": message, "max_value": message},
        help_text=help_text,
    )


def score_rag(score: int | None) -> str:
    """The board's risk matrix: 1-4 green, 5-12 amber, 15-25 red."""
    if score is None:
        return ""
    if score >= 15:
        return Rag.RED
    if score >= 5:
        return Rag.AMBER
    return Rag.GREEN


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_on__isnull=True)

    def with_reviews(self):
        """Each risk's reviews with the meetings that date them, for its review clock
        (Risk.last_reviewed_on): one query for all of them."""
        return self.prefetch_related(
            models.Prefetch("reviews", queryset=RiskReview.objects.select_related("meeting"))
        )


@reversion.register(follow=["reviews"])
class Risk(models.Model):
    """An entry of the board's risk log. Internal: it never reaches the public report."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="risks")
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    likelihood = one_to_five("Likelihood", "1 (rare) to 5 (almost certain); blank until scored.")
    impact = one_to_five("Impact", "1 (negligible) to 5 (severe); blank until scored.")
    what_good_looks_like = models.TextField(blank=True)
    priorities = models.ManyToManyField("bscb.Priority", blank=True, related_name="risks")
    # Never today's date by default: a risk typed in late was not opened that day.
    opened_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the risk was opened; blank when the records do not say (pages then "
        "say the date is not recorded).",
    )
    review_every_days = models.PositiveSmallIntegerField(
        default=90, help_text="How often it must be reviewed; a review later than this is late."
    )
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    next_review_on = models.DateField(
        "next review",
        null=True,
        blank=True,
        help_text="The day its next review is due, when the chair sets one; blank to count "
        "'review every' days from the last review.",
    )

    # Lost-update protection: a save over a version the editor never saw is refused.
    version = IntegerVersionField()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["owner_group__position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__isnull=True) | Q(likelihood__gte=1, likelihood__lte=5),
                name="subgroups_risk_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(impact__isnull=True) | Q(impact__gte=1, impact__lte=5),
                name="subgroups_risk_impact_1_to_5",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.closed_on and not (self.outcome or "").strip():
            raise ValidationError({"outcome": "Say what the outcome was when the risk is closed."})

    @property
    def score(self) -> int | None:
        if self.likelihood and self.impact:
            return self.likelihood * self.impact
        return None

    @property
    def rag(self) -> str:
        return score_rag(self.score)

    def get_rag_display(self) -> str:
        return Rag(self.rag).label if self.rag else "Not scored"

    def last_reviewed_on(self) -> datetime.date | None:
        """Uses prefetched reviews (with_reviews). The last review whose day is known: one at a
        meeting whose date was lost starts no clock. None when no review's day is known and the
        risk's opening is not recorded."""
        days = [r.day for r in self.reviews.all() if r.day]
        return max(days) if days else self.opened_on

    def review_due_on(self) -> datetime.date | None:
        """The date the chair set, else `review_every_days` after the last review; None when
        the clock has no start: never reviewed, opening date not recorded."""
        last = self.last_reviewed_on()
        if self.next_review_on and (last is None or self.next_review_on > last):
            return self.next_review_on
        if last is None:
            return None
        return last + datetime.timedelta(days=self.review_every_days)

    def is_review_late(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        due = self.review_due_on()
        return self.closed_on is None and due is not None and due < today


@reversion.register()
class RiskReview(models.Model):
    """A dated review of a risk, often at a meeting of the Board."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    date = models.DateField(default=timezone.localdate)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risk_reviews",
    )
    likelihood = one_to_five("Likelihood")
    impact = one_to_five("Impact")
    note = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return (
            f"{self.risk} reviewed {date_format(self.day) if self.day else '(date not recorded)'}"
        )

    @property
    def day(self) -> datetime.date | None:
        """The day of the review, None when not known. A review at a meeting was held on the
        meeting's day, which the records may have lost: its date then only orders it."""
        if self.meeting_id is None:
            return self.date
        return self.meeting.date if self.meeting.date_known else None

    def clean(self):
        super().clean()
        if self.meeting_id is not None:
            # Kept in step with its meeting, so that reviews stay in order.
            self.date = self.meeting.date
        risk = getattr(self, "risk", None)
        if risk is not None and risk.closed_on:
            raise ValidationError("This risk is closed: it takes no more reviews.")
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "A review cannot be dated in the future."})


class EscalationNotice(models.Model):
    """An escalation email sent for one overdue action or late risk review: never twice."""

    item_key = models.CharField(
        max_length=100,
        unique=True,
        help_text="What was escalated and for which due date, e.g. action:12:2019-03-31.",
    )
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField()
    recipients = models.TextField()

    class Meta:
        ordering = ["-sent_on", "item_key"]

    def __str__(self):
        return f"{self.item_key} ({date_format(self.sent_on)})"
