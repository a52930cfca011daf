from django import template

from bscb.reports.models import Edition
from reviews.services import reviews_due_or_late
from subgroups.escalation import items_to_escalate

register = template.Library()


@register.inclusion_tag("admin/includes/attention.html")
def needs_attention():
    """The back office's front page: overdue actions, late risk reviews, review clocks due or late."""
    return {
        "items": items_to_escalate(),
        "review_clocks": reviews_due_or_late(),
        # A published report goes to the National Panel within seven days.
        "panel_copies": Edition.objects.filter(
            is_current=True, sent_to_panel_on__isnull=True
        ).select_related("period"),
    }
