"""The papers of meetings whose papers already went out are marked as circulated by the
migration that brings the mark in; a paper uploaded after, and in no public pack, is not."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("meetings", "0007_attendance_deputy_absent_and_who")]


def leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_papers_that_went_out_are_marked_circulated_and_a_later_one_is_not():
    old = migrate(BEFORE)
    Group = old.get_model("subgroups", "Group")
    Meeting = old.get_model("meetings", "Meeting")
    AgendaItem = old.get_model("meetings", "AgendaItem")
    Paper = old.get_model("meetings", "Paper")
    group = Group.objects.create(name="Neglect Subgroup", short_name="Neglect", slug="neglect")
    out = datetime.datetime(2026, 11, 2, 9, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(group=group, date="2026-11-20", papers_circulated_at=out)
    waiting = Meeting.objects.create(group=group, date="2026-12-20")
    item = AgendaItem.objects.create(meeting=meeting, title="Strategy", position=1)
    other = AgendaItem.objects.create(meeting=waiting, title="Budget", position=1)

    def paper(title, on_item, uploaded):
        made = Paper.objects.create(
            agenda_item=on_item, meeting=on_item.meeting, title=title, file=f"papers/{title}.pdf"
        )
        Paper.objects.filter(pk=made.pk).update(uploaded_at=uploaded)
        return made.pk

    before = paper("before", item, out - datetime.timedelta(days=1))
    late = paper("late", item, out + datetime.timedelta(days=1))
    recirculated = paper("recirculated", item, out + datetime.timedelta(days=2))
    Meeting.objects.filter(pk=meeting.pk).update(
        public_pack_contents={"items": [item.pk], "papers": [before, recirculated]}
    )
    not_out = paper("not-out", other, out)

    migrate(leaves())
    from meetings.models import Paper as Now

    marked = dict(Now.objects.values_list("pk", "circulated_at"))
    assert marked[before] == out
    assert marked[recirculated] == out
    assert marked[late] is None
    assert marked[not_out] is None
