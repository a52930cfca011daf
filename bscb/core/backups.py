"""One dated backup of the database and both media folders, and its restore into empty ones.

A backup is a folder `bscb-backup-<UTC time>/` holding:
- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite:
  the online backup API, consistent while the site runs);
- `media.tar.gz` (MEDIA_ROOT: editions' PDFs and stored pages) and `private.tar.gz`
  (PRIVATE_MEDIA_ROOT: learning files, meeting papers and packs);
- `backup.json` (what it is: the database engine, when, the tools' versions);
- `SHA256SUMS`, in `sha256sum` format (`sha256sum -c SHA256SUMS` checks it by hand).
It is written under a `.partial` name and renamed when complete, so a folder with the
final name is always a whole backup.

The restore checks every checksum first, then refuses a database that has any table or a
media folder that holds anything: it never writes over a live system. PostgreSQL's
password travels to pg_dump and pg_restore in their environment, never on a command line.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

FORMAT = 1
SUMS = "SHA256SUMS"
META = "backup.json"
MEDIA = {"media": "MEDIA_ROOT", "private": "PRIVATE_MEDIA_ROOT"}
DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
HEX = "0123456789abcdef"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class Restored:
    database: str
    media: dict[str, Path]
    files: int


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_roots(**given: Path | None) -> dict[str, Path]:
    """The media folders by their name in a backup (MEDIA's keys): those given, else the settings'."""
    return {
        name: Path(given.get(name) or getattr(settings, setting)) for name, setting in MEDIA.items()
    }


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILE:
        raise BackupError(f"Backups know PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _libpq_environment(alias: str) -> dict[str, str]:
    """The connection as libpq's environment variables: the password stays off the command line."""
    params = connections[alias].get_connection_params()
    env = dict(os.environ)
    names = {
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "dbname": "PGDATABASE",
        "service": "PGSERVICE",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
        "connect_timeout": "PGCONNECT_TIMEOUT",
    }
    for key, variable in names.items():
        value = params.get(key)
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed: PostgreSQL's client tools are needed "
            "(on Debian: postgresql-client, of the server's major version or newer)."
        ) from error
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()}")
    return done.stdout


def _walk(root: Path):
    """Every folder, file and link under root, links not followed (an edition's `current`
    link is kept as a link, not as a second copy of the folder it names)."""
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs.sort()
        for name in sorted(dirs) + sorted(names):
            yield Path(folder) / name


def _tar(root: Path, target: Path) -> int:
    files = 0
    with tarfile.open(target, "w:gz") as archive:
        if root.is_dir():
            for path in _walk(root):
                archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
                files += path.is_file() and not path.is_symlink()
    return files


def make_backup(into: Path, *, alias: str = "default") -> Path:
    """Write one dated backup folder under `into` and return it."""
    vendor = _vendor(alias)
    now = datetime.datetime.now(datetime.UTC)
    final = Path(into) / f"bscb-backup-{now:%Y-%m-%dT%H%M%SZ}"
    if final.exists():
        raise BackupError(f"{final} exists already.")
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    # Personal data: the folder is its owner's alone, whatever the umask.
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    meta = {"format": FORMAT, "engine": vendor, "created": now.isoformat(), "files": {}}

    database = partial / DATABASE_FILE[vendor]
    if vendor == "postgresql":
        env = _libpq_environment(alias)
        meta["pg_dump"] = _run(["pg_dump", "--version"], env).strip()
        _run(["pg_dump", "--format=custom", f"--file={database}"], env)
    else:
        connection = connections[alias]
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()

    for name, root in media_roots().items():
        meta["files"][name] = _tar(root, partial / f"{name}.tar.gz")

    (partial / META).write_text(json.dumps(meta, indent=2) + "\n")
    sums = "".join(
        f"{sha256(path)}  {path.name}\n" for path in sorted(partial.iterdir()) if path.name != SUMS
    )
    (partial / SUMS).write_text(sums)
    partial.rename(final)
    return final


