"""The demo's child death panel: the source's six meetings and their total."""

import datetime

from django.urls import reverse

from bscb.reports.editions import period_publish
from reviews.models import PanelCases
from tests.pages import page_text


def test_the_demo_child_death_panel_table_has_six_meetings_and_a_computed_total(client, demo_year):
    period = demo_year
    url = reverse("section", args=[period.slug, "child-death-overview-panel"])
    text = page_text(client.get(url))
    assert text.count("Panel meeting") >= 1
    for day, cases in [
        ("11 May 2018", 4),
        ("6 July 2018", 2),
        ("21 September 2018", 2),
        ("16 November 2018", 6),
        ("18 January 2019", 6),
        ("15 March 2019", 4),
    ]:
        assert f"{day} {cases} " in text, day
    assert "Total 24" in text
    assert "6 July 2019" not in text
    cases = PanelCases.objects.get(meeting__date=datetime.date(2019, 1, 18))
    cases.cases_reviewed = 9
    cases.save()
    assert "Total 24" in page_text(client.get(url))  # the published edition stands
    period_publish(period=period, accept_missing=True, note="Corrected the January panel's cases.")
    assert "Total 27" in page_text(client.get(url))
