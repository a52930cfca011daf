"""The board is a record: its name, its word for itself and its entries' headings are what readers see."""

import datetime
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from bscb.core.models import Board
from bscb.reports.checker import check_report
from bscb.reports.pages import pdf_now as render_pdf
from tests import factories as f
from tests.admin_forms import signed_version
from tests.pages import page_text

PARTNERSHIP = "Northfield Safeguarding Children Partnership"


@pytest.fixture
def partnership(db):
    return f.BoardFactory(name=PARTNERSHIP, short_name="NSCP", word="Partnership")


@pytest.fixture
def board_meeting(board):
    meeting = f.MeetingFactory(group=board, date=datetime.date(2018, 6, 5), title="Meeting")
    f.EntryFactory(meeting=meeting, kind="did", text="We agreed the new arrangements.")
    f.EntryFactory(meeting=meeting, kind="difference", text="Children are heard sooner.")
    return meeting


@pytest.fixture
def group_meeting(exploitation):
    meeting = f.MeetingFactory(group=exploitation, date=datetime.date(2018, 9, 12))
    f.EntryFactory(meeting=meeting, kind="did", text="We trained taxi drivers.")
    f.EntryFactory(meeting=meeting, kind="difference", text="Drivers report concerns.")
    return meeting


def test_the_board_is_made_on_first_use_from_the_setting_and_only_once(db, settings):
    settings.BOARD_NAME = "Riverside Safeguarding Children Partnership"
    board = Board.load()
    assert (board.name, board.short_name, board.word) == (
        "Riverside Safeguarding Children Partnership",
        "RSCP",
        "Partnership",
    )
    assert (board.did_heading, board.difference_heading) == (
        "What did we do?",
        "What difference did that make for children?",
    )
    # The setting seeds a fresh installation only: the record is what is read from then on.
    settings.BOARD_NAME = "Another name"
    assert Board.load().name == "Riverside Safeguarding Children Partnership"
    assert Board.objects.count() == 1


def test_the_database_refuses_a_second_board(db):
    Board.load()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Board.objects.create(id=2, name="A second board")


def test_a_partnership_is_named_in_the_header_titles_feed_and_calendar(
    client, partnership, year, board, board_meeting
):
    home = client.get(reverse("home")).content.decode()
    assert f'class="govuk-service-navigation__link">{PARTNERSHIP}</a>' in home
    assert f"\u2013 {PARTNERSHIP}</title>" in home

    work = client.get(reverse("section", args=[year.slug, "board"]))
    html = work.content.decode()
    assert f"\u2013 {PARTNERSHIP}</title>" in html
    text = page_text(work)
    assert "Partnership meetings" in text
    assert "The Partnership met once in 2018/19." in text
    # The period's first list of sections was titled in the board's word.
    assert "The work of the Partnership" in text
    assert "Board" not in text.replace(PARTNERSHIP, "")

    meeting = client.get(board_meeting.url_in(year))
    assert "The work of the Partnership" in page_text(meeting)

    feed = client.get(reverse("reports_feed")).content.decode()
    assert f"<title>{PARTNERSHIP}: annual reports and learning</title>" in feed
    calendar = client.get(reverse("group_calendar", args=[board.slug])).content.decode()
    assert f"PRODID:-//{PARTNERSHIP}//Meetings//EN" in calendar

    for page in (home, html, feed, calendar):
        assert "Buckinghamshire" not in page


def test_who_attends_counts_the_partnerships_meetings_in_its_own_word(
    client, partnership, year, board, board_meeting
):
    f.AttendanceFactory(meeting=board_meeting, organisation=f.OrganisationFactory())
    text = page_text(client.get(reverse("section", args=[year.slug, "who-attends"])))
    assert "Attendance at Partnership meetings" in text
    assert "Board" not in text.replace(PARTNERSHIP, "")


def test_the_entry_headings_are_the_boards_own(client, year, exploitation, group_meeting):
    f.BoardFactory(did_heading="What we did", difference_heading="What changed for children")
    for url in (
        group_meeting.url_in(year),
        reverse("group_detail", args=[year.slug, exploitation.slug]),
    ):
        text = page_text(client.get(url))
        assert text.index("What we did") < text.index("We trained taxi drivers.")
        assert text.index("What changed for children") < text.index("Drivers report concerns.")
        assert "What did we do?" not in text
        assert "What difference did that make" not in text


def test_the_statutory_check_names_the_boards_headings(db, year, group_meeting):
    f.BoardFactory(did_heading="What we did")
    check = check_report(year)
    provided = [line for item in check.items for line in item.provided]
    assert "1 entry under “What we did”" in provided


def test_the_pdf_names_the_partnership_and_uses_its_word_and_headings(
    partnership, year, board, board_meeting
):
    from pypdf import PdfReader

    partnership.did_heading = "What we did"
    partnership.save()
    pdf, _pages = render_pdf(year)
    assert pdf is not None
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert reader.metadata.author == PARTNERSHIP
    assert PARTNERSHIP in reader.pages[0].extract_text()
    assert "Partnership meetings" in text
    assert "The Partnership met once" in text
    assert "What we did" in text
    assert "Buckinghamshire" not in text


def test_only_the_support_team_changes_the_board(client, support_officer, partnership):
    board_member = f.UserFactory(is_staff=True, roles=["Board members"])
    chair = f.UserFactory()
    f.GroupFactory().chairs.add(chair)
    change = reverse("admin:bscb_board_change", args=[partnership.pk])
    client.force_login(support_officer)
    post = {
        "name": "Renamed",
        "short_name": "R",
        "word": "Board",
        "did_heading": "Done",
        "difference_heading": "Difference",
        "version": signed_version(client, change),
    }
    for person in (None, chair, board_member):
        client.logout()
        if person:
            client.force_login(person)
        response = client.post(change, post)
        assert response.status_code in (302, 403), person
        assert response.status_code == 403 or response.url.startswith(reverse("admin:login"))
        assert Board.load().name == PARTNERSHIP
    assert client.get(change).status_code == 200  # the board member reads it

    client.force_login(support_officer)
    assert client.get(reverse("admin:bscb_board_add")).status_code == 403
    assert client.get(reverse("admin:bscb_board_delete", args=[partnership.pk])).status_code == 403
    response = client.post(change, post)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert Board.load().name == "Renamed"
