"""The report on paper: a reader of the PDF follows its links inside the PDF or to the board's
public site, never to a file on the publishing server, and meets nothing only a browser can use."""

import io
import xml.etree.ElementTree as ET

from django.urls import reverse
from pypdf import PdfReader

from bscb.reports.editions import period_publish
from tests import factories as f
from tests.pages import page_text, pdf_links

SITE = "https://report.northshire.example"


def published_pdf(small_year, settings) -> bytes:
    settings.EDITION_PDF = True
    settings.SITE_URL = SITE
    edition = period_publish(period=small_year.period, accept_missing=True)
    return edition.pdf.read()


def pdf_pages(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def test_every_link_of_the_published_pdf_leads_into_the_pdf_or_to_the_public_site(
    small_year, settings
):
    data = published_pdf(small_year, settings)
    links = pdf_links(data)
    texts = pdf_pages(data)
    assert links
    for page, kind, target in links:
        assert not target.startswith("file:"), (page, target)
        if kind == "uri":
            assert target.startswith(("https://", "http://")), (page, target)
        else:
            assert target, f"an internal link on page {page} leads to no page of the PDF"
    uris = {target for _page, kind, target in links if kind == "uri"}
    # A meeting's own page (who attended) is not in the PDF: its heading opens it on the site.
    meeting = small_year.board_meeting.url_in(small_year.period)
    assert f"{SITE}{meeting}" in uris
    # The cover gives the report's public address.
    assert f"{SITE}/{small_year.slug}/" in uris
    # A key figure's footnote leads to its source on the Sources page of the PDF.
    internal = [(page, int(target)) for page, kind, target in links if kind == "page"]
    to_sources = [
        (page, target)
        for page, target in internal
        if "Office for National Statistics, 2018." in texts[target - 1]
        and "36,950" in texts[page - 1]
    ]
    assert to_sources, "the local context's footnote does not lead to the Sources page"


def test_the_pdf_leaves_out_calendars_and_downloads_that_paper_cannot_use(
    client, small_year, settings
):
    data = published_pdf(small_year, settings)
    text = " ".join(pdf_pages(data))
    assert "to your calendar" not in text
    assert "Download the training figures" not in text
    assert "contributions as CSV" not in text
    for _page, _kind, target in pdf_links(data):
        assert not target.endswith((".ics", ".csv", ".json")), target
    # The web pages still offer them.
    board = page_text(client.get(reverse("section", args=[small_year.slug, "board"])))
    assert "meetings to your calendar" in board
    training = page_text(client.get(reverse("section", args=[small_year.slug, "training"])))
    assert "Download the training figures as CSV" in training


def test_the_training_chart_prints_each_sector_whole_on_a_line_above_its_bar(
    client, small_year, support_officer
):
    voluntary = f.OrganisationFactory(name="Northshire Youth Trust", sector="voluntary")
    session = f.SessionFactory(course=f.CourseFactory(title="Neglect"))
    f.SessionAttendanceFactory(session=session, organisation=voluntary, booked=7, attendees=7)
    client.force_login(support_officer)
    url = reverse("section", args=[small_year.slug, "training"]) + "?preview=1"
    html = client.get(url).content.decode()
    svg = ET.fromstring(html[html.index("<svg") : html.index("</svg>") + len("</svg>")])
    # The table follows the chart in reading order: beside it on a wide screen, below it on
    # a phone and on paper.
    title = next(e for e in svg if e.tag.endswith("title"))
    assert "The table that follows gives the same figures." in title.text
    labels = []
    for row in (e for e in svg if e.tag.endswith("g")):
        label = next(e for e in row if e.tag.endswith("text") and "label" in e.get("class"))
        bar = next(e for e in row if e.tag.endswith("rect"))
        labels.append(label.text)
        # The label's baseline is above the bar's top: however long, the bar cannot cover it.
        assert float(label.get("y")) <= float(bar.get("y")), label.text
    assert "Voluntary and community" in labels
