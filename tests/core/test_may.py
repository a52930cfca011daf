"""One rule for "active staff holding this permission": the buttons of the back office and
the background tasks they queue (which ask again when they run) say the same."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import RequestFactory

from bscb.core.imports import may_import
from bscb.core.roles import may, may_publish
from bscb.reports.export_runs import may_export
from meetings.models import Meeting
from meetings.tasks import may_circulate
from training.models import SessionAttendance

PERMISSIONS = [
    "bscb.publish_reportingperiod",
    "meetings.publish_meeting",
    "reports.change_edition",
    "training.import_sessionattendance",
]


def holding_every_permission(**fields):
    user = get_user_model().objects.create_user(f"user{len(fields)}{fields}", **fields)
    for name in PERMISSIONS:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return get_user_model().objects.get(pk=user.pk)  # the permission cache afresh


def asked(user) -> dict:
    request = RequestFactory().get("/")
    request.user = user
    return {
        "publish": may_publish(user),
        "circulate": may_circulate(user),
        "export": may_export(user, None),
        "import": may_import(user, SessionAttendance),
        "admin publish meeting": admin.site._registry[Meeting].has_publish_permission(request),
        "admin import": admin.site._registry[SessionAttendance].has_import_permission(request),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"is_staff": True}, True),
        ({"is_staff": False}, False),  # no longer let into the back office
        ({"is_staff": True, "is_active": False}, False),  # no longer signs in
    ],
)
def test_the_buttons_and_the_tasks_ask_the_same_rule(fields, expected):
    user = holding_every_permission(**fields)
    assert asked(user) == dict.fromkeys(asked(user), expected)
    assert all(may(user, name) is expected for name in PERMISSIONS)
