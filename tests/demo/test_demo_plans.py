"""The demo's work plans say only what the source says (issue 17, item 6)."""

from django.urls import reverse

from subgroups.models import Action
from subgroups.progress import actions_in
from tests.pages import page_text


def _group_page(client, period, slug) -> str:
    return page_text(client.get(reverse("group_detail", args=[period.slug, slug])))


def test_the_e_safety_plan_does_not_repeat_the_meetings_bullets_as_actions(client, demo_year):
    # The source: "Reviewed the current work plan: all actions had been completed and RAG
    # rated green." It lists no action: the bullet says it, a made-up plan would repeat it.
    text = _group_page(client, demo_year, "e-safety")
    assert (
        "Reviewed the current work plan: all actions had been completed and RAG rated green."
        in text
    )
    assert "Work plan At 31 March 2019" not in text
    assert text.count("We promoted and rolled out a cybercrime theatre project.") == 1
    assert not actions_in(demo_year).filter(plan__group__slug="e-safety").exists()


def test_the_child_exploitation_page_prints_no_work_plan_the_source_does_not_give(
    client, demo_year
):
    text = _group_page(client, demo_year, "child-exploitation")
    assert "Work plan At 31 March 2019" not in text
    assert "1 action, with no RAG rating recorded" not in text
    # What the source does say stays, as the meeting's bullets.
    assert (
        "Safeguarding/CSE training for taxi drivers, who are licenced by the district councils, "
        "had been developed but had not yet been implemented or evaluated." in text
    )
    assert not actions_in(demo_year).filter(plan__group__slug="child-exploitation").exists()
    # Nothing in the published year is an action the source does not give.
    assert not Action.objects.filter(plan__period=demo_year, is_illustrative=True).exists()


def test_loading_the_demo_again_takes_out_actions_the_file_no_longer_lists(demo_year):
    from bscb.reports.demo import load_demo
    from subgroups.models import ActionPlan

    # A demo loaded before the file dropped the E-Safety plan's made-up actions.
    plan = ActionPlan.objects.get(title="E-Safety work plan 2018/19")
    Action.objects.create(
        plan=plan, description="Promote and roll out a cybercrime theatre project."
    )
    load_demo()
    assert not plan.actions.exists()
