from django.db import migrations


class Migration(migrations.Migration):
    """Editions belong to the reports app now: the tables stay as they are."""

    dependencies = [
        ("bscb", "0009_reportingperiod_publish_permission"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EditionPage"),
                migrations.DeleteModel(name="Edition"),
            ],
        ),
    ]
