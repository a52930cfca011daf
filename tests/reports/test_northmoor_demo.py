"""The second demo board: an invented partnership whose report looks different.

The Northmoor Safeguarding Children Partnership is fictional. Its data file holds an
interim period and a full year; its 2020/21 report orders its sections otherwise than the
Buckinghamshire year and has sections of its own. Nothing in the code knows of it: only
its data file and these tests name it.
"""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bscb.core.models import Board, Organisation, ReportingPeriod
from bscb.reports.demo import DEMO_FILE, load_demo
from bscb.reports.report import report_sections
from meetings.models import Entry, Meeting
from reviews.models import CaseReview
from tests.pages import page_text

ROOT = Path(__file__).resolve().parents[2]
DATA_FILE = ROOT / "bscb" / "reports" / "demo" / "northmoor.yaml"
NAME = "Northmoor Safeguarding Children Partnership"
# The 2020/21 report's own sections, with the kind each one is.
OWN_SECTIONS = {
    "Voice of children and families": "narrative",
    "Learning from safeguarding practice reviews": "case-reviews",
    "COVID-19": "narrative",
    "Independent scrutiny": "narrative",
}


def data() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def file_sections(slug: str) -> list[dict]:
    return next(p for p in data()["periods"] if p["slug"] == slug)["sections"]


def load_northmoor() -> str:
    out = StringIO()
    call_command("load_demo", "--board", "northmoor", stdout=out)
    return out.getvalue()


def titles_in(text: str, titles: list[str]) -> list[str]:
    """The titles in the order the text first mentions them."""
    return sorted((t for t in titles if t in text), key=text.index)


@pytest.fixture
def northmoor(db):
    load_northmoor()
    return {period.slug: period for period in ReportingPeriod.objects.all()}


def test_it_loads_on_an_empty_database_as_an_interim_period_and_a_year(northmoor):
    interim, year = northmoor["2019-20-interim"], northmoor["2020-21"]
    assert (interim.name, str(interim.start), str(interim.end)) == (
        "2019/20 (interim)",
        "2019-09-01",
        "2020-03-31",
    )
    assert (year.name, str(year.start), str(year.end)) == ("2020/21", "2020-04-01", "2021-03-31")
    assert set(northmoor) == {"2019-20-interim", "2020-21"}
    for period in (interim, year):
        assert period.is_published
        assert period.editions.filter(is_current=True).exists()
    statutory = Organisation.objects.filter(sector__in=Organisation.STATUTORY_SECTORS)
    assert {"Northmoor Council", "NHS Northmoor Integrated Care Board"} <= set(
        statutory.values_list("name", flat=True)
    )
    board = Board.load()
    assert (board.name, board.short_name, board.word) == (NAME, "NSCP", "Partnership")
    assert board.difference_heading == "What difference did it make for children and families?"
    assert {o.sector for o in board.statutory_partners.all()} == {
        "local_authority",
        "police",
        "health",
    }


def test_loading_it_again_changes_nothing(northmoor):
    before = {
        "meetings": list(Meeting.objects.values_list("pk", "updated_at")),
        "entries": list(Entry.objects.values_list("pk", "text")),
        "editions": {p.slug: p.editions.count() for p in northmoor.values()},
    }
    assert load_northmoor().strip() == "Demo years already loaded: nothing changed."
    assert list(Meeting.objects.values_list("pk", "updated_at")) == before["meetings"]
    assert list(Entry.objects.values_list("pk", "text")) == before["entries"]
    assert {p.slug: p.editions.count() for p in northmoor.values()} == before["editions"]


def test_the_2020_21_contents_list_its_sections_in_the_files_order(client, northmoor):
    year = northmoor["2020-21"]
    sections = file_sections("2020-21")
    # A group's section stands for each group with public meetings: the contents name them.
    titles = [s["title"] for s in sections if s["kind"] != "group"]
    contents = page_text(client.get(reverse("period_detail", args=[year.slug])))
    assert titles_in(contents, titles) == titles
    records = {r.title: r.kind for r in year.report_sections.all()}
    for title, kind in OWN_SECTIONS.items():
        assert records[title] == kind
    # Not the Buckinghamshire year's order: the kinds come in another sequence.
    theirs = [s["kind"] for s in yaml.safe_load(DEMO_FILE.read_text())["sections"]]
    assert [s["kind"] for s in sections] != theirs
    assert "How were we funded?" not in contents
    # The pages carry the partnership's own name and words, not the first demo board's.
    assert NAME in contents
    assert "Buckinghamshire" not in contents
    work = page_text(client.get(reverse("section", args=[year.slug, "partnership"])))
    assert "What difference did it make for children and families?" in work


