import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.utils import timezone

from bscb.core.models import ReportingPeriod
from bscb.core.roles import BOARD_MEMBERS, SUPPORT_TEAM
from subgroups.models import Group


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """SQLite's test database in a file, not in memory: a worker process started by a test
    (tests/reports/test_publishing_task.py, the browser story) must open the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        folder = tmp_path_factory.mktemp("database")
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The PDF takes seconds to make: only the tests that read it switch it on.
    settings.EDITION_PDF = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _nothing_drawn():
    # Pages are kept under the generation of the records (bscb.core.changes). Each test's
    # records are rolled back at its end, and on SQLite the id counter with them, so the next
    # test can meet the same generation with other records. In service, what a reader saw
    # was committed and is never undone.
    from django.core.cache import caches

    caches["drawn"].clear()


@pytest.fixture
def support_officer(db):
    """A member of the board's support team: staff, with the team's permissions."""
    user = get_user_model().objects.create_user(
        "sam", password="a long demo password", is_staff=True
    )
    user.groups.add(AuthGroup.objects.get(name=SUPPORT_TEAM))
    return user


@pytest.fixture
def board_reader(db):
    """A board member in the back office: staff who may read, never change."""
    user = get_user_model().objects.create_user(
        "bea", password="a long demo password", is_staff=True
    )
    user.groups.add(AuthGroup.objects.get(name=BOARD_MEMBERS))
    return user


@pytest.fixture
def year(db):
    return ReportingPeriod.objects.create(
        name="2018/19",
        slug="2018-19",
        start=datetime.date(2018, 4, 1),
        end=datetime.date(2019, 3, 31),
        status=ReportingPeriod.Status.PUBLISHED,
    )


@pytest.fixture
def draft_year(db):
    return ReportingPeriod.objects.create(
        name="2019/20",
        slug="2019-20",
        start=datetime.date(2019, 4, 1),
        end=datetime.date(2020, 3, 31),
    )


@pytest.fixture
def this_year(db):
    """A draft period around today, for the meetings the cycle schedules: a meeting's date
    must fall in a period."""
    today = timezone.localdate()
    return ReportingPeriod.objects.create(
        name="This year",
        slug="this-year",
        start=today - datetime.timedelta(days=180),
        end=today + datetime.timedelta(days=184),
    )


@pytest.fixture
def board(db):
    return Group.objects.create(
        name="Safeguarding Children Board", short_name="Board", slug="board", kind=Group.Kind.BOARD
    )


@pytest.fixture
def exploitation(db):
    return Group.objects.create(
        name="Child Exploitation Subgroup",
        short_name="Child Exploitation",
        slug="child-exploitation",
    )


@pytest.fixture
def small_year(db):
    """A small published year made with factories: see tests/small_year.py."""
    from tests.small_year import build_small_year

    return build_small_year()


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_bad_input import FUZZ

    if FUZZ["parameters"]:
        terminalreporter.write_line(
            f"Bad query strings: {FUZZ['parameters']} public parameters, "
            f"{FUZZ['requests']} requests."
        )
    if FUZZ["forms"]:
        terminalreporter.write_line(
            f"Bad input: {FUZZ['forms']} forms fuzzed, {FUZZ['examples']} examples posted, "
            f"{FUZZ['saved']} saved valid, {FUZZ['refused']} refused with a message, "
            f"{FUZZ['server_errors']} server errors."
        )
