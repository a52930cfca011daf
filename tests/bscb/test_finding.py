"""Finding and reusing the board's work: search, themes, feeds, the statement, the static export."""

import datetime
import functools
import http.server
import re
import threading
from urllib.parse import urljoin, urlparse
from urllib.request import urlopen

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bscb.reports.editions import period_publish
from meetings.models import Meeting
from reviews.models import CaseReview
from tests.pages import page_text
from tests.small_year import (
    DOMESTIC_ABUSE_AT_THE_BOARD,
    DOMESTIC_ABUSE_STRATEGY,
    REFUGE_GUIDE,
    build_small_year,
)


def search(client, q):
    return client.get(reverse("search"), {"q": q})


def results(response) -> str:
    return page_text(response).split("Skip to main content", 1)[1]


def test_searching_taxi_finds_the_child_exploitation_entries(client, small_year):
    response = search(client, "taxi")
    content = response.content.decode()
    assert "Annual report 2018/19" in content
    assert 'href="/2018-19/groups/child-exploitation/"' in content
    assert "<mark>taxi</mark>" in content.lower() or "<mark>Taxi</mark>" in content
    assert "taxi" in results(response).lower()


def test_search_never_finds_an_embargoed_review(client, small_year):
    assert "Baby S " not in results(search(client, "Baby S"))
    # Its embargo reason: other pages may mention crime, none the end of these proceedings.
    assert "end of the criminal proceedings" not in results(search(client, "criminal proceedings"))
    review = CaseReview.objects.get(pseudonym="Baby S")
    review.summary = "Lessons about handovers between midwives and health visitors."
    review.save()
    assert "Nothing found" in results(search(client, "midwives"))


def test_search_needs_the_same_queries_however_many_results(client, small_year):
    with CaptureQueriesContext(connection) as few:
        search(client, "taxi")
    with CaptureQueriesContext(connection) as many:
        search(client, "we")
    # The current editions' pages that match, and the board's record (its name in the header).
    assert len(few) == len(many) == 2


def test_search_highlights_words_but_escapes_what_it_quotes(client, small_year):
    content = search(client, "<script>").content.decode()
    assert "<script>" not in content.split("<main", 1)[1].split("</main>")[0].replace(
        'value="&lt;script&gt;"', ""
    )


def test_the_domestic_abuse_theme_lists_its_entries_from_the_board_and_subgroups(
    client, small_year
):
    text = page_text(client.get(reverse("theme_detail", args=["domestic-abuse"])))
    assert "2018/19" in text
    assert DOMESTIC_ABUSE_AT_THE_BOARD in text  # the Board, 10 July 2018
    assert DOMESTIC_ABUSE_STRATEGY in text  # Child Exploitation
    assert REFUGE_GUIDE in text  # E-Safety
    assert "Domestic Abuse and Child Protection" in text  # the course
    assert "Board, 10 July 2018" in text
    assert "Nowhere" not in text
    # An entry about a held-back review never shows, even when tagged.
    text = page_text(client.get(reverse("theme_detail", args=["child-exploitation"])))
    assert "Baby S" not in text


