"""Figure sets as the report prints them: each figure in its unit, its breakdowns, and the
series a figure makes with the same key in the same set of earlier periods."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from bscb.core.fields import format_money
from bscb.core.models import ReportingPeriod
from bscb.reports.models import Figure, FigureBreakdown, FigureSet, Unit

NOT_RECORDED = "not recorded"


def _whole(value: Decimal) -> str:
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def format_value(value: Decimal | None, unit: str) -> str:
    """A value as the report prints it (en-GB): 31, 1,204, 38.5%, £410,000, 12 days."""
    if value is None:
        return NOT_RECORDED
    if unit == Unit.PERCENTAGE:
        return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
    if unit == Unit.POUNDS:
        if value == value.to_integral_value():
            return format_money(value)[:-3]  # whole pounds without ".00"
        return format_money(value)
    if unit == Unit.DAYS:
        number = _whole(value) if value == value.to_integral_value() else f"{value.normalize():,f}"
        return f"{number} day" if value == 1 else f"{number} days"
    return _whole(value)


def format_figure(figure: Figure) -> str:
    """The figure's value, with "of y" where it has a denominator: "19 of 31"."""
    printed = format_value(figure.value, figure.unit)
    if figure.value is not None and figure.denominator is not None:
        printed += f" of {figure.denominator:,}"
    return printed


def data_value(value: Decimal | None, unit: str) -> str:
    """A value for the open data: blank where not recorded; pounds with two decimals; other
    units as entered, without trailing zeros (31, 38.5)."""
    if value is None:
        return ""
    if unit == Unit.POUNDS:
        return f"{value:.2f}"
    return f"{value.normalize():f}"


@dataclass
class Series:
    """Figures of a set followed across periods: the periods as columns, oldest first."""

    periods: list[ReportingPeriod]
    rows: list[tuple[Figure, list[str]]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


BAR_HEIGHT = 30  # one bar and its gap, in the chart's units
BAR_SPACE = 300  # the longest bar's width, after the period names


@dataclass
class Bar:
    period: str
    printed: str
    width: int
    y: int


@dataclass
class Chart:
    """One figure across periods, as bars: the year-on-year table gives the same numbers."""

    figure: Figure
    bars: list[Bar]

    @property
    def height(self) -> int:
        return BAR_HEIGHT * len(self.bars)


def chart_of(figure: Figure, periods: list[ReportingPeriod], values: list) -> Chart:
    """Bars scaled to the figure's largest recorded value; a period not recorded has no bar
    (its label says so), and a value below zero draws no bar."""
    largest = max((v for v in values if v is not None and v > 0), default=None)
    bars = []
    for i, (period, value) in enumerate(zip(periods, values, strict=True)):
        width = 0
        if value is not None and largest and value > 0:
            width = max(1, int(BAR_SPACE * value / largest))
        bars.append(Bar(period.name, format_value(value, figure.unit), width, i * BAR_HEIGHT))
    return Chart(figure, bars)


def with_figures(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "figures",
            queryset=Figure.objects.prefetch_related(
                Prefetch("breakdowns", queryset=FigureBreakdown.objects.all())
            ),
        )
    )


def series_of(figure_set: FigureSet, figures: list[Figure], viewer) -> Series | None:
    """The year-on-year table of the set: each figure whose key the same set (by address) of
    an earlier period the viewer may see also holds. None when no figure has a past."""
    keys = [f.key for f in figures]
    earlier = list(
        Figure.objects.filter(
            figure_set__slug=figure_set.slug,
            figure_set__period__in=ReportingPeriod.objects.visible_to(viewer).before(
                figure_set.period
            ),
            key__in=keys,
        ).select_related("figure_set__period")
    )
    if not earlier:
        return None
    periods = sorted({f.figure_set.period for f in earlier}, key=lambda p: p.start)
    periods.append(figure_set.period)
    values = {(f.figure_set.period.pk, f.key): f for f in earlier}
    series = Series(periods)
    followed = {f.key for f in earlier}
    for figure in figures:
        if figure.key not in followed:
            continue
        pasts = [values.get((period.pk, figure.key)) for period in periods[:-1]]
        numbers = [None if past is None else past.value for past in pasts] + [figure.value]
        cells = [
            NOT_RECORDED if past is None else format_value(past.value, past.unit) for past in pasts
        ]
        cells.append(format_value(figure.value, figure.unit))
        series.rows.append((figure, cells))
        series.charts.append(chart_of(figure, periods, numbers))
    return series


