from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format

from bscb.models import Organisation, ReportingPeriod


class GroupQuerySet(models.QuerySet):
    def active_during(self, start: datetime.date, end: datetime.date):
        """Groups whose life overlaps the span: established by its end, not concluded before its start."""
        return self.filter(
            Q(established_on__isnull=True) | Q(established_on__lte=end),
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=start),
        )

    def for_period(self, period: ReportingPeriod):
        return self.active_during(period.start, period.end)

    def current(self):
        return self.filter(concluded_on__isnull=True)


class Group(models.Model):
    """The Board, its Executive group, a subgroup, a panel or a task-and-finish group."""

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
    purpose = models.TextField(blank=True, help_text="Markdown.")
    aims = models.TextField(blank=True, help_text="Markdown; usually a bulleted list.")
    chair_name = models.CharField("chair's name", max_length=200, blank=True)
    chair_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_groups",
    )
    established_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(
        null=True, blank=True, help_text="The date the group concluded its work, if it has."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the report.")

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


class MembershipQuerySet(models.QuerySet):
    def during(self, period: ReportingPeriod):
        """Memberships held at some point of the period."""
        return self.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=period.end),
            Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        )


class Membership(models.Model):
    """An organisation's seat on a group, held by a role for a span of time."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=200, blank=True, help_text="e.g. 'Head of Service'.")
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
        ]

    def __str__(self):
        return f"{self.organisation} on {self.group.short_name}"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "A membership cannot end before it starts."})
