"""Every mistake a user can make on the command line gets one line saying what is wrong and a
non-zero exit, never a traceback, and a read command never leaves a database behind; the API
answers a bad filter with 422 and a sentence. In-process (Typer's runner) on real SQLite
files; the API through a real server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from newsprism.api.app import create_app
from newsprism.cli import app
from newsprism.model import Document, Event, content_id
from newsprism.read import known_event_types
from newsprism.store import Store


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def one_line(result, code: int = 2) -> str:
    """The single error line of a failed command (nothing on standard output, no traceback)."""
    assert result.exit_code == code, (result.exit_code, result.output)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    return lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A small real database: one document with one event."""
    path = str(tmp_path_factory.mktemp("errors") / "small.db")
    raw = b"A drone strike hit a depot near Kyiv on Tuesday, officials said."
    doc = Document(id=content_id(raw), source="a.txt", raw=raw, kind="text",
                   published="2026-02-03", outlet="North Post", lines=[raw.decode()])
    doc.events = [Event("strike_or_damage", "Russia", "Kyiv", "2026-02-03", None,
                        raw.decode(), "asserted", "day")]
    store = Store(path)
    store.add([doc])
    store.close()
    return path


READ_COMMANDS = [
    ["stats"], ["show", "abcd"], ["search", "drone"], ["entities"], ["statements"],
    ["events"], ["stories"], ["story", "abcd"], ["claims"], ["outlets"], ["link"],
    ["serve", "--port", "1"], ["report"], ["export"], ["export", "--kind", "events"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_a_read_command_on_a_missing_database_says_so_and_creates_nothing(command, tmp_path):
    missing = tmp_path / "nope.db"
    line = one_line(invoke(*command, "--db", str(missing)))
    assert line == f"error: no database at {missing} (run `newsprism run` first)"
    assert list(tmp_path.iterdir()) == []


def test_the_default_database_is_not_created_either(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSPRISM_DB", raising=False)
    result = invoke("show", "abcd")
    assert one_line(result) == "error: no database at newsprism.db (run `newsprism run` first)"
    assert not list(tmp_path.rglob("newsprism.db"))


def test_a_read_only_uri_to_a_missing_file(tmp_path):
    missing = tmp_path / "gone.db"
    line = one_line(invoke("stats", "--db", f"sqlite:///file:{missing}?mode=ro&uri=true"))
    assert line == f"error: no database at {missing} (run `newsprism run` first)"


@pytest.mark.parametrize("command, name", [
    (["export", "--out", "/nonexistent/x.jsonl"], "/nonexistent/x.jsonl"),
    (["export", "--kind", "events", "--format", "parquet", "--out", "/nonexistent/x.parquet"],
     "/nonexistent/x.parquet"),
    (["report", "--out", "/nonexistent/r.html"], "/nonexistent/r.html"),
])
def test_an_unwritable_out_file_is_one_line(db, command, name):
    line = one_line(invoke(*command, "--db", db))
    assert line == f"error: cannot write {name}: no folder /nonexistent"


def test_out_naming_a_folder(db, tmp_path):
    line = one_line(invoke("export", "--db", db, "--out", str(tmp_path)))
    assert line == f"error: cannot write {tmp_path}: it is a folder"


TYPES = ", ".join(known_event_types())


@pytest.mark.parametrize("command, expected", [
    (["entities", "--type", "people"],
     "error: invalid --type 'people'; choose from person, organization, place"),
    (["events", "--type", "strike"], f"error: invalid --type 'strike'; choose from {TYPES}"),
    (["statements", "--source-type", "anonymous"],
     "error: invalid --source-type 'anonymous'; choose from person, body, country, described, "
     "unattributed"),
    (["export", "--kind", "claims"],
     "error: invalid --kind 'claims'; choose from documents, events, statements, reviews"),
    (["export", "--format", "xlsx"],
     "error: invalid --format 'xlsx'; choose from jsonl, csv, geojson, parquet"),
    (["export", "--kind", "statements", "--format", "geojson"],
     "error: --format geojson is for events only; for statements choose from jsonl, csv, "
     "parquet"),
    (["export", "--kind", "events", "--type", "strike"],
     f"error: invalid --type 'strike'; choose from {TYPES}"),
    (["export", "--kind", "statements", "--place", "Kyiv"],
     "error: --place is not a filter of statements (it has --speaker, --source-type, "
     "--date-from, --date-to and --outlet)"),
    (["events", "--modality", "asserted,rumoured"],
     "error: invalid --modality 'rumoured'; choose from asserted, planned, denied, "
     "hypothetical, demanded, threatened"),
    (["export", "--kind", "statements", "--modality", "asserted"],
     "error: --modality is not a filter of statements (it has --speaker, --source-type, "
     "--date-from, --date-to and --outlet)"),
    (["events", "--date-from", "garbage"],
     "error: invalid --date-from 'garbage': give a date as YYYY-MM-DD"),
    (["export", "--date-to", "2026-02-30"],
     "error: invalid --date-to '2026-02-30': give a date as YYYY-MM-DD"),
    (["statements", "--date-from", "2026-03-01", "--date-to", "2026-02-01"],
     "error: --date-from 2026-03-01 is after --date-to 2026-02-01"),
])
def test_an_invalid_option_value_lists_the_valid_ones(db, command, expected):
    assert one_line(invoke(*command, "--db", db)) == expected


def test_valid_values_still_work(db):
    result = invoke("events", "--type", "strike_or_damage", "--db", db, "--json")
    assert result.exit_code == 0, result.output
    assert '"place": "Kyiv"' in result.stdout
    result = invoke("events", "--type", "advance", "--db", db)  # known, but none stored
    assert result.exit_code == 0 and "Nothing found." in result.stdout
    result = invoke("entities", "--type", "person", "--db", db)
    assert result.exit_code == 0, result.output


def test_run_on_an_empty_folder_says_there_were_no_input_files(tmp_path):
    (tmp_path / "inbox").mkdir()
    db = tmp_path / "n.db"
    line = one_line(invoke("run", str(tmp_path / "inbox"), "--db", str(db)), code=1)
    assert line.startswith(f"error: no input files in {tmp_path / 'inbox'} (")
    assert not db.exists()


def test_run_on_a_missing_path_names_it_and_creates_nothing(tmp_path):
    db = tmp_path / "n.db"
    line = one_line(invoke("run", str(tmp_path / "inbox"), "--db", str(db)), code=1)
    assert line == f"error: {tmp_path / 'inbox'}: no such file or folder"
    assert not db.exists()


def test_a_run_where_everything_failed_suggests_no_search(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    result = invoke("run", str(tmp_path), "--db", str(tmp_path / "n.db"), "--workers", "1")
    assert result.exit_code == 1
    assert "empty.txt: empty file" in result.stderr
    assert "newsprism search" not in result.output
    assert "Nothing was stored from these inputs" in result.stdout


def test_a_run_that_stored_something_suggests_the_next_commands(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Ferry service resumes on the lake\nThe lake ferry carried its first passengers of "
        "the spring on Saturday after the ice had gone, the operator said.\n",
        encoding="utf-8")
    result = invoke("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "n.db"),
                    "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "newsprism search" in result.stdout


# -- the API --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def api(db) -> Iterator[httpx.Client]:
    """The real app served over HTTP on 127.0.0.1, in a thread of this process."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if client.get("/api/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.05)
    yield client
    client.close()
    server.should_exit = True
    thread.join(10)


@pytest.mark.parametrize("path", ["/api/events", "/api/events.geojson", "/api/events.csv",
                                  "/api/statements", "/api/statements.parquet"])
def test_api_refuses_a_bad_date_with_a_sentence(api, path):
    response = api.get(path, params={"date_from": "garbage"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "date_from must be a date as YYYY-MM-DD (got 'garbage')"}
    response = api.get(path, params={"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert response.status_code == 422
    assert response.json()["detail"] == "date_from (2026-03-01) is after date_to (2026-02-01)"


def test_api_refuses_an_unknown_event_type_listing_the_known(api):
    response = api.get("/api/events", params={"type": "strike"})
    assert response.status_code == 422
    assert response.json()["detail"] == f"unknown event type 'strike'; choose from {TYPES}"


def test_api_refuses_an_unknown_modality(api):
    response = api.get("/api/events.csv", params={"modality": "asserted,rumoured"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "unknown modality 'rumoured'; choose from asserted, planned, denied, hypothetical, "
        "demanded, threatened")


def test_api_date_and_outlet_filters_apply(api):
    def total(**params: str) -> int:
        response = api.get("/api/events", params=params)
        assert response.status_code == 200, response.text
        return response.json()["total"]

    assert total() == 1
    assert total(date_from="2026-02-03", date_to="2026-02-03") == 1
    assert total(date_from="2026-02-04") == 0
    assert total(outlet="North Post") == 1 and total(outlet="South Gazette") == 0
    assert total(modality="asserted,planned") == 1 and total(modality="threatened") == 0
    csv_text = api.get("/api/events.csv", params={"outlet": "North Post"}).text
    assert csv_text.splitlines()[0].startswith("event_id,event_date,date_precision")
    assert len(csv_text.splitlines()) == 2
