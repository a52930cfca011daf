from django.contrib import admin
from django.db.models import Sum
from import_export import fields, resources

from bscb.core.admin_base import (
    CarefulAdmin,
    CheckedExportActionMixin,
    CheckedStackedInline,
    CheckedTabularInline,
    HistoryAdmin,
)
from bscb.core.fields import format_money
from funding.models import (
    Budget,
    BudgetLine,
    Contribution,
    FundingYear,
    InKindContribution,
    OtherIncome,
    Spending,
)


class ContributionResource(resources.ModelResource):
    """CSV columns with plain numbers: 155683.00, not £155,683.00."""

    period = fields.Field(attribute="period__name", column_name="period")
    partner = fields.Field(attribute="organisation__name", column_name="partner")
    amount = fields.Field(attribute="amount", column_name="amount_gbp")

    class Meta:
        model = Contribution
        fields = ["period", "partner", "amount"]
        export_order = ["period", "partner", "amount"]

    def dehydrate_amount(self, contribution):
        return "" if contribution.amount is None else f"{contribution.amount:.2f}"


class ContributionInline(CheckedTabularInline):
    model = Contribution
    extra = 1
    autocomplete_fields = ["organisation"]


class OtherIncomeInline(CheckedTabularInline):
    model = OtherIncome
    extra = 0


class SpendingInline(CheckedTabularInline):
    model = Spending
    extra = 0


class BudgetInline(CheckedStackedInline):
    """Reserves and the decision on any surplus: one per period, shown without any lines."""

    model = Budget
    extra = 1
    max_num = 1
    can_delete = False
    fields = ["reserves_brought_forward", "reserves_carried_forward", "surplus_decision"]


class BudgetLineInline(CheckedTabularInline):
    model = BudgetLine
    extra = 0
    fields = ["direction", "category", "planned", "actual", "position"]
    verbose_name = "budget line (planned against actual)"
    verbose_name_plural = "budget against actual"


class InKindContributionInline(CheckedTabularInline):
    model = InKindContribution
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "description", "quantity", "unit", "estimated_value", "position"]


@admin.register(FundingYear)
class FundingYearAdmin(CarefulAdmin):
    """Edit a period's budget in one place: partners, other income, spending, the outturn,
    the budget against actual, reserves, the decision on a surplus and contributions in kind."""

    list_display = ["name", "start", "end", "contributions_total"]
    fields = ["name", "start", "end", "outturn_note", "version"]
    readonly_fields = ["name", "start", "end"]
    inlines = [
        ContributionInline,
        OtherIncomeInline,
        SpendingInline,
        BudgetLineInline,
        BudgetInline,
        InKindContributionInline,
    ]
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(total=Sum("contributions__amount"))
            .order_by(*FundingYear._meta.ordering)
        )

    @admin.display(description="Partners' contributions", ordering="total")
    def contributions_total(self, obj):
        return format_money(obj.total) if obj.total is not None else "Not recorded"

    def has_add_permission(self, request):
        return False  # periods are created as reporting periods

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contribution)
class ContributionAdmin(CheckedExportActionMixin, HistoryAdmin):
    resource_classes = [ContributionResource]
    list_display = ["organisation", "period", "amount_display"]
    list_filter = ["period", "organisation__sector"]
    list_select_related = ["organisation", "period"]
    search_fields = ["organisation__name", "organisation__short_name"]
    autocomplete_fields = ["organisation"]

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj):
        return "Not recorded" if obj.amount is None else format_money(obj.amount)


@admin.register(OtherIncome)
class OtherIncomeAdmin(HistoryAdmin):
    list_display = ["category", "description", "period", "amount"]
    list_filter = ["period", "category"]
    search_fields = ["description"]


@admin.register(Spending)
class SpendingAdmin(HistoryAdmin):
    list_display = ["category", "description", "period", "amount"]
    list_filter = ["period", "category"]
    search_fields = ["description"]
