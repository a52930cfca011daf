"""The portable export: dumpdata with natural keys, loaded into an empty database, loses nothing."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from bscb.reports.demo import ensure_demo_accounts, load_demo
from subgroups.models import Action
from subgroups.services import action_add_update

SKIP = {"sessions.session", "contenttypes.contenttype", "auth.permission"}


def snapshot() -> dict[str, list]:
    """Every record of every model, by primary key, with foreign keys by natural key where they have one."""
    records = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in SKIP or model._meta.proxy:
            continue
        rows = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        records[label] = rows
    return records


@pytest.mark.django_db(transaction=True)
def test_the_portable_export_round_trips_every_record(tmp_path, settings, capsys):
    settings.DEBUG = True  # the demo accounts exist only in development
    load_demo()
    ensure_demo_accounts()
    action = Action.objects.filter(description__startswith="Safeguarding/CSE training").get()
    action_add_update(
        action=action, author=None, rag="amber", note="Drafted", date=datetime.date(2019, 1, 10)
    )
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 500
    # YAML keeps times to the microsecond and every character (Django's JSON rounds times
    # to the millisecond; XML turns the CSV downloads' line ends into plain newlines).
    dump = tmp_path / "board.yaml"
    call_command(
        "dumpdata",
        natural_foreign=True,
        exclude=["contenttypes", "auth.permission", "sessions"],
        format="yaml",
        output=str(dump),
    )
    call_command("flush", "--no-input")
    assert not apps.get_model("meetings", "Meeting").objects.exists()
    call_command("restore_export", str(dump))
    after = snapshot()
    differing = [label for label in before if before[label] != after[label]]
    assert differing == []
    counted = sum(len(rows) for rows in before.values())
    with capsys.disabled():
        print(
            f"\nBackup round trip: {counted} records in {len(before)} models compared, {len(differing)} differ."
        )