def test_the_icalendar_feed_parses_and_holds_only_what_is_published(client, small_year):
    # Neither a meeting of no published report nor a title edited since publishing shows.
    future = Meeting.objects.create(
        group=Meeting.objects.filter(group__slug="board").first().group,
        date=timezone.localdate() + datetime.timedelta(days=20),
        title="Board meeting",
    )
    Meeting.objects.filter(group__slug="board", date=datetime.date(2018, 7, 10)).update(
        title="Renamed after publishing"
    )
    response = client.get(reverse("group_calendar", args=["board"]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    starts = sorted(e.decoded("dtstart") for e in events)
    # Two Board meetings kept their dates; one lost its date and is left out.
    assert starts == [datetime.date(2018, 7, 10), datetime.date(2018, 11, 27)]
    assert future.date not in starts
    assert b"Renamed after publishing" not in response.content
    assert all(str(e["uid"]).startswith("meeting-") for e in events)
    assert str(events[0]["url"]).endswith(
        "/2018-19/groups/board/meetings/1/"
    ) or "/2018-19/groups/board/meetings/" in str(events[0]["url"])


def test_a_calendar_is_offered_only_for_a_group_with_meetings_to_put_in_it(client, small_year):
    """The Executive's one meeting lost its date: its calendar would be empty, so no link."""
    board_page = client.get("/2018-19/board/").content.decode()
    assert reverse("group_calendar", args=["board"]) in board_page
    assert reverse("group_calendar", args=["executive"]) not in board_page
    group_page = client.get("/2018-19/groups/e-safety/").content.decode()
    assert reverse("group_calendar", args=["e-safety"]) in group_page
    Meeting.objects.filter(group__slug="e-safety").update(date_known=False)
    period_publish(period=small_year.period, note="Dates corrected.", accept_missing=True)
    group_page = client.get("/2018-19/groups/e-safety/").content.decode()
    assert reverse("group_calendar", args=["e-safety"]) not in group_page


def test_the_atom_feed_and_the_sitemap_list_the_published_report(client, small_year):
    atom = client.get(reverse("reports_feed")).content.decode()
    assert "<feed" in atom and "Annual report 2018/19, edition 1" in atom
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "/2018-19/board/" in sitemap and "/themes/domestic-abuse/" in sitemap


def feed_entries(client) -> dict[str, str]:
    """Each entry of the Atom feed: its title against its id."""
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(client.get(reverse("reports_feed")).content)
    return {e.findtext(f"{atom}title"): e.findtext(f"{atom}id") for e in feed.iter(f"{atom}entry")}


def test_the_feeds_entry_ids_are_uris_that_stay_when_a_new_edition_comes(
    client, small_year, settings
):
    settings.SITE_URL = "https://board.example.org"
    before = feed_entries(client)
    assert any("learning" not in t.lower() and "edition 1" in t for t in before)
    assert len(before) > 1 and len(set(before.values())) == len(before)
    for title, entry_id in before.items():
        scheme = urlparse(entry_id).scheme
        assert scheme in {"https", "tag"}, f"{title}: {entry_id} is not a URI"
        assert entry_id.startswith(("https://board.example.org/", "tag:board.example.org,"))
    period_publish(
        period=small_year.period, note="Corrected the training figures.", accept_missing=True
    )
    after = feed_entries(client)
    assert all(after[title] == entry_id for title, entry_id in before.items())
    second = after["Annual report 2018/19, edition 2"]
    assert second == "https://board.example.org/2018-19/editions/2/"


def test_every_page_links_the_accessibility_statement(client, small_year):
    for url in ["/", "/2018-19/", "/2018-19/board/", reverse("search"), reverse("theme_list")]:
        assert 'href="/accessibility/"' in client.get(url).content.decode(), url
    text = page_text(client.get(reverse("accessibility")))
    for heading in [
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
    ]:
        assert heading in text
    assert (
        "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard"
        in text
    )


def test_the_summary_for_children_is_linked_from_the_report(client, small_year):
    period = small_year.period
    assert client.get(reverse("children_summary", args=[period.slug])).status_code == 404
    period.children_summary = "This year we listened to **young people** about staying safe online."
    period.save()
    period_publish(period=period, accept_missing=True, note="Added the summary for children.")
    contents = client.get(reverse("period_detail", args=[period.slug])).content.decode()
    assert 'href="/2018-19/for-children-and-young-people/"' in contents
    assert (
        "<strong>young people</strong>"
        in client.get(reverse("children_summary", args=[period.slug])).content.decode()
    )


def test_the_static_export_served_by_a_plain_server_has_no_broken_link(db, tmp_path, settings):
    settings.EDITION_PDF = True
    build_small_year()
    call_command("export_edition", "2018-19", str(tmp_path / "site"))
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site")
    )
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        seen, queue = set(), [base]
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                response = urlopen(url, timeout=5)
            except OSError as error:
                raise AssertionError(f"{url}: {error}") from error
            with response:
                body = response.read()
                kind = response.headers.get("Content-Type", "")
            if "html" not in kind:
                continue
            for link in re.findall(r'(?:href|src)="([^"#]+)', body.decode()):
                target = urljoin(url, link)
                if urlparse(target).netloc == urlparse(base).netloc:
                    queue.append(target)
        assert len(seen) > 50
        assert any(u.endswith("report.pdf") for u in seen)
        assert any(u.endswith("funding.csv") for u in seen)
        assert any(u.endswith("govuk-frontend.min.css") for u in seen)
    finally:
        server.shutdown()
