import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from bscb.working_days import add_working_days
from reviews.models import CaseReview


@transaction.atomic
def review_release(*, review: CaseReview, user, on: datetime.date | None = None) -> CaseReview:
    """Lift a review's embargo by hand, and say who did it in the review's history."""
    # One transaction: a release without its history entry would leave no trace of who.
    review.release(on=on or timezone.localdate())
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[review],
        action_flag=CHANGE,
        change_message=f"Released from embargo on {review.released_on:%d/%m/%Y}.",
        single_object=True,
    )
    return review


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
