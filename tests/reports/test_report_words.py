"""Words in the report (issue 17, item 5): one name for a partner in the funding chart and
table, shares whose rounding is said, footnotes that lead to their source, and sources whose
web addresses are links."""

import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from bscb.reports import kinds
from bscb.reports.editions import period_publish
from bscb.reports.pages import pdf_now
from bscb.reports.report import report_sections
from tests import factories as f
from tests.pages import page_text, pdf_links

CHART_LABEL = re.compile(r'class="bscb-chart__label"[^>]*>([^<]*)</text>')
ROW_HEADER = re.compile(r'<th scope="row" class="govuk-table__header">([^<]*)</th>')


def funding_url(period) -> str:
    section = next(s for s in report_sections(period) if s.kind.key == kinds.FUNDING)
    return section.url(period)


def contributions_table(content: str) -> str:
    start = content.index('id="contributions-caption"')
    return content[start : content.index("</table>", start)]


def test_the_chart_and_the_table_name_each_partner_from_its_one_record(db):
    period = f.PeriodFactory(status="published")
    council = f.OrganisationFactory(name="Northshire County Council", short_name="NCC")
    police = f.OrganisationFactory(name="Northshire Police")
    courts = f.OrganisationFactory(name="CAFCASS", short_name="CAFCASS")
    f.ContributionFactory(period=period, organisation=council, amount="3000.00")
    f.ContributionFactory(period=period, organisation=police, amount="2000.00")
    f.ContributionFactory(period=period, organisation=courts, amount="1000.00")
    content = Client().get(funding_url(period)).content.decode()
    # The chart uses the short form where one is recorded, the name otherwise...
    assert CHART_LABEL.findall(content) == ["NCC", "Northshire Police", "CAFCASS"]
    # ... and the table gives the name with the short form the chart uses beside it.
    assert ROW_HEADER.findall(contributions_table(content)) == [
        "Northshire County Council (NCC)",
        "Northshire Police",
        "CAFCASS",
        "Total",
    ]


def test_the_short_form_is_kept_on_the_partner_and_edited_in_the_back_office(
    client, support_officer
):
    council = f.OrganisationFactory(name="Northshire County Council", short_name="NCC")
    client.force_login(support_officer)
    page = client.get(reverse("admin:bscb_organisation_change", args=[council.pk]))
    content = page.content.decode()
    assert 'name="short_name"' in content
    assert "the funding chart" in content


def test_shares_that_rounding_leaves_short_of_100_are_added_up_and_said_so(db):
    period = f.PeriodFactory(status="published")
    for _ in range(3):
        f.ContributionFactory(period=period, amount="1000.00")
    text = page_text(Client().get(funding_url(period)))
    assert text.count("33.3%") == 3
    assert "Total £3,000.00 99.9%" in text
    assert "Shares are rounded, so they add up to 99.9%." in text
    assert "100%" not in text
    pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_now(period)[0])).pages)
    assert "Shares are rounded, so they add up to 99.9%." in " ".join(pdf.split())


def test_shares_that_add_up_to_100_say_nothing_of_rounding(db):
    period = f.PeriodFactory(status="published")
    f.ContributionFactory(period=period, amount="3000.00")
    f.ContributionFactory(period=period, amount="1000.00")
    text = page_text(Client().get(funding_url(period)))
    assert "Total £4,000.00 100.0%" in text
    assert "rounded" not in text


def test_the_open_data_says_its_shares_are_rounded(client, small_year):
    documentation = page_text(client.get(reverse("data_documentation")))
    assert "share_percent per cent of the total, rounded to one decimal" in documentation
    data = client.get(reverse("dataset_json", args=[small_year.slug, "funding"])).json()
    assert {r["share_percent"] for r in data["rows"]} == {"60.0", "25.0", "15.0"}
    assert sum(Decimal(r["share_percent"]) for r in data["rows"]) == 100


def _cite_in_local_context(small_year, text: str) -> None:
    section = small_year.period.report_sections.get(slug="local-context")
    section.introduction = text
    section.save()