@pytest.mark.parametrize("slug", ["2019-20-interim", "2020-21"])
def test_every_page_of_both_periods_answers_with_its_own_title(client, northmoor, slug):
    period = northmoor[slug]
    placed = report_sections(period)
    assert len(placed) >= len(file_sections(slug))
    for section in placed:
        page = client.get(section.href)
        assert page.status_code == 200, section.href
        assert re.search(rf"<h1[^>]*>\s*{re.escape(section.title)}\s*</h1>", page.content.decode())
    whole = page_text(client.get(reverse("full_report", args=[slug])))
    titles = [s.title for s in placed]
    assert titles_in(whole, titles) == titles
    # The review whose publication is held back reaches no page, though a meeting names it.
    assert CaseReview.objects.get(pseudonym="Child Kestrel").is_embargoed
    assert "Child Kestrel" not in whole


def test_the_interim_report_is_the_short_one(client, northmoor):
    interim = northmoor["2019-20-interim"]
    contents = page_text(client.get(reverse("period_detail", args=[interim.slug])))
    assert "1 September 2019 to 31 March 2020" in contents
    assert (
        "this is a fictional report"
        in page_text(client.get(reverse("section", args=[interim.slug, "introduction"]))).lower()
    )
    assert [r.title for r in interim.report_sections.all()] == [
        s["title"] for s in file_sections("2019-20-interim")
    ]
    for title in OWN_SECTIONS:
        assert title not in contents


def test_its_made_up_figures_say_they_are_illustrative(client, northmoor):
    attendance = page_text(client.get(reverse("section", args=["2020-21", "attendance"])))
    assert "illustrative demo data" in attendance
    budget = page_text(client.get(reverse("section", args=["2020-21", "budget"])))
    assert "invented for this demonstration" in budget


def test_it_refuses_to_load_over_the_buckinghamshire_year(db):
    load_demo()
    # The Buckinghamshire year, and the draft period of its meeting cycle (dated from today).
    periods = list(ReportingPeriod.objects.values_list("slug", flat=True))
    with pytest.raises(CommandError, match=r"another board's reports \(2018/19, "):
        load_northmoor()
    assert list(ReportingPeriod.objects.values_list("slug", flat=True)) == periods
    assert not Organisation.objects.filter(name="Northmoor Council").exists()


def test_the_buckinghamshire_year_refuses_to_load_over_it(northmoor):
    with pytest.raises(CommandError, match="another board's reports"):
        call_command("load_demo", stdout=StringIO())
    assert not ReportingPeriod.objects.filter(slug="2018-19").exists()


def test_its_name_and_section_titles_are_in_no_python_file_or_template():
    skipped = {".git", ".venv", "node_modules", "tests", "var", "build", "staticfiles"}
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in skipped and not d.startswith(".")]
        for name in files:
            if not name.endswith((".py", ".html")):
                continue
            path = Path(folder) / name
            text = path.read_text(encoding="utf-8", errors="replace")
            if "northmoor" in text.lower():
                found.append((path.relative_to(ROOT), "Northmoor"))
            found += [(path.relative_to(ROOT), title) for title in OWN_SECTIONS if title in text]
    assert found == []
    # The search itself works: the data file does name them all.
    text = DATA_FILE.read_text(encoding="utf-8")
    assert NAME in text
    assert all(f"title: {title}" in text for title in OWN_SECTIONS)


def test_the_statutory_check_of_2020_21_names_the_working_together_2023_items(northmoor):
    from bscb.reports.checker import check_report

    year, interim = northmoor["2020-21"], northmoor["2019-20-interim"]
    # The file chooses the current guidance for the year; the interim period's dates
    # choose the guidance in force then.
    assert year.framework == "wt2023"
    assert check_report(interim).framework.document == "Working Together to Safeguard Children 2018"
    check = check_report(year)
    assert check.framework.document == "Working Together to Safeguard Children 2023"
    assert [item.title for item in check.items][:3] == [
        "Multi-agency priorities",
        "What the partners did, including on child safeguarding practice reviews",
        "Learning, including from practice reviews",
    ]
    assert "What the partners did, including on child safeguarding practice reviews" in [
        item.title for item in check.items
    ]
    learning = check.item("Learning, including from practice reviews")
    assert any("case review" in line for line in learning.provided)


def test_the_statutory_check_of_2020_21_finds_evidence_in_figure_sets_statements_and_programmes(
    northmoor,
):
    from bscb.reports.checker import check_report

    check = check_report(northmoor["2020-21"])
    provided = [line for item in check.items for line in item.provided]
    assert "Child death figures for the period" in provided
    assert any("figure sets shown:" in line and "Casework" in line for line in provided)
    assert any("agency statement" in line for line in provided)
    assert any("Graded Care Profile 2" in line for line in provided)


