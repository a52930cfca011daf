"""WCAG 2.2 AA: axe-core on every public and workspace page, and the keyboard on the stories."""

import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import Client

from meetings.models import Meeting
from subgroups.models import Group
from tests.public_site import crawl

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "a long browser password"

FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')]
  .filter(el => !el.disabled && el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
  // A group of radios is one stop for Tab; the arrows move within it.
  .filter((el, i, all) => el.type !== 'radio' || all.findIndex(o => o.name === el.name) === i)
  .map(el => el.outerHTML.slice(0, 120))"""
ACTIVE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const visible = (style.outlineStyle !== 'none' && style.outlineColor !== 'rgba(0, 0, 0, 0)'
                   && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
  return {html: el.outerHTML.slice(0, 120), visible: visible, skip: el.classList.contains('govuk-skip-link'),
          height: el.getBoundingClientRect().height};
}"""


def audit(page, url) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on one page, each named with its rule and elements."""
    response = page.goto(url)
    assert response.status < 400, f"{url} answered {response.status}"
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{url}: {v['id']} ({v['impact']}, {v['help']}): "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
    ]


def skip_link_first(page, url) -> str | None:
    """The first Tab lands on a visible 'Skip to main content' link."""
    page.keyboard.press("Tab")
    active = page.evaluate(ACTIVE)
    if not (active["skip"] and active["height"] > 0 and active["visible"]):
        return f"{url}: the first Tab goes to {active['html']}, not a visible skip link"
    return None


def public_pages() -> list[str]:
    site = crawl(Client())
    pages = [u for u, body in site.items() if body.lstrip().startswith(b"<!DOCTYPE html>")]
    return [
        *sorted(u for u in pages if "?q=" not in u),
        "/search/?q=taxi",
        "/search/?q=nothing+at+all",
    ]


# Every kind of public page the small year has: each section (of every kind), the whole
# report, the groups, the themes, the open data and the site's own pages.
KINDS_OF_PAGE = [
    "/",
    "/2018-19/",
    "/2018-19/report/",
    *(
        f"/2018-19/{slug}/"
        for slug in [
            "foreword",
            "local-context",
            "board",
            "groups/child-exploitation",
            "groups/e-safety",
            "child-death-overview-panel",
            "case-reviews",
            "audits",
            "training",
            "who-attends",
            "funding",
            "whats-next",
            "sources",
            "scrutiny",
            "casework",
            "governance",
            "data",
        ]
    ),
    "/themes/",
    "/themes/domestic-abuse/",
    "/data/",
    "/accessibility/",
    "/search/",
]


def test_every_public_page_meets_wcag_22_aa(audit_context, small_year):
    page = audit_context.new_page()
    problems, pages = [], public_pages()
    for url in pages:
        problems += audit(page, url)
        problem = skip_link_first(page, url)
        if problem:
            problems.append(problem)
    meetings = {m.url_in(small_year.period) for m in Meeting.objects.filter(is_public=True)}
    assert set(KINDS_OF_PAGE) | meetings <= set(pages)
    assert problems == [], "\n".join(problems)


def test_a_replaced_editions_pages_meet_wcag_22_aa_and_fit_a_phone(audit_context, small_year):
    from bscb.reports.editions import period_publish

    period_publish(period=small_year.period, accept_missing=True, note="A second edition.")
    page = audit_context.new_page()
    problems = []
    urls = ["/2018-19/editions/1/", "/2018-19/editions/1/foreword/", "/2018-19/editions/1/board/"]
    for url in urls:
        problems += audit(page, url)
        problem = skip_link_first(page, url)
        if problem:
            problems.append(problem)
        assert page.get_by_text("Replaced edition").is_visible(), url
    page.set_viewport_size({"width": 320, "height": 640})
    for url in urls:
        page.goto(url)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        if wide > 320:
            problems.append(f"{url}: {wide} px wide at 320 px")
    assert problems == [], "\n".join(problems)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_every_workspace_page_meets_wcag_22_aa(audit_context, small_year):
    chair = get_user_model().objects.create_user("cara", password=PASSWORD)
    Group.objects.get(slug="child-exploitation").chairs.add(chair)
    page = audit_context.new_page()
    problems = audit(page, "/accounts/login/") + audit(page, "/accounts/password_reset/")
    sign_in(page, "cara")
    action = small_year.taxi_action
    risk = small_year.risk
    Group.objects.get(slug="board").chairs.add(
        chair
    )  # so that a risk of the Board is the chair's too
    urls = [
        "/workspace/",
        "/workspace/groups/child-exploitation/",
        "/workspace/groups/board/",
        f"/workspace/actions/{action.pk}/",
        f"/workspace/actions/{action.pk}/update/",
        f"/workspace/actions/{action.pk}/complete/",
        f"/workspace/actions/{action.pk}/edit/",
        f"/workspace/risks/{risk.pk}/",
        f"/workspace/risks/{risk.pk}/review/",
        "/accounts/security/",
    ]
    for url in urls:
        problems += audit(page, url)
        problem = skip_link_first(page, url)
        if problem:
            problems.append(problem)
    # The forms with their error summaries.
    for url, button in [
        (f"/workspace/actions/{action.pk}/update/", "Save the update"),
        (f"/workspace/actions/{action.pk}/complete/", "Mark the action complete"),
        (f"/workspace/risks/{risk.pk}/review/", "Save the review"),
    ]:
        page.goto(url)
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        assert page.locator(".govuk-error-summary").is_visible(), url
        page.add_script_tag(content=AXE)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
        )
        problems += [f"{url} (with errors): {v['id']}: {v['help']}" for v in result["violations"]]
    assert problems == [], "\n".join(problems)


def tab_through(page, url) -> list[str]:
    """Every interactive element is reached by Tab, in turn, with a visible focus."""
    page.goto(url)
    wanted = page.evaluate(FOCUSABLE)
    reached, problems = [], []
    for _ in range(len(wanted) + 5):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active["html"].startswith("<body"):
            break
        reached.append(active["html"])
        if not active["visible"]:
            problems.append(f"{url}: no visible focus on {active['html']}")
    missing = [html for html in wanted if html not in reached]
    problems += [f"{url}: Tab never reaches {html}" for html in missing]
    return problems


def test_the_stories_pages_work_by_keyboard_with_a_visible_focus(context, small_year):
    chair = get_user_model().objects.create_user("cara", password=PASSWORD)
    Group.objects.get(slug="child-exploitation").chairs.add(chair)
    page = context.new_page()
    problems = []
    for url in ["/", "/2018-19/", "/2018-19/funding/", "/search/?q=taxi", "/accounts/login/"]:
        problems += tab_through(page, url)
    # The reader's search, by keyboard alone.
    page.goto("/search/")
    page.keyboard.press("Tab")
    while not page.evaluate("() => document.activeElement.id === 'q'"):
        page.keyboard.press("Tab")
    page.keyboard.type("neglect")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "found" in page.locator("main h2").first.inner_text()
    # The chair's update, by keyboard alone.
    sign_in(page, "cara")
    url = f"/workspace/actions/{small_year.taxi_action.pk}/update/"
    problems += tab_through(page, url)
    page.goto(url)
    page.locator("#id_rag_1").focus()
    page.keyboard.press("ArrowDown")  # radios move with the arrows: from red to amber
    page.keyboard.press("Tab")
    page.keyboard.type("Dates agreed with two councils.")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["html"].startswith('<input type="submit"')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your update has been saved." in page.content()
    assert re.search(r"Amber", page.locator("main").inner_text())
    assert problems == [], "\n".join(problems)
