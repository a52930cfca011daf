"""Feeds: each group's meetings as iCalendar, the reports and learning as Atom, and a sitemap."""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from icalendar import Calendar, Event

from bscb.core.markdown import render_markdown
from bscb.core.models import Board, Priority, ReportingPeriod
from bscb.reports.editions import change_note, held_back_names_in
from bscb.reports.models import Edition, EditionPage
from bscb.reports.report import groups_in_report
from meetings.models import Meeting
from reviews.models import LearningMaterial
from subgroups.models import Group

CALENDAR_FRAGMENT = "application/vnd.bscb.calendar+json"


def calendar_fragments(period: ReportingPeriod) -> dict[str, str]:
    """Each group's public meetings of the period with a known date, to store with its edition."""
    meetings = (
        Meeting.objects.for_period(period)
        .in_calendar()
        .filter(group__in=groups_in_report(period))
        .select_related("group")
        .order_by("date", "pk")
    )
    groups: dict[str, list] = {}
    for meeting in meetings:
        groups.setdefault(meeting.group.slug, []).append(
            {
                "id": meeting.pk,
                "date": meeting.date.isoformat(),
                "stamp": meeting.updated_at.isoformat(),
                "summary": meeting.display_title,
                "path": meeting.url_in(period),
            }
        )
    return {f"calendar:{slug}": json.dumps(events) for slug, events in groups.items()}


def group_calendar(request, slug):
    """The group's meetings in the current editions of the published reports; never a guessed date.

    Built from what publishing stored, so a meeting appears, or its title changes,
    only when a report is published again.
    """
    group = get_object_or_404(Group, slug=slug)
    calendar = Calendar()
    calendar.add("prodid", f"-//{Board.load().name}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{group.name} meetings")
    host = request.get_host()
    stored = (
        EditionPage.objects.current()
        .filter(
            path=f"calendar:{group.slug}",
        )
        .order_by("edition__period__start")
    )
    for body in stored.values_list("body", flat=True):
        for item in json.loads(body):
            day = datetime.date.fromisoformat(item["date"])
            event = Event()
            event.add("uid", f"meeting-{item['id']}@{host}")
            event.add("dtstamp", datetime.datetime.fromisoformat(item["stamp"]))
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
            event.add("summary", item["summary"])
            event.add("url", request.build_absolute_uri(item["path"]))
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{group.slug}-meetings.ics"'
    return response


class ReportsFeed(Feed):
    """Published editions of the annual report, and published learning from reviews and audits."""

    feed_type = Atom1Feed
    subtitle = (
        "Each published edition of the annual report, and learning materials as they are published."
    )

    def title(self):
        return f"{Board.load().name}: annual reports and learning"

    def link(self):
        return reverse("home")

    def items(self):
        editions = [
            ("edition", e.published_at, e)
            for e in Edition.objects.readable()
            .select_related("period")
            .order_by("-published_at")[:20]
        ]
        materials = [
            (
                "learning",
                timezone.make_aware(datetime.datetime.combine(m.published_on, datetime.time(9))),
                m,
            )
            for m in LearningMaterial.objects.public().order_by("-published_on")[:20]
            # Read live, so the publish check's search for held-back names is made here too.
            if not held_back_names_in({"title": m.title, "summary": m.summary})
        ]
        return sorted(editions + materials, key=lambda item: item[1], reverse=True)

    def item_title(self, item):
        kind, _, obj = item
        if kind == "edition":
            return f"{Board.load().report_title} {obj.period.name}, edition {obj.number}"
        return f"{obj.get_kind_display()}: {obj.title}"

    def item_description(self, item):
        """HTML, sanitised like the pages: the edition's note composed from records, or a summary."""
        kind, _, obj = item
        if kind == "edition":
            return escape(change_note(obj))
        return render_markdown(obj.summary)

    def item_link(self, item):
        kind, _, obj = item
        if kind == "edition":
            return reverse("period_detail", args=[obj.period.slug])
        return obj.url or reverse("home")

    def item_guid(self, item):
        """An entry's Atom id: an absolute URI that never changes. An edition's own address
        stays when a later edition replaces it; a learning material has a tag: URI."""
        kind, _, obj = item
        if kind == "edition":
            return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{obj.published_on.isoformat()}:learning/{obj.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item[1]

    def item_pubdate(self, item):
        return item[1]


class ReportSitemap(Sitemap):
    """Every page of every current edition."""

    def items(self):
        return list(
            EditionPage.objects.current()
            .filter(
                content_type__startswith="text/html",
            )
            .select_related("edition")
            .only("path", "edition__published_at")
            .order_by("path")
        )

    def location(self, page):
        return page.path

    def lastmod(self, page):
        return page.edition.published_at


class SiteSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "search",
            "data_documentation",
            "theme_list",
            "upcoming_meetings",
            "accessibility",
        ] + [
            f"theme:{slug}" for slug in Priority.objects.published().values_list("slug", flat=True)
        ]

    def location(self, item):
        if item.startswith("theme:"):
            return reverse("theme_detail", args=[item.split(":", 1)[1]])
        return reverse(item)
