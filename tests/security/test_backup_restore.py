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


def backup_and_restore(settings, tmp_path, capsys) -> None:
    media = a_system_with_records_and_files(settings)
    before_rows, before_files = rows("default"), {n: files(r) for n, r in media.items()}

    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert folder.name.startswith("bscb-backup-") and not folder.name.endswith(".partial")
    assert folder.stat().st_mode & 0o077 == 0  # its owner's alone
    meta = json.loads((folder / "backup.json").read_text())
    assert meta["engine"] == connection.vendor

    new_media = tmp_path / "new-media"
    new_private = tmp_path / "new-private"
    call_command(
        "restore_backup",
        str(folder),
        database=RESTORED,
        media_root=new_media,
        private_media_root=new_private,
    )
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
def test_the_restore_refuses_a_database_or_a_folder_that_is_not_empty(
    settings, tmp_path, restored_database
):
    a_system_with_records_and_files(settings)
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    # Into the live database itself: refused before anything is written.
    with pytest.raises(CommandError, match=r"is not empty .* restore only into a new, empty"):
        call_command("restore_backup", str(folder))
    # Into an empty database, but over a media folder that holds something.
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="used is not empty"):
        call_command(
            "restore_backup",
            str(folder),
            database=RESTORED,
            media_root=tmp_path / "new",
            private_media_root=tmp_path / "used",
        )
    assert connections[RESTORED].introspection.table_names() == []
    assert not (tmp_path / "new").exists()
    assert (tmp_path / "used" / "keep.txt").read_text() == "mine"


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_restored(
    settings, tmp_path, restored_database
):
    a_system_with_records_and_files(settings)
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    archive = folder / "private.tar.gz"
    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    with pytest.raises(CommandError, match=r"private\.tar\.gz does not match its checksum"):
        call_command(
            "restore_backup",
            str(folder),
            database=RESTORED,
            media_root=tmp_path / "new-media",
            private_media_root=tmp_path / "new-private",
        )
    assert connections[RESTORED].introspection.table_names() == []


def _add(archive, name, kind=tarfile.REGTYPE, *, linkname="", content=b""):
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, linkname
    member.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    member.size = len(content) if kind == tarfile.REGTYPE else 0
    archive.addfile(member, io.BytesIO(content) if member.size else None)


def a_backup_with_its_media_replaced(folder: Path, write_members) -> None:
    """An attacker's copy of a real backup: media.tar.gz rewritten, SHA256SUMS made anew
    to match it (the checksums are the backup's own, so they prove nothing against this)."""
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        write_members(archive)
    (folder / "SHA256SUMS").write_text(
        "".join(
            f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.name}\n"
            for path in sorted(folder.iterdir())
            if path.name != "SHA256SUMS"
        )
    )


def link_chain_out_of_the_folder(root: Path):
    """CVE-2025-4517: links through folders whose names fill PATH_MAX, so the tarfile "data"
    filter of Python before 3.11.13 misjudges where the last link leads."""

    def write(archive):
        steps = "abcdefghijklmnop"
        long = "d" * ((os.pathconf("/", "PC_PATH_MAX") - len(str(root)) - 1) // (len(steps) + 1))
        path = ""
        for step in steps:
            _add(archive, os.path.join(path, long), tarfile.DIRTYPE)
            _add(archive, os.path.join(path, step), tarfile.SYMTYPE, linkname=long)
            path = os.path.join(path, long)
        chain = os.path.join(*steps, "l" * 254)
        _add(archive, chain, tarfile.SYMTYPE, linkname=os.path.join(*[".."] * len(steps)))
        _add(archive, "escape", tarfile.SYMTYPE, linkname=os.path.join(chain, ".."))
        _add(archive, "escape/PWNED", content=b"written outside the media folder\n")

    return write


def one_member(name, kind=tarfile.REGTYPE, linkname=""):
    def write(archive):
        _add(archive, "editions", tarfile.DIRTYPE)
        _add(
            archive, name, kind, linkname=linkname, content=b"x" if kind == tarfile.REGTYPE else b""
        )

    return write


CRAFTED = {
    "a chain of links past PATH_MAX": (link_chain_out_of_the_folder, "'a/b/c/"),
    "an absolute name": (lambda root: one_member("/tmp/PWNED"), "'/tmp/PWNED'"),
    "a name that climbs": (
        lambda root: one_member("editions/../../PWNED"),
        "'editions/../../PWNED'",
    ),
    "a link to a path": (
        lambda root: one_member("editions/up", tarfile.SYMTYPE, "../.."),
        "'editions/up'",
    ),
    "a link that climbs": (
        lambda root: one_member("editions/up", tarfile.SYMTYPE, ".."),
        "'editions/up'",
    ),
    "a hard link": (
        lambda root: one_member("editions/passwd", tarfile.LNKTYPE, "/etc/passwd"),
        "'editions/passwd'",
    ),
    "a device": (lambda root: one_member("editions/null", tarfile.CHRTYPE), "'editions/null'"),
    "a fifo": (lambda root: one_member("editions/pipe", tarfile.FIFOTYPE), "'editions/pipe'"),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crafted", CRAFTED, ids=list(CRAFTED))
def test_a_crafted_media_archive_is_refused_before_anything_is_written(
    settings, tmp_path, restored_database, crafted
):
    """Someone who can put a folder where the restore reads it made media.tar.gz write
    outside MEDIA_ROOT. Every member is checked before the database or any file is written."""
    a_system_with_records_and_files(settings)
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    target = tmp_path / "target"
    target.mkdir()
    members, named = CRAFTED[crafted]
    a_backup_with_its_media_replaced(folder, members(target / "media"))
    with pytest.raises(CommandError, match=rf"media\.tar\.gz: the member {named}.*nothing"):
        call_command(
            "restore_backup",
            str(folder),
            database=RESTORED,
            media_root=target / "media",
            private_media_root=target / "private",
        )
    assert connections[RESTORED].introspection.table_names() == []
    assert list(target.iterdir()) == []
    assert not Path("/tmp/PWNED").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_with_a_garbled_checksum_list_is_refused_with_a_reason(
    settings, tmp_path, restored_database
):
    a_system_with_records_and_files(settings)
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    sums = folder / "SHA256SUMS"
    sums.write_text(sums.read_text() + "not a checksum line\n")
    with pytest.raises(CommandError, match=r"SHA256SUMS, line \d+, is not"):
        call_command(
            "restore_backup",
            str(folder),
            database=RESTORED,
            media_root=tmp_path / "new-media",
            private_media_root=tmp_path / "new-private",
        )
    assert connections[RESTORED].introspection.table_names() == []
