"""The three users' stories, in a real browser."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from playwright.sync_api import expect

from bscb.core.roles import SUPPORT_TEAM, ensure_roles
from subgroups.models import Action, Group
from tests.small_year import TAXI_ACTION, WHATS_NEXT, build_small_year

PASSWORD = "a long browser password"


def person(username, *, staff=False, chairs=None):
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=staff)
    if staff:
        user.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    if chairs:
        Group.objects.get(slug=chairs).chairs.add(user)
    return user


def sign_in(page, path, username):
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose_in_autocomplete(page, field_id, text):
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_the_support_officer_records_a_meeting_and_previews_it(page, small_year):
    person("sam", staff=True)
    sign_in(page, "/admin/login/?next=/admin/meetings/meeting/add/", "sam")
    expect(page.get_by_role("heading", name=re.compile("Add meeting"))).to_be_visible()
    choose_in_autocomplete(page, "id_group", "Child Exploitation")
    page.locator("#id_date").fill("2018-09-12")
    page.locator("#id_title").fill("Autumn meeting")
    entries = [
        ("did", "We reviewed the taxi driver training with the district councils."),
        ("did", "We heard about Hotel Watch."),
        ("difference", "Children are safer in licensed taxis."),
    ]
    for i, (kind, text) in enumerate(entries):
        page.locator(f"#id_entries-{i}-kind").select_option(kind)
        page.locator(f"#id_entries-{i}-text").fill(text)
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert "was added successfully" in page.content()
    page.goto("/2018-19/groups/child-exploitation/?preview=1")
    body = page.locator("main").inner_text()
    assert "12 September 2018: Autumn meeting" in body
    first, second, third = (body.index(text) for _, text in entries)
    assert first < second < third
    # The public still reads the published edition until the next publication.
    public = page.context.browser.new_context(base_url=page.url.split("/2018-19")[0]).new_page()
    public.goto("/2018-19/groups/child-exploitation/")
    assert "Autumn meeting" not in public.content()
    public.context.close()


def test_a_chair_updates_an_action_and_cannot_reach_another_groups(page, small_year):
    person("cara", chairs="child-exploitation")
    sign_in(page, "/accounts/login/", "cara")
    expect(page.get_by_role("heading", name="Your groups")).to_be_visible()
    page.get_by_role("link", name="Child Exploitation Subgroup").click()
    page.get_by_role("link", name=TAXI_ACTION).click()
    page.get_by_role("link", name="Add a progress update").click()
    page.get_by_label("Amber").check()
    page.get_by_label("What has happened since the last update?").fill(
        "Two district councils have agreed dates."
    )
    page.get_by_role("button", name="Save the update").click()
    expect(page.get_by_text("Your update has been saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Two district councils have agreed dates.")
    others = Action.objects.filter(plan__group__slug="e-safety").first()
    response = page.goto(f"/workspace/actions/{others.pk}/")
    assert response.status == 404
    response = page.goto(f"/workspace/actions/{others.pk}/update/")
    assert response.status == 404


def test_a_reader_follows_the_contents_searches_and_downloads_the_pdf(
    page, transactional_db, settings
):
    settings.EDITION_PDF = True
    ensure_roles()  # the roles and their permissions, after a flush
    build_small_year()
    page.goto("/")
    page.get_by_role("link", name="Annual report 2018/19").click()
    expect(page.get_by_role("heading", name="Annual report 2018/19")).to_be_visible()
    page.get_by_role("link", name="How were we funded?").click()
    expect(page.locator("main")).to_contain_text("£100,000.00")
    page.get_by_role("link", name=re.compile("Next section")).click()
    expect(page.get_by_role("heading", name="What's next for the Board?", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(WHATS_NEXT)
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search every published report").fill("taxi")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("mark", has_text=re.compile("taxi", re.I)).first).to_be_visible()
    page.get_by_role("link", name="Child Exploitation Subgroup").first.click()
    expect(page.get_by_role("heading", name="Child Exploitation Subgroup", level=1)).to_be_visible()
    page.goto("/2018-19/")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the report as a PDF")).click(
            modifiers=["Alt"]
        )
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
