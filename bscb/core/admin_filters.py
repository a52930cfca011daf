from django.contrib import admin

from bscb.core.models import ReportingPeriod


class PeriodFilter(admin.SimpleListFilter):
    """Records dated in a reporting period; the queryset must have `for_period`."""

    title = "period"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [(p.slug, p.name) for p in ReportingPeriod.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            period = ReportingPeriod.objects.filter(slug=self.value()).first()
            return queryset.for_period(period) if period else queryset.none()
        return queryset
