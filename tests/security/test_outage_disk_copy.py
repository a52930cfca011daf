"""While the database is out of reach, readers get the current editions' pages from disk, and nothing else.

The outage is real to the code under test: every query raises the error a lost
PostgreSQL connection raises (Django's execute_wrapper), as in bench/outage.py.
"""

import datetime
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import Client

from bscb.reports.editions import _disk_root, period_publish
from meetings.models import Meeting

TRAVERSALS = [
    "/2018-19/../../../../../../../../proc/self/environ",
    "/2018-19/../../../../../../../../etc/passwd",
    "/2018-19/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/2018-19/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/2018-19/../../../manage.py",
    "/2018-19/../../../bscb/settings.py",
    "/2018-19/../published.stamp",
    "/2018-19/../disk/current.json",
    "/2018-19/../disk/current/manifest.json",
]


def _lost(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


@contextmanager
def outage():
    with connection.execute_wrapper(_lost):
        yield


@pytest.fixture
def published(db, year, exploitation, django_capture_on_commit_callbacks):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2018, 6, 5))
    meeting.entries.create(text="We mapped where children go missing from.")
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    return meeting


def test_readers_get_published_pages_from_disk_during_an_outage(published, year):
    page = published.url_in(year)
    with outage():
        response = Client().get(page)
    assert response.status_code == 200
    assert "We mapped where children go missing from." in response.content.decode()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_reaches_a_file_outside_the_edition_during_an_outage(published, path):
    with outage():
        response = Client().get(path)
    body = response.content.decode(errors="replace")
    assert response.status_code in (400, 404, 503), (path, response.status_code)
    for secret in ("root:x:0:0", "SECRET_KEY", "DATABASE_URL", "django.core.management"):
        assert secret not in body, path


def test_a_page_withdrawn_by_republishing_does_not_come_back_during_an_outage(
    published, year, django_capture_on_commit_callbacks
):
    page = published.url_in(year)
    published.is_public = False
    published.save()
    with django_capture_on_commit_callbacks(execute=True):
        period_publish(period=year, accept_missing=True)
    with outage():
        response = Client().get(page)
    assert response.status_code == 503
    assert b"We mapped where children go missing from." not in response.content
    # Only the current publication's folder is left on disk.
    folders = [p for p in _disk_root().iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(folders) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/2018-19/../etc/",
        "/2018-19/..",
        "/2018-19/./board/",
        "/2018-19//board/",
        "/2018-19/bo\x00ard/",
        "/2018-19/bo%2fard/",
        "/2018-19/board\\..\\x/",
        "2018-19/board/",
        "/2018-19/böard/",
    ],
)
def test_only_plain_addresses_are_written_as_files_nginx_can_find(path):
    from bscb.reports.editions import disk_file

    assert disk_file(path) is None


def test_each_current_page_is_a_file_under_the_current_link(published, year):
    from bscb.reports.editions import disk_file

    page = published.url_in(year)
    site = _disk_root() / "current" / "site"
    assert disk_file(page) == f"site{page}index.html"
    assert (
        "We mapped where children go missing from." in (site / page[1:] / "index.html").read_text()
    )
    assert (site / year.slug / "index.html").exists()  # the contents page
    # The manifest and nothing but the pages' tree is beside it: nginx serves site/ only.
    assert sorted(p.name for p in (_disk_root() / "current").iterdir()) == ["manifest.json", "site"]
