"""Past editions: each published edition stays readable at its own address, as it was published,
and says when a later one replaced it; a withdrawn edition, or one of a period that is not
published, is read by nobody there."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bscb.reports.editions import period_publish
from bscb.reports.models import Edition, ReportSection
from tests.pages import page_text
from tests.small_year import FOREWORD

CORRECTED = "Welcome to the corrected annual report of the Northshire Safeguarding Children Board."
SITE = "https://report.northshire.example"


@pytest.fixture
def corrected(small_year, settings):
    """The small year's first edition replaced by a second with a corrected foreword."""
    settings.SITE_URL = SITE
    foreword = ReportSection.objects.get(period=small_year.period, slug="foreword")
    foreword.introduction = CORRECTED
    foreword.save()
    period_publish(period=small_year.period, accept_missing=True, note="Foreword corrected.")
    return small_year


def readers(small_year, board_reader, support_officer) -> dict[str, Client]:
    """The public, the chair of another group (E-Safety), a board member and the support team."""
    chair = get_user_model().objects.create_user("cara")
    small_year.esafety.chairs.add(chair)
    clients = {"anonymous": Client()}
    for name, user in [
        ("chair of E-Safety", chair),
        ("board member", board_reader),
        ("support officer", support_officer),
        ("superuser", get_user_model().objects.create_superuser("root", password="x" * 20)),
    ]:
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def test_the_current_contents_page_links_each_replaced_edition(client, corrected):
    html = client.get("/2018-19/").content.decode()
    assert '<a class="govuk-link" href="/2018-19/editions/1/">Edition 1</a>' in html
    assert "Edition 2, published" in html and "(this edition)" in html


def test_a_reader_opens_a_replaced_edition_as_it_was_published_and_is_told_it_was_replaced(
    client, corrected
):
    response = client.get("/2018-19/editions/1/foreword/")
    assert response.status_code == 200
    html = response.content.decode()
    text = page_text(response)
    assert FOREWORD in text and CORRECTED not in text
    published = Edition.objects.get(period=corrected.period, number=2).published_at
    assert f"Edition 2, published {published:%-d %B %Y}, replaced it." in text
    assert '<a class="govuk-notification-banner__link" href="/2018-19/foreword/">' in html
    assert "Read this page in the current edition" in text
    assert "(edition 1, replaced)" in html[html.index("<title>") : html.index("</title>")]
    # Search engines are pointed to the same page of the current edition.
    assert f'<link rel="canonical" href="{SITE}/2018-19/foreword/">' in html
    assert 'name="robots"' not in html
    # Its links lead to the same edition's pages: contents, previous and next.
    assert 'href="/2018-19/editions/1/"' in html
    assert 'href="/2018-19/editions/1/local-context/"' in html
    # The current edition reads on at the report's address.
    assert CORRECTED in page_text(client.get("/2018-19/foreword/"))


def test_every_page_and_download_of_a_replaced_edition_stays_readable(client, corrected):
    edition = Edition.objects.get(period=corrected.period, number=1)
    for entry in edition.contents:
        path = entry["path"].replace("/2018-19/", "/2018-19/editions/1/", 1)
        response = client.get(path)
        assert response.status_code == 200, path
        if entry["kind"] in ("csv", "json"):
            assert response["X-Robots-Tag"] == "noindex", path
    csv = client.get("/2018-19/editions/1/data/funding.csv")
    assert csv["Content-Disposition"] == 'attachment; filename="funding.csv"'


