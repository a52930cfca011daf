"""The sign-in roles the system knows, kept in step with the models after every migrate."""

from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.urls import reverse

SUPPORT_TEAM = "Support team"
# Board members read everything internal, drafts included, and change nothing.
BOARD_MEMBERS = "Board members"
# What reading is, as permission verbs: viewing a record, and exporting a list of the
# records one may view to a spreadsheet (it writes nothing). Every other verb (add,
# change, delete, import, publish, release) changes records and is the support team's.
READING_VERBS = ("view", "export")
# The support team keeps every record of the board and its groups.
SUPPORT_TEAM_APPS = [
    "bscb",
    "notices",
    "reports",
    "subgroups",
    "meetings",
    "reviews",
    "training",
    "funding",
]


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


def keeps_records(user) -> bool:
    """Whether this person keeps the board's records: the support team, and superusers.

    Board members may be staff too (they read the back office), but keep nothing.
    """
    return user.is_superuser or user.groups.filter(name=SUPPORT_TEAM).exists()


def landing_page(user) -> str:
    """Where someone lands after signing in without asking for a page: those who keep the
    records in the back office, everyone else (chairs, board members) in the workspace."""
    return reverse("admin:index") if keeps_records(user) else reverse("workspace:home")


def needs_second_factor(user) -> bool:
    """Whether this person must sign in with a code from their device as well as a password.

    Staff (OTP_REQUIRED_FOR_STAFF) see drafts and change records; chairs
    (OTP_REQUIRED_FOR_CHAIRS) see their groups' plans, which answer case reviews.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff and settings.OTP_REQUIRED_FOR_STAFF:
        return True
    # A reverse relation of subgroups.Group: asked by name, so core imports no domain app.
    return settings.OTP_REQUIRED_FOR_CHAIRS and user.chaired_groups.exists()


def is_trusted(user) -> bool:
    """Signed in, and with the second factor checked this session where one is needed.

    The one rule for drafts, previews, the back office and the workspace: a
    password alone opens none of them for someone who needs two factors.
    """
    if not user.is_authenticated:
        return False
    if not needs_second_factor(user):
        return True
    # django-otp's middleware adds is_verified(); a request built by hand has none.
    verified = getattr(user, "is_verified", None)
    return verified is not None and verified()


def sees_unpublished(user) -> bool:
    """Drafts, live previews of published reports and drafts' PDFs: trusted staff who may
    read reporting periods (bscb.view_reportingperiod); the staff flag alone is not enough."""
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm("bscb.view_reportingperiod")
        and is_trusted(user)
    )


def may(user, perm: str) -> bool:
    """Whether this person may do what the back office's `perm` ("app.codename") allows: the
    one rule for a button (publish, circulate, export, import) and for the background task
    it queues, which asks again when it runs (an officer taken out of the back office
    meanwhile does nothing).

    Active, let into the back office (is_staff: the admin site's own rule) and holding
    perm. The second factor is the admin site's to ask when the button is pressed: the task
    has no session to ask it of.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(perm)
    )


def may_publish(user) -> bool:
    """Whether this person may publish a new edition of the report."""
    return may(user, "bscb.publish_reportingperiod")
