"""The annual report of a period: its sections in the order its records give, and what each shows.

Each section has a partial template and a function that gathers its context
from the records. Section pages, the whole report on one page, the PDF and
the published editions all render sections through here, so they agree.
"""

from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, Sum
from django.template.loader import render_to_string
from django.urls import reverse

from bscb.core import changes
from bscb.core.context_processors import site
from bscb.core.models import KeyFigure, Organisation, PriorityText, ReportingPeriod
from bscb.core.records import record_fields
from bscb.core.roles import sees_unpublished
from bscb.reports import figures
from funding.models import funding_for
from meetings.attendance import who_attends
from meetings.models import Entry, Meeting
from reviews import vocabulary
from reviews.models import (
    Audit,
    CaseReview,
    LearningEvent,
    LearningMaterial,
    NilReturn,
    Recommendation,
)
from subgroups.models import Group, GroupTerm
from subgroups.progress import actions_in, progress
from training.figures import training_figures

if TYPE_CHECKING:
    from bscb.reports.kinds import SectionKind
    from bscb.reports.models import ReportSection

# Heading elements: a section page starts at h2 under its h1; the whole report one level lower.
PAGE_LEVELS = {"h2": "h2", "h3": "h3", "h4": "h4"}
REPORT_LEVELS = {"h2": "h3", "h3": "h4", "h4": "h5"}


def report_meetings(period: ReportingPeriod, groups) -> list[Meeting]:
    """The groups' public meetings of the period with their public entries in order, each with
    the key of its summary (`summary_key`).

    The entries are read as rows and made records only when a page draws them: a summary
    drawn before is read from the cache under its key, so with 10x the data a staff preview
    saves making some 500 records it would not use (issue 18 item 6)."""
    # Each meeting knows its group from the groups in hand, rather than a join making each
    # group again for each of its meetings.
    by_pk = {group.pk: group for group in groups}
    meetings = list(Meeting.objects.for_period(period).public().filter(group__in=list(by_pk)))
    for meeting in meetings:
        Meeting.group.field.set_cached_value(meeting, by_pk[meeting.group_id])
    rows: dict[int, list[tuple]] = {meeting.pk: [] for meeting in meetings}
    entries = Entry.objects.public().filter(meeting__in=list(rows)).values_list(*ENTRY_FIELDS)
    for row in entries:
        rows[row[ENTRY_MEETING]].append(row)
    for meeting in meetings:
        meeting._prefetched_objects_cache = {"entries": EntryRows(meeting, rows[meeting.pk])}
        meeting.summary_key = summary_key(meeting)
    return meetings


# An entry's fields in the order of its row; the rows are what `summary_key` digests.
ENTRY_FIELDS = tuple(field.attname for field in Entry._meta.concrete_fields)
ENTRY_MEETING = ENTRY_FIELDS.index("meeting_id")


class EntryRows:
    """A meeting's public entries as `meeting.entries.all()` gives them after a prefetch: the
    rows, made `Entry` records (each knowing its meeting) the first time they are read."""

    def __init__(self, meeting: Meeting, rows: list[tuple]):
        self.meeting = meeting
        self.rows = rows
        self._records: list[Entry] | None = None

    def records(self) -> list[Entry]:
        if self._records is None:
            self._records = [Entry.from_db(None, ENTRY_FIELDS, row) for row in self.rows]
            for entry in self._records:
                Entry.meeting.field.set_cached_value(entry, self.meeting)
        return self._records

    def all(self):
        return self

    def __iter__(self):
        return iter(self.records())

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __getitem__(self, index):
        return self.records()[index]


def _fields(record) -> tuple:
    return record_fields(record)


