"""Editions are the record of what was published: nobody deletes one, and the files nginx serves
follow the database whatever happens to an edition's row."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bscb.reports.editions import _disk_root, period_publish
from bscb.reports.models import Edition
from meetings.models import Meeting


@pytest.fixture
def published(year, exploitation, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    with django_capture_on_commit_callbacks(execute=True):
        edition = period_publish(period=year, accept_missing=True)
    return edition


def on_disk(path: str) -> str | None:
    file = _disk_root() / "current" / "site" / path.lstrip("/") / "index.html"
    return file.read_text() if file.exists() else None


@pytest.mark.parametrize("who", ["support_officer", "superuser"])
def test_nobody_deletes_an_edition_from_the_back_office(request, published, who):
    if who == "superuser":
        user = get_user_model().objects.create_superuser("root", password="a long password")
    else:
        user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)
    delete = f"/admin/reports/edition/{published.pk}/delete/"
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/reports/edition/")
    assert "delete_selected" not in changelist.content.decode()
    assert Edition.objects.filter(pk=published.pk, is_current=True).exists()


def test_an_edition_deleted_anyway_leaves_the_files_nginx_serves(
    published, year, django_capture_on_commit_callbacks
):
    contents = f"/{year.slug}/"
    assert "exploitation" in on_disk(contents).lower()
    # A shell, a cascade from its period: the row goes, and so do its pages on disk.
    with django_capture_on_commit_callbacks(execute=True):
        Edition.objects.get(pk=published.pk).delete()
    assert on_disk(contents) is None
