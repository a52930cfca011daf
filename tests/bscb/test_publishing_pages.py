"""Publishing renders the period's pages from its records, once, and stores them with their list as data."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bscb.reports.editions import period_publish
from bscb.reports.models import Edition
from bscb.reports.report import report_sections
from meetings.models import Meeting
from reviews.models import PanelCases
from subgroups.models import Group
from tests.factories import (
    AttendanceFactory,
    CaseReviewFactory,
    EntryFactory,
    GroupFactory,
    MeetingFactory,
    OrganisationFactory,
)

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r'href="(/2018-19/[^"#?]*)')


def add_meetings(group, count, first_day, police):
    for n in range(count):
        meeting = MeetingFactory(group=group, date=first_day + datetime.timedelta(days=n))
        EntryFactory(
            meeting=meeting, text=f"We heard update {n} from the [police](https://example.org/)."
        )
        EntryFactory(meeting=meeting, kind="difference", text=f"Children were safer ({n}).")
        AttendanceFactory(meeting=meeting, organisation=police)


@pytest.fixture
def police(db):
    return OrganisationFactory(name="Thames Valley Police", sector="police")


@pytest.fixture
def report(year, board, exploitation, police):
    """A small year: Board and subgroup meetings (one undated, one kept out of the report), a
    panel meeting with its cases, and a summary for children."""
    add_meetings(board, 2, datetime.date(2018, 5, 1), police)
    add_meetings(exploitation, 2, datetime.date(2018, 6, 1), police)
    MeetingFactory(group=exploitation, date=datetime.date(2018, 7, 1), date_known=False)
    MeetingFactory(group=exploitation, date=datetime.date(2018, 8, 1), is_public=False)
    panel = GroupFactory(kind=Group.Kind.PANEL, name="Child Death Overview Panel", slug="cdop")
    PanelCases.objects.create(
        meeting=MeetingFactory(group=panel, date=datetime.date(2018, 9, 1)), cases_reviewed=4
    )
    year.children_summary = "We listened to children."
    year.save()
    return year


def stored(edition: Edition) -> dict:
    return {p.path: p for p in edition.pages.filter(path__startswith="/")}


def test_an_edition_stores_exactly_the_pages_its_page_list_names_in_reading_order(report):
    edition = period_publish(period=report, accept_missing=True)
    listed = [entry["path"] for entry in edition.contents]
    assert sorted(listed) == sorted(stored(edition))  # no PDF here: EDITION_PDF is off in tests
    kinds = [entry["kind"] for entry in edition.contents]
    sections = report_sections(report)
    assert kinds == [
        "contents",
        *["section"] * len(sections),
        "report",
        "children",
        *["meeting"] * 6,  # 2 of the Board, 3 public of the subgroup, 1 of the panel
        "data",
        *["csv", "json"] * ((len(kinds) - len(sections) - 10) // 2),
    ]
    assert [e["title"] for e in edition.contents if e["kind"] == "section"] == [
        s.title for s in sections
    ]
    assert "Quarterly meeting 3, date not recorded" in [e["title"] for e in edition.contents]


def test_the_page_list_is_what_a_reader_reaches_from_the_contents_page(report):
    """Every link of a stored page into the period leads to a stored page, and every stored page
    is linked: the list computed from the records is what following the links would find."""
    edition = period_publish(period=report, accept_missing=True)
    pages = stored(edition)
    linked = set()
    for page in pages.values():
        if page.content_type.startswith("text/html"):
            linked |= set(LINK.findall(page.html))
    assert linked - set(pages) == set()
    assert set(pages) - linked == set()  # the contents page too, from every page's breadcrumbs


def test_a_published_page_is_the_page_a_reader_got_from_the_records_before(report, client):
    """The views and publishing render through the same functions: what a reader who is not signed
    in got before the edition existed is what the edition serves, byte for byte."""
    before = {}
    queue = ["/2018-19/"]
    while queue:
        path = queue.pop()
        if path in before:
            continue
        response = client.get(path)
        assert response.status_code == 200, path
        before[path] = response.content.decode()
        if response["Content-Type"].startswith("text/html"):
            queue += [p for p in LINK.findall(before[path]) if not p.endswith(".pdf")]
    edition = period_publish(period=report, accept_missing=True)
    pages = stored(edition)
    assert set(pages) == set(before)
    for path, page in pages.items():
        if path == "/2018-19/":
            continue  # the contents page names the edition
        assert (page.html or page.body) == before[path], path
        assert Client().get(path).content.decode() == before[path], path


def test_the_pdf_is_listed_and_offered_only_when_the_edition_has_one(settings, report):
    settings.EDITION_PDF = True
    edition = period_publish(period=report, accept_missing=True)
    assert edition.contents[-1] == {
        "path": "/2018-19/report.pdf",
        "title": "Annual report 2018/19 (PDF)",
        "kind": "pdf",
    }
    contents = Client().get("/2018-19/").content.decode()
    assert (
        f'href="/2018-19/report.pdf">Download the report as a PDF</a> ({edition.pdf_pages} pages)'
        in contents
    )
    # Republishing with a held-back review's name taken out makes no PDF: none is offered.
    CaseReviewFactory(pseudonym="Child W", embargoed=True)
    EntryFactory(meeting=report_meeting(report), text="We discussed Child W.")
    edition = period_publish(period=report, accept_missing=True, redact=True)
    assert not edition.pdf and "pdf" not in [e["kind"] for e in edition.contents]
    contents = Client().get("/2018-19/").content.decode()
    assert "report.pdf" not in contents and "Child W" not in contents


def report_meeting(period):
    return Meeting.objects.for_period(period).public().filter(date_known=True).first()


def test_publishing_needs_the_same_queries_with_ten_times_the_meetings(report, board, police):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            period_publish(period=report, accept_missing=True)
        return len(captured)

    queries()  # the first edition has none before it to compare with
    few = queries()
    add_meetings(board, 20, datetime.date(2018, 10, 1), police)
    assert queries() == few


def python_files():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {"tests", ".venv", "bench", "scripts"} or "migrations" in rel.parts:
            continue
        yield rel, path


def test_publishing_runs_no_view_through_a_made_up_request():
    """No project code outside the tests imports django.test (RequestFactory, the test client),
    and nothing finds pages by following links or cuts them apart by markers."""
    importers = []
    for rel, path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [n.name for n in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name == "django.test" or name.startswith("django.test.") for name in names):
                importers.append(str(rel))
    assert importers == []
    editions = (ROOT / "bscb" / "reports" / "editions.py").read_text(encoding="utf-8")
    for trace in ("RequestFactory", "resolve(", "findall", "<!--edition:"):
        assert trace not in editions, trace
    for template in (ROOT / "templates").rglob("*.html"):
        assert "<!--edition:" not in template.read_text(encoding="utf-8"), template