def summary_key(meeting: Meeting) -> str:
    """A digest of every field of the meeting, of its group and of each entry the report shows,
    in order: what `includes/meeting_summary.html` draws from.

    A report page caches each meeting's summary under this key (with the page's own words
    the summary uses: its heading levels, its number, the board's headings): a summary is
    drawn again as soon as anything it shows has changed, so a staff preview shows the
    records as they stand and only the drawing of unchanged meetings is saved (about 0.3 ms
    each). Whatever the summary comes to read must be in this key.
    """
    entries = meeting.entries.all()
    # An entry's row holds its fields in the order `_fields` reads them from a record.
    rows = (
        tuple(entries.rows)
        if isinstance(entries, EntryRows)
        else tuple(_fields(entry) for entry in entries)
    )
    digest = hashlib.blake2b(
        repr((_fields(meeting), _fields(meeting.group))).encode(), digest_size=20
    )
    # A repr holds no NUL byte: the entries' bytes cannot be mistaken for the records'.
    digest.update(b"\0")
    digest.update(_rows_bytes(rows))
    return digest.hexdigest()


def _rows_bytes(rows: tuple) -> bytes:
    """The rows as bytes that differ whenever the rows differ: marshal's (format 2, which
    writes a value the same way in every process) where it can write every field, a tenth of
    the time of their repr for a page's 550 entries; their repr where a field is of a type
    it cannot write (a date, a decimal). The two are told apart by their first byte."""
    try:
        return b"m" + marshal.dumps(rows, 2)
    except ValueError:
        return b"r" + repr(rows).encode()


def summaries_key(meetings) -> str:
    """A digest of the summary keys of meetings drawn one after another, in order: a page
    draws a group's list of meetings once for each state of them all (the list's cache tag
    names the same words of the page as each summary's), and a list with one meeting changed
    draws only that one again."""
    return hashlib.blake2b(
        repr(tuple(meeting.summary_key for meeting in meetings)).encode(), digest_size=20
    ).hexdigest()


def groups_with_calendar(period: ReportingPeriod, groups) -> set[int]:
    """Which of the groups have meetings of the period for their calendar (.ics)."""
    return set(
        Meeting.objects.for_period(period)
        .in_calendar()
        .filter(group__in=groups)
        .values_list("group", flat=True)
        .distinct()
    )


def previous_period(period: ReportingPeriod, viewer) -> ReportingPeriod | None:
    """The period before this one that the viewer may see, for year-on-year figures."""
    return ReportingPeriod.objects.visible_to(viewer).before(period).order_by("-end").first()


def priorities_in(period) -> list:
    """The period's priorities in report order, each with `.text`: the period's words for it."""
    texts = (
        PriorityText.objects.filter(period=period)
        .select_related("priority", "lead_person")
        .prefetch_related(
            Prefetch("lead_organisations", queryset=Organisation.objects.order_by("name"))
        )
        .order_by("priority__position", "priority__name")
    )
    priorities = []
    for text in texts:
        text.priority.text = text
        priorities.append(text.priority)
    return priorities


def board_context(period, viewer):
    groups = list(
        Group.objects.for_period(period).filter(kind__in=[Group.Kind.BOARD, Group.Kind.EXECUTIVE])
    )
    meetings = report_meetings(period, groups)
    # "The Board met N times" counts every meeting, public in the report or not; a group
    # with a meeting its calendar holds offers the calendar.
    counts = Meeting.objects.for_period(period).filter(group__in=groups).counts_by_group()
    # Read into a dict: the records' ordering (by group and period, two joins) is not needed.
    terms = {
        term.group_id: term
        for term in GroupTerm.objects.filter(period=period, group__in=groups)
        .select_related("chair_organisation", "chair_person")
        .order_by()
    }
    for group in groups:
        total, in_calendar = counts.get(group.pk, (0, 0))
        group.has_calendar = bool(in_calendar)
        group.report_meetings = [m for m in meetings if m.group_id == group.pk]
        group.summaries_key = summaries_key(group.report_meetings)
        group.meeting_total = total
        group.term = terms.get(group.pk)
    priorities = priorities_in(period)
    # Each priority's progress: the actions tagged with it, in plans open during the period.
    tagged = list(
        actions_in(period)
        .filter(priorities__in=priorities)
        .distinct()
        .prefetch_related("priorities")
    )
    for priority in priorities:
        priority.progress = progress([a for a in tagged if priority in a.priorities.all()], period)
    return {"groups": groups, "priorities": priorities}


