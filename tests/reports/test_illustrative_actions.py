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


def test_a_work_plan_says_whether_all_or_some_of_its_actions_are_illustrative(client, small_year):
    from subgroups.models import Action
    from tests.pages import page_text

    group_url = reverse("group_detail", args=[small_year.slug, "child-exploitation"])
    board_url = reverse("section", args=[small_year.slug, "board"])
    action = small_year.taxi_action
    action.is_illustrative = True
    action.save()
    period_publish(period=small_year.period, accept_missing=True, note="One made up.")
    assert "Some of these actions are illustrative" in page_text(client.get(group_url))
    # The priority's progress counts the taxi action alone: all of it is made up.
    board = page_text(client.get(board_url))
    assert "(all of these actions are demo data)" in board and "some of these" not in board

    Action.objects.filter(plan__group=action.plan.group).update(is_illustrative=True)
    period_publish(period=small_year.period, accept_missing=True, note="All made up.")
    group = page_text(client.get(group_url))
    assert "All these actions are illustrative" in group
    assert "Some of these actions" not in group
