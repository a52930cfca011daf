"""A priority's wording, lead, description and assessment belong to a period (PriorityText).

The old fields stay until the texts are made from them (0017); their reverse names step
aside so that the new lead organisations can take "led_priorities".
"""

import concurrency.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bscb", "0015_people_in_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="priority",
            name="lead_organisations",
            field=models.ManyToManyField(
                blank=True,
                related_name="led_priorities_before_texts",
                to="bscb.organisation",
                verbose_name="lead organisations",
            ),
        ),
        migrations.AlterField(
            model_name="priority",
            name="periods",
            field=models.ManyToManyField(
                blank=True, related_name="priorities_before_texts", to="bscb.reportingperiod"
            ),
        ),
        migrations.CreateModel(
            name="PriorityText",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("wording", models.CharField(help_text="The priority's title as the period's report words it.", max_length=200)),
                ("description", models.TextField(blank=True, help_text="Markdown.")),
                ("lead_detail", models.CharField(blank=True, help_text="The named person and role, or the part of the organisation, e.g. 'Education and Early Help'.", max_length=200)),
                ("went_well", models.TextField(blank=True, help_text="Markdown; left out of the report when blank.", verbose_name="what worked well")),
                ("worried_about", models.TextField(blank=True, help_text="Markdown; left out of the report when blank.", verbose_name="what we are worried about")),
                ("needs_to_happen", models.TextField(blank=True, help_text="Markdown; left out of the report when blank.", verbose_name="what needs to happen")),
                ("version", concurrency.fields.IntegerVersionField(default=0, help_text="record revision number")),
                ("lead_organisations", models.ManyToManyField(blank=True, related_name="led_priorities", to="bscb.organisation", verbose_name="lead organisations")),
                ("period", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="priority_texts", to="bscb.reportingperiod")),
                ("priority", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="texts", to="bscb.priority")),
            ],
            options={
                "verbose_name": "priority's text for a period",
                "verbose_name_plural": "priority's texts by period",
                "ordering": ["priority__position", "priority__name", "-period__start"],
                "constraints": [
                    models.UniqueConstraint(fields=("priority", "period"), name="bscb_priority_text_once_a_period")
                ],
            },
        ),
    ]
