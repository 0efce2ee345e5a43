"""Shared fixtures and helpers: paths to the bundled demo corpus and to ../shared, the demo
database (built once per session and backend), fresh databases on every storage backend, the
`newsprism` command in this process or as a real one, and a free port.

Two lanes (docs/architecture.md, "Tests"): most CLI, API and web behaviour runs in this process
(`newsprism` below is Typer's CliRunner, `app_client` FastAPI's TestClient); the tests marked
`e2e` keep real processes: `newsprism_process`, `newsprism serve` on a real port, kill -9 and
Ctrl-C, a pseudo-terminal, Chromium, and every PostgreSQL case (marked here, at collection).
`pytest -m "not e2e"` is the fast lane, `pytest -m e2e` the other; `make test` runs both.

The storage and API tests take `db_url` (one fresh database per test) or `databases` (to make
their own) and so run once on SQLite and once on PostgreSQL. The PostgreSQL server is named by
NEWSPRISM_TEST_POSTGRES (scripts/with_postgres.sh, which `make test` uses, starts one and sets
it); without it those cases skip, unless NEWSPRISM_REQUIRE_POSTGRES=1, when they fail.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

from newsprism.model import Document, content_id
from newsprism.pipeline import Pipeline
from newsprism.store import database_url

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "demo"
DEMO_CORPUS = DEMO / "corpus"
DEMO_DOCUMENTS = 28  # documents the demo corpus stores (demo/expected.json lists them)
NEWSPRISM = [sys.executable, "-m", "newsprism.cli"]
COLUMNS = 200  # terminal width the command's tables are drawn for in tests

POSTGRES_ENV = "NEWSPRISM_TEST_POSTGRES"
REQUIRE_POSTGRES_ENV = "NEWSPRISM_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


def pytest_collection_modifyitems(config, items) -> None:
    """Every PostgreSQL case belongs to the e2e lane (it needs a server); and, on a pytest-xdist
    worker of `--dist loadgroup`, each test of an `xdist_group` is named for its group."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("databases") == "postgresql":
            item.add_marker(pytest.mark.e2e)
    if getattr(config.option, "loadgroup", False):
        _name_xdist_groups(items)


def _name_xdist_groups(items) -> None:
    """`--dist loadgroup` sends the tests whose node id ends in `@GROUP` to one worker; the
    worker names them so by setting `item._nodeid` (pytest-xdist 3.8), which pytest 9.2 no
    longer reads (a node id is `item._id` now). Unnamed, a group's tests went to both
    workers and its module fixtures were built on each. Done here until xdist does it."""
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                         for m in item.iter_markers("xdist_group")})
        if groups and "@" not in item.nodeid.rpartition("]")[2]:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the command: in this process, or as a real process ----------------------------------------

def process_env(**extra: str) -> dict[str, str]:
    """The environment of a real `newsprism` process: ours (PYTHONPATH points at the tree under
    test), a wide terminal, and no token from the caller's shell."""
    env = {k: v for k, v in os.environ.items() if k != "NEWSPRISM_TOKEN"}
    return {**env, "COLUMNS": str(COLUMNS), **extra}


