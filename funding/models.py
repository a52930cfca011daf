from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum

from bscb.core.fields import MoneyField
from bscb.core.models import Organisation, ReportingPeriod

ZERO = Decimal("0.00")


class ContributionQuerySet(models.QuerySet):
    def for_period(self, period: ReportingPeriod):
        """The period's contributions, with their partner."""
        return self.filter(period=period).select_related("organisation")


@reversion.register()
class Contribution(models.Model):
    """One partner's contribution to the board's budget for one period."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="contributions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contributions", verbose_name="partner"
    )
    amount = MoneyField(
        null=True,
        blank=True,
        help_text="In pounds and pence; zero when a partner paid nothing, blank when the "
        "records do not say how much it paid (pages then say the amount is not recorded).",
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        # An amount not recorded goes last on every database.
        ordering = ["period", models.F("amount").desc(nulls_last=True), "organisation__name"]
        permissions = [("export_contribution", "Can export contributions to a spreadsheet")]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organisation"],
                name="funding_contribution_one_per_partner_year",
                violation_error_message="This partner already has a contribution for this period.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="funding_contribution_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.period}"


@reversion.register()
class OtherIncome(models.Model):
    """Income besides partners' contributions: training charges, grants."""

    class Category(models.TextChoices):
        TRAINING_CHARGES = "training_charges", "Training charges"
        GRANTS = "grants", "Grants"
        OTHER = "other", "Other income"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="other_income"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = MoneyField()

    class Meta:
        ordering = ["period", "category"]
        verbose_name_plural = "other income"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_income_not_negative")
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.period}"


@reversion.register()
class Spending(models.Model):
    """What the board spent in a period, by category."""

    class Category(models.TextChoices):
        STAFF = "staff", "Staff"
        INDEPENDENT_CHAIR = "independent_chair", "Independent chair"
        CASE_REVIEWS = "case_reviews", "Case reviews"
        TRAINING = "training", "Training"
        OTHER = "other", "Other"

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="spending")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.CharField(max_length=200, blank=True)
    amount = MoneyField()

    class Meta:
        ordering = ["period", "category"]
        verbose_name_plural = "spending"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_spending_not_negative")
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.period}"


def _not_negative(name: str) -> Q:
    """A blank (not recorded) amount, or one of zero or more."""
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0})


@reversion.register()
class Budget(models.Model):
    """What a period's budget says beyond its lines: reserves, and what becomes of a surplus.

    The reasons for the outturn are the period's `outturn_note`, edited on the same page.
    """

    period = models.OneToOneField(ReportingPeriod, on_delete=models.PROTECT, related_name="budget")
    reserves_brought_forward = MoneyField(
        null=True, blank=True, help_text="Blank when not recorded; 0.00 only for no reserves."
    )
    reserves_carried_forward = MoneyField(
        null=True, blank=True, help_text="Blank when not recorded; 0.00 only for no reserves."
    )
    surplus_decision = models.TextField(
        "decision on any surplus",
        blank=True,
        help_text="Markdown: what the partners decided to do with an underspend, "
        "such as carrying it to reserves or returning it to the partners.",
    )

    class Meta:
        verbose_name = "budget"
        constraints = [
            models.CheckConstraint(
                condition=_not_negative("reserves_brought_forward")
                & _not_negative("reserves_carried_forward"),
                name="funding_budget_reserves_not_negative",
            )
        ]

    def __str__(self):
        return f"Budget {self.period}"

    @property
    def has_reserves(self) -> bool:
        return (
            self.reserves_brought_forward is not None or self.reserves_carried_forward is not None
        )


