"""The support officer shapes the report in the back office: adds a narrative section,
drags it above another, renames a section, previews and publishes; readers get that report."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from playwright.sync_api import expect

from bscb.core.roles import SUPPORT_TEAM, ensure_roles
from bscb.reports.models import ReportSection
from tests.factories import ContributionFactory, OrganisationFactory, PeriodFactory

PASSWORD = "a long browser password"


@pytest.fixture
def draft(transactional_db):
    ensure_roles()  # the roles and their permissions, after a flush
    period = PeriodFactory(name="2019/20", slug="2019-20", start="2019-04-01", end="2020-03-31")
    foreword = period.report_sections.get(slug="foreword")
    foreword.introduction = "Welcome to our report."
    foreword.save()
    ContributionFactory(period=period, organisation=OrganisationFactory(name="Northshire Council"))
    officer = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    officer.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    return period


def sign_in(page, path):
    page.goto(path)
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def section_rows(page):
    return page.locator("#report_sections-group tbody tr.has_original")


def dom_titles(page) -> list[str]:
    return (
        section_rows(page)
        .locator("input[name$='-title']")
        .evaluate_all("inputs => inputs.map(input => input.value)")
    )


def drag(page, handle, target):
    """Drag as a hand does: press, move a little at a time (the list reorders as the row
    passes others), rest over the target's upper half, release."""
    start, end = handle.bounding_box(), target.bounding_box()
    x = start["x"] + 5
    page.mouse.move(x, start["y"] + start["height"] / 2)
    page.mouse.down()
    y = start["y"]
    while y > end["y"]:
        y = max(end["y"], y - 15)
        page.mouse.move(x, y)
        page.wait_for_timeout(15)
    page.mouse.move(x, end["y"] + 1)
    page.wait_for_timeout(300)  # SortableJS animates each move for 150 ms
    page.mouse.up()
    page.wait_for_timeout(200)


def contents(page) -> list[str]:
    return [
        t.strip()
        for t in page.locator("main ol.govuk-list--number li a").all_inner_texts()
        if t.strip()
    ]


def test_the_support_officer_adds_moves_and_renames_sections_then_publishes(
    page, draft, browser, live_server, settings
):
    settings.EDITION_PDF = False
    sign_in(page, "/admin/reports/reportsection/add/")
    page.get_by_label("Period").select_option(label="2019/20")
    page.get_by_label("Kind").select_option(label="Narrative")
    page.get_by_label("Title").fill("Voice of children and families")
    page.get_by_label("Slug").fill("voice")
    page.get_by_label("Introduction").fill("Children told us they want to be heard.")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.set_viewport_size({"width": 1400, "height": 2400})  # the whole list in view
    page.goto(f"/admin/bscb/reportingperiod/{draft.pk}/change/")
    rows = section_rows(page)
    titles = [
        rows.nth(i).locator("input[name$='-title']").input_value() for i in range(rows.count())
    ]
    assert titles[0] == "Foreword" and titles[-1] == "Voice of children and families"
    # Drag the new section by its handle above the foreword.
    rows.first.evaluate(
        "row => window.scrollTo(0, row.getBoundingClientRect().top + window.scrollY - 40)"
    )
    drag(page, rows.last.locator("td.original p"), rows.first.locator("td.original p"))
    assert dom_titles(page)[:2] == ["Voice of children and families", "Foreword"]
    funding = next(
        i
        for i in range(rows.count())
        if rows.nth(i).locator("input[name$='-title']").input_value() == "How were we funded?"
    )
    rows.nth(funding).locator("input[name$='-title']").fill("Where the money came from")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    order = list(draft.report_sections.values_list("title", flat=True))
    assert order.index("Voice of children and families") < order.index("Foreword")
    assert ReportSection.objects.filter(title="Where the money came from").exists()

    page.goto("/2019-20/")
    assert contents(page)[:2] == ["Voice of children and families", "Foreword"]
    assert "Where the money came from" in contents(page)

    page.goto(f"/admin/bscb/reportingperiod/{draft.pk}/publish/")
    page.get_by_label(re.compile("Publish although the check found items missing")).check()
    with page.expect_navigation():
        page.locator("input[type=submit][value^=Publish]").click()

    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto("/2019-20/")
    assert contents(reader)[:2] == ["Voice of children and families", "Foreword"]
    reader.get_by_role("link", name="Voice of children and families").click()
    expect(
        reader.get_by_role("heading", name="Voice of children and families", level=1)
    ).to_be_visible()
    expect(reader.locator("main")).to_contain_text("Children told us they want to be heard.")
    reader.get_by_role("link", name=re.compile("Next section")).click()
    expect(reader.get_by_role("heading", name="Foreword", level=1)).to_be_visible()
    reader.goto("/2019-20/funding/")
    expect(reader.locator("h1")).to_contain_text("Where the money came from")
    expect(reader.locator("main")).to_contain_text("Northshire Council")
    reader.context.close()