def test_a_footnote_in_the_prose_links_to_its_numbered_source(client, small_year):
    _cite_in_local_context(
        small_year, "Northshire is a county of towns and villages.² Most of it is farmland.⁹"
    )
    period_publish(period=small_year.period, accept_missing=True)
    content = client.get(
        reverse("section", args=[small_year.slug, "local-context"])
    ).content.decode()
    prose = content[content.index('<div class="bscb-prose">') :]
    assert (
        'villages.<sup><a class="govuk-link" href="/2018-19/sources/#source-2" '
        'aria-label="Source 2">2</a></sup>'
    ) in prose
    # No source 9 is recorded: the number stays as it was typed, leading nowhere.
    assert "farmland.⁹" in prose
    assert "#source-9" not in content
    sources = client.get(reverse("section", args=[small_year.slug, "sources"])).content.decode()
    assert 'id="source-2"' in sources


def test_a_footnote_in_the_prose_leads_to_its_source_in_the_pdf(small_year, settings):
    f.ReportSourceFactory(period=small_year.period, number=3, text="Northshire school census.")
    _cite_in_local_context(small_year, "Northshire is a county of towns and villages.³")
    settings.EDITION_PDF = True
    settings.SITE_URL = "https://report.northshire.example"
    edition = period_publish(period=small_year.period, accept_missing=True)
    data = edition.pdf.read()
    texts = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    internal = [(page, int(t)) for page, kind, t in pdf_links(data) if kind == "page" and t]
    # Two key figures cite sources 1 and 2; the footnote in the prose is the third link.
    to_sources = [
        (page, target)
        for page, target in internal
        if "towns and villages" in texts[page - 1]
        and "Northshire school census." in texts[target - 1]
    ]
    assert len(to_sources) == 3
    uris = {t for _page, kind, t in pdf_links(data) if kind == "uri"}
    assert "https://example.org/northshire/figures" in uris


def test_a_sources_web_address_is_a_link_and_nothing_recorded_is_markup(client, small_year):
    period = small_year.period
    f.ReportSourceFactory(period=period, number=3, text="Mid-year estimates", url="www.ons.gov.uk")
    f.ReportSourceFactory(
        period=period,
        number=4,
        text="<script>alert(1)</script> figures",
        url="javascript:alert(1)",
    )
    f.ReportSourceFactory(
        period=period, number=5, text="Quoted", url='https://example.org/?a="><b>x</b>'
    )
    period_publish(period=period, accept_missing=True)
    content = client.get(reverse("section", args=[small_year.slug, "sources"])).content.decode()
    assert (
        '<a class="govuk-link" href="https://example.org/northshire/figures">'
        "https://example.org/northshire/figures</a>"
    ) in content
    # An address without its scheme, as the report printed it, opens on the web.
    assert '<a class="govuk-link" href="https://www.ons.gov.uk">www.ons.gov.uk</a>' in content
    # Nothing recorded becomes markup or a script's link.
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; figures" in content
    assert 'href="javascript:' not in content
    assert "javascript:alert(1)" in content  # shown as the text it is
    assert "<b>x</b>" not in content
    assert 'href="https://example.org/?a=&quot;&gt;&lt;b&gt;x&lt;/b&gt;"' in content


def test_the_back_office_refuses_a_sources_address_that_is_not_on_the_web(db):
    from django.core.exceptions import ValidationError

    source = f.ReportSourceFactory.build(
        period=f.PeriodFactory(), number=1, url="javascript:alert(1)"
    )
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "Give a web address" in str(refused.value)
    for url in ["www.ons.gov.uk", "https://www.gov.uk/lait", "http://example.org", ""]:
        source.url = url
        source.full_clean()


def test_a_sources_address_asks_for_what_the_back_office_accepts():
    """The help beside the field says it takes a web address, as clean() requires, not the
    words as the report prints them."""
    from bscb.core.models import Source

    help_text = str(Source._meta.get_field("url").help_text)
    assert "As the report prints it" not in help_text
    assert "www.ons.gov.uk" in help_text and "https://" in help_text
