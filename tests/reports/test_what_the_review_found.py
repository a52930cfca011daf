"""What a review of the report as data found, each fixed with the test that failed."""

import csv
import io

import pytest

from bscb.core.models import Board
from bscb.reports.checker import check_report
from bscb.reports.editions import period_publish
from tests.factories import (
    GroupFactory,
    KeyFigureFactory,
    MeetingFactory,
    PeriodFactory,
    ReportSourceFactory,
    SessionFactory,
)


@pytest.fixture
def period(db):
    period = PeriodFactory(status="published")
    period.report_sections.filter(slug="foreword").update(introduction="Welcome.")
    return period


def test_a_hidden_groups_meetings_leave_the_open_data_and_calendars_with_it(period, client):
    shown = MeetingFactory(group=GroupFactory(slug="shown"), date="2018-06-01", is_public=True)
    hidden = MeetingFactory(group=GroupFactory(slug="hidden"), date="2018-07-01", is_public=True)
    period.report_sections.create(
        kind="group", group=hidden.group, title="Hidden", slug="hidden", is_shown=False
    )
    period_publish(period=period, accept_missing=True)
    rows = list(
        csv.DictReader(io.StringIO(client.get("/2018-19/data/meetings.csv").content.decode()))
    )
    assert [row["url"] for row in rows] == [shown.url_in(period)]
    assert client.get(rows[0]["url"]).status_code == 200
    assert client.get(hidden.url_in(period)).status_code == 404
    assert client.get("/groups/hidden/meetings.ics").content.count(b"BEGIN:VEVENT") == 0
    assert client.get("/groups/shown/meetings.ics").content.count(b"BEGIN:VEVENT") == 1


def test_the_check_says_so_when_no_section_shows_what_an_item_needs(period):
    # A partnership that reported its 2018/19 year against Working Together 2018, whose
    # impact item needs training.
    period.framework = "wt2018"
    period.save()
    SessionFactory(date="2018-10-10")
    impact = check_report(period).item("Evidence of impact, including training")
    assert not any("no section with training" in m for m in impact.missing)
    period.report_sections.filter(kind="training").update(is_shown=False)
    impact = check_report(period).item("Evidence of impact, including training")
    assert "The report shows no section with training" in impact.missing


def test_a_board_year_counts_training_only_while_the_report_shows_it(period):
    # Working Together 2015: training is one piece of evidence of the assessment of local
    # services; held but left out of the report, it does not count, and the check says why.
    SessionFactory(date="2018-10-10")
    title = "An assessment of the performance and effectiveness of local services"
    assert "1 training session held" in check_report(period).item(title).provided
    period.report_sections.filter(kind="training").update(is_shown=False)
    assessment = check_report(period).item(title)
    assert "1 training session held" not in assessment.provided
    assert (
        "1 training session held, but the report shows no section with training"
        in assessment.missing
    )


def test_a_footnote_links_the_sources_only_while_the_report_shows_them(period, client):
    source = ReportSourceFactory(period=period, number=1)
    KeyFigureFactory(period=period, source=source)
    assert (
        'href="/2018-19/sources/#source-1"'
        in client.get("/2018-19/local-context/").content.decode()
    )
    period.report_sections.filter(kind="sources").update(is_shown=False)
    assert "#source-1" not in client.get("/2018-19/local-context/").content.decode()


def test_what_the_board_calls_its_report_titles_the_report(period, client):
    board = Board.load()
    board.report_title = "Yearly report"
    board.save()
    contents = client.get("/2018-19/").content.decode()
    assert '<h1 class="govuk-heading-xl">Yearly report 2018/19</h1>' in contents
    assert "Annual report 2018/19" not in contents


def test_the_open_data_page_links_only_the_datasets_each_edition_holds(period, client):
    import re

    period_publish(period=period, accept_missing=True)
    page = client.get("/data/").content.decode()
    links = re.findall(r'href="(/2018-19/data/[^"]+)"', page)
    assert links and "/2018-19/data/funding.csv" in links
    assert "/2018-19/data/key-figures.csv" not in links  # no key figures: not shown
    for link in links:
        assert client.get(link).status_code == 200, link