def test_the_pdf_of_a_replaced_edition_is_the_one_it_was_published_with(
    client, small_year, settings
):
    settings.EDITION_PDF = True
    first = period_publish(period=small_year.period, accept_missing=True)
    period_publish(period=small_year.period, accept_missing=True)
    response = client.get("/2018-19/editions/2/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == first.pdf.read()
    assert response["X-Robots-Tag"] == "noindex"
    # The current edition's PDF is at its own address too, for search engines as ever.
    assert "X-Robots-Tag" not in client.get("/2018-19/editions/3/report.pdf")
    assert client.get("/2018-19/editions/1/report.pdf").status_code == 404  # made without one


def test_the_current_edition_at_its_own_address_points_search_engines_to_the_report(
    client, corrected
):
    response = client.get("/2018-19/editions/2/foreword/")
    html = response.content.decode()
    assert CORRECTED in page_text(response)
    assert "Replaced edition" not in html
    assert f'<link rel="canonical" href="{SITE}/2018-19/foreword/">' in html
    assert 'name="robots"' not in html


def test_a_replaced_page_the_current_edition_no_longer_has_is_kept_out_of_search_engines(
    client, small_year, settings
):
    meeting = small_year.board_meeting
    path = meeting.url_in(small_year.period).replace("/2018-19/", "/2018-19/editions/1/", 1)
    meeting.is_public = False
    meeting.save()
    period_publish(period=small_year.period, accept_missing=True)
    html = client.get(path).content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html
    assert '<a class="govuk-notification-banner__link" href="/2018-19/">' in html
    assert "Read the current edition" in html


def test_every_reader_reads_a_replaced_published_edition(corrected, board_reader, support_officer):
    for who, reader in readers(corrected, board_reader, support_officer).items():
        response = reader.get("/2018-19/editions/1/foreword/")
        assert response.status_code == 200, who
        assert FOREWORD in page_text(response), who


def test_nobody_reads_an_edition_of_a_period_put_back_to_draft_at_its_own_address(
    corrected, board_reader, support_officer
):
    period = corrected.period
    period.status = period.Status.DRAFT
    period.save()
    paths = [
        "/2018-19/editions/1/",
        "/2018-19/editions/1/foreword/",
        "/2018-19/editions/2/",
        "/2018-19/editions/2/data/funding.csv",
        "/2018-19/editions/2/report.pdf",
        "/2018-19/editions/1/?preview=1",
    ]
    for who, reader in readers(corrected, board_reader, support_officer).items():
        for path in paths:
            response = reader.get(path)
            assert response.status_code == 404, (who, path)
            assert FOREWORD not in response.content.decode(), (who, path)


def test_an_edition_that_shows_a_review_held_back_later_is_withdrawn_for_everyone(
    corrected, board_reader, support_officer, django_capture_on_commit_callbacks
):
    review = corrected.family_t
    client = Client()
    assert "Family T" in client.get("/2018-19/editions/1/case-reviews/").content.decode()
    review.signed_off_on = datetime.date(2019, 3, 1)
    review.is_embargoed = True
    review.embargo_reason = "a criminal trial"
    with django_capture_on_commit_callbacks(execute=True):
        review.save()
    # Both editions showed Family T: both are withdrawn, and a third replaces them.
    editions = Edition.objects.filter(period=corrected.period).order_by("number")
    assert [(e.number, e.is_current, e.is_withdrawn) for e in editions] == [
        (1, False, True),
        (2, False, True),
        (3, True, False),
    ]
    for who, reader in readers(corrected, board_reader, support_officer).items():
        for number in (1, 2):
            for path in ("", "case-reviews/", "data/case-reviews.json", "report.pdf"):
                response = reader.get(f"/2018-19/editions/{number}/{path}")
                # Gone, and says so: a saved link leads to the current report.
                assert response.status_code == 410, (who, number, path)
                assert b"Family T" not in response.content, (who, number, path)
                assert f"Edition {number} of the 2018/19 report was withdrawn" in page_text(
                    response
                )
    # The third edition lists them, without a link.
    contents = client.get("/2018-19/").content.decode()
    assert "Edition 1, published" in contents and "/2018-19/editions/1/" not in contents
    assert client.get("/2018-19/editions/3/case-reviews/").status_code == 200


def test_the_support_team_withdraws_a_replaced_edition_but_not_the_current_one(
    corrected, support_officer
):
    client = Client()
    client.force_login(support_officer)
    first, second = Edition.objects.filter(period=corrected.period).order_by("number")
    response = client.post(
        reverse("admin:reports_edition_changelist"),
        {"action": "withdraw", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )
    assert "Withdrawn: 2018/19 edition 1." in page_text(response)
    assert "The current edition cannot be withdrawn" in page_text(response)
    assert Client().get("/2018-19/editions/1/foreword/").status_code == 410
    assert Client().get("/2018-19/editions/2/foreword/").status_code == 200
    second.refresh_from_db()
    assert second.is_current and not second.is_withdrawn


def test_an_editions_address_is_not_a_section_address(corrected):
    from django.core.exceptions import ValidationError

    section = ReportSection(
        period=corrected.period, kind="narrative", title="Editions", slug="editions"
    )
    with pytest.raises(ValidationError):
        section.full_clean()


def test_a_withdrawn_editions_address_says_so_and_leads_to_the_current_report(client, corrected):
    first = Edition.objects.get(period=corrected.period, number=1)
    first.is_withdrawn = True
    first.save()
    response = client.get("/2018-19/editions/1/foreword/")
    assert response.status_code == 410
    html = response.content.decode()
    assert '<a class="govuk-link" href="/2018-19/">Read the current 2018/19 report</a>' in html
    assert FOREWORD not in html and '<meta name="robots" content="noindex">' in html
    # An edition that never was is still not found.
    assert client.get("/2018-19/editions/9/foreword/").status_code == 404


def test_a_withdrawn_edition_leaves_the_feed(client, corrected):
    def entries():
        return client.get(reverse("reports_feed")).content.decode().count("<entry>")

    before = entries()
    first = Edition.objects.get(period=corrected.period, number=1)
    first.is_withdrawn = True
    first.save()
    assert entries() == before - 1
