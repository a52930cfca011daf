from django.shortcuts import get_object_or_404

from bscb.core.models import ReportingPeriod


def period_for(request, slug: str) -> ReportingPeriod:
    """The period named in the address, if this visitor may see it: drafts are staff-only."""
    return get_object_or_404(ReportingPeriod.objects.visible_to(request.user), slug=slug)
