"""A priority keeps its identity across years; what a report says about it is the period's.

Its wording, lead, description and three-part assessment belong to a period: editing
2020/21's words leaves the 2019/20 edition, and a republished 2019/20 report, as they were.
"""

import datetime
import re

import pytest
from django.urls import reverse

from bscb.core.models import Priority, PriorityText, ReportingPeriod
from bscb.core.roles import SUPPORT_TEAM
from bscb.reports.editions import period_publish
from bscb.reports.models import EditionPage
from tests.factories import (
    OrganisationFactory,
    PeriodFactory,
    PriorityTextFactory,
    UserFactory,
)
from tests.pages import page_text


def priorities_part(html: str) -> str:
    """The report's part on its priorities: their list and their assessments."""
    match = re.search(
        r"Priorities and strategic leads</h\d>(.*?)(?=<h\d class=\"govuk-heading-l\"|$)",
        html,
        re.S,
    )
    return match.group(1) if match else ""


@pytest.fixture
def years(db):
    earlier = PeriodFactory(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
    )
    later = PeriodFactory(
        name="2020/21",
        slug="2020-21",
        start=datetime.date(2020, 4, 1),
        end=datetime.date(2021, 3, 31),
    )
    return earlier, later


@pytest.fixture
def neglect(years):
    _earlier, _later = years
    council = OrganisationFactory(name="Northmoor Council", sector="local_authority")
    priority = Priority.objects.create(name="Neglect", slug="neglect", position=1)
    for period in years:
        PriorityTextFactory(
            priority=priority,
            period=period,
            wording="Neglect",
            lead_detail="the Director of Children's Services",
            lead_organisations=[council],
        )
    return priority


def publish(period, capture):
    with capture(execute=True):
        return period_publish(period=period, accept_missing=True)


def pages_of(edition) -> dict[str, str]:
    return dict(EditionPage.objects.filter(edition=edition).values_list("path", "body"))


def test_editing_a_priority_for_2020_21_leaves_2019_20_as_published(
    client, years, neglect, django_capture_on_commit_callbacks
):
    earlier, later = years
    first = publish(earlier, django_capture_on_commit_callbacks)
    stored = pages_of(first)
    before = {path: priorities_part(body) for path, body in stored.items()}
    assert any("Neglect" in part for part in before.values())

    # The support team words the priority otherwise for 2020/21, with another lead.
    text = neglect.texts.get(period=later)
    text.wording = "Neglect, seen early and acted on"
    text.lead_detail = "the Assistant Director of Early Help"
    text.went_well = "One screening tool for every agency."
    text.save()

    # The 2019/20 edition is as it was stored, and so is its page.
    assert pages_of(first) == stored
    board_page = client.get(reverse("section", args=[earlier.slug, "board"]))
    assert "Neglect, seen early" not in board_page.content.decode()

    # Republished, 2019/20's pages say the same of the priority, byte for byte.
    second = publish(earlier, django_capture_on_commit_callbacks)
    after = {path: priorities_part(body) for path, body in pages_of(second).items()}
    assert after == before
    assert not any("Neglect, seen early" in body for body in pages_of(second).values())

    # 2020/21 has its own words.
    publish(later, django_capture_on_commit_callbacks)
    page = page_text(client.get(reverse("section", args=[later.slug, "board"])))
    assert "Neglect, seen early and acted on" in page
    assert "The Assistant Director of Early Help (Northmoor Council)" in page
    assert "What worked well One screening tool for every agency." in page


def test_the_theme_page_prints_each_years_wording(
    client, years, neglect, django_capture_on_commit_callbacks
):
    earlier, later = years
    neglect.texts.filter(period=later).update(wording="Neglect, seen early and acted on")
    publish(earlier, django_capture_on_commit_callbacks)
    publish(later, django_capture_on_commit_callbacks)
    page = page_text(client.get(reverse("theme_detail", args=["neglect"])))
    assert page.index("2020/21 Neglect, seen early and acted on") < page.index("2019/20 Neglect")


