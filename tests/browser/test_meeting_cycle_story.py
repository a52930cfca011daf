"""The support officer runs one meeting from its agenda to its approved minutes, in a real browser.

The clock is moved as the weeks of the cycle pass (freezegun, ticking, shared by the live
server's thread); the emails go through a real SMTP server the test starts.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone
from freezegun import freeze_time
from icalendar import Calendar
from playwright.sync_api import expect

from bscb.core.roles import SUPPORT_TEAM, ensure_roles
from meetings.models import Paper
from subgroups.models import Action
from tests import factories
from tests.browser.test_stories import PASSWORD, choose_in_autocomplete, sign_in
from tests.notices.smtp_server import SMTPServer

SUPPORT_TEAM_EMAIL = "team@example.org"
OPEN_ITEMS = ["Taxi licensing: training for drivers", "Hotel Watch: the first six months"]
CONFIDENTIAL_ITEM = "Child K: a case for the multi-agency panel"
MINUTES = "The group heard that 212 drivers completed the training."
DECISION = "The group agreed to make the training a licence condition."
ACTION = "Ask the district councils for the licence condition's wording"


def user(username, *, staff=False):
    made = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, is_staff=staff
    )
    if staff:
        made.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    return made


@pytest.fixture
def cycle(transactional_db, settings):
    """A group that publishes its agendas and papers, its chair, two members (one with a
    sign-in) and an open work plan, in a period that holds the coming weeks."""
    ensure_roles()
    settings.SUPPORT_TEAM_EMAIL = SUPPORT_TEAM_EMAIL
    today = timezone.localdate()
    factories.BoardFactory()
    factories.PeriodFactory(
        name="Current year",
        slug="current",
        start=today - datetime.timedelta(days=100),
        end=today + datetime.timedelta(days=265),
    )
    group = factories.GroupFactory(
        name="Child Exploitation Subgroup",
        short_name="Child Exploitation",
        slug="child-exploitation",
        publishes_agendas=True,
        publishes_papers=True,
    )
    other = factories.GroupFactory(name="E-Safety Subgroup", short_name="E-Safety")
    police = factories.OrganisationFactory(name="Thames Valley Police")
    council = factories.OrganisationFactory(name="Buckinghamshire Council")
    cara = user("cara")
    group.chairs.add(cara)
    mo = user("mo")
    factories.MembershipFactory(
        group=group, organisation=police, person=factories.PersonFactory(name="Mo Patel", user=mo)
    )
    factories.MembershipFactory(
        group=group, organisation=council, person=factories.PersonFactory(name="Jo Green")
    )
    ed = user("ed")
    other.chairs.add(ed)
    factories.ActionPlanFactory(group=group, title="Child Exploitation work plan")
    user("sam", staff=True)
    return {"group": group, "police": police, "council": council}


@pytest.fixture
def mail(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server


def a_pdf(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(factories.pdf_bytes())
    return path


def save_and_continue(page):
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()
    assert page.locator(".errornote").count() == 0, page.locator("#content").inner_text()


def confirm(page, link, button):
    page.get_by_role("link", name=link).click()
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    return context.new_page()


def test_the_support_officer_runs_a_meeting_from_its_agenda_to_its_approved_minutes(
    page, browser, live_server, cycle, mail, tmp_path
):
    start = timezone.now()
    meeting_day = timezone.localdate() + datetime.timedelta(days=21)
    next_meeting_day = meeting_day + datetime.timedelta(days=42)
    with freeze_time(start, tick=True, real_asyncio=True) as clock:
        # Three weeks ahead, Sam schedules the meeting and builds its agenda.
        sign_in(page, "/admin/login/?next=/admin/meetings/meeting/add/", "sam")
        choose_in_autocomplete(page, "id_group", "Child Exploitation")
        page.locator("#id_date").fill(meeting_day.isoformat())
        page.locator("#id_start_time").fill("10:00")
        page.locator("#id_place").fill("Walton Street, Aylesbury")
        page.locator("#id_title").fill("Autumn meeting")
        for i, title in enumerate([*OPEN_ITEMS, CONFIDENTIAL_ITEM]):
            page.locator("#agenda_items-group .add-row a").click()
            page.locator(f"#id_agenda_items-{i}-title").fill(title)
            page.locator(f"#id_agenda_items-{i}-purpose").select_option("decision")
        page.locator("#id_agenda_items-2-is_confidential").check()
        save_and_continue(page)
        meeting_url = page.url
        meeting_id = int(re.search(r"/meeting/(\d+)/change/", meeting_url)[1])

        # Two papers arrive: one for an open item, one for the confidential item.
        papers = [(OPEN_ITEMS[0], "Training figures"), (CONFIDENTIAL_ITEM, "Child K chronology")]
        for i, (item, title) in enumerate(papers):
            if i:
                page.locator("#papers-group .add-row a").click()
            page.locator(f"#id_papers-{i}-agenda_item").select_option(label=item)
            page.locator(f"#id_papers-{i}-title").fill(title)
            page.locator(f"#id_papers-{i}-file").set_input_files(a_pdf(tmp_path, f"{i}.pdf"))
        save_and_continue(page)

        # The pack goes out; each person gets the email once, with the meeting for their calendar.
        # A background task makes the pack (here in the request: the immediate backend); the
        # progress page tells how it went.
        confirm(page, "Circulate the papers", "Circulate the papers")
        expect(page.locator("#circulating-status")).to_contain_text("the meeting pack is made")
        received = {recipients[0]: message for _, recipients, message in mail.messages}
        assert set(received) == {"cara@example.org", "mo@example.org", SUPPORT_TEAM_EMAIL}
        (ics,) = [
            part
            for part in received["mo@example.org"].walk()
            if part.get_content_type() == "text/calendar"
        ]
        (event,) = Calendar.from_ical(ics.get_content()).walk("VEVENT")
        assert event.decoded("dtstart") == timezone.make_aware(
            datetime.datetime.combine(meeting_day, datetime.time(10))
        ).astimezone(event.decoded("dtstart").tzinfo)
        assert str(event["location"]) == "Walton Street, Aylesbury"

        # The public reads the open items and the open paper, and nothing of the confidential one.
        public = new_page(browser, live_server)
        public.goto("/meetings/")
        with public.expect_navigation():
            public.get_by_role("link", name=re.compile("Autumn meeting")).click()
        agenda = public.locator("main").inner_text()
        assert all(title in agenda for title in OPEN_ITEMS)
        assert CONFIDENTIAL_ITEM not in agenda and "Child K" not in agenda
        assert "1 confidential item, not published" in agenda
        with public.expect_download() as download:
            public.get_by_role("link", name="Training figures").click()
        assert download.value.path().read_bytes().startswith(b"%PDF")
        confidential_paper = Paper.objects.get(title="Child K chronology")
        assert public.goto(confidential_paper.get_absolute_url()).status == 404

        # The day of the meeting: the register comes from the members, then the minutes.
        clock.move_to(
            timezone.make_aware(datetime.datetime.combine(meeting_day, datetime.time(14)))
        )
        sign_in(page, f"/admin/login/?next={meeting_url.split(live_server.url)[1]}", "sam")
        confirm(page, "Fill the register from the members", "Fill the register")
        expect(page.locator(".messagelist")).to_contain_text("2 attendance line")
        register = page.locator("#attendances-group").inner_text()
        assert "Thames Valley Police" in register and "Buckinghamshire Council" in register

        page.goto(f"/workspace/meetings/{meeting_id}/")
        page.get_by_role("link", name=re.compile(f"minutes.*{re.escape(OPEN_ITEMS[0])}")).click()
        page.get_by_label("Minutes").fill(MINUTES)
        page.get_by_label("Decisions (optional)").fill(DECISION)
        page.get_by_label("Action arising (optional)").fill(ACTION)
        page.get_by_label("Owner organisation (optional)").select_option(
            label="Thames Valley Police"
        )
        due = meeting_day + datetime.timedelta(days=30)
        page.get_by_label("Day").fill(str(due.day))
        page.get_by_label("Month").fill(str(due.month))
        page.get_by_label("Year").fill(str(due.year))
        page.get_by_role("button", name=re.compile("Save")).click()
        expect(page.locator("main")).to_contain_text("the action is in the group's action plan")
        action = Action.objects.get(description=ACTION)
        assert action.plan.group == cycle["group"] and action.arose_from.meeting_id == meeting_id

        # The draft minutes go to the chair to agree.
        page.goto(meeting_url)
        confirm(page, "Send the draft minutes to the chair", "Send the draft minutes")
        expect(page.locator(".messagelist")).to_contain_text("sent to the chair to agree")
        (to_chair,) = [
            m for _, (r,), m in mail.messages if m["Subject"].startswith("Draft minutes to agree")
        ]
        assert to_chair["To"] == "cara@example.org"

        # The chair finds the action in her workspace, and agrees the minutes.
        chair = new_page(browser, live_server)
        sign_in(chair, "/accounts/login/", "cara")
        chair.goto("/workspace/groups/child-exploitation/")
        chair.get_by_role("link", name=ACTION).click()
        expect(chair.locator("main")).to_contain_text("Autumn meeting")
        chair.goto(f"/workspace/meetings/{meeting_id}/")
        chair.get_by_role("button", name=re.compile("Agree the minutes")).click()
        expect(chair.locator("main")).to_contain_text("The minutes are agreed.")

        # A chair of another group reads nothing of it, not even its confidential paper.
        other = new_page(browser, live_server)
        sign_in(other, "/accounts/login/", "ed")
        assert other.goto(f"/workspace/meetings/{meeting_id}/").status == 404
        assert other.goto(confidential_paper.get_absolute_url()).status == 404

        # Six weeks on, the next meeting approves the minutes.
        clock.move_to(
            timezone.make_aware(datetime.datetime.combine(next_meeting_day, datetime.time(14)))
        )
        sign_in(page, "/admin/login/?next=/admin/meetings/meeting/add/", "sam")
        choose_in_autocomplete(page, "id_group", "Child Exploitation")
        page.locator("#id_date").fill(next_meeting_day.isoformat())
        page.locator("#id_title").fill("Winter meeting")
        save_and_continue(page)
        page.goto(meeting_url)
        page.locator("#id_minutes_status").select_option("approved")
        choose_in_autocomplete(page, "id_minutes_approved_at", "Winter meeting")
        save_and_continue(page)

        # A reader (a new visit: public pages may be cached for a minute) reads the approved
        # minutes of the open items, never the confidential one.
        public = new_page(browser, live_server)
        public.goto(f"/meetings/{meeting_id}/")
        text = public.locator("main").inner_text()
        assert MINUTES in text and DECISION in text
        assert "approved at the meeting of" in text
        assert CONFIDENTIAL_ITEM not in text and "Child K" not in text
        assert public.goto(confidential_paper.get_absolute_url()).status == 404


def fill_date(page, legend, day):
    fieldset = page.get_by_role("group", name=legend)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_the_chair_reads_the_papers_and_keeps_the_groups_plans_current(page, cycle):
    """Issue 16's chair: the papers of their group's meeting, confidential ones included; an
    action and a risk added, a risk's next review set, a completed action reopened."""
    group = cycle["group"]
    today = timezone.localdate()
    meeting = factories.MeetingFactory(
        group=group, date=today + datetime.timedelta(days=10), title="Spring meeting"
    )
    item = factories.AgendaItemFactory(
        meeting=meeting, title=CONFIDENTIAL_ITEM, is_confidential=True
    )
    factories.PaperFactory(agenda_item=item, title="Child K chronology")
    from meetings.cycle import circulate_papers

    circulate_papers(meeting, get_user_model().objects.get(username="sam"))
    plan = group.action_plans.get()
    done = factories.ActionFactory(
        plan=plan,
        description="Train the taxi marshals",
        status="complete",
        evidence="All marshals trained.",
        completed_on=today,
        due_on=None,
    )
    risk = factories.RiskFactory(owner_group=group, title="Too few foster carers")

    sign_in(page, "/accounts/login/", "cara")
    page.get_by_role("link", name=group.name).click()
    page.get_by_role("link", name=re.compile("Spring meeting")).click()
    expect(page.locator("main")).to_contain_text(CONFIDENTIAL_ITEM)
    with page.expect_download() as download:
        page.get_by_role("link", name="Child K chronology").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    page.goto(f"/workspace/groups/{group.slug}/")
    page.get_by_role("link", name=f"Add an action to {plan.title}").click()
    page.get_by_label("What is the action?").fill("Map the hotels near the motorway")
    fill_date(page, "Due date (optional)", today + datetime.timedelta(days=60))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action is added to the plan.")).to_be_visible()

    page.goto(f"/workspace/groups/{group.slug}/")
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_label("What is the risk?").fill("Hotel staff not trained")
    fill_date(page, "Next review (optional)", today + datetime.timedelta(days=30))
    page.get_by_role("button", name="Add the risk").click()
    expect(page.get_by_text("The risk is added.")).to_be_visible()

    page.goto(f"/workspace/risks/{risk.pk}/")
    page.get_by_role("link", name="Set the next review date").click()
    fill_date(page, "Next review", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Save the review date").click()
    expect(page.get_by_text("The next review date is saved.")).to_be_visible()

    page.goto(f"/workspace/actions/{done.pk}/")
    page.get_by_role("link", name="Reopen the action").click()
    page.get_by_label("Why is the action reopened?").fill("Two marshals missed the session.")
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Reopen the action").click()
    expect(page.get_by_text("The action is reopened.")).to_be_visible()

    done.refresh_from_db()
    risk.refresh_from_db()
    assert done.status == "in_progress" and done.completed_on is None
    assert risk.next_review_on == today + datetime.timedelta(days=14)
    assert group.risks.filter(title="Hotel staff not trained").exists()
    assert plan.actions.filter(description="Map the hotels near the motorway").exists()
