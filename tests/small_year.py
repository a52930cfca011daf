"""A small published year made with factories, for tests that need a whole report.

The board's record names it the Northshire Safeguarding Children Board, with its three
statutory partners. Every kind of section has something to show: a foreword and other
narratives, key figures with their sources, the board with its priorities, meetings and
attendance, two subgroups with public meetings and work plans, the child death panel, a
published and an embargoed case review, an audit, training, funding, a figure set of
casework figures and who leads the board (people in roles). The names are
invented. Only the demo's own tests (tests/demo/, and the one in tests/bscb/ that reads the
source line by line) load the Buckinghamshire demo.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from bscb.core.models import AccessibilityStatement, Organisation, Priority, ReportingPeriod
from bscb.reports.editions import period_publish
from meetings.models import Entry, Meeting
from reviews.models import CaseReview
from subgroups.models import Action, Group, Risk
from tests import factories as f
from training.models import Session

BOARD_NAME = "Northshire Safeguarding Children Board"

# Texts the tests look for.
DOMESTIC_ABUSE_AT_THE_BOARD = "We looked at the figures on domestic abuse across the county."
CHILD_PROTECTION_UPDATE = "We heard updates from colleagues tackling child protection and neglect."
DOMESTIC_ABUSE_STRATEGY = "We shared and discussed the Domestic Abuse Strategy."
REFUGE_GUIDE = "Agreed the production of a guide for refuges about staying safe online."
TAXI_ENTRY = "We reviewed the taxi driver training with the district councils."
BABY_S_ENTRY = "The Board agreed to sign off the Baby S review report."
BABY_S_REASON = "Publication waits for the end of the criminal proceedings."
FOREWORD = "Welcome to the annual report of the Northshire Safeguarding Children Board."
FOREWORD_SIGNATURE = "Pat Example, Independent Chair"
WHATS_NEXT = "We are becoming the Northshire Safeguarding Children Partnership in June 2019."
TAXI_ACTION = "Safeguarding/CSE training for taxi drivers"
FAMILY_T_EVENT = "Chronologies workshop"
BABY_S_EVENT = "Handover learning conference"


@dataclass
class SmallYear:
    period: ReportingPeriod
    board: Group
    executive: Group
    exploitation: Group
    esafety: Group
    panel: Group
    council: Organisation
    police: Organisation
    health: Organisation
    domestic_abuse: Priority
    child_exploitation: Priority
    family_t: CaseReview
    baby_s: CaseReview
    board_meeting: Meeting
    child_protection_entry: Entry
    taxi_action: Action
    risk: Risk

    @property
    def slug(self) -> str:
        return self.period.slug


# Partners' contributions: £100,000.00 in all.
CONTRIBUTIONS = [("council", "60000.00"), ("police", "25000.00"), ("health", "15000.00")]
# Training attendees: two full-day sessions held (30 and 20), one commissioned, one bespoke.
FULL_DAY_ATTENDEES = 30 + 20
COMMISSIONED_ATTENDEES = 9
BESPOKE_ATTENDEES = 6
# The child death panel's meetings and the cases each reviewed: 12 in all.
PANEL_MEETINGS = [
    (datetime.date(2018, 5, 11), 4),
    (datetime.date(2018, 9, 21), 2),
    (datetime.date(2019, 1, 18), 6),
]


def build_small_year() -> SmallYear:
    council = f.OrganisationFactory(
        name="Northshire County Council", short_name="NCC", sector="local_authority"
    )
    police = f.OrganisationFactory(name="Northshire Police", short_name="NP", sector="police")
    health = f.OrganisationFactory(
        name="Northshire Integrated Care Board", short_name="NICB", sector="health"
    )
    organisations = {"council": council, "police": police, "health": health}
    f.BoardFactory(
        name=BOARD_NAME,
        short_name="NSCB",
        word="Board",
        statutory_partners=[council, police, health],
    )

    period = f.PeriodFactory(
        training_note="Every session was evaluated by its attendees.",
        training_went_well="Attendance from health grew.",
        training_went_badly="Two sessions were cancelled for low enrolments.",
        outturn_note="Training charges were **higher** than planned.",
    )
    _write_sections(period)

    sources = [
        f.ReportSourceFactory(
            period=period, number=1, text="Office for National Statistics, 2018."
        ),
        f.ReportSourceFactory(
            period=period,
            number=2,
            text="Northshire children's services figures, 31 March 2019.",
            url="https://example.org/northshire/figures",
        ),
    ]
    f.KeyFigureFactory(
        period=period,
        position=1,
        value="36,950",
        description="children and young people live in Northshire",
        source=sources[0],
    )
    f.KeyFigureFactory(
        period=period,
        position=2,
        value="412",
        description="children were subject to a child protection plan",
        comparator="England: 43.7 per 10,000",
        source=sources[1],
    )

    domestic_abuse = f.PriorityFactory(name="Domestic abuse", slug="domestic-abuse", position=1)
    f.PriorityTextFactory(
        priority=domestic_abuse,
        period=period,
        lead_organisations=[police],
        went_well="Schools heard of every police call to a pupil's home by the next morning.",
        worried_about="Younger children were less often seen outside the home.",
        needs_to_happen="Health visitors hear of the calls too.",
    )
    child_exploitation = f.PriorityFactory(
        name="Child exploitation", slug="child-exploitation", position=2
    )
    f.PriorityTextFactory(priority=child_exploitation, period=period, lead_organisations=[council])

    board = f.GroupFactory(
        name=BOARD_NAME, short_name="Board", slug="board", kind=Group.Kind.BOARD, position=1
    )
    executive = f.GroupFactory(
        name="Executive Group", short_name="Executive", slug="executive", kind=Group.Kind.EXECUTIVE
    )
    exploitation = f.GroupFactory(
        name="Child Exploitation Subgroup",
        short_name="Child Exploitation",
        slug="child-exploitation",
        position=3,
    )
    f.GroupTermFactory(
        group=exploitation,
        period=period,
        purpose="The subgroup makes sure agencies work together against child exploitation.",
        aims="- Map where children are exploited\n- Train those who meet them",
        chair_name="Chris Example",
        chair_organisation=police,
    )
    esafety = f.GroupFactory(
        name="E-Safety Subgroup", short_name="E-Safety", slug="e-safety", position=4
    )
    panel = f.GroupFactory(
        name="Child Death Overview Panel",
        short_name="CDOP",
        slug="child-death-overview-panel",
        kind=Group.Kind.PANEL,
        position=5,
    )
    for organisation in organisations.values():
        f.MembershipFactory(group=board, organisation=organisation)

    baby_s = f.CaseReviewFactory(
        pseudonym="Baby S",
        kind=CaseReview.Kind.SERIOUS_CASE_REVIEW,
        group=exploitation,
        commissioned_on=datetime.date(2018, 2, 1),
        signed_off_on=datetime.date(2018, 10, 3),
        summary="Learning about the night-time handover between the two hospitals.",
        is_embargoed=True,
        embargo_reason=BABY_S_REASON,
    )
    family_t = f.CaseReviewFactory(
        pseudonym="Family T",
        kind=CaseReview.Kind.SERIOUS_CASE_REVIEW,
        group=exploitation,
        panel_notified_on=datetime.date(2018, 7, 23),
        commissioned_on=datetime.date(2018, 8, 1),
        signed_off_on=datetime.date(2019, 2, 14),
        summary="Learning about chronologies shared between agencies.",
    )
    family_t.priorities.add(child_exploitation)

    board_meeting = f.MeetingFactory(
        group=board, date=datetime.date(2018, 7, 10), title="Board meeting"
    )
    abuse = f.EntryFactory(meeting=board_meeting, position=1, text=DOMESTIC_ABUSE_AT_THE_BOARD)
    abuse.priorities.add(domestic_abuse)
    child_protection_entry = f.EntryFactory(
        meeting=board_meeting, position=2, text=CHILD_PROTECTION_UPDATE
    )
    f.EntryFactory(
        meeting=board_meeting,
        position=3,
        kind="difference",
        text="Families reach help sooner when police and schools share concerns.",
    )
    autumn = f.MeetingFactory(group=board, date=datetime.date(2018, 11, 27), title="Board meeting")
    f.EntryFactory(
        meeting=autumn,
        position=1,
        text="We heard the findings of a review of our subgroups:\n\n"
        "- Too many subgroups\n- Absence of the user voice",
    )
    f.EntryFactory(meeting=autumn, position=2, text=BABY_S_ENTRY, review=baby_s)
    f.EntryFactory(
        meeting=autumn,
        position=3,
        kind="voice",
        text="Young people told us they want to be asked before a plan is made.",
    )
    # The date of this one was lost: a placeholder date that no page or calendar shows.
    lost = f.MeetingFactory(
        group=board, date=datetime.date(2019, 3, 1), date_known=False, title="Board meeting"
    )
    f.EntryFactory(meeting=lost, text="We agreed the partnership's new arrangements.")
    executive_meeting = f.MeetingFactory(
        group=executive, date=datetime.date(2018, 9, 1), date_known=False, title=""
    )
    f.EntryFactory(meeting=executive_meeting, text="We checked the budget for the year.")
    for meeting in (board_meeting, autumn, lost):
        for key, organisation in organisations.items():
            f.AttendanceFactory(
                meeting=meeting,
                organisation=organisation,
                status="apologies" if key == "police" and meeting is autumn else "present",
            )

    june = f.MeetingFactory(group=exploitation, date=datetime.date(2018, 6, 12), title="")
    f.EntryFactory(meeting=june, position=1, text=TAXI_ENTRY)
    strategy = f.EntryFactory(meeting=june, position=2, text=DOMESTIC_ABUSE_STRATEGY)
    strategy.priorities.add(domestic_abuse)
    held_back = f.EntryFactory(
        meeting=june,
        position=3,
        text="We followed the Baby S review's learning on handovers.",
        review=baby_s,
    )
    held_back.priorities.add(child_exploitation)
    march = f.MeetingFactory(group=exploitation, date=datetime.date(2019, 3, 26), title="")
    f.EntryFactory(
        meeting=march, kind="difference", text="Hotels now report concerns about children."
    )
    december = f.MeetingFactory(group=esafety, date=datetime.date(2018, 12, 11), title="")
    refuges = f.EntryFactory(meeting=december, text=REFUGE_GUIDE)
    refuges.priorities.add(domestic_abuse)

    for day, cases in PANEL_MEETINGS:
        meeting = f.MeetingFactory(group=panel, date=day, title="Panel meeting")
        f.EntryFactory(meeting=meeting, text="The panel reviewed the deaths notified to it.")
        f.PanelCasesFactory(meeting=meeting, cases_reviewed=cases)
    _build_child_death_profile(period)

    work_plan = f.ActionPlanFactory(group=exploitation, title="Work plan 2018/19", period=period)
    taxi_action = f.ActionFactory(
        plan=work_plan,
        description=TAXI_ACTION,
        owner_organisation=council,
        status=Action.Status.IN_PROGRESS,
        rag="amber",
        due_on=datetime.date(2019, 3, 1),
    )
    taxi_action.priorities.add(child_exploitation)
    f.ProgressUpdateFactory(action=taxi_action, rag="red", note="No dates agreed yet.")
    f.ActionFactory(
        plan=work_plan,
        description="Map the hotels that children are taken to",
        status=Action.Status.COMPLETE,
        rag="green",
        completed_on=datetime.date(2019, 1, 15),
        evidence="Every hotel in the county is on the map.",
    )
    f.ActionFactory(
        plan=f.ActionPlanFactory(group=esafety, title="E-Safety plan 2018/19", period=period),
        description="Publish the guide for refuges",
    )
    review_plan = f.ActionPlanFactory(
        group=exploitation, title="Family T action plan", kind="review", review=family_t
    )
    chronologies = f.ActionFactory(
        plan=review_plan,
        description="Audit the use of chronologies",
        status=Action.Status.COMPLETE,
        completed_on=datetime.date(2019, 3, 1),
        evidence="Chronologies are now in 9 of 10 files.",
    )
    f.RecommendationFactory(
        review=family_t, number=1, text="Use chronologies.", agency=police, action=chronologies
    )
    f.RecommendationFactory(review=family_t, number=2, text="Share minutes with families.")
    f.RecommendationFactory(review=baby_s, number=1, text="Agree one handover record.")
    risk = f.RiskFactory(
        title="Too few places for children in crisis",
        owner_group=board,
        opened_on=datetime.date(2018, 6, 1),
    )
    f.RiskReviewFactory(
        risk=risk, meeting=autumn, date=autumn.date, note="Still high until the unit opens."
    )

    # The period says no thematic review was commissioned; learning events shared two
    # reviews' learning, one of them held back (its event reaches no public page).
    f.NilReturnFactory(period=period, kind=CaseReview.Kind.THEMATIC, what="commissioned", note="")
    f.LearningEventFactory(
        review=family_t,
        title=FAMILY_T_EVENT,
        date=datetime.date(2019, 3, 20),
        attendees=45,
        description="Practitioners practised writing a shared chronology.",
    )
    f.LearningEventFactory(
        review=baby_s,
        title=BABY_S_EVENT,
        date=datetime.date(2018, 12, 5),
        description="The night-time handover, told by the midwives who changed it.",
    )

    audit = f.AuditFactory(
        title="Multi-agency audit of neglect",
        lead_group=exploitation,
        date=datetime.date(2018, 9, 20),
        findings="- Agencies record neglect consistently\n- Fathers are rarely asked",
    )
    for title, kind, day, record in [
        (
            "Neglect audit learning briefing",
            "briefing",
            datetime.date(2018, 12, 1),
            {"audit": audit},
        ),
        ("Family T learning log", "learning_log", datetime.date(2019, 3, 10), {"review": family_t}),
        ("Baby S learning log", "learning_log", datetime.date(2018, 11, 1), {"review": baby_s}),
    ]:
        f.LearningMaterialFactory(
            title=title,
            kind=kind,
            published_on=day,
            url=f"https://example.org/northshire/learning/{day:%Y-%m-%d}",
            summary=f"What the partners learned, in the {kind.replace('_', ' ')}.",
            **record,
        )

    _build_training(period, organisations, domestic_abuse)

    for key, amount in CONTRIBUTIONS:
        f.ContributionFactory(
            period=period, organisation=organisations[key], amount=Decimal(amount)
        )
    f.OtherIncomeFactory(period=period, category="training_charges", amount=Decimal("1500.00"))
    f.SpendingFactory(period=period, category="staff", amount=Decimal("90000.00"))
    f.SpendingFactory(period=period, category="training", amount=Decimal("8000.00"))
    f.BudgetLineFactory(
        period=period,
        category="Business unit staff",
        planned=Decimal("92000.00"),
        actual=Decimal("90000.00"),
    )
    f.BudgetFactory(period=period, surplus_decision="The underspend goes to reserves.")
    f.InKindContributionFactory(
        period=period, organisation=organisations["police"], description="Trainer days"
    )

    _build_casework_figures(period)
    _build_people_in_roles(period, organisations)

    if not AccessibilityStatement.objects.exists():
        f.AccessibilityStatementFactory(
            compliance=AccessibilityStatement.Compliance.PARTIAL,
            known_issues="- Learning materials partners publish elsewhere may not be accessible.",
        )

    period_publish(period=period, accept_missing=True)
    period.refresh_from_db()
    return SmallYear(
        period=period,
        board=board,
        executive=executive,
        exploitation=exploitation,
        esafety=esafety,
        panel=panel,
        council=council,
        police=police,
        health=health,
        domestic_abuse=domestic_abuse,
        child_exploitation=child_exploitation,
        family_t=family_t,
        baby_s=baby_s,
        board_meeting=board_meeting,
        child_protection_entry=child_protection_entry,
        taxi_action=taxi_action,
        risk=risk,
    )


def _write_sections(period: ReportingPeriod) -> None:
    """The period's default list of sections, with the board's words in its narratives."""
    words = {
        "foreword": (FOREWORD, FOREWORD_SIGNATURE),
        "local-context": ("Northshire is a county of towns and villages.", ""),
        "whats-next": (WHATS_NEXT, ""),
        "scrutiny": ("The scrutineer found the partners work well together.", ""),
    }
    for section in period.report_sections.filter(slug__in=words):
        section.introduction, section.signature = words[section.slug]
        section.save()


def _build_child_death_profile(period: ReportingPeriod) -> None:
    """The panel's yearly profile: a figure set named by the child death review's section."""
    profile = f.FigureSetFactory(
        period=period, title="Child death profile", slug="child-death-profile"
    )
    for position, (key, label, value) in enumerate(
        [
            ("deaths-notified", "Deaths notified", 14),
            ("reviews-completed", "Reviews completed", 12),
            ("reviews-pending", "Reviews pending", 5),
        ]
    ):
        f.FigureFactory(
            figure_set=profile, position=position, key=key, label=label, value=Decimal(value)
        )
    period.report_sections.filter(kind="child-deaths").update(figure_set=profile)


def _build_casework_figures(period: ReportingPeriod) -> None:
    """A figure set: casework figures, one of them not recorded, one out of a denominator."""
    casework = f.FigureSetFactory(
        period=period, title="Casework figures", slug="casework", source="Northshire casework"
    )
    for position, (key, label, value, unit, denominator) in enumerate(
        [
            (
                "lado-allegations",
                "Allegations managed by the designated officer",
                212,
                "count",
                None,
            ),
            ("private-fostering", "Private fostering notifications", None, "count", None),
            ("return-interviews", "Return interviews within 72 hours", 64, "percentage", 150),
        ]
    ):
        figure = f.FigureFactory(
            figure_set=casework,
            position=position,
            key=key,
            label=label,
            value=None if value is None else Decimal(value),
            unit=unit,
            denominator=denominator,
        )
        if key == "lado-allegations":
            for n, (agency, value) in enumerate([("Education", 90), ("Police", 70)]):
                f.FigureBreakdownFactory(
                    figure=figure, dimension="agency", label=agency, value=value, position=n
                )
    f.ReportSectionFactory(
        period=period,
        kind="figure-set",
        title="Casework figures",
        slug="casework",
        introduction="",
        figure_set=casework,
    )


def _build_people_in_roles(period: ReportingPeriod, organisations: dict) -> None:
    """Who led the board: the independent chair (who signs the foreword), a scrutineer
    appointed in the year, the business manager, the partners' lead officers, a link with
    the adults' board; and a chair who stood down before the year began."""
    for name, role, extra in [
        ("Pat Example", "independent_chair", {"starts_on": datetime.date(2015, 9, 1)}),
        ("Lee Earlier", "independent_chair", {"ends_on": datetime.date(2015, 8, 31)}),
        ("Sky Scrutineer", "independent_scrutineer", {"starts_on": datetime.date(2018, 10, 1)}),
        ("Mo Manager", "business_manager", {}),
        (
            "Dee Director",
            "lead_officer",
            {"title": "Chief Executive", "organisation": organisations["council"]},
        ),
        (
            "Con Stable",
            "lead_officer",
            {"title": "Chief Constable", "organisation": organisations["police"]},
        ),
        (
            "Ann Officer",
            "lead_officer",
            {
                "title": "Chief Executive of the Integrated Care Board",
                "organisation": organisations["health"],
            },
        ),
        ("Ada Adults", "link", {"other_board": "Northshire Safeguarding Adults Board"}),
    ]:
        f.AppointmentFactory(person=f.PersonFactory(name=name), role=role, **extra)
    f.ReportSectionFactory(
        period=period,
        kind="governance",
        title="Who leads the Board",
        slug="governance",
        introduction="",
    )


