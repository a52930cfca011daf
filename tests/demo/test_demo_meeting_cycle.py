"""The demo's meeting cycle: two illustrative meetings of the Child Exploitation subgroup,
dated from the day the demo loads, seen as a support officer, the subgroup's chair, another
chair, a board member and the public would see them when trying the demo."""

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bscb.core.models import Person, ReportingPeriod
from bscb.notices.models import Kind, Notice
from bscb.reports.demo import ILLUSTRATIVE_PAPER, ensure_demo_accounts, load_demo
from meetings.models import AgendaItem, Attendance, Meeting, MinutesStatus, Paper
from meetings.rules import sits_on
from subgroups.models import Action, ActionPlan, Group, Membership
from tests.pages import page_text

CYCLE = "admin:meetings_meeting_cycle"
NEXT, PREVIOUS = "Next meeting (illustrative)", "Previous meeting (illustrative)"
CONFIDENTIAL = "Children at high risk of exploitation: multi-agency risk review"


@pytest.fixture
def cycle(db, settings):
    load_demo()
    # The demo's sign-ins are made only with DEBUG on (their passwords are printed).
    settings.DEBUG = True
    ensure_demo_accounts()
    settings.DEBUG = False
    return Meeting.objects.get(title=NEXT), Meeting.objects.get(title=PREVIOUS)


