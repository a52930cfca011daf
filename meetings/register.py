"""The attendance register: a whole group's attendance for a period, in one form."""

from __future__ import annotations

import reversion
from django import forms
from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import ngettext

from bscb.core.models import Organisation, ReportingPeriod
from meetings.models import Attendance, Meeting
from subgroups.models import Group

NOT_RECORDED = ""
CHOICES = [(NOT_RECORDED, "Not recorded"), *Attendance.Status.choices]


class AttendanceRegisterForm(forms.Form):
    """One select per meeting and organisation: present, apologies, or not recorded."""

    def __init__(self, *args, group: Group, period: ReportingPeriod, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = list(Meeting.objects.for_period(period).filter(group=group))
        existing = {
            (a.meeting_id, a.organisation_id): a
            for a in Attendance.objects.filter(meeting__in=self.meetings)
        }
        member_ids = group.memberships.for_period(period).values_list("organisation", flat=True)
        wanted = set(member_ids) | {org for _, org in existing}
        self.organisations = list(Organisation.objects.filter(pk__in=wanted).order_by("name"))
        self.existing = existing
        self.rows = []
        for organisation in self.organisations:
            cells = []
            for meeting in self.meetings:
                name = self.field_name(meeting, organisation)
                current = existing.get((meeting.pk, organisation.pk))
                self.fields[name] = forms.ChoiceField(
                    choices=CHOICES,
                    required=False,
                    initial=current.status if current else NOT_RECORDED,
                    label=f"{organisation.name} at the meeting of {meeting.display_date}",
                )
                cells.append(self[name])
            self.rows.append((organisation, cells))

    @staticmethod
    def field_name(meeting: Meeting, organisation: Organisation) -> str:
        return f"m{meeting.pk}_o{organisation.pk}"

    def clean(self):
        cleaned = super().clean()
        for meeting in self.meetings:
            if meeting.has_happened:
                continue
            for organisation in self.organisations:
                name = self.field_name(meeting, organisation)
                status = cleaned.get(name)
                if status in Attendance.AFTER_THE_MEETING:
                    what = {
                        Attendance.Status.PRESENT: "cannot have been present yet",
                        Attendance.Status.DEPUTY: "cannot have sent a deputy yet",
                        Attendance.Status.ABSENT: "cannot have been absent yet",
                    }[status]
                    self.add_error(
                        name,
                        f"The meeting of {date_format(meeting.date)} has not happened: "
                        f"{organisation.name} {what}.",
                    )
        return cleaned

    @transaction.atomic
    def save(self) -> int:
        """Writes only what changed; returns how many records it created, changed or removed."""
        # One transaction: a register saved half-way would misstate who came.
        changed = 0
        for meeting in self.meetings:
            for organisation in self.organisations:
                status = self.cleaned_data[self.field_name(meeting, organisation)]
                current = self.existing.get((meeting.pk, organisation.pk))
                if current and not status:
                    current.delete()
                    changed += 1
                elif current and current.status != status:
                    current.status = status
                    current.save(update_fields=["status"])
                    changed += 1
                elif not current and status:
                    Attendance.objects.create(
                        meeting=meeting, organisation=organisation, status=status
                    )
                    changed += 1
        return changed


def fill_from_members(meeting: Meeting, user=None) -> int:
    """One attendance line, "present" with its member, for each organisation holding a seat on
    the meeting's group on the meeting's day and not yet on its register; returns how many it
    added. Lines already there are kept as they are, so a second fill adds nothing: staff then
    mark apologies, a deputy or an absence, and add a guest as a line of its own."""
    from subgroups.models import Membership

    with transaction.atomic(), reversion.create_revision():
        # Two clicks at once add the lines once: the second waits, then finds them there.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        there = set(meeting.attendances.values_list("organisation_id", flat=True))
        seats = (
            Membership.objects.on(meeting.date)
            .filter(group_id=meeting.group_id)
            .exclude(organisation_id__in=there)
            .order_by("organisation__name", F("person").asc(nulls_last=True), "pk")
        )
        added = []
        for seat in seats:
            if seat.organisation_id in there:
                continue
            there.add(seat.organisation_id)
            added.append(
                Attendance(
                    meeting=meeting,
                    organisation_id=seat.organisation_id,
                    status=Attendance.Status.PRESENT,
                    person_id=seat.person_id,
                )
            )
        for attendance in added:
            attendance.save()
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(
            "Filled the register from the members: "
            + ngettext("%d line.", "%d lines.", len(added)) % len(added)
        )
    return len(added)


def fill_explanation(meeting: Meeting) -> str:
    return (
        f"This adds a line to the register of {meeting} for each organisation that was a "
        "member of the group on the day, marked present with its member: then mark "
        "apologies, a deputy who attended or an absence, and add any guest. Lines already "
        "on the register are kept as they are."
    )
