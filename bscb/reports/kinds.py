"""The kinds of section a report can have: the one registry that says how each renders.

A period's report is a list of ReportSection records (bscb/reports/models.py), each of one
kind. A kind knows its template, how to gather its records, which records it reads, which
datasets of the open data it offers and which statutory evidence it shows. Titles, order and introductions are the records', never
the kind's: a kind's default title only seeds the first period of a new installation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bscb.core.models import Appointment
from bscb.reports import figures, report


def _always(period, section) -> bool:
    return True


def _has_text(period, section) -> bool:
    return bool(section.introduction.strip())


@dataclass(frozen=True)
class SectionKind:
    key: str
    label: str
    template: str
    context: Callable = report.no_context
    # What a new installation's first period calls it; "{board}" is the board's word,
    # "{reviews}" the statutory reviews of the period's era.
    default_title: str = ""
    default_slug: str = ""
    reads: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    # Whether the section has anything to show in this period; without, it is left out.
    has_content: Callable = _always
    # Kinds whose template places the introduction itself (a narrative is its introduction).
    places_introduction: bool = False
    # Whether a report may have several sections of this kind.
    repeats: bool = False
    # Whether its context reads the section's record (a figure set's section names its set).
    takes_record: bool = False
    # The statutory evidence its sections show (keys of checker.EVIDENCE): records of
    # that kind count towards the statutory check only while such a section is shown.
    evidence: tuple[str, ...] = ()
    # Whether its record may name a figure set of its period (the figure set's own kind, and
    # the child death review's, whose yearly profile is a figure set).
    names_figure_set: bool = False
    # Datasets offered only while the section names a figure set.
    figure_set_datasets: tuple[str, ...] = ()
    description: str = field(default="", compare=False)


KINDS: dict[str, SectionKind] = {}


def register(kind: SectionKind) -> SectionKind:
    KINDS[kind.key] = kind
    return kind


def datasets_offered(sections) -> list:
    """The open data a report offers: the datasets of the kinds of its shown sections."""
    from bscb.reports.opendata import DATASETS

    wanted = {slug for section in sections for slug in section.kind.datasets}
    wanted |= {
        slug
        for section in sections
        if section.record.figure_set_id
        for slug in section.kind.figure_set_datasets
    }
    return [dataset for dataset in DATASETS if dataset.slug in wanted]


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, k.label) for k in KINDS.values()]


NARRATIVE = "narrative"
KEY_FIGURES = "key-figures"
BOARD = "board"
GROUP = "group"
CHILD_DEATHS = "child-deaths"
CASE_REVIEWS = "case-reviews"
AUDITS = "audits"
TRAINING = "training"
WHO_ATTENDS = "who-attends"
FUNDING = "funding"
SOURCES = "sources"
FIGURE_SET = "figure-set"
AGENCY_STATEMENTS = "agency-statements"
PROGRAMMES = "programmes"
GOVERNANCE = "governance"

register(
    SectionKind(
        NARRATIVE,
        "Narrative",
        "report/sections/narrative.html",
        has_content=_has_text,
        places_introduction=True,
        repeats=True,
        description="Words the board writes: a foreword, the voice of the child, what's next, "
        "the independent scrutineer's statement, a word on the pandemic. Shows its "
        "introduction and signature.",
    )
)
register(
    SectionKind(
        KEY_FIGURES,
        "Key figures",
        "report/sections/local_context.html",
        report.local_context,
        default_title="Local context",
        default_slug="local-context",
        reads=("bscb.KeyFigure", "bscb.Source"),
        datasets=("key-figures",),
        has_content=lambda period, section: (
            bool(section.introduction.strip()) or period.key_figures.exists()
        ),
        places_introduction=True,
        description="The period's key local figures with their sources, then the introduction.",
    )
)
register(
    SectionKind(
        BOARD,
        "The board's work",
        "report/sections/board.html",
        report.board_context,
        default_title="The work of the {board}",
        default_slug="board",
        reads=(
            "bscb.Priority",
            "bscb.PriorityText",
            "subgroups.Group",
            "meetings.Meeting",
            "subgroups.Action",
        ),
        datasets=("meetings", "attendance"),
        evidence=("did", "difference", "voice", "progress", "priorities", "assessments"),
        description="The priorities and their progress, and the board's and executive's meetings.",
    )
)
register(
    SectionKind(
        GROUP,
        "One group's work",
        "report/sections/group.html",
        report.group_context,
        default_title="The groups' work",
        default_slug="groups",
        reads=("subgroups.Group", "meetings.Meeting", "subgroups.Action"),
        datasets=("meetings",),
        repeats=True,
        evidence=("did", "difference", "voice", "progress"),
        description="A group's purpose, meetings and work plan. Without a group chosen, one "
        "section for each group with public meetings in the period that has none of its own.",
    )
)
register(
    SectionKind(
        CHILD_DEATHS,
        "Child death review",
        "report/sections/child_deaths.html",
        report.child_deaths_context,
        default_title="Child Death Overview Panel",
        default_slug="child-death-overview-panel",
        reads=(
            "meetings.Meeting",
            "reviews.PanelCases",
            "reports.FigureSet",
            "reports.Figure",
            "reports.FigureBreakdown",
        ),
        datasets=("child-deaths",),
        evidence=("child-deaths", "figure-sets"),
        takes_record=True,
        names_figure_set=True,
        figure_set_datasets=("figures",),
        description="The panel's meetings and the cases reviewed; then the year's profile, "
        "the figure set the section names (deaths notified, reviews completed and pending, "
        "the share with modifiable factors, with breakdowns by age band and sex). For a "
        "panel shared by several partnerships, the set names the panel's area and each "
        "figure may give this partnership's part.",
    )
)
register(
    SectionKind(
        CASE_REVIEWS,
        "Case reviews",
        "report/sections/case_reviews.html",
        report.case_reviews_context,
        # The era's words: "Serious case reviews" in a board's year (see sections.py).
        default_title="{reviews}",
        default_slug="case-reviews",
        reads=(
            "reviews.CaseReview",
            "reviews.Recommendation",
            "reviews.LearningMaterial",
            "reviews.LearningEvent",
            "reviews.NilReturn",
        ),
        datasets=("case-reviews",),
        evidence=("case-reviews", "recommendations", "learning"),
        description="Reviews notified, held and signed off, each named by its type (serious "
        "case reviews in a board's year; rapid reviews and local child safeguarding practice "
        "reviews in a partnership's), the period's nil returns (“No ... were commissioned”), "
        "learning events held in the period after earlier reviews, learning, and "
        "recommendations with the actions that answer them. A held-back review appears only "
        "as a count.",
    )
)
register(
    SectionKind(
        AUDITS,
        "Audits and assurance",
        "report/sections/audits.html",
        report.audits_context,
        default_title="Audits and assurance",
        default_slug="audits",
        reads=("reviews.Audit", "reviews.LearningMaterial"),
        evidence=("audits", "learning"),
        description="The audits of the period, their findings and learning.",
    )
)
register(
    SectionKind(
        TRAINING,
        "Training",
        "report/sections/training.html",
        report.training_context,
        default_title="Training",
        default_slug="training",
        reads=(
            "training.Course",
            "training.Session",
            "training.SessionAttendance",
            "training.Evaluation",
        ),
        datasets=("training",),
        evidence=("training",),
        description="Courses, sessions, places, attendance by sector, evaluations.",
    )
)
register(
    SectionKind(
        WHO_ATTENDS,
        "Who attends",
        "report/sections/who_attends.html",
        report.who_attends_context,
        default_title="Who attends",
        default_slug="who-attends",
        reads=("meetings.Attendance",),
        datasets=("attendance",),
        description="Each organisation's attendance at the board.",
    )
)
register(
    SectionKind(
        FUNDING,
        "Funding",
        "report/sections/funding.html",
        report.funding_context,
        default_title="How were we funded?",
        default_slug="funding",
        reads=(
            "funding.Contribution",
            "funding.OtherIncome",
            "funding.Spending",
            "funding.BudgetLine",
            "funding.Budget",
            "funding.InKindContribution",
        ),
        datasets=("funding", "budget", "in-kind"),
        evidence=("contributions", "spending"),
        description="Partners' contributions and shares, other income, spending and outturn; "
        "the budget against actual by line, reserves, the reasons for the outturn and the "
        "decision on any surplus (shown without itemised amounts too); contributions in kind.",
    )
)
register(
    SectionKind(
        SOURCES,
        "Sources",
        "report/sections/sources.html",
        report.sources_context,
        default_title="Sources",
        default_slug="sources",
        reads=("bscb.Source",),
        has_content=lambda period, section: period.sources.exists(),
        description="The numbered sources the key figures cite.",
    )
)
register(
    SectionKind(
        FIGURE_SET,
        "Figure set",
        "report/sections/figure_set.html",
        figures.figure_set_context,
        reads=("reports.FigureSet", "reports.Figure", "reports.FigureBreakdown"),
        datasets=("figures",),
        has_content=lambda period, section: section.figure_set_id is not None,
        repeats=True,
        takes_record=True,
        evidence=("figure-sets",),
        names_figure_set=True,
        description="The figure set it names: each figure in its unit (“not recorded” "
        "where blank, “x of y” with a denominator), its breakdowns by age band, sex or "
        "agency, and a year-on-year table for figures the same set of earlier periods holds.",
    )
)
register(
    SectionKind(
        PROGRAMMES,
        "Programmes",
        "report/sections/programmes.html",
        report.programmes_context,
        default_title="Programmes",
        default_slug="programmes",
        reads=(
            "reports.Programme",
            "reports.ProgrammeReport",
            "bscb.Priority",
            "reports.FigureSet",
            "reports.Figure",
        ),
        datasets=("figures",),
        has_content=lambda period, section: period.programme_reports.exists(),
        evidence=("programmes", "figure-sets"),
        description="The programmes the period's report shows (a practice framework such as "
        "Graded Care Profile 2): launch date, status that year, linked priorities, progress "
        "and the programme's own figure set, whose figures join the open data's figures. "
        "Left out while the period has none.",
    )
)
register(
    SectionKind(
        AGENCY_STATEMENTS,
        "Agency statements",
        "report/sections/agency_statements.html",
        report.agency_statements_context,
        default_title="Statements from our partners",
        default_slug="agency-statements",
        reads=("reports.AgencyStatement", "bscb.Organisation"),
        has_content=lambda period, section: period.agency_statements.exists(),
        evidence=("statements",),
        description="One statement for each agency that wrote one for the period, in their "
        "order, each under the agency's name and its author's role. Left out while the "
        "period has none.",
    )
)

register(
    SectionKind(
        GOVERNANCE,
        "Who leads the board",
        "report/sections/governance.html",
        report.governance_context,
        default_title="Who leads the {board}",
        default_slug="governance",
        reads=("bscb.Appointment", "bscb.Person", "bscb.Organisation"),
        datasets=("people-in-roles",),
        has_content=lambda period, section: Appointment.objects.during(period).exists(),
        description="The people in roles at some time in the period, grouped by role: the "
        "independent chair and scrutineer, the business manager, each statutory partner's "
        "lead officer by title and partner, joint chairs and links to other boards. A date "
        "is printed only where a role starts or ends within the period. Left out while the "
        "period has none.",
    )
)

# A new installation's first report: the sections in this order. Later periods copy the
# list of the period before them.
FIRST_REPORT = [
    (NARRATIVE, "Foreword", "foreword"),
    (KEY_FIGURES, None, None),
    (BOARD, None, None),
    (GROUP, None, None),
    (PROGRAMMES, None, None),
    (CHILD_DEATHS, None, None),
    (CASE_REVIEWS, None, None),
    (AUDITS, None, None),
    (TRAINING, None, None),
    (WHO_ATTENDS, None, None),
    (FUNDING, None, None),
    (AGENCY_STATEMENTS, None, None),
    (NARRATIVE, "What's next for the {board}?", "whats-next"),
    (SOURCES, None, None),
    (NARRATIVE, "Independent scrutineer's statement", "scrutiny"),
]