@reversion.register()
class BudgetLine(models.Model):
    """One line of a period's budget: what was planned and what came in or went out."""

    class Direction(models.TextChoices):
        INCOME = "income", "Income"
        SPENDING = "spending", "Spending"

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="budget_lines"
    )
    direction = models.CharField(max_length=10, choices=Direction.choices)
    category = models.CharField(
        max_length=200, help_text='As the budget names it, like "Independent chair".'
    )
    planned = MoneyField(
        null=True, blank=True, help_text="The budget set for the year; blank when none was set."
    )
    actual = MoneyField(
        null=True,
        blank=True,
        help_text="The outturn; blank when not recorded (never 0.00 for unknown).",
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["period", "direction", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=_not_negative("planned") & _not_negative("actual"),
                name="funding_budgetline_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(planned__isnull=False) | Q(actual__isnull=False),
                name="funding_budgetline_planned_or_actual",
                violation_error_message="Enter the planned amount, the actual amount or both.",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()}: {self.category} {self.period}"

    def clean_fields(self, exclude=None):
        super().clean_fields(exclude=exclude)
        # Here rather than in clean(): an amount refused as mistyped is excluded, and gets
        # only its own message.
        exclude = exclude or set()
        if "planned" in exclude or "actual" in exclude:
            return
        if self.planned is None and self.actual is None:
            raise ValidationError(
                {"planned": "Enter the planned amount, the actual amount or both."}
            )

    @property
    def variance(self) -> Decimal | None:
        """Actual less planned, only when both are recorded."""
        if self.planned is None or self.actual is None:
            return None
        return self.actual - self.planned


@reversion.register()
class InKindContribution(models.Model):
    """What a partner gave besides money: trainer days, hosting meetings, a venue."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="in_kind")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="in_kind_contributions",
        verbose_name="partner",
    )
    description = models.CharField(
        max_length=200, help_text='What was given, like "trainer days" or "hosting the board".'
    )
    quantity = models.DecimalField(
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "A quantity cannot be negative.")],
        help_text="Blank when not recorded.",
    )
    unit = models.CharField(max_length=50, blank=True, help_text='Like "days" or "meetings".')
    estimated_value = MoneyField(
        null=True, blank=True, help_text="In pounds, where the partner has put a value on it."
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["period", "position", "pk"]
        verbose_name = "contribution in kind"
        verbose_name_plural = "contributions in kind"
        constraints = [
            models.CheckConstraint(
                condition=_not_negative("quantity") & _not_negative("estimated_value"),
                name="funding_inkind_not_negative",
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.description} {self.period}"

    @property
    def quantity_text(self) -> str:
        """'12' or '12.5': the quantity as a person writes it; '' when not recorded."""
        if self.quantity is None:
            return ""
        if self.quantity == self.quantity.to_integral_value():
            return str(int(self.quantity))
        return str(self.quantity)

    def clean(self):
        if self.unit and self.quantity is None:
            raise ValidationError(
                {"quantity": "Enter the quantity for the unit, or clear the unit."}
            )


class FundingYear(ReportingPeriod):
    """A period seen as its budget: partners' contributions, other income, spending."""

    class Meta:
        proxy = True
        verbose_name = "funding of a period"
        verbose_name_plural = "funding by period"


@dataclass
class PartnerLine:
    organisation: Organisation
    amount: Decimal | None  # None: the records do not say how much it paid
    share: Decimal | None  # per cent of the total, one decimal; None while the total is not known
    previous: Decimal | None = None
    # Whether it contributed in the previous period (whose amount may not be recorded).
    had_previous: bool = False

    @property
    def change(self) -> Decimal | None:
        if self.previous is None or self.amount is None:
            return None
        return self.amount - self.previous


@dataclass
class BudgetTotal:
    """A column's total over the lines that record it; `complete` when every line does."""

    planned: Decimal | None
    actual: Decimal | None
    planned_complete: bool
    actual_complete: bool

    @classmethod
    def of(cls, lines: list[BudgetLine]) -> BudgetTotal:
        def total(values):
            recorded = [v for v in values if v is not None]
            return (sum(recorded, ZERO) if recorded else None), len(recorded) == len(values)

        planned, planned_complete = total([line.planned for line in lines])
        actual, actual_complete = total([line.actual for line in lines])
        return cls(planned, actual, planned_complete, actual_complete)

    @property
    def variance(self) -> Decimal | None:
        """Actual less planned, only when every line records both."""
        if not (self.planned_complete and self.actual_complete) or self.planned is None:
            return None
        return self.actual - self.planned


@dataclass
class Funding:
    """A period's budget computed from its records; nothing here is typed in."""

    period: ReportingPeriod
    partners: list[PartnerLine]
    # The sum of the amounts recorded; None when no contribution's amount is recorded.
    total: Decimal | None
    other_income: list[OtherIncome]
    spending: list[tuple[str, Decimal]]
    previous_period: ReportingPeriod | None = None
    previous_total: Decimal | None = None
    # Partners who contributed in the previous period and not in this one.
    no_longer: list[tuple[Organisation, Decimal | None]] | None = None

    @property
    def unrecorded(self) -> int:
        """Contributions whose amount the records do not give."""
        return sum(1 for line in self.partners if line.amount is None)

    @property
    def complete(self) -> bool:
        """Contributions are recorded, each with its amount: the total is the whole."""
        return bool(self.partners) and not self.unrecorded

    budget: Budget | None = None
    budget_lines: list[BudgetLine] = field(default_factory=list)
    in_kind: list[InKindContribution] = field(default_factory=list)

    @property
    def income_lines(self) -> list[BudgetLine]:
        return [line for line in self.budget_lines if line.direction == BudgetLine.Direction.INCOME]

    @property
    def spending_lines(self) -> list[BudgetLine]:
        return [
            line for line in self.budget_lines if line.direction == BudgetLine.Direction.SPENDING
        ]

    @property
    def income_line_total(self) -> BudgetTotal:
        return BudgetTotal.of(self.income_lines)

    @property
    def spending_line_total(self) -> BudgetTotal:
        return BudgetTotal.of(self.spending_lines)

    @property
    def budget_groups(self) -> list[tuple[str, list[BudgetLine], BudgetTotal]]:
        """Income, then spending: each direction's lines and their totals, where it has lines."""
        groups = [("Income", self.income_lines), ("Spending", self.spending_lines)]
        return [(label, lines, BudgetTotal.of(lines)) for label, lines in groups if lines]

    @property
    def has_outturn_words(self) -> bool:
        """An explanation or a decision to print, with or without itemised amounts."""
        return bool(
            self.period.outturn_note.strip()
            or (self.budget and (self.budget.surplus_decision.strip() or self.budget.has_reserves))
        )

    @property
    def other_income_total(self) -> Decimal:
        return sum((i.amount for i in self.other_income), ZERO)

    @property
    def income_total(self) -> Decimal | None:
        """None while a contribution's amount is not recorded: the total is not known."""
        if not self.complete:
            return None
        return self.total + self.other_income_total

    @property
    def spending_total(self) -> Decimal:
        return sum((amount for _, amount in self.spending), ZERO)

    @property
    def has_budget(self) -> bool:
        return bool(self.spending)

    @property
    def outturn(self) -> Decimal | None:
        """Income less spending: above zero an underspend, below zero an overspend; None
        while the income is not known."""
        if self.income_total is None:
            return None
        return self.income_total - self.spending_total

    @property
    def shares_total(self) -> Decimal | None:
        """The shares as shown (each rounded to one decimal) added up: 99.9 as often as 100.
        None while the total is not known, or is nothing to take a share of."""
        if not self.complete or not self.total:
            return None
        return sum((line.share for line in self.partners), ZERO).quantize(Decimal("0.1"))

    @property
    def shares_rounded_off(self) -> bool:
        """Rounding leaves the shown shares adding up to more or less than 100."""
        return self.shares_total is not None and self.shares_total != 100

    @property
    def charted(self) -> list[PartnerLine]:
        """The lines with an amount recorded: a bar for an unknown amount would be a zero."""
        return [line for line in self.partners if line.amount is not None]

    @property
    def largest(self) -> Decimal:
        return max((line.amount for line in self.charted), default=ZERO)


def _share(amount: Decimal | None, total: Decimal | None) -> Decimal | None:
    if amount is None or total is None:
        return None
    if not total:
        return ZERO
    return (amount * 100 / total).quantize(Decimal("0.1"))


def _recorded_total(contributions) -> Decimal | None:
    """The sum of the amounts recorded, or None when none is."""
    amounts = [c.amount for c in contributions if c.amount is not None]
    return sum(amounts, ZERO) if amounts else None


def funding_for(period: ReportingPeriod, previous: ReportingPeriod | None = None) -> Funding:
    """The period's funding, and the year-on-year comparison when `previous` is given."""
    contributions = list(Contribution.objects.for_period(period))
    total = _recorded_total(contributions)
    # A share of a total with an amount missing would be wrong: shares need every amount.
    whole = total if all(c.amount is not None for c in contributions) else None
    partners = [
        PartnerLine(c.organisation, c.amount, _share(c.amount, whole)) for c in contributions
    ]
    funding = Funding(
        period=period,
        partners=partners,
        total=total,
        other_income=list(period.other_income.all()),
        spending=_spending_by_category(period),
        budget=Budget.objects.filter(period=period).first(),
        budget_lines=list(period.budget_lines.all()),
        in_kind=list(period.in_kind.select_related("organisation")),
    )
    if previous is not None:
        before = {c.organisation_id: c for c in Contribution.objects.for_period(previous)}
        funding.previous_total = _recorded_total(before.values())
        if any(c.amount is None for c in before.values()):
            funding.previous_total = None
        for line in partners:
            earlier = before.pop(line.organisation.pk, None)
            line.previous = earlier.amount if earlier else None
            line.had_previous = earlier is not None
        funding.previous_period = previous
        funding.no_longer = [(c.organisation, c.amount) for c in before.values()]
    return funding


def _spending_by_category(period: ReportingPeriod) -> list[tuple[str, Decimal]]:
    order = list(Spending.Category.values)
    rows = period.spending.values("category").annotate(amount=Sum("amount")).order_by()
    rows = sorted(rows, key=lambda row: order.index(row["category"]))
    return [(Spending.Category(row["category"]).label, row["amount"]) for row in rows]
