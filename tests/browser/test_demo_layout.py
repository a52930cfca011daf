"""The demo's Who attends, where a new user found the page scrolling sideways on a phone: its
long organisation names and every meeting of the year fit a 320 px screen (a wide table
scrolls inside its own region, never the page), and axe finds nothing."""

from bscb.reports.demo import load_demo
from tests.browser.test_layout import layout_problems


def test_the_demos_who_attends_fits_a_320_px_screen(audit_context):
    load_demo()
    page = audit_context.new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    problems = layout_problems(page, "/2018-19/who-attends/")
    assert problems == [], "\n".join(problems)
    assert page.locator("main table").count() > 0  # the tables were there to be measured
