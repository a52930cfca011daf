"""The period's training figures, computed from its sessions: never typed in as totals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

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


@dataclass
class TrainingFigures:
    period: ReportingPeriod
    full_day: SessionFigures
    commissioned: SessionFigures
    bespoke: SessionFigures
    by_sector: list[tuple[str, int]]
    by_sector_illustrative: bool
    pool_size: int
    pool_fewer_than_two: int

    @property
    def attendees(self) -> int | None:
        return attendees_of(self.full_day.held + self.commissioned.held + self.bespoke.held)

    @property
    def cancelled(self) -> int:
        return sum(len(f.cancelled) for f in (self.full_day, self.commissioned, self.bespoke))

    @property
    def largest_sector(self) -> int:
        return max((total for _, total in self.by_sector), default=0)

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
    rows = (
        SessionAttendance.objects.filter(session__in=[s.pk for s in sessions if s.status == "held"])
        .values("organisation__sector")
        .annotate(total=Sum("attendees"), illustrative=Count("pk", filter=Q(is_illustrative=True)))
        .order_by("-total", "organisation__sector")
    )
    rows = list(rows)
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
        by_sector=[(sectors[r["organisation__sector"]], r["total"]) for r in rows if r["total"]],
        by_sector_illustrative=any(r["illustrative"] for r in rows),
        pool_size=len(delivered),
        pool_fewer_than_two=sum(1 for n in delivered if n < 2),
    )