# Debian's Chromium, headless, for the browser tests (e2e); screenshots go to ARTIFACTS
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-first-run", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@contextlib.contextmanager
def serving(db: str | Path, *args: str, ready: str = "/") -> Iterator[str]:
    """A real `newsprism serve --db DB ARGS` on a free port, its base URL once `ready`
    answers 200 (the e2e lane's server for browsers and HTTP clients)."""
    import time

    import httpx

    port = free_port()
    proc = subprocess.Popen([*NEWSPRISM, "serve", "--db", str(db), "--port", str(port), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=process_env())
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read().decode(errors='replace')}")
            try:
                if httpx.get(base + ready, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server did not start within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def newsprism_process(*args: str, cwd: Path | None = None, check: bool = False,
                      timeout: float = 300) -> subprocess.CompletedProcess:
    """`newsprism ARGS` as a real process (the e2e lane)."""
    proc = subprocess.run([*NEWSPRISM, *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=process_env(), timeout=timeout)
    if check:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


@contextlib.contextmanager
def _working_directory(path: Path | None) -> Iterator[None]:
    before = Path.cwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def newsprism(*args: str, cwd: Path | None = None, check: bool = False,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`newsprism ARGS` in this process (Typer's CliRunner), answered like a real process:
    exit status, standard output and standard error apart. An exception the command did not
    handle is a traceback on standard error, as Python prints it, and exit status 1."""
    from typer.testing import CliRunner

    from newsprism import cli

    runner = CliRunner()
    widths = cli.out.width, cli.err.width
    cli.out.width = cli.err.width = COLUMNS
    try:
        with _working_directory(cwd):
            result = runner.invoke(cli.app, [str(a) for a in args],
                                   env={"COLUMNS": str(COLUMNS), **(env or {})})
    finally:
        cli.out.width, cli.err.width = widths
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    proc = subprocess.CompletedProcess(["newsprism", *args], result.exit_code, result.stdout,
                                       stderr)
    if check:
        assert proc.returncode == 0, proc.stderr + proc.stdout
    return proc


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


# -- a Dask cluster (e2e) ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def dask_available() -> None:
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")


@pytest.fixture(scope="session")
def dask_engine(dask_available):
    """One local Dask cluster of two workers, started by the engine as `--engine dask` starts
    it, for every test that runs on one: its workers start and load the pipeline once per
    session, not once per test. Those tests share a pytest worker (xdist_group
    "dask_cluster"); each gives its own pipeline with `running`."""
    from newsprism.engine import make_engine

    with make_engine("dask", workers=2) as engine:
        yield engine


@contextlib.contextmanager
def running(engine, pipeline: Pipeline) -> Iterator:
    """The shared engine with another pipeline for one test (each task ships its pipeline)."""
    before, engine.pipeline = engine.pipeline, pipeline
    try:
        yield engine
    finally:
        engine.pipeline = before


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


# -- the demo corpus and database ----------------------------------------------------------

@pytest.fixture(scope="session")
def demo_documents(pipeline) -> dict[str, Document]:
    """The demo corpus through the pipeline, once per session: its path under demo/corpus
    (`txt/01_...txt`, `jsonl/feed.jsonl#2`) -> the processed document, in reading order.
    Shared by every test that reads it: do not change them."""
    from newsprism.ingest import iter_inputs

    docs: dict[str, Document] = {}
    for item, _n in iter_inputs([DEMO_CORPUS]):
        assert isinstance(item, Document), item
        result = pipeline.process(item)
        assert isinstance(result, Document), result
        docs[Path(item.source).relative_to(DEMO_CORPUS).as_posix()] = result
    return docs


DEMO_LINK_REPORTS: dict[str, object] = {}  # demo database -> what linking it found


def build_demo(db: str) -> str:
    """The demo corpus run and linked into the empty database `db` (the link stage's report
    kept in DEMO_LINK_REPORTS)."""
    from newsprism import runner
    from newsprism.link.run import link
    from newsprism.read import open_store

    store = open_store(db)
    try:
        report = runner.run([DEMO_CORPUS], store)
        assert report.added == DEMO_DOCUMENTS and not report.failed, report
        DEMO_LINK_REPORTS[db] = link(store)
    finally:
        store.close()
    return db


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> str:
    """The demo corpus, run and linked once per session into a SQLite file. Read it; write to
    a copy (`databases.copy`, or `shutil.copy` of the file)."""
    return build_demo(str(tmp_path_factory.mktemp("demo") / "demo.db"))


@pytest.fixture(scope="session")
def demo_db(databases, demo_sqlite) -> str:
    """The demo database on each backend (on SQLite the file of `demo_sqlite`). Tests that
    write, or keep a store open, take a copy: on PostgreSQL a copy is CREATE DATABASE ...
    TEMPLATE, which needs nobody connected to the original."""
    if databases.backend == "sqlite":
        return demo_sqlite
    return build_demo(databases.create("demo"))


# -- the API and the dashboard in this process ----------------------------------------------

@contextlib.contextmanager
def app_client(db: str, token: str | None = None,
               token_for_reads: bool = False) -> Iterator[TestClient]:
    """`newsprism serve`'s application on `db`, in this process (FastAPI's TestClient: real
    requests and responses through the whole app, no socket). The store closes at the end."""
    from fastapi.testclient import TestClient

    from newsprism.api.app import create_app

    app = create_app(db, token, token_for_reads)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


@pytest.fixture
def page(browser):
    """A browser page that records what went wrong on it in `page.errors`: script errors,
    console errors, answers of 400 and over, dialogs (test_web.py keeps a laxer one)."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    # a console error is one (a CSP refusal among them); a failed load is told by its
    # response (a JSON page's browser asks for /favicon.ico, which is none of ours)
    pg.on("console", lambda msg: pg.errors.append("console: " + msg.text)
          if msg.type == "error" and not msg.text.startswith("Failed to load resource")
          else None)
    pg.on("response", lambda r: pg.errors.append(f"{r.status} {r.url}")
          if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    pg.on("dialog", lambda dialog: (pg.errors.append("dialog: " + dialog.message),
                                    dialog.dismiss()))
    yield pg
    context.close()


def shot(pg, name: str, full: bool = True) -> None:
    """A screenshot in tests/artifacts/, to look at after a run. Chromium sometimes cannot
    capture a whole long page on a loaded machine ("Unable to capture screenshot"): then the
    visible part is taken, since the picture is for a person to look at, not the assertion."""
    from playwright.sync_api import Error

    path = str(ARTIFACTS / f"{name}.png")
    try:
        pg.screenshot(path=path, full_page=full)
    except Error:
        if not full:
            raise
        pg.screenshot(path=path)