def printed_figures(figure_set: FigureSet) -> list[Figure]:
    """The set's figures (prefetched by with_figures), each with its value and parts printed."""
    figures = list(figure_set.figures.all())
    for figure in figures:
        figure.printed = format_figure(figure)
        parts = list(figure.breakdowns.all())
        for part in parts:
            part.printed = format_value(part.value, figure.unit)
        figure.parts = parts
    return figures


def local_shares(figure_set: FigureSet, figures: list[Figure]) -> list[str]:
    """For a shared panel's figures, this partnership's part in words, only where both the
    area's figure and our part are recorded: "Of the 31 deaths notified, 12 were of
    Northshire children." """
    if not (figure_set.panel_area and figure_set.local_area):
        return []
    sentences = []
    for figure in figures:
        if figure.value is None or figure.local_value is None:
            continue
        label = figure.label[:1].lower() + figure.label[1:]
        local = format_value(figure.local_value, figure.unit)
        if figure.unit == Unit.COUNT:
            verb = "was" if figure.local_value == 1 else "were"
            sentences.append(
                f"Of the {format_value(figure.value, figure.unit)} {label}, {local} {verb} "
                f"of {figure_set.local_area} children."
            )
        else:
            sentences.append(
                f"{figure.label}: {format_value(figure.value, figure.unit)} across the "
                f"panel's area, {local} for {figure_set.local_area} children."
            )
    return sentences


def figure_set_context(period, viewer, record) -> dict:
    figure_set = (
        with_figures(
            FigureSet.objects.filter(pk=record.figure_set_id).select_related("period")
        ).first()
        if record.figure_set_id
        else None
    )
    if figure_set is None:
        return {"figure_set": None, "figures": [], "series": None, "shares": []}
    figures = printed_figures(figure_set)
    return {
        "figure_set": figure_set,
        "figures": figures,
        "series": series_of(figure_set, figures, viewer) if figures else None,
        "shares": local_shares(figure_set, figures),
    }


def shown_figure_set_ids(period) -> list[int]:
    """The figure sets the period's report shows, in the sections' order: those its shown
    sections name (figure sets, the child death review's profile), then the programmes' own
    where the report lists its programmes."""
    from bscb.reports import kinds

    shown = period.report_sections.shown()
    naming = [k.key for k in kinds.KINDS.values() if k.names_figure_set]
    ids = list(
        shown.filter(kind__in=naming, figure_set__isnull=False)
        .order_by("position", "pk")
        .values_list("figure_set_id", flat=True)
    )
    if shown.filter(kind=kinds.PROGRAMMES).exists():
        ids += (
            period.programme_reports.filter(figure_set__isnull=False)
            .order_by("programme__position", "programme__name")
            .values_list("figure_set_id", flat=True)
        )
    return list(dict.fromkeys(ids))


def figures_rows(period) -> list[dict]:
    """The open data's "figures": a row per figure, then a row per breakdown of it (with the
    figure's set, key, label, unit and source), for the sets the period's shown sections
    show (figure sets, the child death review's profile, programmes' own), in order."""
    ids = shown_figure_set_ids(period)
    by_pk = {s.pk: s for s in with_figures(FigureSet.objects.filter(pk__in=ids))}
    rows = []
    for figure_set in (by_pk[pk] for pk in ids):
        for figure in figure_set.figures.all():
            source = figure.source or figure_set.source
            rows.append(
                _row(
                    figure_set, figure, figure.value, source, figure.denominator, figure.comparator
                )
            )
            rows += [
                _row(figure_set, figure, part.value, source, None, "", part)
                for part in figure.breakdowns.all()
            ]
    return rows


def _row(figure_set, figure, value, source, denominator, comparator, part=None) -> dict:
    return {
        "set": figure_set.slug,
        "key": figure.key,
        "label": figure.label,
        "value": data_value(value, figure.unit),
        "unit": figure.unit,
        "denominator": "" if denominator is None else denominator,
        "comparator": comparator,
        "source": source,
        "breakdown_dimension": part.dimension if part else "",
        "breakdown_label": part.label if part else "",
        "local_value": "" if part else data_value(figure.local_value, figure.unit),
        "area": figure_set.panel_area,
    }


def child_death_profiles(period):
    """The period's child death profiles: the figure sets its child death review sections name
    (the statutory check's evidence of child death figures, with `figures__value__isnull`)."""
    from bscb.reports import kinds

    return FigureSet.objects.filter(
        period=period, sections__kind=kinds.CHILD_DEATHS, sections__is_shown=True
    ).distinct()


def has_child_death_figures(period) -> bool:
    """Whether a child death profile of the period records at least one figure."""
    return child_death_profiles(period).filter(figures__value__isnull=False).exists()
