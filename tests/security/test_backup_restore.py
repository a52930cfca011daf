"""The dated backup (database and both media folders) restores into a new, empty system, whole.

The restore is real: on PostgreSQL into a new database made on the same server (dropped
after), on SQLite into a new file; every model's rows and every media file are compared,
byte for byte. Each engine's half runs in that engine's run of the suite.
"""

import hashlib
import io
import json
import os
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend

from tests.security.test_backup import every_kind_of_record

RESTORED = "restored"
EVERY_BYTE = bytes(range(256)) * 64


def rows(alias: str) -> dict[str, list]:
    """Every row of every model (sessions and the task queue too: a backup is the whole database)."""
    return {
        model._meta.label_lower: serializers.serialize(
            "python", model._base_manager.using(alias).order_by("pk")
        )
        for model in apps.get_models()
        if not model._meta.proxy
    }


def files(root: Path) -> dict[str, bytes | str]:
    """Each file's bytes and each link's target, by path under root (links not followed)."""
    found = {}
    for folder, _dirs, names in os.walk(root):
        for name in [*names, *(d for d in _dirs if (Path(folder) / d).is_symlink())]:
            path = Path(folder) / name
            key = str(path.relative_to(root))
            found[key] = f"-> {os.readlink(path)}" if path.is_symlink() else path.read_bytes()
    return found


def a_system_with_records_and_files(settings):
    every_kind_of_record()
    default_storage.save("editions/2018-19/report.pdf", ContentFile(EVERY_BYTE))
    default_storage.save("editions/pages/2018-19/index.html", ContentFile("<p>Café £1</p>"))
    storages["private"].save("learning/briefing.pdf", ContentFile(EVERY_BYTE[::-1]))
    # The current edition named by a relative link, as publishing may switch editions.
    (Path(settings.MEDIA_ROOT) / "editions" / "current").symlink_to("2018-19")
    media = {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.PRIVATE_MEDIA_ROOT),
    }
    assert all(files(root) for root in media.values())
    return media


@pytest.fixture
def restored_database(tmp_path):
    """A second connection, to a new and empty database of the test run's engine."""
    default = connections["default"].settings_dict
    name = f"bscb_restore_{uuid.uuid4().hex[:12]}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / f"{name}.sqlite3")
    # Made here rather than in settings.DATABASES: Django's test case allows a connection
    # it did not know of when the test began, and pytest-django makes no test database for it.
    restored = load_backend(default["ENGINE"]).DatabaseWrapper({**default, "NAME": name}, RESTORED)
    connections[RESTORED] = restored
    yield name
    restored.close()
    del connections[RESTORED]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup_folder(tmp_path) -> Path:
    """`manage.py backup` of the test's system, into tmp_path/backups: the folder it wrote."""
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    return folder


def restore(folder: Path, media_root: Path, private_media_root: Path) -> None:
    """`manage.py restore_backup` into the new, empty database and the media folders given."""
    call_command(
        "restore_backup",
        str(folder),
        database=RESTORED,
        media_root=media_root,
        private_media_root=private_media_root,
    )


@pytest.fixture
def a_backup(settings, tmp_path, restored_database) -> Path:
    """A backup of a system with records and files, and a new, empty database to restore into."""
    a_system_with_records_and_files(settings)
    return backup_folder(tmp_path)


def backup_and_restore(settings, tmp_path, capsys) -> None:
    media = a_system_with_records_and_files(settings)
    before_rows, before_files = rows("default"), {n: files(r) for n, r in media.items()}

    folder = backup_folder(tmp_path)
    assert folder.name.startswith("bscb-backup-") and not folder.name.endswith(".partial")
    assert folder.stat().st_mode & 0o077 == 0  # its owner's alone
    meta = json.loads((folder / "backup.json").read_text())
    assert meta["engine"] == connection.vendor

    new_media = tmp_path / "new-media"
    new_private = tmp_path / "new-private"
    restore(folder, new_media, new_private)
    after_rows = rows(RESTORED)
    differing = [label for label in before_rows if before_rows[label] != after_rows[label]]
    assert differing == []
    assert files(new_media) == before_files["media"]
    assert before_files["media"]["editions/current"] == "-> 2018-19"
    assert files(new_private) == before_files["private"]
    # The restored database goes on: its next new row does not collide with a restored one.
    newest = AuthGroup.objects.using(RESTORED).order_by("pk").last().pk
    assert AuthGroup.objects.using(RESTORED).create(name="After the restore").pk > newest

    counted = sum(len(r) for r in before_rows.values())
    with capsys.disabled():
        print(
            f"\nBackup and restore on {connection.vendor}: {counted} rows in {len(before_rows)} "
            f"models and {sum(len(f) for f in before_files.values())} files compared, "
            f"{len(differing)} differ."
        )


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_new_database_whole(
    settings, tmp_path, capsys, restored_database
):
    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite: the PostgreSQL restore runs in the PostgreSQL run")
    backup_and_restore(settings, tmp_path, capsys)


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_new_file_whole(
    settings, tmp_path, capsys, restored_database
):
    if connection.vendor != "sqlite":
        pytest.skip("the tests run on PostgreSQL: the SQLite restore runs in the SQLite run")
    backup_and_restore(settings, tmp_path, capsys)


