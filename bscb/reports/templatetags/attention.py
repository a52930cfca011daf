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


def _may(user, permission: str) -> bool:
    return user is not None and user.has_perm(permission)


@register.inclusion_tag("admin/includes/attention.html", takes_context=True)
def needs_attention(context):
    """The back office's front page: overdue actions, late risk reviews, review clocks due or
    late, copies of a published report to send, what the statutory check still misses.

    Each part shows only to those who may read what it lists: the staff flag alone opens
    the back office, not the records (a trainer reading courses sees no review's pseudonym).
    """
    user = getattr(context.get("request"), "user", None)
    sees_actions = _may(user, "subgroups.view_action")
    sees_risks = _may(user, "subgroups.view_risk")
    items = (
        [
            item
            for item in items_to_escalate()
            if (item.action is not None and sees_actions) or (item.risk is not None and sees_risks)
        ]
        if sees_actions or sees_risks
        else []
    )
    return {
        "items": items,
        "review_clocks": reviews_due_or_late() if _may(user, "reviews.view_casereview") else [],
        # A published report goes to those its framework names (the National Panel within
        # seven days from Working Together 2018).
        "panel_copies": Edition.objects.filter(
            is_current=True, sent_to_panel_on__isnull=True
        ).select_related("period")
        if _may(user, "reports.view_edition")
        else Edition.objects.none(),
        "draft_checks": draft_checks(user),
    }
