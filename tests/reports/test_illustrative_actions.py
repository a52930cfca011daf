"""An illustrative action is tagged wherever a public page shows it: its group's work plan,
the board's progress on its priority, and the theme's page."""

from django.urls import reverse

from bscb.core.illustrative import record_key
from bscb.reports.editions import period_publish
from tests.pages import labelled_elements


def _labels(client, url) -> list[tuple[set[str], str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return labelled_elements(response.content.decode())


def test_an_illustrative_action_is_tagged_on_every_page_that_shows_it(client, small_year):
    action = small_year.taxi_action
    action.is_illustrative = True
    action.save()
    period_publish(period=small_year.period, accept_missing=True, note="Marked demo data.")
    key = record_key(action)
    for url in [
        reverse("group_detail", args=[small_year.slug, "child-exploitation"]),
        reverse("section", args=[small_year.slug, "board"]),
        reverse("theme_detail", args=["child-exploitation"]),
    ]:
        tagged = [text for keys, text in _labels(client, url) if key in keys]
        assert tagged and all("Illustrative" in text for text in tagged), url
    # The plan's other actions are the board's records: not tagged.
    group = _labels(client, reverse("group_detail", args=[small_year.slug, "child-exploitation"]))
    assert all(keys == {key} for keys, _text in group)
