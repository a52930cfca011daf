from django.db import migrations, models


def mark_circulated_papers(apps, schema_editor):
    """The papers of meetings whose papers went out went out with them: those uploaded by the
    time they were circulated, and those the public pack holds (made by a later circulation,
    which keeps the first time). A paper uploaded after, and in no public pack, cannot be
    known to have gone out: it waits for the next circulation, like any late paper now."""
    Meeting = apps.get_model("meetings", "Meeting")
    Paper = apps.get_model("meetings", "Paper")
    for meeting in Meeting.objects.filter(papers_circulated_at__isnull=False).iterator():
        in_pack = (meeting.public_pack_contents or {}).get("papers", [])
        when = meeting.papers_circulated_at
        papers = Paper.objects.filter(meeting=meeting)
        papers.filter(models.Q(uploaded_at__lte=when) | models.Q(pk__in=in_pack)).update(
            circulated_at=when
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0007_attendance_deputy_absent_and_who"),
    ]

    operations = [
        migrations.AddField(
            model_name="paper",
            name="circulated_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(mark_circulated_papers, migrations.RunPython.noop),
    ]
