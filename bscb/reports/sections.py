"""A period's list of sections: a new period starts with a copy of the one before it."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import capfirst

from bscb.core.models import Board, ReportingPeriod
from bscb.reports import kinds
from bscb.reports.models import ReportSection
from reviews import vocabulary


def first_report_sections(period: ReportingPeriod) -> list[ReportSection]:
    word = Board.load().word
    # A period just created with its dates as text (as a form's or a fixture's data may give
    # them) has its framework read from real dates, as full_clean() would convert them.
    for name in ("start", "end"):
        setattr(period, name, period._meta.get_field(name).to_python(getattr(period, name)))
    # The reviews of the period's era: "Serious case reviews" in a board's year, "Rapid
    # reviews and local child safeguarding practice reviews" in a partnership's.
    reviews = capfirst(vocabulary.era_reviews(period))
    sections = []
    for position, (key, title, slug) in enumerate(kinds.FIRST_REPORT, start=1):
        kind = kinds.KINDS[key]
        sections.append(
            ReportSection(
                period=period,
                kind=key,
                title=(title or kind.default_title)
                .replace("{board}", word)
                .replace("{reviews}", reviews),
                slug=slug or kind.default_slug,
                position=position,
            )
        )
    return sections


@transaction.atomic
def seed_sections(period: ReportingPeriod) -> list[ReportSection]:
    """Give a period with no sections the previous period's list (titles, order, what is
    shown; not the words, which belong to their year), or a first report's list."""
    if period.report_sections.exists():
        return list(period.report_sections.all())
    previous = (
        ReportingPeriod.objects.before(period)
        .filter(report_sections__isnull=False)
        .order_by("-start")
        .first()
    )
    if previous is None:
        sections = first_report_sections(period)
    else:
        sections = [
            ReportSection(
                period=period,
                kind=s.kind,
                title=s.title,
                slug=s.slug,
                position=s.position,
                group=s.group,
                is_shown=s.is_shown,
            )
            for s in previous.report_sections.all()
        ]
    return ReportSection.objects.bulk_create(sections)


def period_saved(sender, instance, created, raw=False, **kwargs):
    # A period created with its own list of sections (the back office's add page with
    # section rows filled in) says so, and is not seeded.
    if created and not raw and not getattr(instance, "sections_given", False):
        seed_sections(instance)
