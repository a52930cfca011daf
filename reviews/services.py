import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from bscb.editions import period_publish
from bscb.models import EditionPage, ReportingPeriod
from bscb.working_days import add_working_days
from reviews.models import CaseReview


def _periods_of(review: CaseReview):
    dates = [
        d
        for d in (
            review.incident_notified_on,
            review.panel_notified_on,
            review.commissioned_on,
            review.held_on,
            review.signed_off_on,
            review.published_on,
        )
        if d
    ]
    periods = ReportingPeriod.objects.published().filter(editions__is_current=True).distinct()
    return [p for p in periods if any(p.contains(d) for d in dates)]


@transaction.atomic
def review_release(*, review: CaseReview, user=None, on: datetime.date | None = None) -> CaseReview:
    """Lift a review's embargo, say who did it, and republish the reports it belongs in."""
    # One transaction: a release without its history entry would leave no trace of who.
    review.release(on=on or timezone.localdate())
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[review],
            action_flag=CHANGE,
            change_message=f"Released from embargo on {review.released_on:%d/%m/%Y}.",
            single_object=True,
        )
    for period in _periods_of(review):
        period_publish(
            period=period,
            user=user,
            accept_missing=True,
            note=f"A case review held back from publication was released: {review.pseudonym}.",
        )
    return review


def withhold_from_editions(review: CaseReview) -> list:
    """Republish any current edition that names a review now held back: it must leave every page."""
    if review.is_publishable:
        return []
    pages = EditionPage.objects.filter(edition__is_current=True, body__contains=review.pseudonym)
    periods = ReportingPeriod.objects.filter(editions__pages__in=pages).distinct()
    return [
        period_publish(
            period=period, accept_missing=True, note="Updated to hold back a case review."
        )
        for period in periods
    ]


def release_due_embargoes(today: datetime.date | None = None) -> list[CaseReview]:
    """Release the reviews whose release date has come (run daily)."""
    today = today or timezone.localdate()
    due = CaseReview.objects.filter(is_embargoed=True, embargo_release_on__lte=today)
    return [review_release(review=review, on=today) for review in due]


def reviews_due_or_late(today: datetime.date | None = None, within_working_days: int = 5):
    """Reviews with an open statutory clock that is late or falls due soon, soonest first."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, within_working_days)
    rows = []
    for review in CaseReview.objects.all():
        for clock in review.clocks():
            if clock.open and clock.due <= horizon:
                rows.append((review, clock))
    return sorted(rows, key=lambda row: row[1].due)