def group_context(period, viewer, group):
    return {
        "group": group,
        # The group as the period describes it: its name that year, purpose, aims, chair.
        "term": GroupTerm.objects.filter(group=group, period=period)
        .select_related("chair_organisation", "chair_person")
        .first(),
        "meetings": report_meetings(period, [group]),
        "has_calendar": bool(groups_with_calendar(period, [group])),
        "work_plan": progress(list(actions_in(period).filter(plan__group=group)), period),
    }


def local_context(period, viewer):
    return {
        "key_figures": KeyFigure.objects.filter(period=period).select_related("source"),
        # The numbers a footnote in the introduction may cite.
        "source_numbers": set(period.sources.values_list("number", flat=True)),
    }


def sources_context(period, viewer):
    return {"sources": period.sources.all()}


def child_deaths_context(period, viewer, record):
    panel = Group.objects.child_death_panel()
    meetings = list(
        Meeting.objects.for_period(period)
        .public()
        .filter(group=panel)
        .with_entries()
        # None where the number, or the meeting's record of its cases, is missing.
        .annotate(cases_reviewed=F("panel_cases__cases_reviewed"))
        .order_by("date", "pk")
    )
    # Every panel meeting of the period counts, public in the report or not; a meeting whose
    # number of cases is not recorded (or has no record of its cases) leaves the total not known.
    counts = Meeting.objects.for_period(period).filter(group=panel)
    totals = counts.aggregate(
        total=Sum("panel_cases__cases_reviewed"),
        unrecorded=Count("pk", filter=Q(panel_cases__cases_reviewed__isnull=True)),
    )
    return {
        # Its purpose is the period's words.
        "panel_term": GroupTerm.objects.filter(period=period, group=panel).first(),
        "meetings": meetings,
        "total": None if totals["unrecorded"] else totals["total"],
        # The year's profile: the figure set the section names.
        **figures.figure_set_context(period, viewer, record),
    }


def case_reviews_context(period, viewer):
    """Only publishable reviews; a held-back one only as a count."""
    publishable = CaseReview.objects.public()
    review_groups = Group.objects.filter(
        kind=Group.Kind.SUBGROUP, case_reviews__isnull=False
    ).distinct()
    return {
        "notified": publishable.notified_in(period).order_by("panel_notified_on"),
        "held": publishable.held_in(period).order_by("held_on"),
        "signed_off": publishable.signed_off_in(period).order_by("signed_off_on"),
        "withheld": CaseReview.objects.withheld().signed_off_in(period).count(),
        "learning": LearningMaterial.objects.public()
        .for_period(period)
        .select_related("review", "audit"),
        # The record of decisions and actions on review recommendations: recommendation -> action.
        "recommendations": Recommendation.objects.public()
        .select_related("review", "agency", "action__plan")
        .order_by("review__pseudonym", "number"),
        "meetings_held": Meeting.objects.for_period(period)
        .filter(group__in=review_groups)
        .values("group__name")
        .annotate(total=Count("pk"))
        .order_by("group__name"),
        # What the period says no review of a kind did: true statements, not gaps.
        "nil_returns": NilReturn.objects.in_period(period).select_related("period"),
        # Events held in the period after a review, of this period or an earlier one.
        "learning_events": LearningEvent.objects.public()
        .in_period(period)
        .select_related("review"),
        "era_reviews": vocabulary.era_reviews(period),
        "era_reviews_or": vocabulary.era_reviews_or(period),
    }


def audits_context(period, viewer):
    return {
        "audits": Audit.objects.for_period(period)
        .select_related("lead_group")
        .prefetch_related(
            Prefetch(
                "learning_materials",
                queryset=LearningMaterial.objects.public(),
                to_attr="public_learning",
            )
        )
    }


def training_context(period, viewer):
    return {"figures": training_figures(period)}


def who_attends_context(period, viewer):
    return {
        "who": who_attends(period),
        "statutory": [(sector.value, sector.label) for sector in Organisation.STATUTORY_SECTORS],
    }


