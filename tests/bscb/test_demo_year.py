"""The demo year: the 2018/19 report, loaded from its data file, read by the public."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format

from bscb.core.models import Board, Priority, ReportingPeriod
from bscb.reports.demo import load_demo
from meetings.models import Entry, Meeting
from tests.pages import page_text

SOURCE = (
    Path(__file__).resolve().parents[2] / "bscb/reports/demo/source/bscb-annual-report-2018-19.txt"
)

# Line ranges of the source (1-based, inclusive) and the public page that must carry them.
SECTIONS = [
    ("board", 130, 265),  # Board meetings, then the Executive group's, on one page
    ("e-safety", 274, 342),
    ("learning-and-development", 352, 379),
    ("safer-employment", 387, 406),
    ("child-exploitation", 413, 510),
    ("policy-and-procedure", 514, 590),
    ("performance-quality-and-assurance", 594, 676),
]

# The surviving meeting dates, and the first bullet of the block each one heads.
DATED_MEETINGS = [
    ("board", "2018-07-10", "We looked at the data around domestic abuse (DA)"),
    ("board", "2018-11-27", "We continued to check progress against our risk log."),
    ("e-safety", "2018-12-11", "Learned from a speech given by the Home Secretary"),
    ("child-exploitation", "2019-03-26", "We received an update on the ongoing dialogues"),
    ("policy-and-procedure", "2018-07-03", "We looked at improving attendance and engagement"),
    ("policy-and-procedure", "2018-11-20", "We were invited to review and feedback"),
    ("performance-quality-and-assurance", "2018-06-26", "We took a detailed look at the data"),
    ("performance-quality-and-assurance", "2018-11-13", "We continued to scrutinise the CSE SCR"),
    ("performance-quality-and-assurance", "2019-03-05", "We took feedback from a peer review"),
]


def source_bullets(first: int, last: int) -> list[str]:
    """The bullet lines of a stretch of the source, without the extraction's markers."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()[first - 1 : last]
    bullets = []
    for line in lines:
        if not re.match(r"\s*- ", line):
            continue
        text = re.sub(r"^\s*-\s*(»|·|\d+\.)?\s*", "", line)
        text = text.replace("<u>", "").replace("</u>", "").replace(" 22 benefit", " benefit")
        text = " ".join(text.replace("•", "").split())
        if text:
            bullets.append(text)
    return bullets


@pytest.fixture
def demo_year(db):
    load_demo()
    return ReportingPeriod.objects.get(slug="2018-19")


def group_page(client, period, slug):
    if slug == "board":
        return client.get(reverse("section", args=[period.slug, "board"]))
    return client.get(reverse("group_detail", args=[period.slug, slug]))


@pytest.mark.parametrize(("slug", "first", "last"), SECTIONS)
def test_every_bullet_of_the_source_is_on_its_public_page_in_order(
    client, demo_year, slug, first, last
):
    response = group_page(client, demo_year, slug)
    assert response.status_code == 200
    text = page_text(response)
    bullets = source_bullets(first, last)
    assert len(bullets) > 3
    # An entry about an embargoed review (Baby S) stays off the page until its release.
    withheld = [e.text for e in Entry.objects.exclude(pk__in=Entry.objects.public())]
    position = 0
    for bullet in bullets:
        if any(bullet in entry for entry in withheld):
            assert bullet not in text
            continue
        found = text.find(bullet, position)
        assert found >= 0, f"missing, or out of the source's order: {bullet!r}"
        position = found + len(bullet)


@pytest.mark.parametrize(("slug", "day", "first_bullet"), DATED_MEETINGS)
def test_each_surviving_date_heads_its_meeting(client, demo_year, slug, day, first_bullet):
    meeting = Meeting.objects.get(group__slug=slug, date=day)
    assert meeting.date_known
    response = client.get(meeting.url_in(demo_year))
    text = page_text(response)
    assert date_format(meeting.date) in text
    assert first_bullet in text


def test_a_lost_date_is_never_shown_as_a_date(client, demo_year):
    meeting = Meeting.objects.filter(group__slug="executive").get()
    assert not meeting.date_known
    text = page_text(client.get(meeting.url_in(demo_year)))
    assert "The date of this meeting was not recorded." in text
    assert date_format(meeting.date) not in text
    board_page = page_text(group_page(client, demo_year, "board"))
    assert "Executive Group meeting 1 (date not recorded)" in board_page
    assert "The Executive Group met once in 2018/19." in board_page


def test_nested_bullets_of_the_source_are_nested_lists(client, demo_year):
    content = group_page(client, demo_year, "board").content.decode()
    nested = re.search(
        r"<li><p>We heard the findings from the review of the Child Sexual Exploitation"
        r".*?</p>\s*<ul>(.*?)</ul>\s*</li>",
        content,
        re.DOTALL,
    )
    assert nested, "the CSE SCR findings should be a list inside their bullet"
    items = re.findall(r"<li>(.*?)</li>", nested.group(1))
    assert items[-2:] == [
        "Lack of clarity about subgroup ownership and accountability",
        "Absence of the user voice.",
    ]
    assert len(items) == 5


def test_the_board_page_lists_the_priorities_with_their_leads(client, demo_year):
    text = page_text(group_page(client, demo_year, "board"))
    assert "Domestic abuse Thames Valley Police" in text
    assert "Early Help Education and Early Help (Buckinghamshire County Council)" in text
    assert Priority.objects.count() == 6
    assert "The Board met 4 times in 2018/19." in text


def test_groups_show_their_purpose_aims_and_conclusion(client, demo_year):
    text = page_text(group_page(client, demo_year, "learning-and-development"))
    assert "The Learning and Development (L&D) subgroup seeks to make sure" in text
    assert "concluded its work on 18 October 2018" in text
    aims = page_text(group_page(client, demo_year, "child-exploitation"))
    assert "Provide assurance about the way agencies are working" in aims


def test_the_demo_board_is_the_buckinghamshire_board_with_its_three_statutory_partners(
    client, settings, db
):
    settings.BOARD_NAME = "A name the demo replaces"
    load_demo()
    board = Board.load()
    assert (board.name, board.short_name, board.word) == (
        "Buckinghamshire Safeguarding Children Board",
        "BSCB",
        "Board",
    )
    assert sorted(o.short_name for o in board.statutory_partners.all()) == ["BCC", "BCCG", "TVP"]
    assert Board.objects.count() == 1
    home = client.get(reverse("home")).content.decode()
    assert "Buckinghamshire Safeguarding Children Board</a>" in home


def test_loading_the_demo_again_changes_nothing(demo_year):
    before = {
        "meetings": list(Meeting.objects.values_list("pk", "updated_at")),
        "entries": list(Entry.objects.values_list("pk", "text")),
    }
    report = load_demo()
    assert not report.changed
    assert list(Meeting.objects.values_list("pk", "updated_at")) == before["meetings"]
    assert list(Entry.objects.values_list("pk", "text")) == before["entries"]
    assert demo_year.is_published


def test_the_demo_command_reports_a_second_run_as_no_change(db, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    assert " agenda items" in first and "AgendaItem" not in first and "entrys" not in first
    call_command("load_demo")
    assert capsys.readouterr().out.strip().endswith("Demo year already loaded: nothing changed.")


def test_the_demo_command_counts_in_words():
    from bscb.reports.management.commands.load_demo import counted

    assert counted(139, "Entry") == "139 entries"
    assert counted(1, "Entry") == "1 entry"
    assert counted(2, "Meeting pack") == "2 meeting packs"
