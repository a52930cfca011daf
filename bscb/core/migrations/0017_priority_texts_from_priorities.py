"""Each priority's one text becomes its text for every period it ran over, word for word.

Backwards, a priority takes the wording-free fields of its newest text and runs over the
periods it has texts for.
"""

from django.db import migrations


def texts_from_priorities(apps, schema_editor):
    Priority = apps.get_model("bscb", "Priority")
    PriorityText = apps.get_model("bscb", "PriorityText")
    for priority in Priority.objects.prefetch_related("periods", "lead_organisations"):
        organisations = list(priority.lead_organisations.all())
        for period in priority.periods.all():
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


class Migration(migrations.Migration):
    dependencies = [
        ("bscb", "0016_prioritytext"),
    ]

    operations = [
        migrations.RunPython(texts_from_priorities, priorities_from_texts),
    ]
