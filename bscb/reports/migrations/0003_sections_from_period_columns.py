"""Each period's report becomes a list of section records, in the order the code gave it;
the narrative columns of the period become narrative sections' text."""

from django.db import migrations

# The list as bscb/reports/report.py had it, with the period column each narrative read.
SECTIONS = [
    ("narrative", "Foreword", "foreword", "foreword"),
    ("key-figures", "Local context", "local-context", "local_context"),
    ("board", "The work of the Board", "board", None),
    ("group", "The groups' work", "groups", None),
    ("child-deaths", "Child Death Overview Panel", "child-death-overview-panel", None),
    ("case-reviews", "Serious case reviews", "case-reviews", None),
    ("audits", "Audits and assurance", "audits", None),
    ("training", "Training", "training", None),
    ("who-attends", "Who attends", "who-attends", None),
    ("funding", "How were we funded?", "funding", None),
    ("narrative", "What's next for the Board?", "whats-next", "whats_next"),
    ("sources", "Sources", "sources", None),
    ("narrative", "Independent scrutineer's statement", "scrutiny", "scrutineer_statement"),
]


def signature(period, slug):
    if slug == "foreword":
        return ", ".join(part for part in (period.chair_name, period.chair_role) if part)
    if slug == "scrutiny":
        return period.scrutineer_name
    return ""


def sections_from_columns(apps, schema_editor):
    ReportingPeriod = apps.get_model("bscb", "ReportingPeriod")
    ReportSection = apps.get_model("reports", "ReportSection")
    for period in ReportingPeriod.objects.all():
        if ReportSection.objects.filter(period=period).exists():
            continue
        ReportSection.objects.bulk_create(
            ReportSection(
                period=period,
                kind=kind,
                title=title,
                slug=slug,
                position=position,
                introduction=getattr(period, column) if column else "",
                signature=signature(period, slug),
            )
            for position, (kind, title, slug, column) in enumerate(SECTIONS, start=1)
        )


def columns_from_sections(apps, schema_editor):
    ReportSection = apps.get_model("reports", "ReportSection")
    for kind, _title, slug, column in SECTIONS:
        if not column:
            continue
        for section in ReportSection.objects.filter(slug=slug, kind=kind).select_related("period"):
            setattr(section.period, column, section.introduction)
            if slug == "foreword":
                name, _, role = section.signature.partition(", ")
                section.period.chair_name, section.period.chair_role = name, role
            if slug == "scrutiny":
                section.period.scrutineer_name = section.signature
            section.period.save()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_sections"),
    ]

    operations = [migrations.RunPython(sections_from_columns, columns_from_sections)]
