"""The period's training figures, computed from its sessions: never typed in as totals."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q

from bscb.core.models import Organisation, ReportingPeriod
from training.models import Session, SessionAttendance, Trainer

REASONS = Session.CancellationReason


def attendees_of(held: list[Session]) -> int | None:
    """The people at these held sessions (uses `with_attendees`). None when sessions were
    held and none has its attendance recorded: a session without attendance lines did not
    have nobody. No session held, nobody attended: that zero is a fact."""
    recorded = [s.attendee_total for s in held if s.attendee_total is not None]
    if held and not recorded:
        return None
    return sum(recorded)


@dataclass
class SessionFigures:
    """Figures of one kind of session in a period."""

    sessions: list[Session] = field(default_factory=list)

    @property
    def held(self) -> list[Session]:
        return [s for s in self.sessions if s.status == Session.Status.HELD]

    @property
    def cancelled(self) -> list[Session]:
        return [s for s in self.sessions if s.status == Session.Status.CANCELLED]

    @property
    def counts_known(self) -> bool:
        """False when an illustrative record stands in for sessions the records lost."""
        return not any(s.is_illustrative for s in self.sessions)

    @property
    def offered_count(self) -> int | None:
        return len(self.sessions) if self.counts_known else None

    @property
    def held_count(self) -> int | None:
        return len(self.held) if self.counts_known else None

    @property
    def cancelled_count(self) -> int | None:
        """A zero is published only when the kind's records are complete."""
        count = len(self.cancelled)
        return count if count or self.counts_known else None

    @property
    def attendees(self) -> int | None:
        return attendees_of(self.held)

    @property
    def cancellations_by_reason(self) -> list[tuple[str, int]]:
        counts = Counter(s.cancellation_reason for s in self.cancelled)
        return [(REASONS(code).label, counts[code]) for code in REASONS.values if counts[code]]

    @property
    def course_titles(self) -> list[str]:
        """The courses run, in order of their first run, then those only cancelled."""
        titles: list[str] = []
        for session in sorted(
            self.sessions, key=lambda s: (s.status != Session.Status.HELD, s.date)
        ):
            label = session.course.title
            if session.description:
                label = f"{label}: {session.description}"
            if label not in titles:
                titles.append(label)
        return titles

    @property
    def joint_with_adults_board(self) -> int:
        return sum(1 for s in self.held if s.joint_with_adults_board)

    @property
    def trainer_count(self) -> int | None:
        """How many trainers ran the held sessions; None unless each session records its
        trainer (a session without one says nothing of who, or how many, ran it)."""
        if not self.held or any(s.trainer_id is None for s in self.held):
            return None
        return len({s.trainer_id for s in self.held})

    @property
    def illustrative_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.is_illustrative]


class SectorTotal(NamedTuple):
    """Attendees of one sector, and the attendance lines they are counted from."""

    label: str
    total: int
    records: list[SessionAttendance]

    @property
    def illustrative(self) -> bool:
        return any(r.is_illustrative for r in self.records)


@dataclass
class TrainingFigures:
    period: ReportingPeriod
    full_day: SessionFigures
    commissioned: SessionFigures
    bespoke: SessionFigures
    by_sector: list[SectorTotal]
    # None when no trainer of the pool is recorded: the records do not say how big it is.
    pool_size: int | None
    pool_fewer_than_two: int | None

    @property
    def attendees(self) -> int | None:
        return attendees_of(self.full_day.held + self.commissioned.held + self.bespoke.held)

    @property
    def cancelled(self) -> int:
        return sum(len(f.cancelled) for f in (self.full_day, self.commissioned, self.bespoke))

    @property
    def largest_sector(self) -> int:
        return max((row.total for row in self.by_sector), default=0)

    @property
    def by_sector_illustrative(self) -> bool:
        return any(row.illustrative for row in self.by_sector)

    @property
    def has_sessions(self) -> bool:
        return bool(self.full_day.sessions or self.commissioned.sessions or self.bespoke.sessions)


def training_figures(period: ReportingPeriod) -> TrainingFigures:
    """Three queries, whatever the number of sessions, attendees and trainers."""
    sessions = list(
        Session.objects.for_period(period)
        .exclude(status=Session.Status.SCHEDULED)
        .select_related("course")
        .with_attendees()
        .order_by("date", "pk")
    )
    full_day, commissioned, bespoke = SessionFigures(), SessionFigures(), SessionFigures()
    for session in sessions:
        if session.delivery == Session.Delivery.COMMISSIONED:
            commissioned.sessions.append(session)
        elif session.kind == Session.Kind.FULL_DAY:
            full_day.sessions.append(session)
        else:
            bespoke.sessions.append(session)

    sectors = dict(Organisation.Sector.choices)
    lines = SessionAttendance.objects.filter(
        session__in=[s.pk for s in sessions if s.status == "held"]
    ).select_related("organisation")
    by_sector: dict[str, list[SessionAttendance]] = defaultdict(list)
    for line in lines:
        by_sector[line.organisation.sector].append(line)
    totals = {
        sector: sum(r.attendees or 0 for r in records) for sector, records in by_sector.items()
    }
    rows = [
        SectorTotal(sectors[sector], totals[sector], by_sector[sector])
        for sector in sorted(totals, key=lambda sector: (-totals[sector], sector))
    ]
    pool = Trainer.objects.filter(in_pool=True).annotate(
        delivered=Count(
            "sessions",
            filter=Q(sessions__in=Session.objects.for_period(period).held()),
        )
    )
    delivered = list(pool.values_list("delivered", flat=True))
    return TrainingFigures(
        period=period,
        full_day=full_day,
        commissioned=commissioned,
        bespoke=bespoke,
        by_sector=[row for row in rows if row.total],
        pool_size=len(delivered) if delivered else None,
        pool_fewer_than_two=sum(1 for n in delivered if n < 2) if delivered else None,
    )