def test_the_assessment_prints_only_the_parts_recorded(client, years, neglect):
    _earlier, later = years
    ReportingPeriod.objects.filter(pk=later.pk).update(status=ReportingPeriod.Status.PUBLISHED)
    url = reverse("section", args=[later.slug, "board"])
    page = page_text(client.get(url))
    assert "What worked well" not in page and "What we are worried about" not in page

    neglect.texts.filter(period=later).update(
        worried_about="Families are referred again within a year.",
        needs_to_happen="Every closing assessment asks whether the change will last.",
    )
    page = page_text(client.get(url))
    assert "What worked well" not in page
    assert "What we are worried about Families are referred again within a year." in page
    assert (
        "What needs to happen Every closing assessment asks whether the change will last." in page
    )


def test_a_priority_is_in_the_periods_it_has_a_text_for(years, neglect):
    earlier, later = years
    newcomer = PriorityTextFactory(period=later).priority
    assert set(Priority.objects.in_period(earlier)) == {neglect}
    assert set(Priority.objects.in_period(later)) == {neglect, newcomer}


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="support", is_staff=True, roles=[SUPPORT_TEAM]))
    return client


def test_a_second_text_for_the_same_period_is_refused_beside_the_period(
    admin_client, years, neglect
):
    _earlier, later = years
    url = reverse("admin:bscb_priority_change", args=[neglect.pk])
    page = admin_client.get(url).content.decode()
    version = re.search(r'name="version" value="([^"]*)"', page).group(1)
    texts = list(neglect.texts.order_by("-period__start"))
    data = {
        "name": neglect.name,
        "slug": neglect.slug,
        "position": neglect.position,
        "version": version,
        "texts-TOTAL_FORMS": "3",
        "texts-INITIAL_FORMS": "2",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
    }
    for index, text in enumerate(texts):
        data |= {
            f"texts-{index}-id": text.pk,
            f"texts-{index}-priority": neglect.pk,
            f"texts-{index}-period": text.period_id,
            f"texts-{index}-wording": text.wording,
        }
    data |= {
        "texts-2-priority": neglect.pk,
        "texts-2-period": later.pk,
        "texts-2-wording": "Neglect, a second time",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[2].errors
    assert errors["period"] == ["This priority already has its text for 2020/21: change that one."]
    assert PriorityText.objects.filter(priority=neglect).count() == 2
    assert not PriorityText.objects.filter(wording="Neglect, a second time").exists()


def test_two_new_texts_for_one_period_on_the_same_page_are_refused(admin_client, years):
    _earlier, later = years
    url = reverse("admin:bscb_priority_add")
    data = {
        "name": "Exploitation",
        "slug": "exploitation",
        "position": 2,
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-period": later.pk,
        "texts-0-wording": "Exploitation",
        "texts-1-period": later.pk,
        "texts-1-wording": "Exploitation again",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert "already has its text for 2020/21" in errors["period"][0]
    assert not Priority.objects.filter(slug="exploitation").exists()


def test_the_statutory_check_counts_a_priority_assessment_as_evidence(years, neglect):
    from bscb.reports.checker import check_report

    _earlier, later = years
    item = "Areas with little or no progress, and what is being done"

    def stalled():
        return next(i for i in check_report(later).items if i.title == item)

    assert not any("assessed" in line for line in stalled().provided)
    neglect.texts.filter(period=later).update(worried_about="Families are referred again.")
    # Half an assessment is not one: it says what worries, not what needs to happen.
    assert not any("assessed" in line for line in stalled().provided)
    neglect.texts.filter(period=later).update(needs_to_happen="Ask whether change will last.")
    assert "1 priority assessed: what we are worried about and what needs to happen" in (
        stalled().provided
    )


def test_a_priority_only_a_draft_speaks_of_has_no_public_theme(
    client, years, neglect, django_capture_on_commit_callbacks
):
    earlier, later = years
    secret = Priority.objects.create(name="Planned for next year", slug="planned", position=2)
    PriorityTextFactory(priority=secret, period=later, wording="Planned for next year")
    publish(earlier, django_capture_on_commit_callbacks)
    themes = page_text(client.get(reverse("theme_list")))
    assert "Neglect" in themes and "Planned for next year" not in themes
    assert client.get(reverse("theme_detail", args=["planned"])).status_code == 404
