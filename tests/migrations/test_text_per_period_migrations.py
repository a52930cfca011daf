"""Moving priorities' and groups' words to per-period records loses nothing, and can be undone
and done again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("bscb", "0016_prioritytext"), ("subgroups", "0006_groupterm")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_words_of_a_priority_or_group_with_no_period_are_kept_and_the_move_can_be_redone():
    old = migrate(BEFORE)
    Period = old.get_model("bscb", "ReportingPeriod")
    Priority = old.get_model("bscb", "Priority")
    Group = old.get_model("subgroups", "Group")
    newest = Period.objects.create(
        name="2020/21", slug="2020-21", start="2020-04-01", end="2021-03-31"
    )
    Period.objects.create(name="2019/20", slug="2019-20", start="2019-04-01", end="2020-03-31")
    Priority.objects.create(name="Lone", slug="lone", description="Kept words.")
    Group.objects.create(
        name="Later group", short_name="Later", slug="later", purpose="Its purpose.",
        established_on="2022-01-01",
    )

    migrate(leaves())
    from bscb.core.models import PriorityText
    from subgroups.models import GroupTerm

    assert PriorityText.objects.get(priority__slug="lone").period_id == newest.pk
    assert PriorityText.objects.get(priority__slug="lone").description == "Kept words."
    assert GroupTerm.objects.get(group__slug="later").purpose == "Its purpose."

    # Back, and forward again: nothing is made twice.
    migrate(BEFORE)
    migrate(leaves())
    assert PriorityText.objects.filter(priority__slug="lone").count() == 1
    assert GroupTerm.objects.filter(group__slug="later").count() == 1
