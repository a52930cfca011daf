"""A paper that arrives, or is replaced, after the papers went out: members read it at once,
the public only once the support officer circulates the papers again, and no pack claims to
hold what it does not."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from meetings.cycle import circulate_papers, cycle_rows
from meetings.models import Paper
from tests import factories as f
from tests.pages import page_text


@pytest.fixture
def people(db):
    return {
        "support": f.UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]),
        "board member": f.UserFactory(username="member", is_staff=True, roles=[BOARD_MEMBERS]),
        "chair": f.UserFactory(username="chair"),
    }


@pytest.fixture
def circulated(people):
    """A public meeting in three weeks of a group that publishes its papers, its papers out."""
    group = f.GroupFactory(
        name="Neglect Subgroup", short_name="Neglect", publishes_agendas=True, publishes_papers=True
    )
    group.chairs.add(people["chair"])
    meeting = f.MeetingFactory(
        group=group, date=timezone.localdate() + datetime.timedelta(days=21), title="Neglect"
    )
    item = f.AgendaItemFactory(meeting=meeting, title="Neglect strategy refresh")
    f.PaperFactory(agenda_item=item, title="Draft neglect strategy")
    circulate_papers(meeting, people["support"])
    meeting.refresh_from_db()
    return meeting


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _public_pack_titles(client, meeting) -> str:
    response = client.get(reverse("meeting_pack", args=[meeting.pk]) + "?public=1")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))

    def titles(outline):
        for entry in outline:
            yield from titles(entry) if isinstance(entry, list) else [entry.title]

    return " ".join(titles(reader.outline))


def test_circulating_the_papers_marks_each_paper_circulated(circulated):
    paper = circulated.papers.get()
    assert paper.circulated_at == circulated.papers_circulated_at


def test_a_paper_added_after_circulation_is_not_public_until_the_papers_go_out_again(
    circulated, people
):
    item = circulated.agenda_items.get()
    late = f.PaperFactory(agenda_item=item, title="Late budget paper")
    assert late.circulated_at is None
    public = _client()
    page = reverse("public_meeting", args=[circulated.pk])

    assert public.get(late.get_absolute_url()).status_code == 404
    assert "Late budget paper" not in page_text(public.get(page))
    assert "Draft neglect strategy" in page_text(public.get(page))
    # The public pack still holds what it held, and says nothing of the late paper.
    assert "Late budget paper" not in _public_pack_titles(public, circulated)
    # A board member not on the group reads the public papers in the workspace, not this one.
    workspace = reverse("workspace_meetings:meeting", args=[circulated.pk])
    outsider = _client(people["board member"]).get(workspace).content.decode()
    assert "Draft neglect strategy" in outsider and "Late budget paper" not in outsider
    # The group's chair and the support team read it at once.
    assert _client(people["chair"]).get(late.get_absolute_url()).status_code == 200
    assert "Late budget paper" in _client(people["chair"]).get(workspace).content.decode()
    # The back office says the papers must go out again.
    admin_page = _client(people["support"]).get(
        reverse("admin:meetings_meeting_change", args=[circulated.pk])
    )
    assert "1 paper added or replaced since the papers were circulated" in page_text(admin_page)
    (row,) = [r for r in cycle_rows() if r.meeting == circulated]
    assert "1 paper added or replaced since the papers were circulated" in " ".join(row.missing)

    circulate_papers(circulated, people["support"])
    late.refresh_from_db()
    assert late.circulated_at is not None
    assert public.get(late.get_absolute_url()).status_code == 200
    assert "Late budget paper" in page_text(public.get(page))
    assert "Late budget paper" in _public_pack_titles(public, circulated)


def test_a_paper_replaced_after_circulation_takes_the_public_pack_away_until_circulated_again(
    circulated, people
):
    paper = circulated.papers.get()
    public = _client()
    pack = reverse("meeting_pack", args=[circulated.pk]) + "?public=1"
    assert public.get(pack).status_code == 200
    assert public.get(paper.get_absolute_url()).status_code == 200

    paper.file.save("revised-strategy.pdf", ContentFile(f.pdf_bytes(2)))
    paper.refresh_from_db()
    assert paper.circulated_at is None
    # The public pack holds the old file: it no longer stands for the paper, so it goes.
    assert public.get(pack).status_code == 404
    assert public.get(paper.get_absolute_url()).status_code == 404
    page = public.get(reverse("public_meeting", args=[circulated.pk])).content.decode()
    assert "?public=1" not in page and paper.get_absolute_url() not in page
    admin_page = _client(people["support"]).get(
        reverse("admin:meetings_meeting_change", args=[circulated.pk])
    )
    assert "1 paper added or replaced since the papers were circulated" in page_text(admin_page)

    circulate_papers(circulated, people["support"])
    assert public.get(pack).status_code == 200
    assert public.get(paper.get_absolute_url()).status_code == 200


def test_a_paper_saved_again_unchanged_stays_circulated(circulated):
    paper = circulated.papers.get()
    paper.title = "Draft neglect strategy (v2 title)"
    paper.save()
    paper.refresh_from_db()
    assert paper.circulated_at is not None


def test_a_paper_moved_to_another_item_after_circulation_waits_for_the_next_circulation(
    circulated, people
):
    paper = circulated.papers.get()
    other = f.AgendaItemFactory(meeting=circulated, title="Any other business")
    paper.agenda_item = other
    paper.save()
    assert Paper.objects.get(pk=paper.pk).circulated_at is None
    assert _client().get(paper.get_absolute_url()).status_code == 404


def test_an_item_opened_after_circulation_keeps_its_papers_from_the_public_until_they_go_out_again(
    circulated, people
):
    item = circulated.agenda_items.get()
    secret = f.AgendaItemFactory(meeting=circulated, title="Child R", is_confidential=True)
    paper = f.PaperFactory(agenda_item=secret, title="Child R chronology")
    circulate_papers(circulated, people["support"])
    assert item.papers.exists()

    secret.is_confidential = False
    secret.save()
    assert _client().get(paper.get_absolute_url()).status_code == 404
    circulate_papers(circulated, people["support"])
    assert _client().get(paper.get_absolute_url()).status_code == 200
