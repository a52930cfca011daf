"""Each row of an admin list links to its change page. The list reverses that address once and
puts each whole-number key into it; any other key (a string, a UUID) is reversed row by row,
as Django does. Both give the address Django's reverse() gives, shown here on a test-only admin
site over existing models of each kind of key."""

import datetime
import uuid

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.urls import path, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bscb import urls as project_urls
from bscb.core.admin_base import CheckedAdmin

site = admin.AdminSite(name="keys")
for model in (Group, Session, DBTaskResult):
    site.register(model, CheckedAdmin)
# The URL configuration of the tests below: the project's, and this site beside its admin.
urlpatterns = [path("keys/", site.urls), *project_urls.urlpatterns]


def rows(model) -> list:
    now = timezone.now()
    if model is Group:  # whole-number keys: the address reversed once for the list
        return [Group.objects.create(name=name) for name in ("Readers", "Writers")]
    if model is Session:  # strings, one with characters the admin quotes in addresses
        expires = now + datetime.timedelta(days=1)
        return [
            Session.objects.create(session_key=key, session_data="", expire_date=expires)
            for key in ("plainkey", "a/b c_d")
        ]
    return [  # UUIDs
        DBTaskResult.objects.create(
            id=uuid.uuid4(),
            enqueued_at=now,
            run_after=now,
            args_kwargs={"args": [], "kwargs": {}},
            task_path="tests.tasks.nothing",
            backend_name="default",
            exception_class_path="",
            traceback="",
        )
        for _ in range(2)
    ]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("model", [Group, Session, DBTaskResult], ids=lambda m: m.__name__)
def test_each_row_links_to_the_change_page_django_reverses(admin_client, model):
    made = rows(model)
    opts = model._meta
    response = admin_client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=site.name)
    )
    assert response.status_code == 200
    listed = response.context["cl"]
    assert {row.pk for row in listed.result_list} >= {row.pk for row in made}
    html = response.content.decode()
    for row in made:
        expected = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[quote(row.pk)],
            current_app=site.name,
        )
        assert listed.url_for_result(row) == expected
        assert f'href="{expected}"' in html
