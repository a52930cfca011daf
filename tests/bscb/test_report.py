"""The annual report: assembled from the records, checked, published as editions, printed."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from bscb.reports.checker import check_report
from bscb.reports.editions import period_publish
from bscb.reports.models import Edition
from meetings.models import Meeting
from reviews.models import CaseReview, Recommendation
from subgroups.models import Action, ActionPlan, ProgressUpdate
from tests.pages import page_text
from tests.small_year import FOREWORD, FOREWORD_SIGNATURE, WHATS_NEXT, build_small_year
from training.models import Course, Session

CONTENTS = [
    "Foreword",
    "Local context",
    "The work of the Board",
    "Child Exploitation Subgroup",
    "E-Safety Subgroup",
    "Child Death Overview Panel",
    "Serious case reviews",
    "Audits and assurance",
    "Training",
    "Who attends",
    "How were we funded?",
    "What's next for the Board?",
    "Sources",
    "Independent scrutineer's statement",
]


def test_the_contents_lists_every_section_in_the_order_of_its_records(client, small_year):
    text = page_text(client.get(reverse("period_detail", args=[small_year.slug])))
    contents = text[text.index("Contents") :]
    positions = [contents.index(title) for title in CONTENTS]
    assert positions == sorted(positions)


def test_every_section_page_links_to_the_next_and_the_whole_report_holds_them_all(
    client, small_year
):
    board = page_text(client.get(reverse("section", args=[small_year.slug, "board"])))
    assert "Previous section : Local context" in board
    assert "Next section : Child Exploitation Subgroup" in board
    whole = page_text(client.get(reverse("full_report", args=[small_year.slug])))
    for title in CONTENTS:
        assert title in whole
    assert WHATS_NEXT in whole
    assert "£100,000.00" in whole


def test_the_foreword_and_local_context_show_their_words_figures_and_sources(client, small_year):
    foreword = page_text(client.get(reverse("section", args=[small_year.slug, "foreword"])))
    assert FOREWORD in foreword
    assert FOREWORD_SIGNATURE in foreword
    context = client.get(
        reverse("section", args=[small_year.slug, "local-context"])
    ).content.decode()
    assert "36,950" in context
    assert 'href="/2018-19/sources/#source-2"' in context
    sources = page_text(client.get(reverse("section", args=[small_year.slug, "sources"])))
    assert "Northshire children's services figures, 31 March 2019." in sources


def test_an_edit_after_publishing_reaches_readers_only_when_republished(
    client, small_year, support_officer
):
    entry = small_year.child_protection_entry
    url = reverse("section", args=[small_year.slug, "board"])
    entry.text = "We heard updates on child protection, modern slavery and county lines."
    entry.save()
    assert "county lines" not in client.get(url).content.decode()
    client.force_login(support_officer)
    preview = client.get(url, {"preview": "1"}).content.decode()
    assert "county lines" in preview and "The public reads the published edition" in preview
    client.logout()
    period_publish(
        period=small_year.period,
        user=support_officer,
        note="Corrected the 10 July 2018 Board meeting.",
        accept_missing=True,
    )
    assert "county lines" in client.get(url).content.decode()
    contents = page_text(client.get(reverse("period_detail", args=[small_year.slug])))
    assert "Edition 2, published" in contents
    assert "What changed in this edition: Corrected the 10 July 2018 Board meeting." in contents


@pytest.fixture
def draft_with_two_gaps(draft_year, board, exploitation):
    """A draft whose records cover every statutory item but two: families' voices, and actions on recommendations."""
    meeting = Meeting.objects.create(group=board, date=datetime.date(2019, 6, 4))
    meeting.entries.create(kind="did", text="We agreed the neglect strategy.")
    meeting.entries.create(kind="difference", text="Families get help earlier.")
    course = Course.objects.create(title="Neglect")
    Session.objects.create(course=course, date=datetime.date(2019, 7, 1), status="held")
    review = CaseReview.objects.create(
        pseudonym="Child BB", kind="rapid", panel_notified_on=datetime.date(2019, 5, 2)
    )
    Recommendation.objects.create(review=review, number=1, text="Share chronologies.")
    plan = ActionPlan.objects.create(group=exploitation, title="Work plan", period=draft_year)
    action = Action.objects.create(
        plan=plan, description="Map exploitation hotspots", due_on=datetime.date(2020, 3, 1)
    )
    ProgressUpdate.objects.create(
        action=action, rag="green", note="On track", date=datetime.date(2019, 9, 1)
    )
    return draft_year


def test_the_check_names_exactly_the_missing_items(draft_with_two_gaps):
    check = check_report(draft_with_two_gaps)
    assert [item.title for item in check.missing] == [
        "Decisions and actions on review recommendations",
        "How feedback from children and families was sought and used",
    ]


