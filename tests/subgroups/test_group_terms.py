"""A group keeps its identity; its name that year, purpose, aims and chair are the period's."""

import datetime

import pytest
from django.urls import reverse

from bscb.core.models import Organisation, ReportingPeriod
from meetings.models import Meeting
from subgroups.models import GroupTerm
from tests.admin_forms import form_data
from tests.pages import page_text


def test_each_periods_page_shows_the_purpose_and_chair_of_that_period(
    client, year, draft_year, exploitation
):
    ReportingPeriod.objects.filter(pk=draft_year.pk).update(status=ReportingPeriod.Status.PUBLISHED)
    police = Organisation.objects.create(name="Thames Valley Police")
    exploitation.terms.create(
        period=year,
        purpose="To map where children are exploited.",
        chair_name="Jo Smith",
        chair_organisation=police,
    )
    exploitation.terms.create(
        period=draft_year,
        name="Exploitation and Missing Children Subgroup",
        purpose="To find children who go missing, and know why.",
        chair_name="Sam Patel",
    )
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 1))
    Meeting.objects.create(group=exploitation, date=datetime.date(2019, 6, 1))

    earlier = page_text(client.get(reverse("group_detail", args=[year.slug, exploitation.slug])))
    later = page_text(
        client.get(reverse("group_detail", args=[draft_year.slug, exploitation.slug]))
    )
    assert "To map where children are exploited." in earlier
    assert "Chair Jo Smith, Thames Valley Police" in earlier
    assert "Missing Children" not in earlier and "Sam Patel" not in earlier
    assert "To find children who go missing, and know why." in later
    assert "Chair Sam Patel" in later
    assert "Exploitation and Missing Children Subgroup" in later
    assert "To map where children" not in later


def test_a_period_without_a_record_prints_no_purpose_nor_chair(client, year, exploitation):
    Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 1))
    page = page_text(client.get(reverse("group_detail", args=[year.slug, exploitation.slug])))
    assert "Purpose" not in page and "Chair" not in page


def test_a_second_record_for_the_same_period_is_refused_beside_the_period(
    client, support_officer, year, exploitation
):
    exploitation.terms.create(period=year, purpose="The first record.")
    client.force_login(support_officer)
    url = reverse("admin:subgroups_group_change", args=[exploitation.pk])
    data = form_data(client.get(url).content.decode())
    total = int(data["terms-TOTAL_FORMS"])
    data |= {
        "terms-TOTAL_FORMS": str(total + 1),
        f"terms-{total}-period": str(year.pk),
        f"terms-{total}-purpose": "A second record.",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    formset = next(
        f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "terms"
    )
    assert formset.forms[total].errors["period"] == [
        "This group already has its record for 2018/19: change that one."
    ]
    assert list(GroupTerm.objects.values_list("purpose", flat=True)) == ["The first record."]


def test_a_chair_on_record_prints_by_name_and_a_typed_name_beside_it_is_refused(db):
    from django.core.exceptions import ValidationError

    from tests.factories import GroupTermFactory, PersonFactory

    term = GroupTermFactory(chair_name="", chair_person=PersonFactory(name="Sam Achebe"))
    assert term.chair.startswith("Sam Achebe")
    term.chair_name = "Someone else"
    with pytest.raises(ValidationError) as refused:
        term.full_clean()
    assert "not both" in refused.value.message_dict["chair_name"][0]
