from django.db import migrations, models


def withdraw_editions_already_replaced(apps, schema_editor):
    """Editions replaced before this migration were never readable, and one of them may show
    a record held back since (the check that withdraws an edition at that moment did not
    run for them): they stay unreadable. Editions replaced from now on are checked."""
    Edition = apps.get_model("reports", "Edition")
    Edition.objects.filter(is_current=False).update(is_withdrawn=True)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0010_child_death_figures_to_figure_sets"),
    ]

    operations = [
        migrations.AddField(
            model_name="edition",
            name="is_withdrawn",
            field=models.BooleanField(
                default=False,
                help_text="Nobody can read a withdrawn edition at its own address. An edition "
                "is withdrawn when a record it may show is held back by a publication embargo, "
                "or by staff; it is never put back.",
                verbose_name="withdrawn",
            ),
        ),
        migrations.RunPython(withdraw_editions_already_replaced, migrations.RunPython.noop),
    ]
