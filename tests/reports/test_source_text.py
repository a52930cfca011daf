"""Words a report's source has, kept as it has them (issue 17, item 7).

The story: the support team types a year's report from its printed original. A group's
purpose that leads into its list ("... which aims to:") reads as one statement, not broken
by a heading; a panel meeting's page says how many cases it reviewed and calls its words
highlights, as the panel's table does; the child death section shows its own panel's purpose,
however many panels the board has; an introduction of the section that stands for every group
is printed once, before the first group; and an editor's note on a section is shown with it.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from bscb.reports import kinds
from reviews.models import PanelCases
from tests.factories import (
    EntryFactory,
    GroupFactory,
    GroupTermFactory,
    MeetingFactory,
    PeriodFactory,
)
from tests.pages import page_text


@pytest.fixture
def year(db):
    return PeriodFactory(
        name="2018/19",
        slug="2018-19",
        start=datetime.date(2018, 4, 1),
        end=datetime.date(2019, 3, 31),
        status="published",
    )


def group_page(period, group):
    return Client().get(reverse("group_detail", args=[period.slug, group.slug]))


def test_a_purpose_that_leads_into_its_aims_is_not_cut_from_them_by_a_heading(year):
    group = GroupFactory(name="Safer Employment Subgroup", slug="safer-employment")
    MeetingFactory(group=group, date=datetime.date(2018, 9, 19), is_public=True)
    GroupTermFactory(
        group=group,
        period=year,
        purpose="A group whose purpose is to seek assurance that:",
        aims="- Recruitment is safe.\n- Allegations are investigated.",
    )
    html = group_page(year, group).content.decode()
    lead_in = html.index("seek assurance that:")
    first_aim = html.index("Recruitment is safe.")
    between = html[lead_in:first_aim]
    assert not re.search(r"<h\d", between), between
    assert "Aims" not in page_text_of(between)


def test_aims_that_stand_alone_keep_their_heading(year):
    group = GroupFactory(name="E-Safety Subgroup", slug="e-safety")
    MeetingFactory(group=group, date=datetime.date(2018, 9, 19), is_public=True)
    GroupTermFactory(
        group=group,
        period=year,
        purpose="To keep children safe online.",
        aims="- Map the county's e-safety work.",
    )
    text = page_text(group_page(year, group))
    assert "Purpose To keep children safe online. Aims Map the county's e-safety work." in text


def page_text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_a_panel_meetings_page_gives_its_cases_and_calls_its_words_highlights(year):
    panel = GroupFactory(name="Child Death Overview Panel", slug="cdop", kind="panel")
    meeting = MeetingFactory(group=panel, date=datetime.date(2018, 5, 11), is_public=True)
    EntryFactory(meeting=meeting, kind="did", text="A case study was written for GPs.")
    PanelCases.objects.create(meeting=meeting, cases_reviewed=4)
    text = page_text(Client().get(meeting.url_in(year)))
    assert "Cases reviewed 4" in text
    assert "Highlights A case study was written for GPs." in text
    assert "What did we do?" not in text


def test_a_panel_meeting_whose_cases_were_not_recorded_says_so_never_0(year):
    panel = GroupFactory(name="Child Death Overview Panel", slug="cdop", kind="panel")
    meeting = MeetingFactory(group=panel, date=datetime.date(2018, 5, 11), is_public=True)
    PanelCases.objects.create(meeting=meeting, cases_reviewed=None)
    text = page_text(Client().get(meeting.url_in(year)))
    assert "Cases reviewed Not recorded" in text
    assert "Cases reviewed 0" not in text


def test_another_groups_meeting_page_has_no_cases_and_keeps_the_boards_heading(year):
    group = GroupFactory(name="Policy Subgroup", slug="policy")
    meeting = MeetingFactory(group=group, date=datetime.date(2018, 5, 11), is_public=True)
    EntryFactory(meeting=meeting, kind="did", text="We finalised the escalation procedure.")
    text = page_text(Client().get(meeting.url_in(year)))
    assert "Cases reviewed" not in text
    assert "What did we do? We finalised the escalation procedure." in text


def test_the_child_death_section_shows_its_own_panels_purpose_not_the_first_panels(year):
    other = GroupFactory(name="Scrutiny Panel", slug="scrutiny-panel", kind="panel", position=1)
    GroupTermFactory(group=other, period=year, purpose="The scrutiny panel tests our work.")
    cdop = GroupFactory(name="Child Death Overview Panel", slug="cdop", kind="panel", position=2)
    GroupTermFactory(group=cdop, period=year, purpose="We review the death of every child.")
    PanelCases.objects.create(
        meeting=MeetingFactory(group=cdop, date=datetime.date(2018, 5, 11), is_public=True),
        cases_reviewed=4,
    )
    section = year.report_sections.get(kind=kinds.CHILD_DEATHS)
    text = page_text(Client().get(reverse("section", args=[year.slug, section.slug])))
    assert "We review the death of every child." in text
    assert "The scrutiny panel tests our work." not in text


def test_the_introduction_of_the_section_for_every_group_is_printed_once_before_the_first(
    year,
):
    first = GroupFactory(name="E-Safety Subgroup", slug="e-safety", position=1)
    second = GroupFactory(name="Policy Subgroup", slug="policy", position=2)
    for group in (first, second):
        MeetingFactory(group=group, date=datetime.date(2018, 9, 19), is_public=True)
    year.report_sections.filter(kind=kinds.GROUP, group=None).update(
        introduction="To support the Board we had a number of subgroups."
    )
    assert "To support the Board we had a number of subgroups." in page_text(
        group_page(year, first)
    )
    assert "To support the Board" not in page_text(group_page(year, second))
    whole = page_text(Client().get(reverse("full_report", args=[year.slug])))
    assert whole.count("To support the Board we had a number of subgroups.") == 1
    body = whole[whole.index("Contents") :]
    assert body.index("To support the Board") < body.index("Meetings in 2018/19")


def test_a_groups_introduction_for_the_year_is_on_the_boards_page(year):
    board = GroupFactory(name="The Board", slug="board", kind="board")
    executive = GroupFactory(name="Executive Group", slug="executive", kind="executive")
    GroupTermFactory(group=board, period=year, introduction="The Board met before reforming.")
    GroupTermFactory(group=executive, period=year, introduction="The Executive met first.")
    section = year.report_sections.get(kind=kinds.BOARD)
    text = page_text(Client().get(reverse("section", args=[year.slug, section.slug])))
    assert "Board meetings The Board met before reforming." in text
    assert "Executive Group meetings The Executive met first." in text


def test_a_sections_note_is_shown_with_it(year):
    year.report_sections.filter(kind=kinds.KEY_FIGURES).update(
        introduction="Our area in words.", note="Some figures were lost."
    )
    section = year.report_sections.get(kind=kinds.KEY_FIGURES)
    text = page_text(Client().get(reverse("section", args=[year.slug, section.slug])))
    assert "Some figures were lost." in text