def test_publishing_with_items_missing_needs_a_confirmation(
    client, support_officer, draft_with_two_gaps
):
    client.force_login(support_officer)
    url = reverse("admin:bscb_reportingperiod_publish", args=[draft_with_two_gaps.pk])
    page = client.get(url).content.decode()
    assert page.count("<strong>Missing</strong>") == 2
    assert "No entries of what children, young people and families told us" in page
    refused = client.post(url, {"note": ""})
    assert "tick this box to publish anyway" in refused.content.decode()
    assert not Edition.objects.exists()
    assert client.post(url, {"note": "", "accept_missing": "on"}).status_code == 302
    edition = Edition.objects.get()
    assert edition.is_current and "How feedback from children" in edition.missing_items
    draft_with_two_gaps.refresh_from_db()
    assert draft_with_two_gaps.is_published


def test_a_second_edition_asks_what_changed_and_readers_see_it(
    client, support_officer, draft_with_two_gaps
):
    period = draft_with_two_gaps
    client.force_login(support_officer)
    url = reverse("admin:bscb_reportingperiod_publish", args=[period.pk])
    assert client.post(url, {"note": "", "accept_missing": "on"}).status_code == 302  # the first

    page = client.get(url).content.decode()
    assert "What changed since edition 1" in page
    refused = client.post(url, {"note": "  ", "accept_missing": "on"})
    assert refused.status_code == 200 and Edition.objects.count() == 1
    errors = refused.context["form"].errors
    assert list(errors) == ["note"]
    assert "Say what changed since edition 1" in errors["note"][0]

    said = "Added the training figures for the spring term."
    assert client.post(url, {"note": said, "accept_missing": "on"}).status_code == 302
    second = Edition.objects.get(is_current=True)
    assert second.number == 2 and second.note == said
    contents = client.get(second.get_absolute_url()).content.decode()
    assert said in contents
    assert said in client.get(reverse("reports_feed")).content.decode()


def test_the_back_office_reminds_to_send_a_partnerships_report_to_the_panel_within_seven_days(
    client, support_officer, draft_with_two_gaps
):
    # 2019/20: the partners' arrangements, Working Together 2018.
    edition = period_publish(period=draft_with_two_gaps, accept_missing=True)
    client.force_login(support_officer)
    content = page_text(client.get(reverse("admin:index")))
    assert "Send the 2019/20 report to the National Panel" in content
    due = edition.panel_due_on
    assert due == edition.published_at.date() + datetime.timedelta(days=7)
    assert (
        "a copy is due with the Child Safeguarding Practice Review Panel and the What Works "
        f"Centre for Children's Social Care by {due.day} {due:%B %Y}"
    ) in content
    client.post(
        reverse("admin:reports_edition_changelist"),
        {"action": "record_sent_to_panel", "_selected_action": [edition.pk]},
    )
    assert (
        "Send the 2019/20 report to the National Panel"
        not in client.get(reverse("admin:index")).content.decode()
    )


def test_a_boards_report_goes_to_the_councils_leaders_the_commissioner_and_the_health_board(
    client, support_officer, small_year
):
    # 2018/19: a Local Safeguarding Children Board's year, Working Together 2015 (ch. 3
    # para. 15), which named no Panel and no deadline.
    client.force_login(support_officer)
    content = page_text(client.get(reverse("admin:index")))
    assert "Send the 2018/19 report to the National Panel" not in content
    assert "Send the 2018/19 report to those the guidance names" in content
    assert (
        "Working Together to Safeguard Children 2015 (paragraph 15) asks for it to go to the "
        "council's chief executive and leader, the police and crime commissioner and the chair "
        "of the health and wellbeing board"
    ) in content
    assert small_year.period.editions.get(is_current=True).panel_due_on is None


def test_the_pdf_opens_with_contents_that_give_the_right_pages(client, settings, db):
    from pypdf import PdfReader

    settings.EDITION_PDF = True
    build_small_year()
    edition = Edition.objects.get(is_current=True)
    response = client.get(reverse("report_pdf", args=["2018-19"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) == edition.pdf_pages > 10
    assert reader.metadata.title.startswith("Annual report 2018/19")
    pages = [page.extract_text() for page in reader.pages]
    listed = re.findall(r"^(.+?)\s*\.*\s*(\d+)$", pages[1], re.MULTILINE)
    titles = {
        title.strip(" ."): int(number) for title, number in listed if not title.startswith("Page ")
    }
    assert {"Foreword", "Training", "How were we funded?", "Sources"} <= set(titles)
    for title, number in titles.items():
        assert title in pages[number - 1], f"{title} is not on page {number}"


def test_readers_not_signed_in_get_the_new_edition_as_soon_as_it_is_published(
    client, small_year, django_capture_on_commit_callbacks
):
    url = reverse("section", args=[small_year.slug, "board"])
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=small_year.period, accept_missing=True, note="Stamp the publication.")
    assert "county lines" not in client.get(url).content.decode()  # now held in memory
    entry = small_year.child_protection_entry
    entry.text = "We heard about county lines."
    entry.save()
    assert "county lines" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=small_year.period, accept_missing=True, note="Added county lines.")
    response = client.get(url)
    assert "county lines" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