def signed_in(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_cycle_view_shows_the_next_agenda_out_and_the_previous_minutes_not_agreed(cycle):
    upcoming, held = cycle
    today = timezone.localdate()
    assert held.date < today < upcoming.date

    response = signed_in("support").get(reverse(CYCLE))

    rows = {row.meeting.pk: row for row in response.context["rows"]}
    # Its agenda and papers went out before they were due: nothing is missing, nothing due.
    assert upcoming.is_agenda_published and upcoming.are_papers_circulated
    assert rows[upcoming.pk].missing == []
    assert rows[upcoming.pk].next_step == ""
    # Held last week, its register filled: only the chair's agreement of the minutes waits.
    assert rows[held.pk].missing == ["Minutes not agreed."]
    text = page_text(response)
    assert NEXT in text and PREVIOUS in text and "Minutes not agreed." in text


def test_both_meetings_lie_in_a_draft_period_the_public_never_sees(client, cycle):
    for meeting in cycle:
        period = ReportingPeriod.objects.containing(meeting.date).get()
        assert period.status == ReportingPeriod.Status.DRAFT
        assert client.get(reverse("period_detail", args=[period.slug])).status_code == 404
        # The support team may preview it like any draft.
        preview = signed_in("support").get(reverse("period_detail", args=[period.slug]))
        assert preview.status_code == 200
    # The year the source reports stays the one published year, its edition made once.
    published = ReportingPeriod.objects.published().get()
    assert published.slug == "2018-19" and published.editions.count() == 1
    assert "2018/19" in page_text(client.get(reverse("home")))


def test_the_next_meetings_public_page_shows_its_open_items_never_the_confidential_one(
    client, cycle
):
    upcoming, held = cycle
    listed = page_text(client.get(reverse("upcoming_meetings")))
    assert NEXT in listed and "Published: 4 items" in listed

    page = page_text(client.get(reverse("public_meeting", args=[upcoming.pk])))
    assert "County lines: the police problem profile" in page
    assert "For discussion. Presented by Thames Valley Police. 10:10, 30 minutes" in page
    assert "County lines problem profile: summary" in page  # its paper, public
    assert CONFIDENTIAL not in page
    assert "High-risk cases" not in page
    assert "And 1 confidential item, not published." in page

    # The held meeting's draft minutes are no one's but the members' yet.
    held_page = page_text(client.get(reverse("public_meeting", args=[held.pk])))
    assert "The minutes are not approved yet." in held_page
    assert "No other business was raised." not in held_page


def test_the_confidential_paper_is_for_the_groups_chair_and_members_only(client, cycle):
    upcoming, _ = cycle
    open_paper = Paper.objects.get(title="County lines problem profile: summary")
    secret = Paper.objects.get(agenda_item__meeting=upcoming, agenda_item__title=CONFIDENTIAL)

    response = client.get(open_paper.get_absolute_url())
    assert response.status_code == 200
    assert ILLUSTRATIVE_PAPER in _pdf_text(b"".join(response.streaming_content))

    assert client.get(secret.get_absolute_url()).status_code == 404
    assert signed_in("chair.esafety").get(secret.get_absolute_url()).status_code == 404
    # A board member reads drafts, not the papers of a group they do not sit on.
    assert signed_in("board.member").get(secret.get_absolute_url()).status_code == 404
    assert signed_in("chair.exploitation").get(secret.get_absolute_url()).status_code == 200
    assert signed_in("support").get(secret.get_absolute_url()).status_code == 200


def test_the_chairs_workspace_shows_both_meetings_minutes_and_actions_arising(cycle):
    upcoming, held = cycle
    chair = signed_in("chair.exploitation")

    group_page = page_text(chair.get(reverse("workspace:group", args=["child-exploitation"])))
    assert NEXT in group_page and PREVIOUS in group_page
    assert "Child Exploitation work plan (illustrative)" in group_page

    held_page = page_text(chair.get(reverse("workspace_meetings:meeting", args=[held.pk])))
    assert "Minutes Draft" in held_page
    assert "Agree the minutes" in held_page
    assert "To add the 72-hour measure to the partnership's performance dataset." in held_page
    assert "Actions arising" in held_page
    assert "Convene a joint disruption planning meeting" in held_page  # the confidential item's

    next_page = page_text(chair.get(reverse("workspace_meetings:meeting", args=[upcoming.pk])))
    assert "High-risk cases: summary for members" in next_page  # the chair reads every paper
    assert "Agree the minutes" not in next_page

    # Another group's chair learns nothing of either meeting.
    other = signed_in("chair.esafety")
    for meeting in cycle:
        url = reverse("workspace_meetings:meeting", args=[meeting.pk])
        assert other.get(url).status_code == 404


def test_the_actions_arising_are_in_the_groups_work_plan_linked_to_their_items(cycle):
    _, held = cycle
    plan = ActionPlan.objects.get(title="Child Exploitation work plan (illustrative)")
    assert plan.group.slug == "child-exploitation" and plan.kind == ActionPlan.Kind.WORK_PLAN
    assert plan.period == ReportingPeriod.objects.containing(held.date).get()
    actions = list(plan.actions.select_related("arose_from__meeting"))
    assert len(actions) == 3
    for action in actions:
        assert action.arose_from.meeting == held
        assert action.starts_on == held.date
        assert action.due_on > timezone.localdate()
        assert action.is_illustrative


def test_the_previous_meetings_register_comes_from_its_members_and_the_chair_sits_on_it(cycle):
    _, held = cycle
    group = Group.objects.get(slug="child-exploitation")
    seats = Membership.objects.filter(group=group)
    assert seats.count() == 6 and all(seat.is_illustrative for seat in seats)
    register = {a.organisation.short_name or a.organisation.name: a for a in held.attendances.all()}
    assert register["TVP"].status == Attendance.Status.DEPUTY
    assert register["TVP"].person.name == "Jay Sergeant"
    assert register["CAMHS"].status == Attendance.Status.APOLOGIES
    assert register["CAMHS"].person is None
    assert all(a.is_illustrative for a in register.values())

    from django.contrib.auth import get_user_model

    chair = get_user_model().objects.get(username="chair.exploitation")
    assert Person.objects.get(user=chair).name == "Cara Chair"
    assert sits_on(chair, group)
    # The seats start with the meetings' period: the 2018/19 report lists none of them.
    published = ReportingPeriod.objects.get(slug="2018-19")
    assert not Membership.objects.for_period(published).filter(group=group).exists()


def test_the_items_are_in_order_with_purposes_presenters_and_times(cycle):
    upcoming, held = cycle
    items = list(upcoming.agenda_items.all())
    assert items[0].title == "Minutes of the previous meeting and actions arising"
    assert len(items) == 5
    assert [i.start_time.strftime("%H:%M") for i in items] == [
        "10:00",
        "10:10",
        "10:40",
        "10:55",
        "11:25",
    ]
    assert {i.purpose for i in items} == set(AgendaItem.Purpose.values)
    assert all(i.presenter for i in items)
    assert [i.title for i in items if i.is_confidential] == [CONFIDENTIAL]
    # No minutes before the meeting; the held one's minutes are a draft.
    assert not any(i.minutes_text for i in items)
    assert held.minutes_status == MinutesStatus.DRAFT
    assert all(i.minutes_text for i in held.agenda_items.all())


def test_loading_the_demo_again_creates_nothing_new_and_sends_nothing(cycle, settings):
    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (
                ReportingPeriod,
                Meeting,
                AgendaItem,
                Paper,
                Attendance,
                Membership,
                Person,
                ActionPlan,
                Action,
            )
        }

    before = counts()
    files = sorted(p.name for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file())
    report = load_demo()
    assert not report.changed, (report.created, report.updated)
    assert counts() == before
    assert sorted(p.name for p in settings.PRIVATE_MEDIA_ROOT.rglob("*") if p.is_file()) == files
    # The cycle's steps were set, not taken: no email about its agenda, papers or actions.
    assert not Notice.objects.exclude(kind=Kind.REPORT_PUBLISHED).exists()


