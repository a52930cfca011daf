"""Report pages need the same number of queries whatever the number of meetings."""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bscb.core.models import Organisation, Priority, PriorityText
from meetings.models import Meeting, Paper

# Every live report page (a draft, or a period published before editions) also asks:
# which editions are current (the middleware: one small query; the answer "no stored page
# here" is remembered until that changes), is there a stored edition page (the view), is the period
# frozen, the report's section records, which groups have sections, are there key
# figures, sources, programmes reported, agency statements (for the previous and next
# links), the board's record once, for the page's parts and its frame alike, the
# generation of the records (bscb.core.changes) its section body is kept under, and, for
# the public, the names of the reviews held back (taken out wherever they were typed).
LIVE_PAGE = 12


@pytest.fixture(autouse=True)
def _board(db):
    # An installation has its board: made on first use, which a page counted here is not.
    from tests.factories import BoardFactory

    BoardFactory()


def add_meetings(group, priority, count):
    from subgroups.models import ActionPlan, ProgressUpdate

    plan, _ = ActionPlan.objects.get_or_create(group=group, title="Work plan")
    for n in range(count):
        action = plan.actions.create(description=f"Action {n}", due_on=datetime.date(2019, 3, 1))
        action.priorities.add(priority)
        ProgressUpdate.objects.create(
            action=action, rag="amber", note="Going", date=datetime.date(2018, 9, 1)
        )
    for n in range(count):
        meeting = Meeting.objects.create(
            group=group, date=datetime.date(2018, 4, 2) + datetime.timedelta(days=n)
        )
        for kind in ["did", "did", "difference"]:
            entry = meeting.entries.create(
                kind=kind, text=f"Entry of meeting {n}, with a [link](https://example.org/{n})."
            )
            entry.priorities.add(priority)


