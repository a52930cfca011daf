"""Text the source has that the demo's pages lacked (issue 17, item 7): each on its page."""

import re

from django.urls import reverse

from meetings.models import Meeting
from tests.pages import page_text


def section(client, period, slug):
    return client.get(reverse("section", args=[period.slug, slug]))


def group_page(client, period, slug):
    return client.get(reverse("group_detail", args=[period.slug, slug]))


def test_the_boards_the_executives_and_the_subgroups_introductions_are_on_their_pages(
    client, demo_year
):
    board = page_text(section(client, demo_year, "board"))
    assert "This year the board agreed its business plan and strategic leads" in board
    assert (
        "Board meetings The Board met four times before starting to reform as part of the new "
        "arrangements required in the Wood Report." in board
    )
    assert (
        "Executive Group meetings The newly formed Executive Group met for the first time this "
        "year to start planning the new structures. Please check our website to get the "
        "updated structure, priorities and plan for implementation." in board
    )
    subgroups = "To support and inform the Board we continued to have a number of subgroups."
    assert subgroups in page_text(group_page(client, demo_year, "e-safety"))
    assert subgroups not in page_text(group_page(client, demo_year, "policy-and-procedure"))
    whole = page_text(client.get(reverse("full_report", args=[demo_year.slug])))
    assert whole.count(subgroups) == 1


def test_the_serious_case_reviews_section_has_the_sources_definition_plans_and_link(
    client, demo_year
):
    response = section(client, demo_year, "case-reviews")
    text = page_text(response)
    for words in (
        "Working Together 2015 states that a Serious Case Review (SCR) must be undertaken by "
        "Local Safeguarding Children Boards (LSCBs) where:",
        "(a) abuse or neglect of a child is known or suspected; and",
        "(b) either (i) the child has died, or (ii) the child has been seriously harmed and "
        "there is cause for concern as to the way in which the authority, their Board partners "
        "or other relevant persons have worked together to safeguard the child.",
        "We commissioned learning materials as a result of the Baby Q review which will be on "
        "our website in 2019.",
        "We planned our first partner conference around the recurring themes from the thematic "
        "review of ten years of serious case review \N{EN DASH} these were domestic abuse, parental "
        "learning disabilities and exploitation.",
        "To read any of our serious case reviews please visit",
    ):
        assert words in text, words
    assert 'href="https://www.bucks-lscb.org.uk/serious-case-review/"' in response.content.decode()


def test_the_local_context_notes_that_some_of_the_sources_figures_were_lost(client, demo_year):
    html = section(client, demo_year, "local-context").content.decode()
    note = re.search(r'<div class="govuk-inset-text[^"]*">(.*?)</div>', html, re.DOTALL)
    assert note, "the section should carry its note"
    assert "were lost when the report's text was extracted" in page_text_of(note.group(1))


def page_text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


def test_a_purpose_and_its_list_of_aims_stay_together(client, demo_year):
    for slug, lead_in, first_aim in (
        ("safer-employment", "seek assurance that:", "Appropriate recruitment, selection"),
        ("child-exploitation", "multiagency forum which aims to:", "Support the strategic"),
    ):
        html = group_page(client, demo_year, slug).content.decode()
        between = html[html.index(lead_in) : html.index(first_aim)]
        assert not re.search(r"<h\d", between), (slug, between)


def test_a_panel_meetings_page_gives_its_cases_under_the_panels_own_word(client, demo_year):
    meeting = Meeting.objects.get(group__slug="child-death-overview-panel", date="2018-05-11")
    text = page_text(client.get(meeting.url_in(demo_year)))
    assert "Cases reviewed 4" in text
    assert "Highlights Following a recent death, which was not notified to CDOP" in text
    assert "What did we do?" not in text


def test_the_child_death_page_shows_the_panels_purpose(client, demo_year):
    text = page_text(section(client, demo_year, "child-death-overview-panel"))
    assert "The death of a child is always tragic and leaves families with a sense of shock" in text
