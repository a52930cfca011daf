import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from bscb.core.working_days import add_working_days
from reviews.models import CaseReview


@transaction.atomic
def review_release(*, review: CaseReview, user=None, on: datetime.date | None = None) -> CaseReview:
    """Lift a review's embargo and say who did it; the reports that held it back republish."""
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
    # Saving the review tells the published editions (bscb/editions.py), which republish
    # the reports that held it back.
    return review


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