def funding_context(period, viewer):
    return {"funding": funding_for(period, previous_period(period, viewer))}


def agency_statements_context(period, viewer):
    return {"statements": period.agency_statements.select_related("organisation")}


def programmes_context(period, viewer):
    from bscb.core.models import Priority, PriorityText
    from bscb.reports.figures import printed_figures, with_figures
    from bscb.reports.models import FigureSet, ProgrammeReport

    lines = list(
        ProgrammeReport.objects.filter(period=period)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "programme__priorities",
                queryset=Priority.objects.order_by("position", "name").annotate(
                    wording=Subquery(
                        PriorityText.objects.filter(priority=OuterRef("pk"), period=period).values(
                            "wording"
                        )[:1]
                    )
                ),
            ),
            Prefetch("figure_set", queryset=with_figures(FigureSet.objects.all())),
        )
        .order_by("programme__position", "programme__name")
    )
    for line in lines:
        line.figures = printed_figures(line.figure_set) if line.figure_set else []
    return {"programme_reports": lines}


def governance_context(period, viewer):
    """The period's office holders, grouped by role in the report's order."""
    from bscb.core.models import Appointment

    appointments = list(
        Appointment.objects.during(period)
        .select_related("person", "organisation")
        .in_report_order()
    )
    for appointment in appointments:
        appointment.dates = appointment.dates_within(period)
    roles = [
        {"role": role, "appointments": [a for a in appointments if a.role == role]}
        for role in Appointment.Role.values
    ]
    return {"roles": [r for r in roles if r["appointments"]]}


def no_context(period, viewer):
    return {}


@dataclass
class Section:
    """A section in its place in a period's report: a record, its kind, and for a group's
    section the group (a record standing for every group with public meetings places one
    Section per group)."""

    record: ReportSection
    kind: SectionKind
    group: Group | None = None
    period: ReportingPeriod | None = None
    # A record standing for every group prints its introduction once, before the first group.
    shows_introduction: bool = True

    @property
    def slug(self) -> str:
        if self.kind.key == kinds.GROUP:
            return f"groups/{self.group.slug}"
        return self.record.slug

    @property
    def title(self) -> str:
        if self.kind.key == kinds.GROUP and self.record.group_id is None:
            return getattr(self.group, "term_name", "") or self.group.name
        return self.record.title

    @property
    def href(self) -> str:
        return self.url(self.period)

    def url(self, period: ReportingPeriod) -> str:
        if self.kind.key == kinds.GROUP:
            return reverse("group_detail", args=[period.slug, self.group.slug])
        return reverse("section", args=[period.slug, self.record.slug])

    def context(self, period, viewer) -> dict:
        if self.kind.key == kinds.GROUP:
            return self.kind.context(period, viewer, self.group)
        if self.kind.takes_record:
            return self.kind.context(period, viewer, self.record)
        return self.kind.context(period, viewer)

    def render(self, period, viewer, request=None, levels=PAGE_LEVELS, context=None) -> str:
        extra = self.context(period, viewer) if context is None else context
        # Rendered for a request, the context processors give the board; for nobody's
        # request (publishing, the PDF), the same context processor is asked here.
        return render_to_string(
            "report/section_body.html",
            {
                **(site(None) if request is None else {}),
                "period": period,
                "section_record": self.record,
                "introduction": self.record.introduction if self.shows_introduction else "",
                "kind_template": self.kind.template,
                "places_introduction": self.kind.places_introduction,
                **extra,
                **levels,
            },
            request=request,
        )


def kept_for(request, generation: str, parts: tuple, draw):
    """What `draw()` gives (a page's parts, drawn from the records alone, with no request),
    drawn once for each generation of the records (bscb.core.changes: read by the view before
    it read any record) rather than on every request: a draft, a staff preview.

    `parts` says which page; the key adds the reader and their session, and whether they may
    see drafts (their role, and whether this session gave the second factor), which is all
    that a page's parts show of who reads them (the periods they may compare with), and
    (changes.key) the day and the language."""
    session = getattr(request, "session", None)
    key = changes.key(
        generation,
        *parts,
        request.user.pk,
        getattr(session, "session_key", None),
        sees_unpublished(request.user),
    )
    drawn = caches["drawn"]
    value = drawn.get(key)
    if value is None:
        value = draw()
        drawn.set(key, value)
    return value


