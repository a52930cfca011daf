"""A made-up choice typed into an autocomplete field (a name where a number belongs) is
refused beside the field, on every add and change page of the back office and its inlines."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.admin_forms import form_data
from tests.security.test_bad_input import ADMIN_MODELS
from tests.security.test_role_walk import records  # noqa: F401  (one record of every model)

SELECT = re.compile(r"<select\b[^>]*>")
NAME = re.compile(r'\bname="([^"]+)"')


def autocomplete_fields(html: str) -> list[str]:
    """The names of the page's autocomplete fields, inline forms included (not the blank
    template an "Add another" copies)."""
    names = []
    for tag in SELECT.findall(html):
        name = NAME.search(tag)
        if "admin-autocomplete" in tag and name and "__prefix__" not in name.group(1):
            names.append(name.group(1))
    return names


def _pages(model):
    opts = model._meta
    yield "add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        yield "change", reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m.__name__)
def test_a_name_posted_to_every_autocomplete_field_is_refused_with_a_message(
    model,
    records,  # noqa: F811
    support_officer,
):
    client = Client(raise_request_exception=False)
    client.force_login(support_officer)
    tried = 0
    for kind, url in _pages(model):
        page = client.get(url)
        if page.status_code != 200:
            continue
        html = page.content.decode()
        base = form_data(html)
        before = model._default_manager.count()
        for name in autocomplete_fields(html):
            tried += 1
            response = client.post(url, {**base, name: "abc"})
            assert response.status_code == 200, (kind, name, response.status_code)
            assert "errorlist" in response.content.decode(), (kind, name)
            assert model._default_manager.count() == before
    if not tried:
        pytest.skip(f"{model.__name__}'s pages have no autocomplete field")


def test_the_pages_the_tester_named_have_autocomplete_fields(records, support_officer):  # noqa: F811
    """The test above would pass trivially if no page had an autocomplete field."""
    from bscb.core.models import Person

    assert Person in admin.site._registry
    client = Client()
    client.force_login(support_officer)
    html = client.get(reverse("admin:bscb_person_add")).content.decode()
    assert "organisation" in autocomplete_fields(html)
