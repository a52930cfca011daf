"""The group keeps its identity; its period's purpose, aims and chair are on its records."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("subgroups", "0007_group_terms_from_groups"),
    ]

    operations = [
        migrations.RemoveField(model_name="group", name="aims"),
        migrations.RemoveField(model_name="group", name="chair_name"),
        migrations.RemoveField(model_name="group", name="chair_organisation"),
        migrations.RemoveField(model_name="group", name="purpose"),
    ]
