"""A group's purpose that leads into its aims ("… which aims to:") is printed with its aims
straight after it as its list, alike on a group's page, the board's and the child death
panel's (issue 17 review, finding 4)."""

import re

from django.urls import reverse

from bscb.reports.editions import period_publish
from subgroups.models import Group
from tests import factories as f

LEAD_IN = "The panel is a forum which aims to:"
AIMS = "- Review the death of every child\n- Share what partners learn"


def purpose_then_aims(html: str, lead_in: str) -> bool:
    return bool(
        re.search(re.escape(lead_in) + r"</p>\s*<ul>\s*<li>Review the death of every child", html)
    )


def test_the_child_death_panels_purpose_is_followed_by_its_aims(client, small_year):
    f.GroupTermFactory(group=small_year.panel, period=small_year.period, purpose=LEAD_IN, aims=AIMS)
    period_publish(period=small_year.period, accept_missing=True, note="The panel's purpose.")
    section = small_year.period.report_sections.get(kind="child-deaths")
    html = client.get(reverse("section", args=[small_year.slug, section.slug])).content.decode()
    assert purpose_then_aims(html, LEAD_IN)


def test_a_groups_purpose_leads_into_its_aims_alike_on_its_page_and_the_boards(client, small_year):
    term = small_year.exploitation.terms.get(period=small_year.period)
    term.purpose = "The subgroup is a forum which aims to:"
    term.aims = AIMS
    term.save()
    board = Group.objects.get(slug="board")
    f.GroupTermFactory(
        group=board,
        period=small_year.period,
        purpose="The Board is a forum which aims to:",
        aims=AIMS,
    )
    period_publish(period=small_year.period, accept_missing=True, note="Lead-ins.")
    group = client.get(reverse("group_detail", args=[small_year.slug, "child-exploitation"]))
    assert purpose_then_aims(group.content.decode(), term.purpose)
    page = client.get(reverse("section", args=[small_year.slug, "board"])).content.decode()
    assert purpose_then_aims(page, "The Board is a forum which aims to:")
