"""The child death review's yearly figures move from reviews.ChildDeathFigures into figure sets:
one set a period ("Child death profile", address child-death-profile), named by that period's
child death review sections. Only recorded figures become figures, so the page prints what it
printed before (a percentage now to one decimal place: 29.0%). The old model goes in the next
reviews migration."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

SLUG = "child-death-profile"
FIGURES = [
    # (old field, key, label, unit)
    ("deaths_notified", "deaths-notified", "Deaths notified", "count"),
    ("reviews_completed", "reviews-completed", "Reviews completed", "count"),
    ("reviews_pending", "reviews-pending", "Reviews pending", "count"),
    (
        "modifiable_factors_percent",
        "modifiable-factors",
        "Reviews with modifiable factors",
        "percentage",
    ),
]


def _free_slug(FigureSet, period_id) -> str:
    slug, n = SLUG, 1
    while FigureSet.objects.filter(period_id=period_id, slug=slug).exists():
        n += 1
        slug = f"{SLUG}-{n}"
    return slug


def forwards(apps, schema_editor):
    ChildDeathFigures = apps.get_model("reviews", "ChildDeathFigures")
    FigureSet = apps.get_model("reports", "FigureSet")
    Figure = apps.get_model("reports", "Figure")
    ReportSection = apps.get_model("reports", "ReportSection")
    for old in ChildDeathFigures.objects.all():
        figure_set = FigureSet.objects.create(
            period_id=old.period_id,
            title="Child death profile",
            slug=_free_slug(FigureSet, old.period_id),
        )
        for position, (field, key, label, unit) in enumerate(FIGURES):
            value = getattr(old, field)
            if value is None:
                continue
            Figure.objects.create(
                figure_set=figure_set,
                position=position,
                key=key,
                label=label,
                value=Decimal(value),
                unit=unit,
            )
        ReportSection.objects.filter(
            period_id=old.period_id, kind="child-deaths", figure_set__isnull=True
        ).update(figure_set=figure_set)


def backwards(apps, schema_editor):
    ChildDeathFigures = apps.get_model("reviews", "ChildDeathFigures")
    FigureSet = apps.get_model("reports", "FigureSet")
    ReportSection = apps.get_model("reports", "ReportSection")
    fields = {key: field for field, key, _label, _unit in FIGURES}
    for section in ReportSection.objects.filter(kind="child-deaths", figure_set__isnull=False):
        figure_set = FigureSet.objects.get(pk=section.figure_set_id)
        values = {
            # The old field held whole percentages: 38.5 becomes 39, rounded, not cut to 38.
            fields[f.key]: None
            if f.value is None
            else int(f.value.quantize(Decimal(1), ROUND_HALF_UP))
            for f in figure_set.figures.all()
            if f.key in fields
        }
        ChildDeathFigures.objects.update_or_create(period_id=section.period_id, defaults=values)
        ReportSection.objects.filter(pk=section.pk).update(figure_set=None)
        # The set was this migration's making unless another section or a programme names it:
        # going forward again makes it afresh.
        if figure_set.slug.startswith("child-death-profile") and not (
            ReportSection.objects.filter(figure_set=figure_set).exists()
            or figure_set.programme_reports.exists()
        ):
            figure_set.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_figure_sets_shared_panels"),
        ("reviews", "0007_nil_returns_and_learning_events"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
