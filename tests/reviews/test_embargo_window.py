"""A review held back after publication: from the moment the change commits, no reader (the
app, or the files nginx serves) gets a page naming it, not even while the report is republished.

Safeguarding first: better no stored page for a few seconds (the app then renders the page
from the records, which apply the embargo) than a held-back name shown."""

import datetime
import re

import pytest
from django.test import Client

from bscb.reports import editions
from bscb.reports.models import Edition, EditionPage
from reviews.services import review_release
from tests.public_site import NOT_PUBLIC, UNLINKED_PUBLIC_URLS

CASE_REVIEWS = "/2018-19/case-reviews/"


def on_disk(path: str) -> str:
    file = editions._disk_root() / "current" / "site" / path.lstrip("/") / "index.html"
    return file.read_text() if file.exists() else ""


def public_site() -> dict[str, bytes]:
    """Every public page reachable from the home page, as tests.public_site.crawl finds them,
    but answered however they are: the PDF of an edition out of service is missing (404)
    rather than shown, a withdrawn edition is gone (410)."""
    client, seen, queue = Client(), {}, ["/", *UNLINKED_PUBLIC_URLS]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code in (200, 404, 410), f"{url} answered {response.status_code}"
        assert response.status_code == 200 or url.endswith(".pdf") or "/editions/" in url, url
        seen[url] = b"".join(response) if response.streaming else response.content
        if "html" in response.get("Content-Type", ""):
            for href in re.findall(r'href="(/[^"#?]*)', seen[url].decode()):
                if not href.startswith(NOT_PUBLIC):
                    queue.append(href)
    assert len(seen) > 30
    return seen


def hold_back(review):
    review.signed_off_on = datetime.date(2019, 3, 1)
    review.is_embargoed = True
    review.embargo_reason = "a criminal trial"
    review.save()


@pytest.fixture
def on_disk_too(small_year):
    editions.write_pages_to_disk()
    assert "Family T" in on_disk(CASE_REVIEWS)
    assert "Family T" in Client().get(CASE_REVIEWS).content.decode()
    return small_year


def test_no_reader_sees_a_held_back_name_while_the_report_is_republished(
    on_disk_too, monkeypatch, django_capture_on_commit_callbacks
):
    seen_while_rendering = []
    real_render = editions._render

    def render_and_look(edition, **kwargs):
        seen_while_rendering.append(
            (Client().get(CASE_REVIEWS).content.decode(), on_disk(CASE_REVIEWS))
        )
        return real_render(edition, **kwargs)

    monkeypatch.setattr(editions, "_render", render_and_look)
    with django_capture_on_commit_callbacks(execute=True):
        hold_back(on_disk_too.family_t)
    assert len(seen_while_rendering) == 1  # the report was republished
    served, stored = seen_while_rendering[0]
    assert "Family T" not in served
    assert "Family T" not in stored
    assert "Family T" not in Client().get(CASE_REVIEWS).content.decode()
    assert "Family T" not in on_disk(CASE_REVIEWS)
    assert on_disk(CASE_REVIEWS)  # the republished edition is on disk again


def test_the_edition_naming_it_is_out_of_service_when_the_change_commits(
    on_disk_too, django_capture_on_commit_callbacks
):
    """Taken out in the change's own transaction: the app never serves it after the commit,
    before anything the commit sets off has run."""
    with django_capture_on_commit_callbacks(execute=False):
        hold_back(on_disk_too.family_t)
        # As the database stands at the commit, before its hooks run:
        for url, body in public_site().items():
            assert b"Family T" not in body, url
        assert not Edition.objects.current().exists()
        assert not EditionPage.objects.current().exists()


def test_a_name_typed_elsewhere_is_taken_out_of_the_pages_rendered_meanwhile(
    on_disk_too, client, support_officer, django_capture_on_commit_callbacks
):
    """The embargo holds back the review's records; its name typed in other words (the
    foreword, a meeting's minutes) is taken out of the pages the public gets from the
    records while no edition is current, as publishing takes it out (the outsider's attack
    read "the Baby Q review" in the live pages for the seconds of republishing, and would
    have for good had republishing failed). Staff still read it, to change the words."""
    foreword = on_disk_too.period.report_sections.get(slug="foreword")
    foreword.introduction += "\n\nWe shared the learning of the *Family&nbsp;T* review."
    foreword.save()
    entry = on_disk_too.board_meeting.entries.first()
    entry.text = "The board heard from the family T task and finish group."
    entry.save()
    with django_capture_on_commit_callbacks(execute=False):
        hold_back(on_disk_too.family_t)
        assert not Edition.objects.current().exists()  # the pages come from the records
        for url, body in public_site().items():
            text = body.decode(errors="replace")
            assert "Family T" not in text and "family T" not in text, url
            assert "Family&nbsp;T" not in text and "Family</em>" not in text, url
        page = Client().get("/2018-19/foreword/").content.decode()
        assert "[a review that cannot yet be published]" in page
        client.force_login(support_officer)
        staff = client.get("/2018-19/foreword/?preview=1").content.decode()
        assert "Family" in staff and "T</em> review" in staff


def test_an_embargo_changed_again_meanwhile_is_checked_again_not_left_unpublished(
    on_disk_too, monkeypatch, django_capture_on_commit_callbacks
):
    """Baby S is released while the report is republished for Family T's embargo: the
    republishing starts again from what the embargo asks now, rather than leaving the period
    with no current edition."""
    real_render = editions._render
    released = []

    def baby_s_released_meanwhile(edition, **kwargs):
        rendered = real_render(edition, **kwargs)
        if not released:
            released.append(review_release(review=on_disk_too.baby_s))
        return rendered

    monkeypatch.setattr(editions, "_render", baby_s_released_meanwhile)
    with django_capture_on_commit_callbacks(execute=True):
        hold_back(on_disk_too.family_t)
    current = Edition.objects.get(is_current=True)
    assert not current.is_withdrawn
    assert on_disk_too.baby_s.pk in current.reviews_shown
    assert on_disk_too.family_t.pk not in current.reviews_shown
    page = Client().get(CASE_REVIEWS).content.decode()
    assert "Family T" not in page and on_disk_too.baby_s.pseudonym in page
    assert "Family T" not in on_disk(CASE_REVIEWS)
