from django import template

from bscb.core.models import ReportingPeriod
from bscb.reports.checker import check_report
from bscb.reports.models import Edition
from reviews.services import reviews_due_or_late
from subgroups.escalation import items_to_escalate

register = template.Library()


def draft_checks(user) -> list:
    """The statutory check of each draft period, for those who may read the check: the
    items it still misses (and only drafts: a published report's gaps are its edition's)."""
    if user is None or not user.has_perm("bscb.view_reportingperiod"):
        return []
    drafts = ReportingPeriod.objects.filter(status=ReportingPeriod.Status.DRAFT).order_by("start")
    return [check for check in map(check_report, drafts) if check.missing]


@register.inclusion_tag("admin/includes/attention.html", takes_context=True)
def needs_attention(context):
    """The back office's front page: overdue actions, late risk reviews, review clocks due or
    late, copies of a published report to send, what the statutory check still misses."""
    request = context.get("request")
    return {
        "items": items_to_escalate(),
        "review_clocks": reviews_due_or_late(),
        # A published report goes to those its framework names (the National Panel within
        # seven days from Working Together 2018).
        "panel_copies": Edition.objects.filter(
            is_current=True, sent_to_panel_on__isnull=True
        ).select_related("period"),
        "draft_checks": draft_checks(getattr(request, "user", None)),
    }
