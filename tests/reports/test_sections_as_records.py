"""A period's report is the list of its section records: their order, titles and words.

The story: another partnership orders its report differently, renames a section and writes
two narrative sections of its own; it publishes, and readers get that report, on the
contents page, page by page, on one page and in the PDF.
"""

import io
import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import Client
from django.urls import reverse

from bscb.reports import kinds
from bscb.reports.editions import period_publish
from bscb.reports.models import Edition, ReportSection
from bscb.reports.opendata import DATASETS_BY_SLUG
from bscb.reports.report import report_sections
from tests.factories import (
    ContributionFactory,
    MeetingFactory,
    OrganisationFactory,
    PeriodFactory,
    ReportSectionFactory,
)
from tests.pages import page_text

OUR_ORDER = [
    ("Voice of children and families", "narrative", "voice"),
    ("Where the money came from", "funding", "money"),
    ("Serious case reviews", "case-reviews", "case-reviews"),
    ("Living with COVID-19", "narrative", "covid-19"),
]


@pytest.fixture
def our_report(db):
    period = PeriodFactory(status="published")
    period.report_sections.all().delete()
    for position, (title, kind, slug) in enumerate(OUR_ORDER, start=1):
        ReportSectionFactory(
            period=period,
            kind=kind,
            title=title,
            slug=slug,
            position=position,
            introduction=f"What we said in {title.lower()}." if kind == "narrative" else "",
        )
    ContributionFactory(period=period, organisation=OrganisationFactory(name="Northshire Council"))
    return period


def titles_in(text: str, titles: list[str]) -> list[str]:
    """The titles in the order the text first mentions them."""
    return sorted((t for t in titles if t in text), key=text.index)


def test_a_published_report_follows_its_records_order_titles_and_words(
    our_report, settings, django_capture_on_commit_callbacks
):
    settings.EDITION_PDF = True
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=our_report, accept_missing=True)
    reader = Client()
    titles = [title for title, _kind, _slug in OUR_ORDER]

    contents = page_text(reader.get(reverse("period_detail", args=[our_report.slug])))
    assert titles_in(contents, titles) == titles
    assert "How were we funded?" not in contents

    for title, kind, slug in OUR_ORDER:
        page = reader.get(reverse("section", args=[our_report.slug, slug]))
        assert page.status_code == 200
        assert re.search(rf"<h1[^>]*>\s*{re.escape(title)}\s*</h1>", page.content.decode()), title
        if kind == "narrative":
            assert f"What we said in {title.lower()}." in page_text(page)
    assert "Northshire Council" in page_text(reader.get(f"/{our_report.slug}/money/"))
    assert reader.get(f"/{our_report.slug}/funding/").status_code == 404

    whole = page_text(reader.get(reverse("full_report", args=[our_report.slug])))
    assert titles_in(whole, titles) == titles

    from pypdf import PdfReader

    edition = Edition.objects.get(period=our_report, is_current=True)
    pdf = PdfReader(io.BytesIO(edition.pdf.read()))
    contents_page = pdf.pages[1].extract_text()
    assert titles_in(contents_page, titles) == titles


def test_a_hidden_section_and_an_empty_narrative_are_left_out(our_report, client):
    ReportSection.objects.filter(period=our_report, slug="money").update(is_shown=False)
    ReportSection.objects.filter(period=our_report, slug="voice").update(introduction="")
    shown = [s.title for s in report_sections(our_report)]
    assert shown == ["Serious case reviews", "Living with COVID-19"]


def test_a_new_period_starts_with_a_copy_of_the_list_before_it_but_not_its_words(our_report):
    following = PeriodFactory(name="2019/20", slug="2019-20", start="2019-04-01", end="2020-03-31")
    copied = list(following.report_sections.values_list("title", "kind", "slug", "introduction"))
    assert copied == [(title, kind, slug, "") for title, kind, slug in OUR_ORDER]


def test_a_first_period_gets_every_kind_of_section_in_the_first_reports_order(db):
    period = PeriodFactory()
    assert [s.kind for s in period.report_sections.all()] == [k for k, _t, _s in kinds.FIRST_REPORT]
    assert period.report_sections.get(kind="board").title == "The work of the Board"


def test_each_group_with_public_meetings_gets_a_section_where_the_groups_stand(our_report):
    our_report.report_sections.filter(position__gte=2).update(position=F("position") + 1)
    ReportSectionFactory(period=our_report, kind="group", slug="groups", title="x", position=2)
    meeting = MeetingFactory(date="2018-06-01", is_public=True)
    assert [s.title for s in report_sections(our_report)][:3] == [
        "Voice of children and families",
        meeting.group.name,
        "Where the money came from",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"slug": "report"}, "slug", "is the address of another page"),
        ({"kind": "funding"}, "kind", "has a funding section already"),
    ],
)
def test_a_section_that_cannot_be_is_refused_beside_the_field(our_report, change, field, message):
    section = ReportSection(
        period=our_report, kind="narrative", title="New", slug="new", position=9, **{}
    )
    for name, value in change.items():
        setattr(section, name, value)
    with pytest.raises(ValidationError) as refused:
        section.full_clean()
    assert message in " ".join(refused.value.message_dict[field])


def test_every_kind_names_real_records_and_datasets():
    for kind in kinds.KINDS.values():
        for label in kind.reads:
            assert apps.get_model(label), (kind.key, label)
        for dataset in kind.datasets:
            assert dataset in DATASETS_BY_SLUG, (kind.key, dataset)


def test_the_open_data_offers_the_datasets_of_the_reports_sections_kinds(our_report, client):
    assert client.get(f"/{our_report.slug}/data/funding.csv").status_code == 200
    assert client.get(f"/{our_report.slug}/data/case-reviews.json").status_code == 200
    assert client.get(f"/{our_report.slug}/data/training.csv").status_code == 404
    data_page = client.get(f"/{our_report.slug}/data/").content.decode()
    assert "funding.csv" in data_page and "training.csv" not in data_page
