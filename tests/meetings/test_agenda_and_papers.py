"""A meeting's agenda and papers: the support officer publishes the agenda and circulates the
papers; the public reads the open items of a group that publishes, members read everything."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.cycle import circulate_papers, publish_agenda
from meetings.models import AgendaItem, Meeting, Paper
from tests import factories as f
from tests.admin_forms import form_data, inline_formset
from tests.pages import page_text

A4_WIDTH = 595


@pytest.fixture
def publishing_group(db):
    return f.GroupFactory(
        name="Neglect Subgroup",
        short_name="Neglect",
        publishes_agendas=True,
        publishes_papers=True,
    )


@pytest.fixture
def next_meeting(publishing_group, this_year):
    """A meeting in three weeks with an open item and a confidential one, each with a paper."""
    meeting = f.MeetingFactory(
        group=publishing_group,
        date=timezone.localdate() + datetime.timedelta(days=21),
        title="Neglect subgroup meeting",
        start_time=datetime.time(10, 0),
        place="Online",
    )
    strategy = f.AgendaItemFactory(
        meeting=meeting, title="Neglect strategy refresh", purpose="decision", minutes=20
    )
    child_q = f.AgendaItemFactory(
        meeting=meeting, title="Rapid review of Child Q", is_confidential=True
    )
    f.PaperFactory(agenda_item=strategy, title="Draft neglect strategy")
    f.PaperFactory(agenda_item=child_q, title="Child Q chronology")
    return meeting


@pytest.fixture
def people(db):
    return {
        "support": f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]),
        "board member": f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS]),
        "chair": f.UserFactory(username="chair"),
        "other chair": f.UserFactory(username="other.chair"),
    }


def paper_url(meeting, title):
    return Paper.objects.get(meeting=meeting, title=title).get_absolute_url()


def test_the_public_reads_the_open_items_once_the_agenda_is_published_never_a_confidential_title(
    client, next_meeting, people
):
    page = reverse("public_meeting", args=[next_meeting.pk])
    listing = page_text(client.get(reverse("upcoming_meetings")))
    assert "Neglect subgroup meeting" in listing and "Not published yet" in listing

    text = page_text(client.get(page))
    assert "The agenda is not published yet." in text
    assert "Neglect strategy refresh" not in text and "Child Q" not in text

    publish_agenda(next_meeting, people["support"])
    text = page_text(client.get(page))
    assert "Neglect strategy refresh" in text and "For decision" in text and "20 minutes" in text
    assert "1 confidential item" in text
    assert "Child Q" not in text
    # The papers are not out yet: no link to them.
    assert "Draft neglect strategy" not in text
    listing = page_text(client.get(reverse("upcoming_meetings")))
    assert "Published: 1 item" in listing and "Child Q" not in listing

    circulate_papers(next_meeting, people["support"])
    response = client.get(page)
    text = page_text(response)
    assert "Draft neglect strategy" in text and "Child Q" not in text
    assert paper_url(next_meeting, "Draft neglect strategy").encode() in response.content
    assert paper_url(next_meeting, "Child Q chronology").encode() not in response.content


def test_a_meeting_the_public_may_not_see_has_no_public_page(client, next_meeting, people):
    publish_agenda(next_meeting, people["support"])
    page = reverse("public_meeting", args=[next_meeting.pk])
    assert client.get(page).status_code == 200

    Meeting.objects.filter(pk=next_meeting.pk).update(is_public=False)
    assert client.get(page).status_code == 404
    assert "Neglect subgroup meeting" not in page_text(client.get(reverse("upcoming_meetings")))

    Meeting.objects.filter(pk=next_meeting.pk).update(is_public=True)
    next_meeting.group.publishes_agendas = False
    next_meeting.group.save()
    assert client.get(page).status_code == 404


def test_an_item_about_a_held_back_review_is_kept_from_the_public_like_a_confidential_one(
    client, next_meeting, people
):
    strategy = AgendaItem.objects.get(title="Neglect strategy refresh")
    review = f.CaseReviewFactory(embargoed=True)
    review.agenda_items.add(strategy)
    publish_agenda(next_meeting, people["support"])
    text = page_text(client.get(reverse("public_meeting", args=[next_meeting.pk])))
    assert "Neglect strategy refresh" not in text
    assert "2 confidential items" in text


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_who_may_download_a_paper(next_meeting, people):
    next_meeting.group.chairs.add(people["chair"])
    f.GroupFactory().chairs.add(people["other chair"])
    open_paper = paper_url(next_meeting, "Draft neglect strategy")
    confidential = paper_url(next_meeting, "Child Q chronology")
    anonymous = _client_for(None)

    # Before the papers are circulated the public gets nothing, as if no paper existed.
    assert anonymous.get(open_paper).status_code == 404
    circulate_papers(next_meeting, people["support"])

    response = anonymous.get(open_paper)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert anonymous.get(confidential).status_code == 404

    expected = {"support": 200, "chair": 200, "other chair": 404, "board member": 404}
    got = {name: _client_for(people[name]).get(confidential).status_code for name in expected}
    assert got == expected

    # A paper asked for under another meeting's address is not found either.
    other = f.MeetingFactory(group=next_meeting.group)
    wrong = confidential.replace(f"/meetings/{next_meeting.pk}/", f"/meetings/{other.pk}/")
    assert _client_for(people["support"]).get(wrong).status_code == 404


def test_the_papers_of_a_group_that_does_not_publish_them_stay_private(
    client, next_meeting, people
):
    next_meeting.group.publishes_papers = False
    next_meeting.group.save()
    circulate_papers(next_meeting, people["support"])
    next_meeting.refresh_from_db()
    assert client.get(paper_url(next_meeting, "Draft neglect strategy")).status_code == 404
    assert next_meeting.pack and not next_meeting.public_pack
    pack = reverse("meeting_pack", args=[next_meeting.pk])
    assert client.get(pack).status_code == 404
    assert client.get(pack + "?public=1").status_code == 404


def _outline(reader: PdfReader) -> list:
    """The bookmarks as (title, page number, [children])."""

    def walk(items):
        out = []
        for i, item in enumerate(items):
            if isinstance(item, list):
                continue
            children = items[i + 1] if i + 1 < len(items) and isinstance(items[i + 1], list) else []
            out.append((item.title, reader.get_destination_page_number(item), walk(children)))
        return out

    return walk(reader.outline)


def test_the_meeting_pack_holds_the_agenda_then_each_pdf_paper_in_agenda_order_with_bookmarks(
    next_meeting, people
):
    strategy = AgendaItem.objects.get(title="Neglect strategy refresh")
    child_q = AgendaItem.objects.get(title="Rapid review of Child Q")
    minutes = f.AgendaItemFactory(meeting=next_meeting, title="Minutes of the last meeting")
    # Each paper's pages have a width of their own, so the pack's order can be read back.
    Paper.objects.filter(agenda_item=strategy).update(title="Strategy")
    strategy.papers.get().file.save("strategy.pdf", io.BytesIO(f.pdf_bytes(2, width=310)))
    child_q.papers.get().file.save("child-q.pdf", io.BytesIO(f.pdf_bytes(1, width=320)))
    f.PaperFactory(
        agenda_item=strategy,
        title="Strategy appendix",
        file__data=f.pdf_bytes(1, width=330),
        file__filename="appendix.pdf",
    )
    f.PaperFactory(
        agenda_item=minutes,
        title="Action log",
        file__data=b"PK\x03\x04 a spreadsheet, say",
        file__filename="actions.xlsx",
    )
    # Drag the minutes to the top of the agenda.
    AgendaItem.objects.filter(pk=minutes.pk).update(position=0)

    result = circulate_papers(next_meeting, people["support"])
    assert result.left_out == 1
    support = _client_for(people["support"])
    response = support.get(reverse("meeting_pack", args=[next_meeting.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    widths = [round(float(page.mediabox.width)) for page in reader.pages]
    agenda_pages = widths.index(310)
    assert agenda_pages >= 1 and set(widths[:agenda_pages]) == {A4_WIDTH}
    assert widths[agenda_pages:] == [310, 310, 330, 320]
    agenda = " ".join(reader.pages[0].extract_text().split())
    assert "Action log" in agenda and "not in the pack: download separately" in agenda
    assert agenda.index("Minutes of the last meeting") < agenda.index("Neglect strategy refresh")
    first = agenda_pages
    assert _outline(reader) == [
        ("Agenda", 0, []),
        ("1. Minutes of the last meeting", 0, []),
        (
            "2. Neglect strategy refresh",
            first,
            [("Strategy", first, []), ("Strategy appendix", first + 2, [])],
        ),
        ("3. Rapid review of Child Q", first + 3, [("Child Q chronology", first + 3, [])]),
    ]

    # The public pack has the open items' papers only, and says no more of the confidential one.
    anonymous = _client_for(None)
    response = anonymous.get(reverse("meeting_pack", args=[next_meeting.pk]))
    public = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    widths = [round(float(page.mediabox.width)) for page in public.pages]
    assert 320 not in widths and widths[-3:] == [310, 310, 330]
    text = " ".join(public.pages[0].extract_text().split())
    assert "Child Q" not in text and "1 confidential item is not in this pack" in text
    assert [title for title, *_ in _outline(public)] == [
        "Agenda",
        "1. Minutes of the last meeting",
        "2. Neglect strategy refresh",
    ]


def test_the_agenda_is_due_five_working_days_before_the_meeting_skipping_a_bank_holiday(
    settings,
):
    # Tuesday 28 May 2024 follows the spring bank holiday (Monday 27 May).
    meeting = Meeting(date=datetime.date(2024, 5, 28))
    assert meeting.agenda_due_on == datetime.date(2024, 5, 20)
    # Without a bank holiday in the way: Tuesday 4 June, agenda due Tuesday 28 May.
    assert Meeting(date=datetime.date(2024, 6, 4)).agenda_due_on == datetime.date(2024, 5, 28)
    settings.AGENDA_WORKING_DAYS = 10
    assert meeting.agenda_due_on == datetime.date(2024, 5, 13)
    assert Meeting(date=datetime.date(2024, 5, 28), date_known=False).agenda_due_on is None


def _change_page_post(client, meeting):
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    html = client.get(url).content.decode()
    return url, form_data(html)


def test_a_paper_that_is_a_web_page_named_pdf_is_refused_beside_its_file(
    client, support_officer, next_meeting
):
    client.force_login(support_officer)
    url, data = _change_page_post(client, next_meeting)
    item = AgendaItem.objects.get(title="Neglect strategy refresh")
    total = int(data["papers-TOTAL_FORMS"])
    new = f"papers-{total - 1}"
    data.update(
        {
            f"{new}-agenda_item": str(item.pk),
            f"{new}-title": "Safeguarding update",
            f"{new}-file": SimpleUploadedFile(
                "update.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"
            ),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    errors = inline_formset(response, "papers").errors[total - 1]
    assert errors["file"] == [
        "Upload a PDF, Word, Excel, PowerPoint or OpenDocument file: this file is none of these."
    ]
    assert not Paper.objects.filter(title="Safeguarding update").exists()


def test_a_paper_over_the_size_limit_is_refused(client, support_officer, next_meeting, settings):
    settings.LEARNING_FILE_MAX_BYTES = 100
    client.force_login(support_officer)
    url, data = _change_page_post(client, next_meeting)
    item = AgendaItem.objects.get(title="Neglect strategy refresh")
    total = int(data["papers-TOTAL_FORMS"])
    new = f"papers-{total - 1}"
    data.update(
        {
            f"{new}-agenda_item": str(item.pk),
            f"{new}-title": "Large paper",
            f"{new}-file": SimpleUploadedFile("large.pdf", f.pdf_bytes(3), "application/pdf"),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "upload a file of 100" in inline_formset(response, "papers").errors[total - 1]["file"][0]
    assert not Paper.objects.filter(title="Large paper").exists()


def test_the_support_officer_adds_a_paper_and_circulates_the_papers_from_the_meeting_page(
    client, support_officer, next_meeting
):
    client.force_login(support_officer)
    url, data = _change_page_post(client, next_meeting)
    item = AgendaItem.objects.get(title="Neglect strategy refresh")
    total = int(data["papers-TOTAL_FORMS"])
    new = f"papers-{total - 1}"
    data.update(
        {
            f"{new}-agenda_item": str(item.pk),
            f"{new}-title": "Neglect audit findings",
            f"{new}-file": SimpleUploadedFile("findings.pdf", f.pdf_bytes(), "application/pdf"),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, inline_formset(response, "papers").errors
    paper = Paper.objects.get(title="Neglect audit findings")
    assert paper.meeting == next_meeting and paper.uploaded_by == support_officer

    page = client.get(url).content.decode()
    circulate = reverse("admin:meetings_meeting_circulate", args=[next_meeting.pk])
    assert circulate in page
    assert client.get(circulate).status_code == 200
    response = client.post(circulate)
    # The task ran (the immediate backend): its progress page says what it did.
    run = next_meeting.pack_runs.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert "the meeting pack is made" in page_text(client.get(response["Location"]))
    next_meeting.refresh_from_db()
    assert next_meeting.papers_circulated_at and next_meeting.agenda_published_at
    assert next_meeting.pack and next_meeting.public_pack


def test_a_board_member_cannot_publish_an_agenda(client, next_meeting, people):
    client.force_login(people["board member"])
    publish = reverse("admin:meetings_meeting_publish_agenda", args=[next_meeting.pk])
    assert client.post(publish).status_code == 403
    next_meeting.refresh_from_db()
    assert next_meeting.agenda_published_at is None


def test_an_item_made_confidential_after_circulation_takes_the_public_pack_away_until_circulated_again(
    client, next_meeting, people
):
    circulate_papers(next_meeting, people["support"])
    pack = reverse("meeting_pack", args=[next_meeting.pk]) + "?public=1"
    assert client.get(pack).status_code == 200

    AgendaItem.objects.filter(title="Neglect strategy refresh").update(is_confidential=True)
    assert client.get(pack).status_code == 404
    assert client.get(paper_url(next_meeting, "Draft neglect strategy")).status_code == 404
    page = client.get(reverse("public_meeting", args=[next_meeting.pk])).content.decode()
    assert pack.replace("&", "&amp;") not in page and "Neglect strategy" not in page

    circulate_papers(next_meeting, people["support"])
    response = client.get(pack)
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages[0].extract_text()
    assert "Neglect strategy" not in text and "2 confidential items" in " ".join(text.split())


def test_a_group_that_publishes_papers_but_not_agendas_publishes_neither(client, next_meeting):
    from django.utils import timezone

    from meetings.rules import public_meeting_papers

    group = next_meeting.group
    type(next_meeting).objects.filter(pk=next_meeting.pk).update(
        papers_circulated_at=timezone.now()
    )
    next_meeting.refresh_from_db()
    assert public_meeting_papers(next_meeting)
    group.publishes_agendas = False
    group.save()
    next_meeting.refresh_from_db()
    assert not public_meeting_papers(next_meeting)


def test_a_paper_whose_file_is_gone_answers_404_not_500(client, support_officer, next_meeting):
    paper = next_meeting.papers.first()
    paper.file.storage.delete(paper.file.name)
    client.force_login(support_officer)
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_a_past_meeting_with_no_agenda_here_does_not_say_its_agenda_is_coming(
    client, publishing_group
):
    """A meeting recorded after the fact (as the 2018/19 ones are) never had its agenda here."""
    held = f.MeetingFactory(
        group=publishing_group, date=timezone.localdate() - datetime.timedelta(days=30)
    )
    text = page_text(client.get(reverse("public_meeting", args=[held.pk])))
    assert "No agenda of this meeting was published here." in text
    assert "not published yet" not in text
