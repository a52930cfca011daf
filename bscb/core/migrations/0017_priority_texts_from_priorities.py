"""Each priority's one text becomes its text for every period it ran over, word for word.

A priority linked to no period keeps its words as a text of the newest period (else the next
migration would drop them); with no period at all, a priority with words stops the migration.
Backwards, a priority takes the wording-free fields of its newest text and runs over the
periods it has texts for, and the texts go (so that going forward again makes them afresh).
"""

from django.db import migrations


def texts_from_priorities(apps, schema_editor):
    Priority = apps.get_model("bscb", "Priority")
    PriorityText = apps.get_model("bscb", "PriorityText")
    ReportingPeriod = apps.get_model("bscb", "ReportingPeriod")
    newest = ReportingPeriod.objects.order_by("-start").first()
    for priority in Priority.objects.prefetch_related("periods", "lead_organisations"):
        organisations = list(priority.lead_organisations.all())
        periods = list(priority.periods.all())
        has_words = priority.description or priority.lead_detail or organisations
        if not periods and has_words:
            if newest is None:
                raise RuntimeError(
                    f"The priority {priority.name!r} has a description or lead but there is no "
                    "reporting period to keep them in: create a period, then migrate again."
                )
            periods = [newest]
        for period in periods:
            text = PriorityText.objects.create(
                priority=priority,
                period=period,
                wording=priority.name,
                description=priority.description,
                lead_detail=priority.lead_detail,
            )
            text.lead_organisations.set(organisations)


def priorities_from_texts(apps, schema_editor):
    Priority = apps.get_model("bscb", "Priority")
    PriorityText = apps.get_model("bscb", "PriorityText")
    for priority in Priority.objects.all():
        texts = list(
            PriorityText.objects.filter(priority=priority)
            .order_by("-period__start")
            .prefetch_related("lead_organisations")
        )
        if not texts:
            continue
        newest = texts[0]
        priority.description = newest.description
        priority.lead_detail = newest.lead_detail
        priority.save(update_fields=["description", "lead_detail"])
        priority.lead_organisations.set(newest.lead_organisations.all())
        priority.periods.set([text.period_id for text in texts])
    PriorityText.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bscb", "0016_prioritytext"),
    ]

    operations = [
        migrations.RunPython(texts_from_priorities, priorities_from_texts),
    ]