def verify(backup: Path) -> dict:
    """The backup's description, once every file listed in SHA256SUMS is checked."""
    sums_file = backup / SUMS
    if not sums_file.is_file():
        raise BackupError(f"{backup} is not a complete backup: it has no {SUMS}.")
    listed = {}
    for number, line in enumerate(sums_file.read_text().splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not (separator and name and len(digest) == 64 and set(digest) <= set(HEX)):
            raise BackupError(
                f"{sums_file}, line {number}, is not '<sha256>  <file name>': the backup is "
                "damaged or was not written by `manage.py backup`."
            )
        listed[name] = digest
    present = {path.name for path in backup.iterdir() if path.name != SUMS}
    if present != set(listed):
        raise BackupError(f"{backup}: the files do not match {SUMS}.")
    for name, digest in listed.items():
        if sha256(backup / name) != digest:
            raise BackupError(f"{backup / name} does not match its checksum: the copy is damaged.")
    meta = json.loads((backup / META).read_text())
    if meta.get("format") != FORMAT:
        raise BackupError(f"{backup} is in a format this version does not know.")
    return meta


def _member_fault(member: tarfile.TarInfo, links: set[str]) -> str | None:
    """Why `member` may not be extracted, or None. A backup holds folders, files and the
    links an edition's pages folder keeps (`current`, naming a sibling folder); anything
    else, or a name that would land outside the folder, is refused. Checked here rather
    than trusted to tarfile's "data" filter, which Python before 3.11.13 lets a chain of
    long links slip past (CVE-2025-4517)."""
    name = member.name
    parts = name.split("/")
    if not name or name.startswith("/") or ".." in parts:
        return "has an absolute name or one that climbs out of the folder"
    if any("/".join(parts[:depth]) in links for depth in range(1, len(parts))):
        return "would be written through a link"
    if member.issym():
        target = member.linkname
        if not target or "/" in target or target in (".", ".."):
            return f"is a link to {target!r}, not to a sibling's name"
    elif not (member.isfile() or member.isdir()):
        return "is not a folder, a file or a link (a hard link, a device or a pipe)"
    return None


def _check_archive(archive_path: Path, root: Path) -> None:
    """Refuse the archive, naming the member, unless every member lands inside `root`."""
    root = Path(os.path.abspath(root))
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
    links = {member.name.rstrip("/") for member in members if member.issym()}
    seen = set()
    for member in members:
        name = member.name.rstrip("/")
        fault = _member_fault(member, links)
        destination = Path(os.path.normpath(root / name))
        if fault is None and not destination.is_relative_to(root):
            fault = "would be written outside the folder"
        if fault is None and name in seen:
            fault = "appears twice"
        if fault:
            raise BackupError(
                f"{archive_path.name}: the member {name!r} {fault}; nothing was restored "
                "(a backup written by `manage.py backup` holds none such: this one was altered)."
            )
        seen.add(name)


def _refuse_unless_empty(alias: str, media: dict[str, Path]) -> None:
    tables = connections[alias].introspection.table_names()
    if tables:
        name = connections[alias].settings_dict["NAME"]
        raise BackupError(
            f"The database {name} is not empty ({len(tables)} tables): restore only into a "
            "new, empty database."
        )
    for root in media.values():
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise BackupError(f"{root} is not empty: restore media only into new folders.")


def restore_backup(
    backup: Path, *, alias: str = "default", media: dict[str, Path] | None = None
) -> Restored:
    """Restore `backup` into the (empty) database `alias` and the (empty) media folders."""
    backup = Path(backup)
    meta = verify(backup)
    vendor = _vendor(alias)
    if meta["engine"] != vendor:
        raise BackupError(f"This backup is of a {meta['engine']} database, not {vendor}.")
    media = media or media_roots()
    connection = connections[alias]
    _refuse_unless_empty(alias, media)
    for name, root in media.items():
        _check_archive(backup / f"{name}.tar.gz", root)
    if vendor == "sqlite" and connection.is_in_memory_db():
        raise BackupError("Restore SQLite into a database file, not into memory.")

    database = backup / DATABASE_FILE[vendor]
    if vendor == "postgresql":
        # One transaction: a restore that fails half-way leaves the database empty.
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(database),
            ],
            _libpq_environment(alias),
        )
    else:
        connection.close()
        source, target = (
            sqlite3.connect(database),
            sqlite3.connect(connection.settings_dict["NAME"]),
        )
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    files = 0
    for name, root in media.items():
        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(backup / f"{name}.tar.gz", "r:gz") as archive:
            # Every member was checked by _check_archive; the "data" filter stays as a
            # second guard (and drops modes such as setuid).
            archive.extractall(root, filter="data")
            files += sum(member.isfile() for member in archive.getmembers())
    return Restored(database=str(connection.settings_dict["NAME"]), media=media, files=files)
