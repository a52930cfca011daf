"""The back office: every page answers the support team, and nobody else."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

OUR_APPS = {"bscb", "subgroups", "meetings", "reviews", "training", "funding"}
MODELS = [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def admin_url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_support_team_can_list_search_and_add(client, support_officer, model):
    client.force_login(support_officer)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "neglect"}).status_code == 200
    request = RequestFactory().get("/")
    request.user = support_officer
    can_add = admin.site._registry[model].has_add_permission(request)
    assert client.get(admin_url(model, "add")).status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_back_office_needs_sign_in(client, db, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_concluded_groups_are_hidden_from_the_group_list_until_asked_for(
    client, support_officer, board, exploitation
):
    import datetime

    exploitation.concluded_on = datetime.date(2019, 3, 31)
    exploitation.save()
    client.force_login(support_officer)
    url = admin_url(type(board), "changelist")
    assert list(client.get(url).context["cl"].result_list) == [board]
    assert list(client.get(url, {"life": "concluded"}).context["cl"].result_list) == [exploitation]


@pytest.mark.parametrize(
    "field", [("meetings", "meeting", "group"), ("subgroups", "actionplan", "group")]
)
def test_the_admins_autocompletes_answer(client, support_officer, exploitation, field):
    client.force_login(support_officer)
    app_label, model_name, field_name = field
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Child",
            "app_label": app_label,
            "model_name": model_name,
            "field_name": field_name,
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["text"] == "Child Exploitation Subgroup"


def test_the_back_office_has_the_sites_favicon(client, support_officer):
    from django.templatetags.static import static

    client.force_login(support_officer)
    icon = f'<link rel="icon" href="{static("bscb/favicon.svg")}" type="image/svg+xml">'
    assert icon in client.get(reverse("admin:index")).content.decode()
    client.logout()
    assert icon in client.get(reverse("admin:login"), follow=True).content.decode()


def test_the_meeting_list_shows_fifty_meetings_a_page_and_the_rest_on_the_next(
    client, support_officer
):
    import datetime

    from tests import factories as f

    group = f.GroupFactory()
    for n in range(51):
        f.MeetingFactory(group=group, date=datetime.date(2018, 5, 1) + datetime.timedelta(days=n))
    client.force_login(support_officer)
    url = reverse("admin:meetings_meeting_changelist")
    assert len(client.get(url).context["cl"].result_list) == 50
    assert len(client.get(url, {"p": 2}).context["cl"].result_list) == 1


def test_the_back_office_lists_its_models_on_its_home_page_not_in_a_side_menu(
    client, support_officer
):
    client.force_login(support_officer)
    meetings = reverse("admin:meetings_meeting_changelist")
    home = client.get(reverse("admin:index")).content.decode()
    assert f'href="{meetings}"' in home
    page = client.get(meetings).content.decode()
    assert 'id="nav-sidebar"' not in page
    # Every page's breadcrumbs lead back to the home page.
    assert f'<a href="{reverse("admin:index")}">' in page
