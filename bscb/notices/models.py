"""Each email a person gets from the meeting cycle, recorded so that none is sent twice, and
each person's choice of now or a weekly digest."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    """Each kind of email a person may take at once, in the weekly digest or not at all.
    What is overdue or late (subgroups.escalation) is escalated once (EscalationNotice), to
    each chair as they chose and to the support team's address at once."""

    PAPERS_CIRCULATED = "papers_circulated", "The agenda and papers are out"
    PAPERS_DUE = "papers_due", "Papers are due soon"
    MINUTES_FOR_AGREEMENT = "minutes_for_agreement", "Draft minutes for the chair to agree"
    ACTION_ASSIGNED = "action_assigned", "An action assigned to you"
    ACTION_DUE_SOON = "action_due_soon", "An action due soon"
    ACTION_OVERDUE = "action_overdue", "An action overdue"
    RISK_REVIEW_DUE = "risk_review_due", "A risk review due"
    RISK_REVIEW_LATE = "risk_review_late", "A risk review late"
    REPORT_PUBLISHED = "report_published", "The report is published"


class Notice(models.Model):
    """One email to one person about one thing: the unique key makes a second one impossible."""

    class Status(models.TextChoices):
        PENDING = "pending", "To send"
        HELD = "held", "Held for the weekly digest"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: tried again by the daily command"
        DROPPED = "dropped", "Not sent: the person unsubscribed from digests"
        WITHDRAWN = "withdrawn", "Not sent: no longer for the person (e.g. no longer the chair)"

    kind = models.CharField(max_length=40, choices=Kind.choices)
    recipient = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notices",
    )
    object_key = models.CharField(
        max_length=200, help_text="What it is about, e.g. meeting:12 or action:5:2026-12-01."
    )
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "object_key"],
                name="notices_notice_once_each",
                violation_error_message="This email was already sent to this person.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notices_notice_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient}"

    def clean(self):
        super().clean()
        if self.status == self.Status.SENT and self.sent_at is None:
            raise ValidationError({"sent_at": "A sent email has the time it was sent."})


class Preference(models.Model):
    """How a person takes one kind of email: at once, or in the weekly digest."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", "At once"
        DIGEST = "digest", "In a weekly digest"
        NONE = "none", "Not at all"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notices_preference_one_per_kind",
                violation_error_message="This person already has a choice for this email.",
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} {self.get_delivery_display().lower()}"
