"""What an outsider's attack on the report as data found, each fixed with the test that failed."""

import pytest
from django.urls import reverse

from bscb.reports.editions import HeldBackNamesFound, period_publish, redact_names
from bscb.reports.models import Edition, ReportSection
from bscb.reports.report import report_sections
from tests.admin_forms import form_data
from tests.factories import (
    CaseReviewFactory,
    ContributionFactory,
    GroupFactory,
    MeetingFactory,
    PeriodFactory,
)


@pytest.fixture
def period(db):
    period = PeriodFactory(status="published")
    period.report_sections.filter(slug="foreword").update(introduction="Welcome.")
    return period


@pytest.fixture
def baby_s(db):
    return CaseReviewFactory(pseudonym="Baby S", embargoed=True)


@pytest.mark.parametrize(
    "written",
    [
        "the Baby\nS review",
        "the Baby\u00a0S review",  # a no-break space, as a word processor pastes it
        "the Baby  S review",
        "the Baby *S* review",  # emphasis inside the name
    ],
)
def test_a_held_back_name_written_with_other_spacing_or_emphasis_is_caught(period, baby_s, written):
    period.report_sections.filter(slug="whats-next").update(
        introduction=f"We learned from {written}."
    )
    with pytest.raises(HeldBackNamesFound):
        period_publish(period=period, accept_missing=True)
    assert not Edition.objects.filter(period=period).exists()


@pytest.mark.parametrize(
    "html",
    ["Baby\nS", "Baby&nbsp;S", "Baby&#160;S", "Baby <em>S</em>", "baby   s", '"Baby\\nS"'],
)
def test_redaction_takes_out_a_name_however_it_is_spaced(html):
    assert "S" not in redact_names(f"We learned from {html}.", {"Baby S"}).replace(
        "[a review that cannot yet be published]", ""
    ).replace("We learned from", "")


def test_hiding_a_groups_own_section_hides_the_group(period):
    group = GroupFactory(name="Exploitation Subgroup")
    MeetingFactory(group=group, date="2018-06-01", is_public=True)
    assert group.name in [s.title for s in report_sections(period)]
    ReportSection.objects.create(
        period=period, kind="group", group=group, title=group.name, slug="ce", is_shown=False
    )
    assert group.name not in [s.title for s in report_sections(period)]


def test_a_group_given_two_sections_is_refused_and_publishing_still_works(period):
    group = GroupFactory()
    MeetingFactory(group=group, date="2018-06-01", is_public=True)
    ReportSection.objects.create(period=period, kind="group", group=group, title="A", slug="a")
    second = ReportSection(period=period, kind="group", group=group, title="B", slug="b")
    with pytest.raises(Exception, match="already the section of"):
        second.full_clean()
    second.save()  # as a record written past the form would be
    titles = [s.title for s in report_sections(period)]
    assert titles.count("A") + titles.count("B") == 1
    period_publish(period=period, accept_missing=True)
    assert Edition.objects.get(period=period, is_current=True)


def test_a_hidden_sections_datasets_are_not_published(period, client):
    ContributionFactory(period=period)
    period.report_sections.filter(kind="funding").update(is_shown=False)
    period_publish(period=period, accept_missing=True)
    assert client.get(f"/{period.slug}/data/funding.csv").status_code == 404
    assert "funding.csv" not in client.get(f"/{period.slug}/data/").content.decode()


def sections_form(client, period):
    url = reverse("admin:bscb_reportingperiod_change", args=[period.pk])
    data = form_data(client.get(url).content.decode())
    rows = {data[f"report_sections-{i}-slug"]: i for i in range(13)}
    return url, data, rows


def test_two_sections_trading_addresses_in_one_save_get_a_message_not_an_error(
    client, support_officer, period
):
    client.force_login(support_officer)
    url, data, rows = sections_form(client, period)
    data[f"report_sections-{rows['foreword']}-slug"] = "whats-next"
    data[f"report_sections-{rows['whats-next']}-slug"] = "foreword"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Another section has this address until this save" in response.content.decode()
    assert period.report_sections.get(slug="foreword").title == "Foreword"


def test_a_row_without_a_position_is_saved_at_the_end(client, support_officer, period):
    client.force_login(support_officer)
    url, data, rows = sections_form(client, period)
    data[f"report_sections-{rows['foreword']}-position"] = ""
    assert client.post(url, data).status_code == 302
    assert list(period.report_sections.values_list("slug", flat=True))[-1] == "foreword"


def test_two_new_sections_of_a_kind_that_appears_once_are_refused_in_one_save(
    client, support_officer, period
):
    client.force_login(support_officer)
    period.report_sections.filter(kind="funding").delete()
    url, data, _rows = sections_form_after_delete(client, period)
    for n, slug in ((12, "money"), (13, "more-money")):
        data.update(
            {
                f"report_sections-{n}-title": slug,
                f"report_sections-{n}-slug": slug,
                f"report_sections-{n}-kind": "funding",
                f"report_sections-{n}-is_shown": "on",
                f"report_sections-{n}-position": str(50 + n),
                f"report_sections-{n}-period": str(period.pk),
            }
        )
    data["report_sections-TOTAL_FORMS"] = "14"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "in this list is that section already" in response.content.decode()
    assert not period.report_sections.filter(kind="funding").exists()


def sections_form_after_delete(client, period):
    url = reverse("admin:bscb_reportingperiod_change", args=[period.pk])
    return url, form_data(client.get(url).content.decode()), None


def test_search_titles_are_escaped_once(client, period):
    period.report_sections.filter(slug="whats-next").update(introduction="Our plans.")
    period_publish(period=period, accept_missing=True)
    page = client.get("/search/?q=plans").content.decode()
    assert "What&#x27;s next for the Board?" in page
    assert "&amp;#x27;" not in page
