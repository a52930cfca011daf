"""The report is published: the support team is told, with the National Panel reminder.

Called by bscb.reports.editions when an edition is published; it knows nothing of the
reports app, only what the email says."""

from __future__ import annotations

import datetime

from django.conf import settings

from bscb.notices.models import Kind
from bscb.notices.send import notify, people, site_url

# Working Together: a copy goes to the National Panel within seven days of publication.
PANEL_DAYS = 7


def notify_report_published(
    *, edition_key: str, title: str, number: int, published_at: datetime.datetime, path: str
):
    return notify(
        Kind.REPORT_PUBLISHED,
        people([], settings.SUPPORT_TEAM_EMAIL),
        key=edition_key,
        template="report_published",
        context={
            "title": title,
            "number": number,
            "published_at": published_at,
            "panel_due": published_at + datetime.timedelta(days=PANEL_DAYS),
            "link": site_url(path),
        },
        subject=f"Published: {title} (edition {number}): send the National Panel its copy",
    )