def test_loading_it_on_another_day_moves_the_meetings_into_the_period_of_their_day(cycle):
    upcoming, held = cycle
    before = {"meetings": Meeting.objects.count(), "actions": Action.objects.count()}
    # A day in March: the next meeting falls in April, in the next April-to-March year.
    day = datetime.date(timezone.localdate().year - 1, 3, 25)

    load_demo(today=day)

    assert Meeting.objects.count() == before["meetings"]
    assert Action.objects.count() == before["actions"]
    upcoming.refresh_from_db()
    held.refresh_from_db()
    assert held.date < day < upcoming.date
    assert upcoming.date.month == 4 and held.date.month == 3
    for meeting in (upcoming, held):
        period = ReportingPeriod.objects.containing(meeting.date).get()
        assert period.status == ReportingPeriod.Status.DRAFT
    next_year = f"{day.year}/{(day.year + 1) % 100:02d}"
    assert ReportingPeriod.objects.containing(upcoming.date).get().name == next_year
    seat = Membership.objects.get(group__slug="child-exploitation", person__name="Cara Chair")
    assert seat.starts_on == ReportingPeriod.objects.containing(held.date).get().start


def test_the_packs_hold_the_agenda_and_the_papers_and_the_public_one_no_confidential_paper(
    db, settings, client
):
    settings.EDITION_PDF = True
    load_demo()
    upcoming = Meeting.objects.get(title=NEXT)

    with upcoming.pack.open("rb") as handle:
        pack = PdfReader(io.BytesIO(handle.read()))
    outline = [entry.title for entry in _flat(pack.outline)]
    assert outline[0] == "Agenda"
    assert "County lines problem profile: summary" in outline
    assert "High-risk cases: summary for members" in outline
    with upcoming.public_pack.open("rb") as handle:
        public = PdfReader(io.BytesIO(handle.read()))
    public_outline = [entry.title for entry in _flat(public.outline)]
    assert "County lines problem profile: summary" in public_outline
    assert not any("High-risk" in title or CONFIDENTIAL in title for title in public_outline)
    assert client.get(reverse("meeting_pack", args=[upcoming.pk]) + "?public=1").status_code == 200

    # Made once: a second load keeps the packs.
    pack_name = upcoming.pack.name
    assert not load_demo().changed
    upcoming.refresh_from_db()
    assert upcoming.pack.name == pack_name


def _flat(outline):
    for entry in outline:
        if isinstance(entry, list):
            yield from _flat(entry)
        else:
            yield entry


def _pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_chair_of_child_exploitation_has_a_risk_due_for_review(cycle):
    """Every story can be tried: the demo chair's group keeps a risk whose review is late,
    counted from the day the demo loads."""
    from subgroups.models import Risk

    today = timezone.localdate()
    chair_groups = Group.objects.filter(chairs__username="chair.exploitation")
    due = [
        risk
        for risk in Risk.objects.open().with_reviews().filter(owner_group__in=chair_groups)
        if risk.is_review_late(today)
    ]
    assert len(due) == 1
    (risk,) = due
    assert "(illustrative)" in risk.title
    assert today - datetime.timedelta(days=120) < risk.last_reviewed_on() < today
    page = page_text(
        signed_in("chair.exploitation").get(reverse("workspace:group", args=["child-exploitation"]))
    )
    assert risk.title in page and "Review late" in page

    # Loaded on another day, its review moves with the day: still late, never in the future.
    day = today - datetime.timedelta(days=200)
    load_demo(today=day)
    risk = Risk.objects.with_reviews().get(pk=risk.pk)
    assert risk.reviews.count() == 1
    assert risk.is_review_late(day) and risk.last_reviewed_on() < day
