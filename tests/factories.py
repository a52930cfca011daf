"""Factories for the records of a small year: a period, a group with its plan, a meeting, reviews,
training and funding. Each builds a valid record with the fewest fields; tests set what matters."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from factory.django import DjangoModelFactory

from bscb.core.models import (
    AccessibilityStatement,
    Appointment,
    Board,
    KeyFigure,
    Organisation,
    Person,
    Priority,
    PriorityText,
    ReportingPeriod,
)
from bscb.core.models import Source as ReportSource
from bscb.notices.models import Notice, Preference
from bscb.reports.models import (
    AgencyStatement,
    Figure,
    FigureBreakdown,
    FigureSet,
    Programme,
    ProgrammeReport,
    ReportSection,
)
from funding.models import (
    Budget,
    BudgetLine,
    Contribution,
    InKindContribution,
    OtherIncome,
    Spending,
)
from meetings.models import AgendaItem, Attendance, Entry, Meeting, Paper
from reviews.models import (
    Audit,
    CaseReview,
    LearningEvent,
    LearningMaterial,
    NilReturn,
    PanelCases,
    Recommendation,
)
from subgroups.models import (
    Action,
    ActionPlan,
    EscalationNotice,
    Group,
    GroupTerm,
    Membership,
    ProgressUpdate,
    Risk,
    RiskReview,
)
from training.models import Course, Evaluation, PoolRequirement, Session, SessionAttendance, Trainer


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a long demo password")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(AuthGroup.objects.get(name=name))


class BoardFactory(DjangoModelFactory):
    """The installation's one board: the factory sets its fields, made or not."""

    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = "Buckinghamshire Safeguarding Children Board"
    short_name = "BSCB"
    word = "Board"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        board, _ = model_class.objects.update_or_create(id=model_class.ONE, defaults=kwargs)
        return board

    @factory.post_generation
    def statutory_partners(self, create, extracted, **kwargs):
        if extracted:
            self.statutory_partners.set(extracted)


class PeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ["slug"]

    name = "2018/19"
    slug = "2018-19"
    start = datetime.date(2018, 4, 1)
    end = datetime.date(2019, 3, 31)


class ReportSectionFactory(DjangoModelFactory):
    class Meta:
        model = ReportSection

    period = factory.SubFactory(PeriodFactory)
    kind = "narrative"
    title = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(lambda n: 100 + n)
    introduction = "Words the board wrote."


class FigureSetFactory(DjangoModelFactory):
    class Meta:
        model = FigureSet

    period = factory.SubFactory(PeriodFactory)
    title = "Child death profile"
    slug = "child-death-profile"


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = Figure

    figure_set = factory.SubFactory(FigureSetFactory)
    position = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Figure {n}")
    key = factory.Sequence(lambda n: f"figure-{n}")
    value = Decimal(12)
    unit = Figure.Unit.COUNT


class FigureBreakdownFactory(DjangoModelFactory):
    class Meta:
        model = FigureBreakdown

    figure = factory.SubFactory(FigureFactory)
    dimension = FigureBreakdown.Dimension.AGE_BAND
    label = factory.Sequence(lambda n: f"Band {n}")
    value = Decimal(1)
    position = factory.Sequence(lambda n: n)


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner agency {n}")
    sector = Organisation.Sector.HEALTH


class PriorityFactory(DjangoModelFactory):
    class Meta:
        model = Priority

    name = factory.Sequence(lambda n: f"Priority {n}")
    slug = factory.Sequence(lambda n: f"priority-{n}")


class PriorityTextFactory(DjangoModelFactory):
    """A priority as one period's report words it."""

    class Meta:
        model = PriorityText
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    period = factory.SubFactory(PeriodFactory)
    wording = factory.LazyAttribute(lambda o: o.priority.name)

    @factory.post_generation
    def lead_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.lead_organisations.set(extracted)


class KeyFigureFactory(DjangoModelFactory):
    class Meta:
        model = KeyFigure

    period = factory.SubFactory(PeriodFactory)
    value = "42"
    description = "children subject to a plan"


