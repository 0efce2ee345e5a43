"""Alembic migrations, shipped in the package and run without an alembic.ini.

`Store()` calls `ensure_current` on every open: one cheap query reads `alembic_version`, and
only a database behind `HEAD` is migrated (which imports Alembic). A database made before
migrations existed (tables and `schema_info` revision 3, no `alembic_version`) is stamped at
`BASELINE` first, so its data stays. The revision files are in versions/; docs/schema.md says
how to add one.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).resolve().parent
BASELINE = "0001"
HEAD = "0021"  # tests/test_migrations.py checks this is the newest file in versions/
LEGACY_SCHEMA_REVISION = "3"  # schema_info's revision of the last release without migrations
_PG_LOCK = 0x6E657773  # pg_advisory_xact_lock key: one migrating process at a time
_THREAD_LOCK = threading.Lock()  # and one thread: Alembic's `op` and `context` are globals


# per backend, so not in the model (schema.py) and left out of autogenerate: the FTS5 table
# and its shadow tables on SQLite; the tsvector column, its GIN index and the ingest-order
# index on PostgreSQL
SEARCH_TABLES = ("documents_fts",)
SEARCH_COLUMNS = {("documents", "search_vector")}
SEARCH_INDEXES = {"ix_documents_search", "ix_documents_ingested_at_id"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Alembic's filter: what autogenerate compares with the model (not the search index)."""
    if type_ == "table" and name and name.startswith(SEARCH_TABLES):
        return False
    if type_ == "column" and (obj.table.name, name) in SEARCH_COLUMNS:
        return False
    return not (type_ == "index" and name in SEARCH_INDEXES)


class MigrationError(RuntimeError):
    """The database's schema cannot be brought to this Newsprism's revision; says why."""


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic configuration for this package's scripts, on a connection or a URL."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def current_revision(conn: Connection) -> str | None:
    """The revision in `alembic_version`, or None for a database never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    versions = list(conn.scalars(text("SELECT version_num FROM alembic_version")))
    return versions[0] if len(versions) == 1 else ",".join(sorted(versions)) or None


def _legacy_revision(conn: Connection) -> str | None:
    """For a database without `alembic_version`: None when it is empty (no `documents`),
    else what its `schema_info` says (or '?' when it has none)."""
    tables = inspect(conn)
    if not tables.has_table("documents"):
        return None
    if not tables.has_table("schema_info"):
        return "?"
    value = conn.scalar(text("SELECT value FROM schema_info WHERE key = 'revision'"))
    return str(value) if value is not None else "?"


def known_revisions() -> list[str]:
    """Every revision in versions/, oldest first."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def _migration_engine(url: str) -> Engine:
    """A one-off engine whose transactions really are transactions, also for DDL on SQLite
    (the sqlite3 module would commit before each CREATE): a failed upgrade leaves nothing
    half done, and BEGIN IMMEDIATE makes a second process wait for the first one's upgrade.
    Foreign keys stay off while migrating, as SQLite's table rebuilds require."""
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # no implicit transactions: ours only
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout=30000")
            with contextlib.suppress(sqlite3.OperationalError):  # read-only: BEGIN says so
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _describe(url: str) -> str:
    """A database URL for messages: as given, but never with its password."""
    parsed = make_url(url)
    return url if parsed.password is None else parsed.render_as_string(hide_password=True)


def _peek(url: str) -> str | None:
    """The current revision read on a plain connection, for error messages."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    except DBAPIError:
        return None
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database at `url` to `revision`; (revision before, revision after).
    Raises MigrationError with a readable reason (read-only, unknown revision...)."""
    from alembic import command

    engine = _migration_engine(url)
    try:
        with _THREAD_LOCK, engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
            before = current_revision(conn)  # again: another process may have migrated
            cfg = alembic_config(connection=conn)
            if before is None:
                legacy = _legacy_revision(conn)
                if legacy is not None and legacy != LEGACY_SCHEMA_REVISION:
                    raise MigrationError(
                        f"database {_describe(url)} has Newsprism tables but schema revision "
                        f"{legacy}, which cannot be migrated (only {LEGACY_SCHEMA_REVISION} "
                        "can): rebuild it with `newsprism run` into a new database")
                if legacy is not None:
                    command.stamp(cfg, BASELINE)
                    before = BASELINE
            elif before not in known_revisions():
                raise MigrationError(
                    f"database {_describe(url)} is at schema revision {before}, which this "
                    f"version of Newsprism does not know (its newest is {HEAD}): it was "
                    "written by a newer Newsprism; upgrade Newsprism to open it")
            command.upgrade(cfg, revision)
            after = current_revision(conn)
    except MigrationError:
        raise
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        lowered = reason.lower()
        advice = ""
        if any(w in lowered for w in ("readonly", "read-only", "permission denied")):
            advice = (" It cannot be written: open it once with write access, or run "
                      "`newsprism db upgrade --db ...` as a user who may change it.")
        raise MigrationError(
            f"database {_describe(url)} is at schema revision {_peek(url) or 'none'} and this "
            f"Newsprism needs {HEAD}; upgrading it failed: {reason}.{advice}") from exc
    finally:
        engine.dispose()
    return before, after or ""


def ensure_current(engine: Engine, url: str) -> None:
    """Upgrade the database to HEAD if it is behind; one quick query when it is not."""
    with engine.connect() as conn:
        if current_revision(conn) == HEAD:
            return
    upgrade(url)
