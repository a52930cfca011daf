"""Whatever a held-back review is called and whatever happens to it, no public byte holds it.

Hypothesis draws the review's name (any printable characters, markup and non-ASCII
included) and a sequence of what staff do (hold it back, publish, release, and a
database outage); a record of every kind linked to the review, found from the models,
exists throughout. After each step, while the review is held back, nothing public
holds its name, its summary or any linked record's words, escaped or not: every page
reachable from the home page and the sitemap, search for each word of the name, the
feeds and calendars, the CSV and JSON, the PDF's text, the static export and the disk
copy that serves readers while the database is down.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import io
import json
from pathlib import Path
from urllib.parse import quote_plus, unquote

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bscb.core.models import ReportingPeriod
from bscb.reports.editions import _disk_root, period_publish
from bscb.reports.export import export_edition
from reviews.models import CaseReview
from reviews.services import review_release
from tests.public_site import crawl
from tests.reviews.linked_records import linked_world

PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\x00")
NAMES = st.text(PRINTABLE, min_size=1, max_size=20).map(lambda s: f"Zq{s}Qz")
STEPS = st.lists(st.sampled_from(["hold back", "publish", "release", "outage"]), max_size=4)


def readable_forms(blob: bytes) -> list[str]:
    """The text of a download as each encoding on the site would hide a name in it."""
    if blob.startswith(b"%PDF"):
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(blob)).pages)
        return [text, " ".join(text.split())]
    text = blob.decode("utf-8", "replace")
    forms = [text, html.unescape(text), html.unescape(html.unescape(text)), unquote(text)]
    forms.append(text.replace('""', '"'))  # CSV quoting
    forms.append(text.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\"))  # iCalendar
    with contextlib.suppress(ValueError):
        forms.append(json.dumps(json.loads(text), ensure_ascii=False))
    return forms


def public_bytes(period: ReportingPeriod, name: str, tmp: Path) -> dict[str, bytes]:
    client = Client()
    found = crawl(client)
    for url in ["/feeds/reports.atom", "/sitemap.xml", "/themes/"]:
        found[url] = client.get(url).content
    for word in name.split():
        url = f"/search/?q={quote_plus(word)}"
        page = client.get(url).content.decode()
        # The search page repeats what was typed: that is no leak.
        found[url] = page.replace(word, "").replace(html.escape(word), "").encode()
    if period.editions.filter(is_current=True).exists():
        folder = tmp / f"export-{len(list(tmp.iterdir()))}"
        export_edition(period, folder)
        for file in folder.rglob("*"):
            if file.is_file() and file.suffix in {".html", ".csv", ".json", ".ics", ".xml"}:
                found[f"export:{file.relative_to(folder)}"] = file.read_bytes()
    disk = _disk_root()
    if disk.exists():
        for file in disk.rglob("*"):
            if file.is_file():
                found[f"disk:{file.relative_to(disk)}"] = file.read_bytes()
    return found


def assert_nothing_of(review: CaseReview, markers: list[str], site: dict[str, bytes]) -> None:
    needles = [review.pseudonym, review.summary, review.embargo_reason, *markers]
    for where, blob in site.items():
        for text in readable_forms(blob):
            for needle in needles:
                assert needle not in text, f"{needle!r} is public at {where}"


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=NAMES, held_at_first=st.booleans(), steps=STEPS)
@example(
    name="Zq Baby \"S\" & <b>'T'</b> Zoë ☂ Qz",
    held_at_first=False,
    steps=["publish", "hold back", "release", "hold back", "outage"],
)
def test_no_public_byte_holds_a_held_back_review(
    settings, tmp_path_factory, django_capture_on_commit_callbacks, name, held_at_first, steps
):
    tmp = tmp_path_factory.mktemp("embargo")
    settings.MEDIA_ROOT = tmp / "media"
    settings.EDITION_PDF = True
    with transaction.atomic():
        period = ReportingPeriod.objects.create(
            name="2018/19",
            slug="2018-19",
            start=datetime.date(2018, 4, 1),
            end=datetime.date(2019, 3, 31),
        )
        review = CaseReview.objects.create(
            pseudonym=name,
            kind=CaseReview.Kind.SERIOUS_CASE_REVIEW,
            panel_notified_on=datetime.date(2018, 6, 1),
            signed_off_on=datetime.date(2018, 9, 1),
            summary="SUMMARYQ of the held-back review",
            embargo_reason="REASONQ a criminal trial",
            is_embargoed=held_at_first,
        )
        world = linked_world(period, review)

        def held() -> bool:
            return not CaseReview.objects.publishable().filter(pk=review.pk).exists()

        for step in ["publish", *steps]:
            with django_capture_on_commit_callbacks(execute=True):
                if step == "publish":
                    period_publish(period=period, accept_missing=True)
                elif step == "hold back":
                    review.refresh_from_db()
                    review.is_embargoed = True
                    review.save()
                elif step == "release" and held():
                    review.refresh_from_db()
                    review_release(review=review)
            if held():
                assert_nothing_of(review, world.markers, public_bytes(period, name, tmp))

        # The check can fail: once released and published, the review and its records show.
        with django_capture_on_commit_callbacks(execute=True):
            if held():
                review_release(review=review)
            period_publish(period=period, accept_missing=True)
        report = Client().get("/2018-19/report/").content.decode()
        assert html.escape(name, quote=False) in report or html.escape(name) in report
        shown = [m for m in world.markers if m in report]
        assert len(shown) >= 4, shown
        transaction.set_rollback(True)
