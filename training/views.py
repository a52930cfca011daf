import csv

from django.http import HttpResponse

from bscb.views import period_for
from training.figures import training_figures


def training_csv(request, period):
    """The section's figures, one per row, with stable names; blank where not published."""
    period = period_for(request, period)
    f = training_figures(period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="training-{period.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(["period", "figure", "category", "value"])
    rows = [
        ("full_day_courses_offered", "", f.full_day.offered_count),
        ("full_day_sessions_held", "", f.full_day.held_count),
        ("full_day_attendees", "", f.full_day.attendees),
        ("full_day_cancelled", "", f.full_day.cancelled_count),
        *[
            ("full_day_cancelled_by_reason", label, n)
            for label, n in f.full_day.cancellations_by_reason
        ],
        ("commissioned_sessions_held", "", f.commissioned.held_count),
        ("commissioned_attendees", "", f.commissioned.attendees),
        ("bespoke_and_awareness_sessions_held", "", f.bespoke.held_count),
        ("bespoke_and_awareness_attendees", "", f.bespoke.attendees),
        ("bespoke_and_awareness_cancelled", "", f.bespoke.cancelled_count),
        ("attendees", "", f.attendees),
        *[("attendees_by_sector", label, n) for label, n in f.by_sector],
        ("pool_trainers", "", f.pool_size),
        ("pool_trainers_delivering_fewer_than_two", "", f.pool_fewer_than_two),
    ]
    for name, category, value in rows:
        writer.writerow([period.name, name, category, "" if value is None else value])
    return response