def _build_training(period, organisations, domestic_abuse) -> None:
    working_together = f.CourseFactory(title="Working Together to Safeguard Children")
    abuse_course = f.CourseFactory(title="Domestic Abuse and Child Protection")
    abuse_course.priorities.add(domestic_abuse)
    trainer = f.TrainerFactory(name="Terry Trainer", organisation=organisations["health"])
    trainer.requirements_met.add(f.PoolRequirementFactory(text="Has taught adults for a year"))

    held = f.SessionFactory(
        course=working_together, date=datetime.date(2018, 6, 5), trainer=trainer
    )
    for key, attendees in [("council", 12), ("police", 8), ("health", 10)]:
        f.SessionAttendanceFactory(
            session=held, organisation=organisations[key], booked=attendees, attendees=attendees
        )
    f.EvaluationFactory(
        session=held, organisation=organisations["council"], rating=5, comment="Clear and useful."
    )
    # This session stands in for ones whose records were lost: the counts of sessions are
    # then unknown, and stay blank on the page and in the data.
    stand_in = f.SessionFactory(
        course=abuse_course, date=datetime.date(2018, 10, 2), is_illustrative=True
    )
    for key, attendees in [("council", 15), ("health", 5)]:
        f.SessionAttendanceFactory(
            session=stand_in, organisation=organisations[key], booked=attendees, attendees=attendees
        )
    for day, reason in [
        (datetime.date(2018, 7, 3), "trainer_illness"),
        (datetime.date(2018, 11, 6), "low_enrolments"),
        (datetime.date(2018, 12, 4), "trainer_unavailable"),
        (datetime.date(2019, 2, 5), "low_enrolments"),
    ]:
        f.SessionFactory(
            course=working_together,
            date=day,
            status=Session.Status.CANCELLED,
            cancellation_reason=reason,
            places=None,
        )
    commissioned = f.SessionFactory(
        course=f.CourseFactory(title="Family Outcomes Star"),
        date=datetime.date(2018, 9, 12),
        delivery=Session.Delivery.COMMISSIONED,
        joint_with_adults_board=True,
    )
    f.SessionAttendanceFactory(
        session=commissioned,
        organisation=organisations["council"],
        booked=COMMISSIONED_ATTENDEES,
        attendees=COMMISSIONED_ATTENDEES,
    )
    bespoke = f.SessionFactory(
        course=working_together,
        date=datetime.date(2019, 1, 22),
        kind=Session.Kind.BESPOKE,
        description="a bespoke session for a children's home",
    )
    f.SessionAttendanceFactory(
        session=bespoke,
        organisation=organisations["council"],
        booked=BESPOKE_ATTENDEES,
        attendees=BESPOKE_ATTENDEES,
    )