class ReportSourceFactory(DjangoModelFactory):
    class Meta:
        model = ReportSource

    period = factory.SubFactory(PeriodFactory)
    number = 1
    text = "Local authority figures, 31 March 2019."


class AccessibilityStatementFactory(DjangoModelFactory):
    class Meta:
        model = AccessibilityStatement

    contact_email = "board@example.org"
    tested_on = datetime.date(2019, 5, 1)
    prepared_on = datetime.date(2019, 5, 2)
    reviewed_on = datetime.date(2019, 5, 3)


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Subgroup {n}")
    short_name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")


class GroupTermFactory(DjangoModelFactory):
    """A group as one period's report describes it."""

    class Meta:
        model = GroupTerm

    group = factory.SubFactory(GroupFactory)
    period = factory.SubFactory(PeriodFactory)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ActionPlanFactory(DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"Action plan {n}")
    group = factory.SubFactory(GroupFactory)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    plan = factory.SubFactory(ActionPlanFactory)
    description = factory.Sequence(lambda n: f"Audit the referral pathway, step {n}")
    due_on = datetime.date(2019, 3, 1)


class ProgressUpdateFactory(DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    date = datetime.date(2019, 1, 10)
    rag = "amber"
    note = "Half the agencies have replied."


class RiskFactory(DjangoModelFactory):
    class Meta:
        model = Risk

    title = factory.Sequence(lambda n: f"Risk {n}")
    owner_group = factory.SubFactory(GroupFactory)
    likelihood = 3
    impact = 4


class RiskReviewFactory(DjangoModelFactory):
    class Meta:
        model = RiskReview

    risk = factory.SubFactory(RiskFactory)
    date = datetime.date(2019, 2, 1)
    note = "Still high: the new pathway is not in place yet."


class EscalationNoticeFactory(DjangoModelFactory):
    class Meta:
        model = EscalationNotice

    item_key = factory.Sequence(lambda n: f"action-{n}-2019-03-01")
    sent_on = datetime.date(2019, 3, 2)
    recipients = "chair@example.org"


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    date = datetime.date(2018, 11, 14)
    title = "Quarterly meeting"


def pdf_bytes(pages: int = 1, width: float = 300) -> bytes:
    """A small PDF of blank pages: its page width tells one paper's pages from another's."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=400)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
    presenter = "Chair of the board"


class PaperFactory(DjangoModelFactory):
    class Meta:
        model = Paper

    agenda_item = factory.SubFactory(AgendaItemFactory)
    meeting = factory.SelfAttribute("agenda_item.meeting")
    title = factory.Sequence(lambda n: f"Paper {n}")
    file = factory.django.FileField(filename="paper.pdf", data=pdf_bytes())


class EntryFactory(DjangoModelFactory):
    class Meta:
        model = Entry

    meeting = factory.SubFactory(MeetingFactory)
    text = "The board heard the exploitation subgroup's update."


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class CaseReviewFactory(DjangoModelFactory):
    class Meta:
        model = CaseReview

    pseudonym = factory.Sequence(lambda n: f"Child {chr(65 + n % 26)}{n}")
    kind = CaseReview.Kind.PRACTICE_REVIEW
    commissioned_on = datetime.date(2018, 6, 1)
    signed_off_on = datetime.date(2018, 10, 3)
    summary = "Learning about handovers between hospitals."

    class Params:
        embargoed = factory.Trait(
            is_embargoed=True,
            embargo_reason="Criminal proceedings are still running.",
            embargo_release_on=datetime.date(2030, 1, 1),
        )


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(CaseReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "Agencies share a single handover record."


class AuditFactory(DjangoModelFactory):
    class Meta:
        model = Audit

    title = factory.Sequence(lambda n: f"Multi-agency audit {n}")
    date = datetime.date(2018, 9, 1)


class LearningMaterialFactory(DjangoModelFactory):
    class Meta:
        model = LearningMaterial

    title = factory.Sequence(lambda n: f"Learning briefing {n}")


class PanelCasesFactory(DjangoModelFactory):
    class Meta:
        model = PanelCases

    meeting = factory.SubFactory(MeetingFactory, title="Panel meeting", group__kind="panel")
    cases_reviewed = 3


class NilReturnFactory(DjangoModelFactory):
    class Meta:
        model = NilReturn

    period = factory.SubFactory(PeriodFactory)
    kind = CaseReview.Kind.PRACTICE_REVIEW
    what = NilReturn.What.COMMISSIONED


class LearningEventFactory(DjangoModelFactory):
    class Meta:
        model = LearningEvent

    review = factory.SubFactory(CaseReviewFactory)
    title = factory.Sequence(lambda n: f"Learning event {n}")
    date = datetime.date(2018, 11, 20)


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Working together course {n}")


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    date = datetime.date(2018, 10, 10)
    status = Session.Status.HELD
    places = 30


class SessionAttendanceFactory(DjangoModelFactory):
    class Meta:
        model = SessionAttendance

    session = factory.SubFactory(SessionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    booked = 5
    attendees = 4


class TrainerFactory(DjangoModelFactory):
    class Meta:
        model = Trainer

    name = factory.Sequence(lambda n: f"Trainer {n}")


class PoolRequirementFactory(DjangoModelFactory):
    class Meta:
        model = PoolRequirement

    text = factory.Sequence(lambda n: f"Requirement {n}")


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    session = factory.SubFactory(SessionFactory)
    rating = 4


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = Contribution

    period = factory.SubFactory(PeriodFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    amount = Decimal("12000.00")


class OtherIncomeFactory(DjangoModelFactory):
    class Meta:
        model = OtherIncome

    period = factory.SubFactory(PeriodFactory)
    category = OtherIncome.Category.TRAINING_CHARGES
    amount = Decimal("1500.00")


class SpendingFactory(DjangoModelFactory):
    class Meta:
        model = Spending

    period = factory.SubFactory(PeriodFactory)
    category = Spending.Category.STAFF
    amount = Decimal("90000.00")


class BudgetFactory(DjangoModelFactory):
    class Meta:
        model = Budget

    period = factory.SubFactory(PeriodFactory)


class BudgetLineFactory(DjangoModelFactory):
    class Meta:
        model = BudgetLine

    period = factory.SubFactory(PeriodFactory)
    direction = BudgetLine.Direction.SPENDING
    category = factory.Sequence(lambda n: f"Budget line {n}")
    planned = Decimal("10000.00")
    actual = Decimal("9500.00")


class InKindContributionFactory(DjangoModelFactory):
    class Meta:
        model = InKindContribution

    period = factory.SubFactory(PeriodFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    description = "Trainer days"
    quantity = Decimal("12")
    unit = "days"


class AgencyStatementFactory(DjangoModelFactory):
    class Meta:
        model = AgencyStatement

    period = factory.SubFactory(PeriodFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    author_role = "Chief Executive"
    statement = "We kept children safe this year."
    position = factory.Sequence(lambda n: n)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")

    @factory.post_generation
    def priorities(self, create, extracted, **kwargs):
        if extracted:
            self.priorities.set(extracted)


class ProgrammeReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeReport

    programme = factory.SubFactory(ProgrammeFactory)
    period = factory.SubFactory(PeriodFactory)
    status = ProgrammeReport.Status.RUNNING
    progress = "Practitioners used it with families."


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")


class AppointmentFactory(DjangoModelFactory):
    """An independent scrutineer with no dates recorded, unless the test says otherwise."""

    class Meta:
        model = Appointment

    person = factory.SubFactory(PersonFactory)
    role = Appointment.Role.INDEPENDENT_SCRUTINEER


class NoticeFactory(DjangoModelFactory):
    class Meta:
        model = Notice

    kind = "papers_circulated"
    recipient = factory.Sequence(lambda n: f"reader{n}@example.org")
    object_key = factory.Sequence(lambda n: f"meeting:{n}")
    subject = "Agenda and papers: Quarterly meeting"
    body_text = "The agenda and papers are out."
    status = "sent"
    sent_at = factory.LazyFunction(lambda: datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC))


class PreferenceFactory(DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    kind = "papers_circulated"
    delivery = "digest"