def report_groups(period: ReportingPeriod):
    """The groups with a section of their own: those with public meetings in the period."""
    return (
        Group.objects.for_period(period)
        .exclude(kind__in=[Group.Kind.BOARD, Group.Kind.EXECUTIVE, Group.Kind.PANEL])
        # EXISTS rather than a join made distinct: 0.2 ms rather than 2 ms with 10x the
        # meetings, asked by every report page.
        .filter(Exists(Meeting.objects.for_period(period).public().filter(group=OuterRef("pk"))))
        .with_term_name(period)
        .order_by("position", "name")
    )


def report_sections(period: ReportingPeriod) -> list[Section]:
    """Every section the period's report shows, in the order its records give."""
    every = list(period.report_sections.select_related("group"))
    # A group with a section of its own is not among "every group", even while its own
    # section is hidden: hiding it hides the group.
    own_section = {r.group_id for r in every if r.kind == kinds.GROUP and r.group_id}
    records = [r for r in every if r.is_shown]
    placed: list[Section] = []
    groups = None
    for record in records:
        kind = kinds.KINDS.get(record.kind)
        if kind is None:
            continue
        if kind.key == kinds.GROUP:
            if groups is None:
                groups = list(report_groups(period))
            if record.group_id:
                # A group staff placed in the report themselves is there even in a year with no
                # public meeting: its page then says none is recorded.
                own = [g for g in groups if g.pk == record.group_id] or list(
                    Group.objects.for_period(period)
                    .filter(pk=record.group_id)
                    .with_term_name(period)
                )
                placed += [Section(record, kind, g, period) for g in own]
            else:
                placed += [
                    Section(record, kind, g, period, shows_introduction=n == 0)
                    for n, g in enumerate(g for g in groups if g.pk not in own_section)
                ]
        elif kind.has_content(period, record):
            placed.append(Section(record, kind, None, period))
    # One page an address: a group listed twice (records the back office now refuses) once.
    seen: set[str] = set()
    return [s for s in placed if not (s.slug in seen or seen.add(s.slug))]


def groups_in_report(period: ReportingPeriod, sections: list[Section] | None = None) -> set[int]:
    """The groups whose public meetings have pages in the report: those of its shown group
    sections, the board and executive with the board's section, the panel with the child
    death review's. Open data, calendars and themes link meetings of these groups only."""
    sections = report_sections(period) if sections is None else sections
    shown = {s.kind.key for s in sections}
    ids = {s.group.pk for s in sections if s.group is not None}
    with_sections = []
    if kinds.BOARD in shown:
        with_sections += [Group.Kind.BOARD, Group.Kind.EXECUTIVE]
    if kinds.CHILD_DEATHS in shown:
        with_sections.append(Group.Kind.PANEL)
    if with_sections:
        ids |= set(Group.objects.filter(kind__in=with_sections).values_list("pk", flat=True))
    return ids


def section_of_kind(period: ReportingPeriod, key: str) -> Section | None:
    """The first shown section of a kind, for links between sections (the sources, say)."""
    record = period.report_sections.shown().filter(kind=key).first()
    if record is None or key == kinds.GROUP:
        return None
    return Section(record, kinds.KINDS[key], None, period)


def find_section(
    period: ReportingPeriod, slug: str, sections: list[Section] | None = None
) -> Section | None:
    """The section of this period's report at this address (a group's: "groups/<slug>"):
    only a section the report shows has a page."""
    sections = report_sections(period) if sections is None else sections
    return next((s for s in sections if s.slug == slug), None)


# The kinds' registry reads the context functions above.
from bscb.reports import kinds  # noqa: E402
