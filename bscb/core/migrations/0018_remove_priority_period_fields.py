"""The priority keeps its identity only: its period's words are on its texts (0017)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bscb", "0017_priority_texts_from_priorities"),
    ]

    operations = [
        migrations.RemoveField(model_name="priority", name="description"),
        migrations.RemoveField(model_name="priority", name="lead_detail"),
        migrations.RemoveField(model_name="priority", name="lead_organisations"),
        migrations.RemoveField(model_name="priority", name="periods"),
        migrations.AlterField(
            model_name="priority",
            name="name",
            field=models.CharField(
                help_text="The name used in the back office.", max_length=200, unique=True
            ),
        ),
    ]
