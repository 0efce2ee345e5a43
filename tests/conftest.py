"""Shared fixtures: paths to the bundled demo corpus and to ../shared when it exists, and fresh
databases on every storage backend.

The storage and API tests take `db_url` (one fresh database per test) or `databases` (to make
their own) and so run once on SQLite and once on PostgreSQL. The PostgreSQL server is named by
NEWSPRISM_TEST_POSTGRES (scripts/with_postgres.sh, which `make test` uses, starts one and sets
it); without it those cases skip, unless NEWSPRISM_REQUIRE_POSTGRES=1, when they fail.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from newsprism.model import Document, content_id
from newsprism.pipeline import Pipeline
from newsprism.store import database_url

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "demo"

POSTGRES_ENV = "NEWSPRISM_TEST_POSTGRES"
REQUIRE_POSTGRES_ENV = "NEWSPRISM_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture
def clean(pipeline):
    """Run the pipeline on a string as if it were a scraped .txt file."""

    def run(text: str, kind: str = "text") -> Document:
        raw = text.encode("utf-8")
        result = pipeline.process(Document(id=content_id(raw), source="t.txt", raw=raw, kind=kind))
        assert isinstance(result, Document), result
        return result

    return run


# -- databases on each backend ----------------------------------------------------------------

class SqliteDatabases:
    """Fresh SQLite files in a temporary folder; given as plain paths, as people type them."""

    backend = "sqlite"

    def __init__(self, root: Path):
        self.root = root

    def create(self, label: str = "db") -> str:
        return str(self.root / f"{label}-{uuid.uuid4().hex[:8]}.db")

    def copy(self, db: str, label: str = "copy") -> str:
        target = self.create(label)
        with sqlite3.connect(db) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target

    def read_only(self, db: str) -> str:
        """The same file opened read-only (SQLite's own mode, which binds root too)."""
        return f"sqlite:///file:{Path(db).resolve()}?mode=ro&uri=true"

    def drop(self, db: str) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Fresh databases (CREATE DATABASE, a unique name) on the server of NEWSPRISM_TEST_POSTGRES;
    given as postgresql:// URLs, as people type them. Copies use the original as a template,
    which PostgreSQL allows only while nobody is connected to it."""

    backend = "postgresql"

    def __init__(self, server_url: str):
        self.server = make_url(server_url)
        self.admin = create_engine(database_url(server_url), poolclass=NullPool,
                                   isolation_level="AUTOCOMMIT")
        self.made: set[str] = set()

    def url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def _create(self, label: str, template: str | None = None) -> str:
        name = f"newsprism_test_{label}_{uuid.uuid4().hex[:10]}".lower()
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        with self.admin.connect() as conn:
            conn.execute(text(sql))
        self.made.add(name)
        return self.url(name)

    def create(self, label: str = "db") -> str:
        return self._create(label)

    def copy(self, db: str, label: str = "copy") -> str:
        return self._create(label, template=make_url(db).database)

    def read_only(self, db: str) -> str:
        """The same database through sessions that may not write."""
        return make_url(db).update_query_dict(
            {"options": "-c default_transaction_read_only=on"}
        ).render_as_string(hide_password=False)

    def drop(self, db: str) -> None:
        name = make_url(db).database
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.made.discard(name)

    def close(self) -> None:
        for name in sorted(self.made):
            self.drop(self.url(name))
        self.admin.dispose()


Databases = SqliteDatabases | PostgresDatabases


def postgres_server() -> str:
    """The test server's URL, or skip (fail when NEWSPRISM_REQUIRE_POSTGRES=1) saying why."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        reason = (f"{POSTGRES_ENV} is not set: run the tests under scripts/with_postgres.sh "
                  "(as `make test` does) to include PostgreSQL")
        if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
            pytest.fail(f"{REQUIRE_POSTGRES_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def databases(request, tmp_path_factory) -> Iterator[Databases]:
    """A maker of fresh databases on one backend; every test that takes it runs on each."""
    if request.param == "sqlite":
        made: Databases = SqliteDatabases(tmp_path_factory.mktemp("sqlite"))
    else:
        made = PostgresDatabases(postgres_server())
    yield made
    made.close()


@pytest.fixture
def db_url(databases) -> Iterator[str]:
    """A fresh, empty database for one test (a SQLite path or a postgresql:// URL)."""
    db = databases.create()
    yield db
    databases.drop(db)


@pytest.fixture
def backend(databases) -> str:
    return databases.backend
