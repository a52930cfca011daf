"""The pages fit the screen: at 1280 px and at 320 px (a small phone, or 1280 px zoomed to
400%, WCAG 1.4.10 Reflow), no page scrolls sideways, no table squeezes a column below its
longest word, and axe finds nothing against WCAG 2.2 AA.

A table too wide for a small screen may scroll inside its own container (a focusable region
with a name, so a keyboard can scroll it too); the page itself never does.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.urls import reverse

from bscb.core.roles import SUPPORT_TEAM
from subgroups.models import Group
from tests import factories as f
from tests.browser.test_accessibility import AXE, TAGS, public_pages

PASSWORD = "a long browser password"
WIDTHS = [1280, 320]

# The width of each cell's content box against its longest word, measured with the word's own
# font on a canvas: a word broken across lines (the one-character column) or spilling out of
# its cell is found either way. Text set out of the flow (Django's absolutely placed title
# of an inline row, a visually hidden caption) takes no room in its cell, and text moved out of
# sight (an icon link's word) shows none: neither is measured.
LAYOUT = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  const narrow = [];
  const inFlow = (el, cell) => {
    for (let e = el; e && e !== cell.parentElement; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.position === 'absolute' || style.position === 'fixed') return false;
    }
    return true;
  };
  for (const cell of document.querySelectorAll('th, td')) {
    if (!cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    let longest = 0, word = '';
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      if (!parent.getClientRects().length || !inFlow(parent, cell)) continue;
      // Text moved out of sight (Django's icon links indent their words off the screen).
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      const box = range.getBoundingClientRect(), cellBox = cell.getBoundingClientRect();
      if (box.right <= cellBox.left || box.left >= cellBox.right) continue;
      canvas.font = getComputedStyle(parent).font;
      for (const w of walker.currentNode.textContent.split(/\\s+/)) {
        const width = w ? canvas.measureText(w).width : 0;
        if (width > longest) { longest = width; word = w; }
      }
    }
    // Half a pixel for rounding: clientWidth is a whole number, the text's width is not.
    if (longest > room + 0.5) {
      narrow.push(`"${word}" needs ${Math.ceil(longest)} px, its cell has ${room} px: `
                  + cell.outerHTML.replace(/\\s+/g, ' ').slice(0, 100));
    }
  }
  // The tables that scroll inside their own box.
  const scrolled = [];
  for (const table of document.querySelectorAll('table')) {
    for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
        if (box.scrollWidth > box.clientWidth) {
          scrolled.push((table.caption ? table.caption.textContent : table.outerHTML).trim().slice(0, 80));
        }
        break;
      }
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, innerWidth: innerWidth, narrow, scrolled};
}"""


def layout_problems(page, url: str) -> list[str]:
    """What does not fit on the page at `url` at the page's width, and what axe finds. On a
    wide screen (1280 px) a table does not even scroll inside its box."""
    response = page.goto(url)
    assert response.status < 400, f"{url} answered {response.status}"
    width = page.viewport_size["width"]
    layout = page.evaluate(LAYOUT)
    problems = [f"{url} at {width} px: a column too narrow: {cell}" for cell in layout["narrow"]]
    if width >= 1280:
        problems += [f"{url} at {width} px: a table scrolls: {t}" for t in layout["scrolled"]]
    if layout["scrollWidth"] > layout["innerWidth"]:
        problems.append(
            f"{url} at {width} px: the page scrolls sideways "
            f"({layout['scrollWidth']} px wide in {layout['innerWidth']} px)"
        )
    page.add_script_tag(content=AXE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    problems += [
        f"{url} at {width} px: {v['id']} ({v['impact']}, {v['help']}): "
        + "; ".join(" ".join(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
    ]
    return problems


def sign_in(page, path, username):
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def next_year_draft(small_year):
    """A draft of the next year, so that the front page lists what its statutory check misses."""
    return f.PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
        status="draft",
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_support_teams_daily_pages_fit_the_screen(
    audit_context, small_year, next_year_draft, width
):
    sam = get_user_model().objects.create_user("sam", password=PASSWORD, is_staff=True)
    sam.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    page = audit_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "/admin/login/?next=/admin/", "sam")
    front_page = page.locator("#needs-attention").inner_text()
    # Every kind of row the front page has is there to be measured.
    for wanted in ["Overdue action", "Risk review late", "Send the 2018/19", "The 2019/20 draft"]:
        assert wanted in front_page
    problems = []
    for url in [
        reverse("admin:index"),
        reverse("admin:meetings_meeting_change", args=[small_year.board_meeting.pk]),
        reverse("admin:bscb_reportingperiod_publish", args=[small_year.period.pk]),
        reverse("admin:bscb_reportingperiod_publish", args=[next_year_draft.pk]),
    ]:
        problems += layout_problems(page, url)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chairs_workspace_fits_the_screen(audit_context, small_year, width):
    cara = get_user_model().objects.create_user("cara", password=PASSWORD)
    Group.objects.get(slug="child-exploitation").chairs.add(cara)
    page = audit_context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "/accounts/login/", "cara")
    problems = []
    for url in ["/workspace/", "/workspace/groups/child-exploitation/"]:
        problems += layout_problems(page, url)
    assert problems == [], "\n".join(problems)


def test_every_public_page_fits_a_320_px_screen(audit_context, small_year):
    page = audit_context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    pages = public_pages()
    assert len(pages) > 30  # every section, meeting, theme and the site's own pages
    problems = []
    for url in pages:
        problems += layout_problems(page, url)
    assert problems == [], "\n".join(problems)


def test_a_table_that_scrolls_can_be_scrolled_by_keyboard(context, small_year):
    """The region a wide table scrolls in takes the focus, with a visible outline."""
    cara = get_user_model().objects.create_user("cara", password=PASSWORD)
    Group.objects.get(slug="child-exploitation").chairs.add(cara)
    page = context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "/accounts/login/", "cara")
    page.goto("/workspace/groups/child-exploitation/")
    region = page.get_by_role("region", name="Actions of Work plan 2018/19")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium animates a keyboard scroll, so the offset grows over a few frames.
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    assert region.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
