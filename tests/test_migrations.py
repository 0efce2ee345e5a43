"""Schema migrations on each backend: a fresh database gets the model's schema, an old SQLite
store keeps its data, and a database that cannot be upgraded says why."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from conftest import newsprism
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from newsprism.model import Document
from newsprism.store import DocumentFilter, Store, database_url, migrations
from newsprism.store.migrations import MigrationError, include_object
from newsprism.store.schema import metadata

LEGACY_SCHEMA = Path(__file__).parent / "fixtures" / "legacy_r3_schema.sql"
# the list pages' and a story's pages (0017 replaced ix_documents_story by the ordered one)
API_INDEXES = {"ix_documents_published_desc_id", "ix_documents_story_published"}


def _engine(db: str):
    return create_engine(database_url(db), poolclass=NullPool)


def _revision(db: str) -> str | None:
    engine = _engine(db)
    with engine.connect() as conn:
        found = migrations.current_revision(conn)
    engine.dispose()
    return found


def _alembic(db: str, action: str, revision: str) -> None:
    getattr(command, action)(migrations.alembic_config(url=database_url(db)), revision)


def _drift(db: str) -> list:
    """What `alembic revision --autogenerate` would write: nothing, if the model and the
    migrations agree."""
    engine = _engine(db)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_object": include_object, "compare_type": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    return diff


def test_head_is_the_newest_revision():
    revisions = migrations.known_revisions()
    assert revisions[0] == migrations.BASELINE and revisions[-1] == migrations.HEAD
    assert revisions == sorted(revisions)


def test_a_fresh_database_gets_the_models_schema_and_its_search_index(db_url, backend):
    Store(db_url).close()
    assert _revision(db_url) == migrations.HEAD
    assert _drift(db_url) == []
    engine = _engine(db_url)
    names = inspect(engine).get_table_names()
    assert "schema_info" not in names
    indexes = {i["name"] for i in inspect(engine).get_indexes("documents")}
    assert indexes >= API_INDEXES
    if backend == "sqlite":
        assert "documents_fts" in names
    else:
        columns = {c["name"]: str(c["type"]) for c in inspect(engine).get_columns("documents")}
        assert columns["search_vector"] == "TSVECTOR"
        assert {"ix_documents_search", "ix_documents_ingested_at_id"} <= indexes
    engine.dispose()


def test_downgrade_to_nothing_and_up_again(db_url):
    Store(db_url).close()
    _alembic(db_url, "downgrade", "0002")
    engine = _engine(db_url)
    with engine.connect() as conn:  # 0003's downgrade brings back what it dropped
        assert conn.scalar(text("SELECT value FROM schema_info")) == "3"
    _alembic(db_url, "downgrade", "base")
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    assert migrations.upgrade(database_url(db_url)) == (None, migrations.HEAD)
    store = Store(db_url)
    assert store.count() == 0
    store.close()


def _legacy_store(path: Path, with_api_indexes: bool) -> None:
    """A database as the release before migrations left it, with two documents."""
    conn = sqlite3.connect(path)
    conn.executescript(LEGACY_SCHEMA.read_text(encoding="utf-8"))
    if with_api_indexes:  # what `newsprism serve` added on the fly
        conn.executescript(
            "CREATE INDEX ix_documents_published_desc_id ON documents (published DESC, id);"
            "CREATE INDEX ix_documents_story ON documents (story);"
            "CREATE INDEX ix_claim_members_document ON claim_members (document_id);")
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    for doc_id, title, body in (("aaaa000000000001", "Convoy reaches Kherson",
                                 "A convoy of lorries reached Kherson."),
                                ("aaaa000000000002", None, "Drones hit a depot overnight.")):
        conn.execute("INSERT INTO documents (id, source, kind, title, published, text, "
                     "ingested_at) VALUES (?, 'old.txt', 'text', ?, '2026-03-01', ?, ?)",
                     (doc_id, title, body, now))
        conn.execute("INSERT INTO raw_documents VALUES (?, 'zlib', ?)",
                     (doc_id, zlib.compress(body.encode())))
        conn.execute("INSERT INTO entities VALUES (?, 0, 'place', 'Kherson', ?, 46.6, 32.6, "
                     "'UA')", (doc_id, json.dumps(["Kherson"])))
        conn.execute("INSERT INTO documents_fts (id, title, text) VALUES (?, ?, ?)",
                     (doc_id, title or "", body))
    conn.commit()
    conn.close()


@pytest.mark.parametrize("with_api_indexes", [False, True])
def test_a_store_made_before_migrations_is_stamped_upgraded_and_kept(tmp_path,
                                                                     with_api_indexes):
    path = tmp_path / "old.db"
    _legacy_store(path, with_api_indexes)
    store = Store(path)
    assert _revision(str(path)) == migrations.HEAD
    assert _drift(str(path)) == []
    assert store.count() == 2
    assert store.get("aaaa000000000001").entities[0].name == "Kherson"
    assert store.raw("aaaa000000000002") == b"Drones hit a depot overnight."
    assert [h.id for h in store.search("convoy")] == ["aaaa000000000001"]
    new = Document(id="bbbb000000000003", source="new.txt", raw=b"x", kind="text",
                   lines=["Another convoy left Odesa."], published="2026-03-02")
    assert store.add([new]) == 1
    total, rows = store.document_page(DocumentFilter(q="convoy"), window=1)
    assert total == 2  # the newest match, then the old one: added after it in the index
    assert [r["id"] for r in rows] == ["bbbb000000000003", "aaaa000000000001"]
    store.close()
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "schema_info" not in names and names >= API_INDEXES


def test_an_old_store_of_another_schema_revision_is_refused_untouched(tmp_path):
    path = tmp_path / "older.db"
    _legacy_store(path, False)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_info SET value = '2'")
    with pytest.raises(MigrationError, match="schema revision 2, which cannot be migrated"):
        Store(path)
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "alembic_version" not in names and "schema_info" in names


def test_a_database_from_a_newer_newsprism_is_refused(db_url):
    Store(db_url).close()
    engine = _engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    with pytest.raises(MigrationError, match="revision 0999, which this version of Newsprism "
                                             "does not know"):
        Store(db_url)
    assert _revision(db_url) == "0999"


def test_a_read_only_database_behind_head_says_why_and_one_up_to_date_opens(databases):
    db = databases.create("ro")
    Store(db).close()
    _alembic(db, "downgrade", "0002")
    read_only = databases.read_only(db)
    with pytest.raises(MigrationError) as raised:
        Store(read_only)
    message = str(raised.value)
    assert "revision 0002" in message and f"needs {migrations.HEAD}" in message
    assert "cannot be written" in message and "newsprism db upgrade" in message
    assert _revision(db) == "0002"
    Store(db).close()  # with write access it upgrades
    store = Store(read_only)
    assert store.count() == 0 and store.search("anything") == []
    store.close()
    databases.drop(db)


@pytest.mark.e2e
def test_opening_an_up_to_date_store_only_reads_its_revision(db_url):
    """Every CLI command opens the store: when it is current, Alembic is not even loaded."""
    Store(db_url).close()
    probe = ("import sys; from newsprism.store import Store; s = Store(sys.argv[1]); "
             "print(s.count(), 'alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, db_url], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert out.split() == ["0", "False"]


@pytest.mark.e2e
def test_processes_opening_a_new_database_at_once_all_succeed(db_url):
    """The first open migrates; others wait for it (BEGIN IMMEDIATE on SQLite, an advisory
    lock on PostgreSQL) and then find the schema current."""
    probe = "import sys; from newsprism.store import Store; print(Store(sys.argv[1]).count())"
    procs = [subprocess.Popen([sys.executable, "-c", probe, db_url], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], [err for _out, err in results]
    assert [out.strip() for out, _err in results] == ["0", "0", "0"]
    assert _revision(db_url) == migrations.HEAD


FRAMED = ("The Kiev regime reportedly moved troops, officials said.\n"
          "Later the ministry said the Kiev regime had not replied.")


def test_framing_terms_stored_before_0015_get_the_offsets_the_stage_finds(db_url, clean):
    """0015 places the terms an older store kept without offsets where the framing stage
    finds them; a term no longer in the text keeps none, and the others are still placed."""
    doc = clean(FRAMED)
    assert len(doc.framing) >= 4 and all(t.start is not None for t in doc.framing)
    store = Store(db_url)
    store.add([doc])
    store.close()
    _alembic(db_url, "downgrade", "0013")
    engine = _engine(db_url)
    with engine.begin() as conn:  # a row of the old store whose words the text lacks
        conn.execute(text("INSERT INTO framing (document_id, position, term, category) "
                          "VALUES (:d, 99, 'orcs', 'loaded_pro_ukrainian')"), {"d": doc.id})
    engine.dispose()
    assert migrations.upgrade(database_url(db_url)) == ("0013", migrations.HEAD)
    store = Store(db_url)
    try:
        stored = store.get(doc.id)
    finally:
        store.close()
    assert stored.framing[:-1] == doc.framing
    assert (stored.framing[-1].term, stored.framing[-1].start) == ("orcs", None)


def test_cli_db_current_and_upgrade(db_url):
    def run(*args: str) -> str:
        return newsprism("db", *args, "--db", db_url, check=True).stdout

    Store(db_url).close()
    _alembic(db_url, "downgrade", "0001")
    assert f"revision 0001 (newest {migrations.HEAD}); behind" in run("current")
    assert f"upgraded from revision 0001 to {migrations.HEAD}" in run("upgrade")
    assert "up to date" in run("current")
    assert f"already at revision {migrations.HEAD}" in run("upgrade")
