"""Each group's one purpose, aims and chair become its record for every period of its life.

A group whose life meets no period keeps its words as a record of the newest period (else the
next migration would drop them). Backwards, a group takes its newest record's purpose, aims
and chair, and the records go (so that going forward again makes them afresh).
"""

from django.db import migrations
from django.db.models import Q


def terms_from_groups(apps, schema_editor):
    Group = apps.get_model("subgroups", "Group")
    GroupTerm = apps.get_model("subgroups", "GroupTerm")
    ReportingPeriod = apps.get_model("bscb", "ReportingPeriod")
    newest = ReportingPeriod.objects.order_by("-start").first()
    for group in Group.objects.all():
        periods = list(
            ReportingPeriod.objects.filter(
                Q(end__gte=group.established_on) if group.established_on else Q(),
                Q(start__lte=group.concluded_on) if group.concluded_on else Q(),
            )
        )
        has_words = group.purpose or group.aims or group.chair_name or group.chair_organisation_id
        if not periods and has_words:
            if newest is None:
                raise RuntimeError(
                    f"The group {group.name!r} has a purpose, aims or chair but there is no "
                    "reporting period to keep them in: create a period, then migrate again."
                )
            periods = [newest]
        for period in periods:
            GroupTerm.objects.create(
                group=group,
                period=period,
                purpose=group.purpose,
                aims=group.aims,
                chair_name=group.chair_name,
                chair_organisation_id=group.chair_organisation_id,
            )


def groups_from_terms(apps, schema_editor):
    Group = apps.get_model("subgroups", "Group")
    GroupTerm = apps.get_model("subgroups", "GroupTerm")
    for group in Group.objects.all():
        newest = GroupTerm.objects.filter(group=group).order_by("-period__start").first()
        if newest is None:
            continue
        group.purpose = newest.purpose
        group.aims = newest.aims
        group.chair_name = newest.chair_name
        group.chair_organisation_id = newest.chair_organisation_id
        group.save(update_fields=["purpose", "aims", "chair_name", "chair_organisation"])
    GroupTerm.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subgroups", "0006_groupterm"),
    ]

    operations = [
        migrations.RunPython(terms_from_groups, groups_from_terms),
    ]
