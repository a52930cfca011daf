"""A group's name that year, purpose, aims and chair belong to a period (GroupTerm).

The group's own fields stay until the records are made from them (0007).
"""

import concurrency.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bscb", "0013_board_report_title"),
        ("subgroups", "0005_risk_opened_on_not_recorded"),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(blank=True, help_text="The group's name that year, when it differs from its standing name.", max_length=200)),
                ("purpose", models.TextField(blank=True, help_text="Markdown.")),
                ("aims", models.TextField(blank=True, help_text="Markdown; usually a bulleted list.")),
                ("chair_name", models.CharField(blank=True, max_length=200, verbose_name="chair's name")),
                ("version", concurrency.fields.IntegerVersionField(default=0, help_text="record revision number")),
                ("chair_organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="chaired_group_terms", to="bscb.organisation")),
                ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="terms", to="subgroups.group")),
                ("period", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="group_terms", to="bscb.reportingperiod")),
            ],
            options={
                "verbose_name": "group's record for a period",
                "verbose_name_plural": "group's records by period",
                "ordering": ["group", "-period__start"],
                "constraints": [
                    models.UniqueConstraint(fields=("group", "period"), name="subgroups_group_term_once_a_period")
                ],
            },
        ),
    ]