def test_its_2020_21_report_names_the_scrutineer_and_the_three_lead_officers(client, northmoor):
    page = page_text(client.get(reverse("section", args=["2020-21", "governance"])))
    assert "Independent scrutineer Dr Alex Moran (from 1 September 2020)" in page
    for office, name in [
        ("Chief Executive, Northmoor Council", "Martin Hale"),
        ("Chief Constable, Northmoor and Fellside Police", "Claire Denton (from 1 April 2020)"),
        ("Chief Executive, NHS Northmoor Integrated Care Board", "Priya Natt"),
        ("Business manager", "Ruth Ashby"),
    ]:
        assert f"{office} {name}" in page
    assert "link to Northmoor Safeguarding Adults Board Helen Marsh" in page
    # The chief constable who retired at the end of the interim period is not in it, and
    # a role with no recorded start prints no date.
    assert "Graham Toller" not in page
    assert "Martin Hale (" not in page
    # The interim period's records name him, though its report has no such section.
    interim = northmoor["2019-20-interim"]
    from bscb.core.models import Appointment

    held = Appointment.objects.during(interim).values_list("person__name", flat=True)
    assert "Graham Toller" in held
    assert "Claire Denton" not in held
    assert "Dr Alex Moran" not in held


def board_page(client, period):
    from bscb.reports import kinds

    section = next(s for s in report_sections(period) if s.kind.key == kinds.BOARD)
    return page_text(client.get(section.href))


def test_its_priorities_are_worded_and_led_otherwise_in_2020_21_with_an_assessment(
    client, northmoor
):
    interim = board_page(client, northmoor["2019-20-interim"])
    year = board_page(client, northmoor["2020-21"])
    assert "Exploitation, including county lines" in interim
    assert "The Head of Public Protection (Northmoor and Fellside Police)" in interim
    assert "Exploitation, inside and outside the home" not in interim
    assert "What worked well" not in interim
    assert "Exploitation, inside and outside the home" in year
    assert "Exploitation, including county lines" not in year
    assert "The Detective Superintendent for Safeguarding" in year
    # Each of the year's four priorities has its three-part assessment.
    for heading in ("What worked well", "What we are worried about", "What needs to happen"):
        assert year.count(heading) == 4, heading


def test_a_groups_chair_and_aims_are_those_of_the_period(client, northmoor):
    def group_page(slug):
        url = reverse("group_detail", args=[slug, "learning-and-improvement"])
        return page_text(client.get(url))

    assert "Priya Marsh" in group_page("2019-20-interim")
    year = group_page("2020-21")
    assert "Dr Amir Haddad, Designated Doctor" in year and "Priya Marsh" not in year
    assert "Check six months after each briefing" in year


def test_its_2020_21_child_death_profile_is_a_shared_panels_figure_set(client, northmoor):
    from bscb.reports.models import FigureBreakdown

    year = northmoor["2020-21"]
    text = page_text(client.get(reverse("section", args=[year.slug, "child-deaths"])))
    for words in [
        "Deaths notified 31",
        "Reviews completed 19",
        "Reviews pending 12",
        "Reviews with modifiable factors 38.5%",
        "Deaths notified by age band",
        "Deaths notified by sex",
        "The panel covers Northmoor and Eastfell",
        "Of the 31 deaths notified, 12 were of Northmoor children.",
    ]:
        assert words in text, words
    # The parts of each breakdown add up to the deaths notified.
    for dimension in ("age-band", "sex"):
        parts = FigureBreakdown.objects.filter(
            figure__figure_set__period=year, figure__key="deaths-notified", dimension=dimension
        )
        assert sum(p.value for p in parts) == 31


def test_its_2020_21_reviews_have_a_nil_return_and_a_learning_event_after_an_earlier_review(
    client, northmoor
):
    year, interim = northmoor["2020-21"], northmoor["2019-20-interim"]
    text = page_text(client.get(reverse("section", args=[year.slug, "practice-reviews"])))
    assert "No local child safeguarding practice reviews were commissioned in 2020/21." in text
    assert "0 reviews" not in text
    event = "Adolescents at risk outside the home: a learning event"
    assert (
        f"{event} , 21 January 2021, sharing the learning of the Child Heron rapid review, "
        "attended by 64 people." in text
    )
    # The review was the interim period's; the event is the year's.
    earlier = page_text(client.get(reverse("section", args=[interim.slug, "reviews"])))
    assert "Child Heron" in earlier
    assert event not in earlier