@pytest.mark.django_db(transaction=True)
def test_the_restore_refuses_a_database_or_a_folder_that_is_not_empty(tmp_path, a_backup):
    # Into the live database itself: refused before anything is written.
    with pytest.raises(CommandError, match=r"is not empty .* restore only into a new, empty"):
        call_command("restore_backup", str(a_backup))
    # Into an empty database, but over a media folder that holds something.
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="used is not empty"):
        restore(a_backup, tmp_path / "new", tmp_path / "used")
    assert connections[RESTORED].introspection.table_names() == []
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "used" / "keep.txt").read_text() == "mine"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path, a_backup):
    archive = a_backup / "private.tar.gz"
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match=r"private\.tar\.gz does not match its checksum"):
        restore(a_backup, tmp_path / "new-media", tmp_path / "new-private")
    assert connections[RESTORED].introspection.table_names() == []


def a_backup_with_its_media_replaced(folder: Path, members) -> None:
    """An attacker's copy of a real backup: media.tar.gz rewritten with `members` (name, kind,
    link target), SHA256SUMS made anew to match it (the checksums are the backup's own, so
    they prove nothing against this)."""
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        for name, kind, linkname in members:
            member = tarfile.TarInfo(name)
            member.type, member.linkname = kind, linkname
            member.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
            content = b"x" if kind == tarfile.REGTYPE else b""
            member.size = len(content)
            archive.addfile(member, io.BytesIO(content) if content else None)
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
            for path in sorted(folder.iterdir())
            if path.name != "SHA256SUMS"
        )
    )


def link_chain_out_of_the_folder(root: Path) -> list[tuple[str, bytes, str]]:
    """CVE-2025-4517: links through folders whose names fill PATH_MAX, so the tarfile "data"
    filter of Python before 3.11.13 misjudges where the last link leads."""
    steps = "abcdefghijklmnop"
    long = "d" * ((os.pathconf("/", "PC_PATH_MAX") - len(str(root)) - 1) // (len(steps) + 1))
    members, path = [], ""
    for step in steps:
        members.append((os.path.join(path, long), tarfile.DIRTYPE, ""))
        members.append((os.path.join(path, step), tarfile.SYMTYPE, long))
        path = os.path.join(path, long)
    chain = os.path.join(*steps, "l" * 254)
    return [
        *members,
        (chain, tarfile.SYMTYPE, os.path.join(*[".."] * len(steps))),
        ("escape", tarfile.SYMTYPE, os.path.join(chain, "..")),
        ("escape/PWNED", tarfile.REGTYPE, ""),
    ]


EDITIONS = ("editions", tarfile.DIRTYPE, "")
FILE, LINK = tarfile.REGTYPE, tarfile.SYMTYPE
NOT_A_FILE = r"is not a folder, a file or a link \(a hard link, a device or a pipe\)"
CLIMBS = "has an absolute name or one that climbs out of the folder"

# Each case: the media archive's members (name, kind, link target), or a function of the
# folder restored into that gives them; the refusal, from the member's name on.
CRAFTED = [
    pytest.param(
        link_chain_out_of_the_folder,
        r"'a/b/c/[^']*' would be written through a link",
        id="a chain of links past PATH_MAX",
    ),
    pytest.param(
        [EDITIONS, ("/tmp/PWNED", FILE, "")], f"'/tmp/PWNED' {CLIMBS}", id="an absolute name"
    ),
    pytest.param(
        [EDITIONS, ("editions/../../PWNED", FILE, "")],
        rf"'editions/\.\./\.\./PWNED' {CLIMBS}",
        id="a name that climbs",
    ),
    pytest.param(
        [EDITIONS, ("editions/up", LINK, "../..")],
        r"'editions/up' is a link to '\.\./\.\.', not to a sibling's name",
        id="a link to a path",
    ),
    pytest.param(
        [EDITIONS, ("editions/up", LINK, "..")],
        r"'editions/up' is a link to '\.\.', not to a sibling's name",
        id="a link that climbs",
    ),
    pytest.param(
        [EDITIONS, ("editions/passwd", tarfile.LNKTYPE, "/etc/passwd")],
        f"'editions/passwd' {NOT_A_FILE}",
        id="a hard link",
    ),
    pytest.param(
        [EDITIONS, ("editions/null", tarfile.CHRTYPE, "")],
        f"'editions/null' {NOT_A_FILE}",
        id="a device",
    ),
    pytest.param(
        [EDITIONS, ("editions/pipe", tarfile.FIFOTYPE, "")],
        f"'editions/pipe' {NOT_A_FILE}",
        id="a fifo",
    ),
    pytest.param(
        [EDITIONS, ("editions/a", FILE, ""), ("editions/a", FILE, "")],
        "'editions/a' appears twice",
        id="a name twice",
    ),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("members", "refusal"), CRAFTED)
def test_a_crafted_media_archive_is_refused_before_anything_is_written(
    tmp_path, a_backup, members, refusal
):
    """Someone who can put a folder where the restore reads it made media.tar.gz write
    outside MEDIA_ROOT. Every member is checked before the database or any file is written."""
    target = tmp_path / "target"
    target.mkdir()
    if callable(members):
        members = members(target / "media")
    a_backup_with_its_media_replaced(a_backup, members)
    with pytest.raises(CommandError, match=rf"media\.tar\.gz: the member {refusal}; nothing"):
        restore(a_backup, target / "media", target / "private")
    assert connections[RESTORED].introspection.table_names() == []
    assert list(target.iterdir()) == []
    assert not Path("/tmp/PWNED").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_a_garbled_checksum_list_is_refused_with_a_reason(tmp_path, a_backup):
    sums = a_backup / "SHA256SUMS"
    sums.write_text(sums.read_text() + "not a checksum line\n")
    with pytest.raises(CommandError, match=r"SHA256SUMS, line \d+, is not"):
        restore(a_backup, tmp_path / "new-media", tmp_path / "new-private")
    assert connections[RESTORED].introspection.table_names() == []
