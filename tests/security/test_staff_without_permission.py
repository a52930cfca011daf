"""Staff rights are the permissions held, not the staff flag: a trainer who may only read
courses sees no draft report and nothing of reviews, risks or editions on the front page."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from bscb.reports.templatetags import attention
from meetings.models import Meeting
from tests import factories as f


@pytest.fixture
def course_reader(db):
    """Staff, holding only training.view_course."""
    user = f.UserFactory(username="tess", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="training", codename="view_course")
    )
    return user


@pytest.fixture
def something_of_everything(monkeypatch, db):
    """An overdue action, a late risk review, a review clock due and a copy of a report to send."""
    action = SimpleNamespace(action=object(), risk=None)
    risk = SimpleNamespace(action=None, risk=object())
    monkeypatch.setattr(attention, "items_to_escalate", lambda: [action, risk])
    monkeypatch.setattr(attention, "reviews_due_or_late", lambda: [("Child R", "clock")])
    period = f.PeriodFactory(status="published")
    edition = period.editions.create(
        number=1, is_current=True, published_at=datetime.datetime(2019, 7, 1, tzinfo=datetime.UTC)
    )
    return {"action": action, "risk": risk, "edition": edition}


def _attention(user) -> dict:
    request = RequestFactory().get("/admin/")
    request.user = user
    return attention.needs_attention({"request": request})


def test_the_support_team_is_told_of_everything_that_needs_attention(
    support_officer, something_of_everything
):
    shown = _attention(support_officer)
    assert shown["items"] == [something_of_everything["action"], something_of_everything["risk"]]
    assert shown["review_clocks"] == [("Child R", "clock")]
    assert list(shown["panel_copies"]) == [something_of_everything["edition"]]


def test_a_staff_user_who_may_only_read_courses_is_told_of_nothing(
    course_reader, something_of_everything
):
    shown = _attention(course_reader)
    assert shown["items"] == []
    assert list(shown["review_clocks"]) == []
    assert list(shown["panel_copies"]) == []
    assert shown["draft_checks"] == []


@pytest.mark.parametrize(
    ("app", "codename", "shows"),
    [
        ("subgroups", "view_action", "action"),
        ("subgroups", "view_risk", "risk"),
    ],
)
def test_each_overdue_item_shows_to_those_who_may_read_it(
    course_reader, something_of_everything, app, codename, shows
):
    course_reader.user_permissions.add(
        Permission.objects.get(content_type__app_label=app, codename=codename)
    )
    course_reader = type(course_reader).objects.get(pk=course_reader.pk)  # permissions afresh
    shown = _attention(course_reader)
    assert shown["items"] == [something_of_everything[shows]]
    assert list(shown["review_clocks"]) == []


def test_the_front_page_of_a_course_reader_says_nothing_is_overdue(
    client, course_reader, something_of_everything
):
    client.force_login(course_reader)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Nothing is overdue or late." in content
    assert "Child R" not in content


@pytest.fixture
def draft_meeting(draft_year, exploitation):
    meeting = Meeting.objects.create(group=exploitation, date=datetime.date(2019, 6, 4))
    meeting.entries.create(text="We planned the exploitation workshops.")
    return meeting


def test_a_staff_user_who_may_only_read_courses_gets_404_for_a_draft(
    client, course_reader, draft_year, draft_meeting
):
    client.force_login(course_reader)
    slug = draft_year.slug
    for url in [
        reverse("period_detail", args=[slug]),
        reverse("full_report", args=[slug]),
        reverse("report_pdf", args=[slug]),
        reverse("section", args=[slug, "board"]),
        reverse("group_detail", args=[slug, draft_meeting.group.slug]),
        reverse("period_data", args=[slug]),
        draft_meeting.url_in(draft_year),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.get(url, {"preview": "1"}).status_code == 404, url


def test_a_staff_user_who_may_only_read_courses_reads_published_pages_as_published(
    client, course_reader, year, exploitation
):
    client.force_login(course_reader)
    response = client.get(reverse("period_detail", args=[year.slug]), {"preview": "1"})
    assert response.status_code == 200
    assert "This is a draft" not in response.content.decode()


def test_the_sitemap_lists_no_theme_only_a_draft_speaks_of(client, year, draft_year):
    f.PriorityTextFactory(period=year, priority__slug="neglect", priority__name="Neglect")
    f.PriorityTextFactory(period=draft_year, priority__slug="secret-plan", priority__name="Plan")
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert "/themes/neglect/" in sitemap
    assert "/themes/secret-plan/" not in sitemap
