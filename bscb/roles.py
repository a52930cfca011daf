"""The sign-in roles the system knows, kept in step with the models after every migrate."""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission

SUPPORT_TEAM = "Support team"
# Board members read everything internal, drafts included, and change nothing.
BOARD_MEMBERS = "Board members"
# What reading is, as permission verbs: viewing a record, and exporting a list of the
# records one may view to a spreadsheet (it writes nothing). Every other verb (add,
# change, delete, import, publish, release) changes records and is the support team's.
READING_VERBS = ("view", "export")
# The support team keeps every record of the board and its groups.
SUPPORT_TEAM_APPS = ["bscb", "subgroups", "meetings", "reviews", "training", "funding"]


def ensure_roles(**kwargs):
    support, _ = AuthGroup.objects.get_or_create(name=SUPPORT_TEAM)
    ours = Permission.objects.filter(content_type__app_label__in=SUPPORT_TEAM_APPS)
    wanted = set(ours)
    if set(support.permissions.all()) != wanted:
        support.permissions.set(wanted)
    members, _ = AuthGroup.objects.get_or_create(name=BOARD_MEMBERS)
    readable = {p for p in ours if p.codename.split("_", 1)[0] in READING_VERBS}
    if set(members.permissions.all()) != readable:
        members.permissions.set(readable)
