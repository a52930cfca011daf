"""Editions: what publishing froze of a period's report."""

from __future__ import annotations

import datetime

import reversion
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bscb.core.models import ReportingPeriod


@reversion.register()
class Edition(models.Model):
    """A published edition of a period's report: the pages the public reads, frozen."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="editions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(
        blank=True, help_text="What changed since the last edition: shown to readers."
    )
    missing_items = models.TextField(
        blank=True, help_text="Statutory items the check found missing when it was published."
    )
    is_current = models.BooleanField(default=False)
    static_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="The style sheets' addresses when the pages were stored; whole stored pages "
        "are served only while they still match.",
    )
    pdf = models.FileField(upload_to="editions/", blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    # What the embargo let this edition show, by identity (see reviews/embargo.py): the
    # reviews it could show, the records it held back, and the newest record of each kind
    # that existed, so that a change to the embargo republishes only when this changes.
    reviews_shown = models.JSONField(default=list, blank=True, editable=False)
    held_back = models.JSONField(default=dict, blank=True, editable=False)
    newest_records = models.JSONField(default=dict, blank=True, editable=False)
    released_reviews = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Reviews held back in the edition before and public in this one.",
    )
    warnings = models.TextField(
        blank=True,
        editable=False,
        help_text="What the publish check warned of, such as a held-back review named in a page.",
    )
    sent_to_panel_on = models.DateField(
        "sent to the National Panel",
        null=True,
        blank=True,
        help_text="A copy goes to the Child Safeguarding Practice Review Panel within seven days.",
    )

    class Meta:
        db_table = "bscb_edition"
        ordering = ["period", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="bscb_edition_numbered_once"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(is_current=True), name="bscb_one_current_edition"
            ),
        ]

    def __str__(self):
        return f"{self.period} edition {self.number}"

    @property
    def panel_due_on(self) -> datetime.date:
        return timezone.localtime(self.published_at).date() + datetime.timedelta(days=7)


class EditionPage(models.Model):
    """One page or download of an edition, as rendered when it was published."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="pages")
    path = models.CharField(max_length=300)
    content_type = models.CharField(max_length=100, default="text/html; charset=utf-8")
    title = models.CharField(max_length=300, blank=True)
    breadcrumbs = models.TextField(blank=True)
    body = models.TextField(help_text="The page's main content, or a download's whole text.")
    html = models.TextField(
        blank=True, help_text="The whole page as an anonymous reader gets it, served as it is."
    )
    text = models.TextField(blank=True, help_text="The main content as plain text, for search.")

    class Meta:
        db_table = "bscb_editionpage"
        ordering = ["edition", "path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "path"], name="bscb_edition_page_once")
        ]

    def __str__(self):
        return self.path
