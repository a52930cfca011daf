"""Which state of the records a page is drawn from: the generation.

Every statement that writes to a record table (an insert, update, delete or truncate, made
through a form, a bulk update, an import, a revert or raw SQL) adds a row to
bscb_recordchange, by a trigger the database runs. `manage.py migrate` installs the trigger
on every table of the project's apps and of auth (`install_triggers`, on post_migrate), so a
new model is covered without being listed. A fragment drawn from records may then be kept
under the generation it was drawn at: after any change the generation is new, and the
fragment is drawn again. One query instead of reading and drawing the records.

On PostgreSQL the generation is the number of change rows with the largest id. Ids are
handed out when a row is written and a transaction may commit after a later one, so the
largest id alone can stay the same across a commit; the count cannot. On SQLite, whose writers
take turns (one holds the database from its first write to its commit) and whose ids are
never handed out again, the largest id alone is enough, and is read from the index rather than
counted. `forget` empties the table and adds one row with a new largest id, so no generation
after it equals one before it; so does each migrate (a migration's own writes, on a table
SQLite remade without its trigger, are then not missed).

Read the generation before the records: a change committed in between then leaves a newer
drawing under the older generation, never an older drawing under the newer one.
"""

import hashlib

from django.apps import apps
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import get_language

TABLE = "bscb_recordchange"
TRIGGER = "bscb_record_changed"
# The apps whose tables pages are drawn from. auth is there for the roles a viewer holds.
APPS = {
    "auth",
    "bscb",
    "meetings",
    "subgroups",
    "reviews",
    "training",
    "funding",
    "reports",
    "notices",
}
# Written while nothing a page shows changes: a worker's heartbeat every few seconds, the
# time a user signed out everywhere, and the changes themselves.
NOT_RECORDS = {"bscb.workerheartbeat", "bscb.signout", "bscb.recordchange"}


def record_tables() -> list[str]:
    """The tables whose writes make a new generation: read from the app registry."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if (
            meta.app_label in APPS
            and meta.label_lower not in NOT_RECORDS
            and meta.managed
            and not meta.proxy
        ):
            tables.add(meta.db_table)
    return sorted(tables)


def generation(using: str = "default") -> str:
    counted = "COUNT(*), " if _postgres(using) else "0, "
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {counted}MAX(id) FROM {TABLE}")
        count, last = cursor.fetchone()
    return f"{count}.{last or 0}"


def key(generation: str, *parts) -> str:
    """The key of something drawn from the records at `generation` (read before the records
    were) for `parts` (the reader, the address...); the day (an embargo ends on a date) and
    the language are always part of it."""
    every = (generation, timezone.localdate().isoformat(), get_language(), *parts)
    return hashlib.blake2b(repr(every).encode(), digest_size=20).hexdigest()


def forget(using: str = "default") -> None:
    """Keep the table small (`manage.py run_daily`): PostgreSQL counts its rows for every
    page drawn from it."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        _new_generation(cursor, using)


def _new_generation(cursor, using: str) -> None:
    """A change row with a new largest id: a generation no earlier one equals."""
    value = "DEFAULT" if _postgres(using) else "NULL"
    cursor.execute(f"INSERT INTO {TABLE} (id) VALUES ({value})")


def _postgres(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def install_triggers(using: str = "default", **kwargs) -> None:
    """Put the trigger on every record table that lacks it (post_migrate: a table a migration
    made or, on SQLite, remade has none)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    tables = [t for t in record_tables() if t in existing]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN INSERT INTO {TABLE} DEFAULT VALUES; RETURN NULL; END $$"
            )
            done = _tables_with_the_trigger(cursor)
            for table in tables:
                if table not in done:
                    cursor.execute(
                        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                        f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                    )
        elif connection.vendor == "sqlite":
            # SQLite has no statement triggers: a row each row written.
            for table in tables:
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"{TRIGGER}_{table}_{event.lower()}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                        f"BEGIN INSERT INTO {TABLE} (id) VALUES (NULL); END"
                    )
        else:  # pragma: no cover - the project runs on PostgreSQL and SQLite
            raise NotImplementedError(connection.vendor)
        _new_generation(cursor, using)


def _tables_with_the_trigger(cursor) -> set[str]:
    """PostgreSQL's tables that have the trigger, by name (not as regclass, which names the
    schema of a table off the search path)."""
    cursor.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE t.tgname = %s",
        [TRIGGER],
    )
    return {name for (name,) in cursor.fetchall()}


def uninstall_triggers(using: str = "default") -> None:
    """Take the trigger off every table: before bscb_recordchange is dropped (a migration
    undone), since a write to a table whose trigger names a missing table fails."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            for table in _tables_with_the_trigger(cursor):
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{TRIGGER}_%"],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER IF EXISTS {connection.ops.quote_name(name)}")
