"""Feeds: each group's meetings as iCalendar, the reports and learning as Atom, and a sitemap."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from bscb.models import Edition, EditionPage, Priority, ReportingPeriod
from meetings.models import Meeting
from reviews.models import LearningMaterial
from subgroups.models import Group


def group_calendar(request, slug):
    """Upcoming public meetings, and past ones in published reports; never a guessed date."""
    group = get_object_or_404(Group, slug=slug)
    published = list(ReportingPeriod.objects.published())
    today = timezone.localdate()
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.BOARD_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{group.name} meetings")
    host = request.get_host()
    for meeting in Meeting.objects.public().filter(group=group, date_known=True).order_by("date"):
        period = next((p for p in published if p.contains(meeting.date)), None)
        if meeting.date < today and period is None:
            continue  # a past meeting whose report is not published
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", meeting.updated_at)
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + datetime.timedelta(days=1))
        event.add("summary", meeting.display_title)
        if period is not None:
            event.add("url", request.build_absolute_uri(meeting.url_in(period)))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{group.slug}-meetings.ics"'
    return response


class ReportsFeed(Feed):
    """Published editions of the annual report, and published learning from reviews and audits."""

    feed_type = Atom1Feed
    title = f"{settings.BOARD_NAME}: annual reports and learning"
    subtitle = (
        "Each published edition of the annual report, and learning materials as they are published."
    )

    def link(self):
        return reverse("home")

    def items(self):
        editions = [
            ("edition", e.published_at, e)
            for e in Edition.objects.filter(period__status=ReportingPeriod.Status.PUBLISHED)
            .select_related("period")
            .order_by("-published_at")[:20]
        ]
        materials = [
            (
                "learning",
                timezone.make_aware(datetime.datetime.combine(m.published_on, datetime.time(9))),
                m,
            )
            for m in LearningMaterial.objects.publishable().order_by("-published_on")[:20]
        ]
        return sorted(editions + materials, key=lambda item: item[1], reverse=True)

    def item_title(self, item):
        kind, _, obj = item
        if kind == "edition":
            return f"Annual report {obj.period.name}, edition {obj.number}"
        return f"{obj.get_kind_display()}: {obj.title}"

    def item_description(self, item):
        kind, _, obj = item
        return obj.note if kind == "edition" else obj.summary

    def item_link(self, item):
        kind, _, obj = item
        if kind == "edition":
            return reverse("period_detail", args=[obj.period.slug])
        return obj.url or reverse("home")

    def item_guid(self, item):
        kind, _, obj = item
        return f"{kind}-{obj.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item):
        return item[1]

    def item_pubdate(self, item):
        return item[1]


class ReportSitemap(Sitemap):
    """Every page of every current edition."""

    def items(self):
        return list(
            EditionPage.objects.filter(
                edition__is_current=True,
                edition__period__status=ReportingPeriod.Status.PUBLISHED,
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
        return ["home", "search", "data_documentation", "theme_list", "accessibility"] + [
            f"theme:{slug}" for slug in Priority.objects.values_list("slug", flat=True)
        ]

    def location(self, item):
        if item.startswith("theme:"):
            return reverse("theme_detail", args=[item.split(":", 1)[1]])
        return reverse(item)