def queries_for(client, url):
    # Once first, as a server that has been running a while: the stored-page middleware
    # remembers, per generation of the editions, what it found for the address.
    client.get(url)
    # The section's body drawn from the records, as after any change to them; read again at
    # the same generation of the records it is not (test_a_report_page_is_drawn_once_...).
    caches["drawn"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def priority(year):
    police = Organisation.objects.create(name="Thames Valley Police", sector="police")
    priority = Priority.objects.create(name="Domestic abuse", slug="domestic-abuse")
    PriorityText.objects.create(
        priority=priority, period=year, wording="Domestic abuse"
    ).lead_organisations.add(police)
    return priority


@pytest.mark.parametrize("page", ["board", "group"])
def test_report_pages_need_the_same_queries_with_ten_times_the_meetings(
    client, year, board, exploitation, priority, page
):
    group = board if page == "board" else exploitation
    url = (
        reverse("section", args=[year.slug, "board"])
        if page == "board"
        else reverse("group_detail", args=[year.slug, group.slug])
    )
    add_meetings(group, priority, 3)
    few = queries_for(client, url)
    add_meetings(group, priority, 27)
    many = queries_for(client, url)
    assert many == few
    # Board page: the period, its groups, their records for the period, their public
    # meetings, the meetings' entries, the count of all their meetings with which of them
    # have meetings for a calendar (one query), the period's
    # priorities with their texts, their lead organisations, the actions tagged with them,
    # the actions' updates and priorities.
    # Group page: the period, the group's record for the period, its meetings, their
    # entries, whether it has meetings for a calendar, the group's actions and their updates (the group itself comes with the
    # report's sections), and its record again for the page's description.
    assert few == LIVE_PAGE + (11 if page == "board" else 8)


def add_partners_and_board_meetings(period, board, count, first_day):
    from decimal import Decimal

    from funding.models import Contribution
    from meetings.models import Attendance
    from subgroups.models import Membership

    organisations = [
        Organisation.objects.create(name=f"Partner {first_day.isoformat()} {n}", sector="health")
        for n in range(count)
    ]
    for organisation in organisations:
        Contribution.objects.create(
            period=period, organisation=organisation, amount=Decimal("100.00")
        )
        Membership.objects.create(group=board, organisation=organisation)
    for n in range(count):
        meeting = Meeting.objects.create(group=board, date=first_day + datetime.timedelta(days=n))
        for organisation in organisations[:3]:
            Attendance.objects.create(meeting=meeting, organisation=organisation)


@pytest.mark.parametrize("section", ["funding", "who-attends"])
def test_funding_and_who_attends_need_the_same_queries_with_ten_times_the_records(
    client, year, board, section
):
    url = reverse("section", args=[year.slug, section])
    add_partners_and_board_meetings(year, board, 2, datetime.date(2018, 5, 1))
    few = queries_for(client, url)
    add_partners_and_board_meetings(year, board, 18, datetime.date(2018, 6, 1))
    many = queries_for(client, url)
    assert many == few
    # Funding: the period, the previous period, contributions with their partners,
    # other income, spending by category, the budget, its lines, contributions in kind.
    # Who attends: the period, memberships with groups and organisations, Board
    # meetings, their attendance.
    assert few == LIVE_PAGE + (8 if section == "funding" else 4)


def add_sessions(count, first_day):
    from training.models import Course, Session, SessionAttendance, Trainer

    course, _ = Course.objects.get_or_create(title="Neglect")
    trainer = Trainer.objects.create(name=f"Trainer {first_day}")
    council, _ = Organisation.objects.get_or_create(
        name="Council", defaults={"sector": "local_authority"}
    )
    police, _ = Organisation.objects.get_or_create(name="Police", defaults={"sector": "police"})
    for n in range(count):
        day = first_day + datetime.timedelta(days=n)
        session = Session.objects.create(course=course, date=day, status="held", trainer=trainer)
        SessionAttendance.objects.create(session=session, organisation=council, attendees=5)
        SessionAttendance.objects.create(session=session, organisation=police, attendees=3)
    Session.objects.create(
        course=course, date=first_day, status="cancelled", cancellation_reason="low_enrolments"
    )


def test_the_training_section_needs_the_same_queries_with_ten_times_the_sessions(client, year):
    url = reverse("section", args=[year.slug, "training"])
    add_sessions(3, datetime.date(2018, 5, 1))
    few = queries_for(client, url)
    add_sessions(27, datetime.date(2018, 8, 1))
    many = queries_for(client, url)
    assert many == few
    # The period, sessions with their course and attendee totals, attendees by
    # sector, the pool's trainers with the sessions they delivered.
    assert few == LIVE_PAGE + 4


def test_a_published_editions_page_needs_one_query_however_large_the_report(
    client, year, board, priority
):
    from bscb.reports.editions import period_publish

    add_meetings(board, priority, 30)
    period_publish(period=year, accept_missing=True)
    for url in [
        reverse("period_detail", args=[year.slug]),
        reverse("section", args=[year.slug, "board"]),
        reverse("full_report", args=[year.slug]),
    ]:
        # Which editions are current (bscb.reports.editions.current_generation), so that
        # every app server notices a new edition at once; the page itself is in memory.
        assert queries_for(client, url) == 1, url


def test_a_replaced_editions_page_needs_two_queries_however_large_the_report(
    client, year, board, priority
):
    from bscb.reports.editions import period_publish

    def replaced_pages_queries():
        period_publish(period=year, accept_missing=True)
        period_publish(period=year, accept_missing=True)
        number = year.editions.filter(is_current=False).order_by("number").last().number
        own = f"/{year.slug}/editions/{number}/"
        return [
            queries_for(client, url)
            for url in [own, f"{own}board/", f"{own}report/", f"{own}data/"]
        ]

    add_meetings(board, priority, 3)
    few = replaced_pages_queries()
    # The stored page with its edition, period and the current edition's number and date
    # and whether it has the same page (one query); the board's record for the frame.
    assert few == [2, 2, 2, 2]
    add_meetings(board, priority, 30)
    assert replaced_pages_queries() == few


def add_evidence(period, group, priority, count, first_day):
    """Records of every kind the statutory check counts, `count` of each."""
    from bscb.reports.models import ReportSection
    from tests import factories as f

    add_meetings(group, priority, count)
    for n in range(count):
        figure_set = f.FigureSetFactory(
            period=period, title=f"Set {first_day}-{n}", slug=f"set-{first_day}-{n}"
        )
        f.FigureFactory(figure_set=figure_set)
        ReportSection.objects.create(
            period=period,
            kind="figure-set",
            title=f"Set {first_day}-{n}",
            slug=f"set-{first_day}-{n}",
            figure_set=figure_set,
        )
        f.AgencyStatementFactory(period=period)
        f.ProgrammeReportFactory(period=period)
        f.AuditFactory(date=datetime.date(2018, 5, first_day))
        f.ContributionFactory(period=period)


def test_the_statutory_check_on_the_front_page_needs_the_same_queries_with_ten_times_the_records(
    client, support_officer, year, board, priority
):
    from bscb.core.models import ReportingPeriod

    draft = year
    draft.status = ReportingPeriod.Status.DRAFT
    draft.save()
    client.force_login(support_officer)
    add_evidence(draft, board, priority, 3, 1)
    few = queries_for(client, reverse("admin:index"))
    add_evidence(draft, board, priority, 27, 2)
    many = queries_for(client, reverse("admin:index"))
    assert "The 2018/19 draft misses" in client.get(reverse("admin:index")).content.decode()
    assert many == few


def add_agenda(meeting, count):
    """`count` open items and `count` confidential ones, each with two papers."""
    from tests import factories as f

    for n in range(count):
        for confidential in (False, True):
            item = f.AgendaItemFactory(
                meeting=meeting, title=f"Item {n} {confidential}", is_confidential=confidential
            )
            f.PaperFactory.create_batch(2, agenda_item=item)


def test_the_public_meetings_pages_need_the_same_queries_with_ten_times_the_items(client, db):
    from django.utils import timezone

    from tests import factories as f

    group = f.GroupFactory(publishes_agendas=True, publishes_papers=True)
    soon = timezone.localdate() + datetime.timedelta(days=10)
    meetings = [f.MeetingFactory(group=group, date=soon) for _ in range(3)]
    published = timezone.now()
    Meeting.objects.update(agenda_published_at=published, papers_circulated_at=published)
    for meeting in meetings:
        add_agenda(meeting, 1)
    listing, page = reverse("upcoming_meetings"), reverse("public_meeting", args=[meetings[0].pk])
    Paper.objects.update(circulated_at=published)
    few = (queries_for(client, listing), queries_for(client, page))
    for meeting in meetings:
        add_agenda(meeting, 9)
    Paper.objects.update(circulated_at=published)
    for _ in range(27):
        f.MeetingFactory(group=group, date=soon, agenda_published_at=published)
    many = (queries_for(client, listing), queries_for(client, page))
    assert many == few
    assert client.get(page).content.decode().count("/papers/") == 20
    # Both ask whether a stored edition page answers the address (the middleware) and the
    # board's record. Then the list: the meetings with their groups and open items counted,
    # the groups with past minutes counted; the page: the meeting with its group, its open
    # items, their papers, the count of all.
    assert few == (4, 6)


def add_minuted_agenda(meeting, plan, count):
    """`count` open and `count` confidential items with minutes, decisions, papers and an
    action arising each."""
    from tests import factories as f

    for n in range(count):
        for confidential in (False, True):
            item = f.AgendaItemFactory(
                meeting=meeting,
                title=f"Item {n} {confidential}",
                is_confidential=confidential,
                minutes_text=f"Minutes of item {n}.",
                decisions=f"- Decision {n}.",
            )
            f.PaperFactory.create_batch(2, agenda_item=item)
            f.ActionFactory(plan=plan, arose_from=item, due_on=None)


def test_approved_minutes_and_the_workspace_meeting_need_the_same_queries_with_ten_times_the_items(
    client, db
):
    from django.utils import timezone

    from tests import factories as f

    group = f.GroupFactory(publishes_agendas=True, publishes_papers=True)
    plan = f.ActionPlanFactory(group=group)
    met = f.MeetingFactory(group=group, date=timezone.localdate() - datetime.timedelta(days=40))
    later = f.MeetingFactory(group=group, date=timezone.localdate() - datetime.timedelta(days=5))
    published = timezone.now() - datetime.timedelta(days=50)
    Meeting.objects.filter(pk=met.pk).update(
        agenda_published_at=published,
        papers_circulated_at=published,
        minutes_status="approved",
        minutes_approved_at=later,
    )
    chair = f.UserFactory(username="chair")
    group.chairs.add(chair)
    public = reverse("public_meeting", args=[met.pk])
    workspace = reverse("workspace_meetings:meeting", args=[met.pk])

    def counts():
        client.logout()
        anonymous = queries_for(client, public)
        client.force_login(chair)
        return anonymous, queries_for(client, workspace)

    add_minuted_agenda(met, plan, 1)
    few = counts()
    add_minuted_agenda(met, plan, 9)
    many = counts()
    assert many == few
    assert "Minutes of item 8." in client.get(workspace).content.decode()


def add_cycle_meetings(group, count, days_from_today):
    """`count` meetings on the day, each with a member's attendance and two agenda items."""
    from django.utils import timezone

    from tests import factories as f

    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    for _ in range(count):
        meeting = f.MeetingFactory(group=group, date=day)
        f.AttendanceFactory.create_batch(2, meeting=meeting)
        f.AgendaItemFactory.create_batch(2, meeting=meeting)


def test_the_meeting_cycle_needs_the_same_queries_with_ten_times_the_meetings(
    client, support_officer
):
    from tests import factories as f

    group = f.GroupFactory()
    f.MembershipFactory.create_batch(3, group=group, person=f.PersonFactory())
    client.force_login(support_officer)
    add_cycle_meetings(group, 1, -7)
    add_cycle_meetings(group, 1, 3)
    add_cycle_meetings(group, 1, 30)
    few = queries_for(client, reverse("admin:meetings_meeting_cycle"))
    add_cycle_meetings(group, 9, -7)
    add_cycle_meetings(group, 9, 3)
    add_cycle_meetings(group, 9, 30)
    many = queries_for(client, reverse("admin:meetings_meeting_cycle"))
    assert many == few


def test_recording_a_meeting_in_the_back_office_needs_the_same_queries_with_ten_times_its_parts(
    client, support_officer
):
    """The one screen a meeting is recorded on: its agenda, papers, entries and register."""
    from tests import factories as f

    group = f.GroupFactory()
    meeting = f.MeetingFactory(group=group)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    def add_parts(count):
        for _ in range(count):
            item = f.AgendaItemFactory(meeting=meeting)
            f.PaperFactory(agenda_item=item)
            f.EntryFactory(meeting=meeting)
            f.AttendanceFactory(meeting=meeting)

    client.force_login(support_officer)
    add_parts(1)
    queries_for(client, url)  # the content types' cache, filled once per process
    few = queries_for(client, url)
    add_parts(9)
    many = queries_for(client, url)
    assert many == few


def add_past_meetings(group, count):
    """`count` meetings held, their minutes approved at a later one."""
    from django.utils import timezone

    from tests import factories as f

    later = f.MeetingFactory(group=group, date=timezone.localdate())
    for n in range(count):
        f.MeetingFactory(
            group=group,
            date=timezone.localdate() - datetime.timedelta(days=10 + n),
            title="",  # named after its group on the page
            minutes_status="approved",
            minutes_approved_at=later,
        )


def test_the_past_meetings_pages_need_the_same_queries_with_ten_times_the_meetings(client, db):
    from tests import factories as f

    groups = [f.GroupFactory(publishes_agendas=True) for _ in range(2)]
    for group in groups:
        add_past_meetings(group, 3)
    listing, past = reverse("upcoming_meetings"), reverse("past_meetings", args=[groups[0].slug])
    few = (queries_for(client, listing), queries_for(client, past))
    for group in groups:
        add_past_meetings(group, 27)
    many = (queries_for(client, listing), queries_for(client, past))
    assert many == few
    # Both ask whether a stored edition page answers the address and the board's record.
    # The list: the coming meetings, the groups with past minutes counted; the past page:
    # the group, the count of its meetings, a page of them.
    assert few == (4, 5)


def test_the_meetings_back_office_page_needs_the_same_queries_with_ten_times_the_actions_arising(
    client, support_officer, board_reader
):
    """The actions arising are read in one query, with their items, owners and plans."""
    from tests import factories as f

    group = f.GroupFactory()
    plan = f.ActionPlanFactory(group=group)
    meeting = f.MeetingFactory(group=group)
    open_item = f.AgendaItemFactory(meeting=meeting)
    secret = f.AgendaItemFactory(meeting=meeting, is_confidential=True)

    def add_actions(count):
        for item in (open_item, secret):
            for _ in range(count):
                f.ActionFactory(
                    plan=plan, arose_from=item, owner_organisation=f.OrganisationFactory()
                )

    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    def counts():
        client.force_login(support_officer)
        support = queries_for(client, url)
        client.force_login(board_reader)
        return support, queries_for(client, url)

    add_actions(1)
    counts()  # the first request fills the caches (content types, the board)
    few = counts()
    add_actions(9)
    many = counts()
    assert many == few


def captured_queries(client, url) -> list[dict]:
    """The queries of one request, kept: Django empties its log of queries as each request
    starts, which a CaptureQueriesContext read later would see."""
    reset_queries()
    caches["drawn"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return list(captured.captured_queries)


def add_listed_meetings(count, first_day):
    """`count` meetings with three entries each, in one group."""
    from tests import factories as f

    group = f.GroupFactory()
    for n in range(count):
        meeting = f.MeetingFactory(group=group, date=first_day + datetime.timedelta(days=n))
        f.EntryFactory.create_batch(3, meeting=meeting)


def test_the_admin_meeting_list_needs_the_same_queries_with_ten_times_the_meetings(
    client, support_officer
):
    url = reverse("admin:meetings_meeting_changelist")
    client.force_login(support_officer)
    add_listed_meetings(5, datetime.date(2018, 5, 1))
    client.get(url)  # the content types' cache, filled once per process
    few = captured_queries(client, url)
    add_listed_meetings(45, datetime.date(2018, 8, 1))
    many = queries_for(client, url)
    assert many == len(few)
    # The session, its user, their sign-out-everywhere date; the generation of the records
    # (the page is kept under it: bscb.core.admin_base.list_page_key; drawn here, as after a
    # change); the officer's permissions (their own and their groups'); the period filter's periods, the group filter's groups; one
    # count of the meetings; the page of meetings with their groups and entry totals (no
    # savepoint: a list read with GET writes no history); the date hierarchy's first and
    # last dates and its dates. No session write, no second (full) count, and no list of every model
    # for a side menu the page does not show (which asked whether there is a board and an
    # accessibility statement).
    assert len(few) == 12, "\n".join(q["sql"][:150] for q in few)
    # Counting and the date hierarchy read the meetings alone, not each meeting's entries.
    for query in few:
        if "COUNT(*)" in query["sql"] or "MIN(" in query["sql"] or "DISTINCT" in query["sql"]:
            assert "meetings_entry" not in query["sql"], query["sql"]


def test_the_admin_meeting_lists_rows_name_each_meeting_and_its_version(client, support_officer):
    """The row's tick box carries "pk,version", which the lost-update check reads."""
    from tests import factories as f

    meeting = f.MeetingFactory(title="Autumn board")
    f.EntryFactory.create_batch(2, meeting=meeting)
    meeting.refresh_from_db()
    client.force_login(support_officer)
    page = client.get(reverse("admin:meetings_meeting_changelist")).content.decode()
    assert (
        f'<input type="checkbox" name="_selected_action" value="{meeting.pk},{meeting.version}"'
        f' class="action-select" aria-label="Select this object for an action - {meeting}">'
    ) in page
    assert '<td class="field-entry_count">2</td>' in page


def test_the_live_preview_staff_read_needs_the_same_queries_with_ten_times_the_meetings(
    client, support_officer, year, board, priority
):
    """A published period's board page as staff preview it, the records as they stand."""
    from bscb.reports.editions import period_publish

    period_publish(period=year, accept_missing=True)
    url = reverse("section", args=[year.slug, "board"]) + "?preview=1"
    client.force_login(support_officer)
    add_meetings(board, priority, 3)
    queries_for(client, url)  # the content types' cache, filled once per process
    few = captured_queries(client, url)
    add_meetings(board, priority, 27)
    many = queries_for(client, url)
    assert "Entry of meeting 26" in client.get(url).content.decode()
    assert many == len(few)
    # The staff member's five: the session, its user, their sign-out-everywhere date, their
    # permissions (their own and their groups'). The page's nineteen: the period, the
    # report's sections, are there key figures, which groups have sections, are there
    # programmes, agency statements, sources; the generation of the records; then the board
    # page's eleven (as above) and the board's record. A preview asks for no stored page. No
    # session write.
    assert not [q for q in few if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(few) == 5 + 19, "\n".join(q["sql"][:150] for q in few)
