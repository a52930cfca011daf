"""Who attends: the groups' members and the Board's attendance in a period, computed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from bscb.core.illustrative import share
from bscb.core.models import Organisation, ReportingPeriod
from meetings.models import Attendance, Meeting
from subgroups.models import Group, Membership


@dataclass
class OrganisationAttendance:
    organisation: Organisation
    expected: int = 0  # Board meetings held while it was a member
    present: int = 0
    apologies: int = 0
    absent: int = 0  # neither there nor sent apologies
    # The attendance lines and Board seats the row is computed from.
    records: list = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        """Per cent of the meetings it was expected at where it was present."""
        if not self.expected:
            return None
        return round(100 * self.present / self.expected)


@dataclass
class MeetingPartners:
    meeting: Meeting
    sectors_present: set[str] = field(default_factory=set)
    # False when the meeting has no attendance recorded: nobody is "not present" then.
    recorded: bool = False
    records: list[Attendance] = field(default_factory=list)

    def present(self, sector: str) -> bool:
        return sector in self.sectors_present

    @property
    def all_statutory_partners(self) -> bool:
        return set(Organisation.STATUTORY_SECTORS) <= self.sectors_present


@dataclass
class WhoAttends:
    period: ReportingPeriod
    members_by_group: list[tuple[Group, list[Membership]]]
    board_attendance: list[OrganisationAttendance]
    board_meetings: list[MeetingPartners]
    # "all", "some" or "": how much of the membership and attendance shown is demo data.
    illustrative: str


def _held_on(membership: Membership, day) -> bool:
    return (membership.starts_on is None or membership.starts_on <= day) and (
        membership.ends_on is None or membership.ends_on >= day
    )


def _held_at(membership: Membership, meeting: Meeting, period: ReportingPeriod) -> bool:
    """Whether the organisation sat on the group on the meeting's day. Where the meeting's date
    was lost, only a seat held all through the period was surely held that day: the
    placeholder date says nothing."""
    if meeting.date_known:
        return _held_on(membership, meeting.date)
    return _held_on(membership, period.start) and _held_on(membership, period.end)


def who_attends(period: ReportingPeriod) -> WhoAttends:
    """Four queries, whatever the number of groups, members and meetings."""
    memberships = list(
        Membership.objects.for_period(period)
        .filter(group__in=Group.objects.for_period(period))
        .select_related("group", "organisation")
        .order_by("group__position", "group__name", "organisation__name")
    )
    by_group: dict[Group, list[Membership]] = defaultdict(list)
    listed: dict[tuple[int, int], Membership] = {}
    for membership in memberships:
        # An organisation with two people on a group is listed once: the report names agencies.
        # The listed one's `records` are all its seats on the group.
        seat = (membership.group_id, membership.organisation_id)
        if seat not in listed:
            listed[seat] = membership
            membership.records = []
            by_group[membership.group].append(membership)
        listed[seat].records.append(membership)

    meetings = list(
        Meeting.objects.for_period(period)
        .filter(group__kind=Group.Kind.BOARD)
        .order_by("date", "pk")
    )
    attendances = list(
        Attendance.objects.filter(meeting__in=[m.pk for m in meetings]).select_related(
            "organisation"
        )
    )

    # A meeting without a single attendance line has its attendance not recorded: it counts
    # for nobody's rate (a member was not absent from it, as far as anyone knows).
    recorded = {attendance.meeting_id for attendance in attendances}
    rows: dict[int, OrganisationAttendance] = {}
    board_members = [m for m in memberships if m.group.kind == Group.Kind.BOARD]
    if recorded:
        expected: dict[int, set[int]] = defaultdict(set)
        for membership in board_members:
            rows.setdefault(
                membership.organisation_id, OrganisationAttendance(membership.organisation)
            ).records.append(membership)
            # A set: an organisation with a member and a second seat is expected once.
            expected[membership.organisation_id].update(
                meeting.pk
                for meeting in meetings
                if meeting.pk in recorded and _held_at(membership, meeting, period)
            )
        for organisation_id, meeting_pks in expected.items():
            rows[organisation_id].expected = len(meeting_pks)
    partners = {
        meeting.pk: MeetingPartners(meeting, recorded=meeting.pk in recorded)
        for meeting in meetings
    }
    for attendance in attendances:
        row = rows.setdefault(
            attendance.organisation_id, OrganisationAttendance(attendance.organisation)
        )
        row.records.append(attendance)
        partners[attendance.meeting_id].records.append(attendance)
        if attendance.status in Attendance.REPRESENTED:
            # Its member or its deputy: the organisation was there.
            row.present += 1
            partners[attendance.meeting_id].sectors_present.add(attendance.organisation.sector)
        elif attendance.status == Attendance.Status.APOLOGIES:
            row.apologies += 1
        else:
            row.absent += 1
    # An organisation at a meeting without a recorded membership was still expected there.
    for row in rows.values():
        row.expected = max(row.expected, row.present + row.apologies + row.absent)

    return WhoAttends(
        period=period,
        members_by_group=list(by_group.items()),
        board_attendance=sorted(rows.values(), key=lambda r: r.organisation.name),
        board_meetings=list(partners.values()),
        illustrative=share(r.is_illustrative for r in [*memberships, *attendances]),
    )
