"""Export rows and filters on a store of a few documents made here, with dates of every
precision, a place with no coordinates and cells a spreadsheet would run as formulas: cases
the demo corpus does not have. The store is a real database, on SQLite and on PostgreSQL (the
`databases` fixture of conftest.py), so that the date comparisons are checked on both; the
documents are written as the pipeline leaves them, so that each case is exact."""

from __future__ import annotations

import csv
import json

import geojson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.model import Document, Entity, Event, Statement, content_id
from newsprism.store import Store

KYIV = Entity("place", "Kyiv", ["Kyiv"], 50.45, 30.52, "UA", "settlement", "Kyiv City",
              "settlement")
SOMEWHERE = Entity("place", "Zelenyi Hai", ["Zelenyi Hai"])  # not in the gazetteer: no point


def doc(name: str, published: str | None, outlet: str, events: list[Event],
        statements: list[Statement] | None = None) -> Document:
    raw = f"{name} {published} {outlet}".encode()
    d = Document(id=content_id(raw), source=f"{name}.txt", raw=raw, kind="text",
                 published=published, outlet=outlet, url=f"https://news.example/{name}",
                 title=name, lines=[e.evidence for e in events] or ["Nothing happened."])
    d.entities = [KYIV, SOMEWHERE]
    d.events = events
    d.statements = statements or []
    return d


def event(date: str | None, precision: str | None, place: str = "Kyiv", evidence: str = "",
          modality: str = "asserted") -> Event:
    return Event("strike_or_damage", "Russia", place, date, None,
                 evidence or f"A strike on {place} was reported ({date}).", modality, precision)


@pytest.fixture(scope="module")
def db(databases) -> str:
    path = databases.create("dates")
    store = Store(path)
    store.add([
        doc("day", "2026-04-02", "North Post", [event("2026-03-20", "day")]),
        doc("month", "2026-04-10", "North Post", [event("2026-03", "month")]),
        doc("year", "2026-05-01", "South Gazette", [event("2026", "year")]),
        doc("undated", "2026-03-05", "South Gazette", [event(None, None)]),
        doc("later", "2026-04-20", "South Gazette", [event("2026-04-02", "day")]),
        doc("nowhere", "2026-03-07", "North Post",
            [event("2026-03-06", "day", place="Zelenyi Hai"),
             event("2026-03-06", "day", evidence="-5 degrees did not stop the shelling.",
                   modality="denied")],
            [Statement("=HYPERLINK(\"http://bad.example\")", "@everyone stay inside",
                       "direct", "said", "person"),
             Statement(None, "Roads are closed.", "reported", "according to", "described",
                       "local officials")]),
    ])
    store.close()
    return path


def rows(db: str, *args: str) -> list[dict]:
    result = CliRunner().invoke(app, ["export", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def dates(db: str, *args: str) -> list[str | None]:
    return [r["event_date"] for r in rows(db, "--kind", "events", *args)]


def test_events_newest_first_undated_ones_by_their_article(db):
    found = rows(db, "--kind", "events")
    assert [(r["event_date"], r["date_precision"]) for r in found] == [
        ("2026-04-02", "day"), ("2026-03-20", "day"), ("2026-03-06", "day"),
        ("2026-03-06", "day"), ("2026-03-05", "published"), ("2026-03", "month"),
        ("2026", "year")]
    assert {r["url"] for r in found} >= {"https://news.example/day"}


def test_a_month_or_a_year_counts_where_it_overlaps_the_range(db):
    assert dates(db, "--date-from", "2026-03-10", "--date-to", "2026-03-12") == [
        "2026-03", "2026"]
    assert dates(db, "--date-from", "2026-03-21") == ["2026-04-02", "2026-03", "2026"]
    assert dates(db, "--date-to", "2026-03-05") == ["2026-03-05", "2026-03", "2026"]
    assert dates(db, "--date-from", "2026-04-01", "--date-to", "2026-04-30") == [
        "2026-04-02", "2026"]
    assert dates(db, "--date-from", "2027-01-01") == []


def test_outlet_and_date_together(db):
    assert dates(db, "--outlet", "South Gazette", "--date-from", "2026-03-01",
                 "--date-to", "2026-03-31") == ["2026-03-05", "2026"]


def test_statements_by_their_article_date(db):
    found = rows(db, "--kind", "statements", "--date-from", "2026-03-07", "--date-to",
                 "2026-03-07")
    assert [r["text"] for r in found] == ["@everyone stay inside", "Roads are closed."]
    assert rows(db, "--kind", "statements", "--date-to", "2026-03-06") == []
    unnamed = rows(db, "--kind", "statements", "--source-type", "described")
    assert [(r["speaker"], r["source_description"]) for r in unnamed] == [
        (None, "local officials")]


def test_unlocated_events_stay_in_csv_and_leave_geojson(db, tmp_path):
    out = tmp_path / "e.geojson"
    result = CliRunner().invoke(app, ["export", "--db", db, "--kind", "events", "--format",
                                      "geojson", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Wrote 6 events to {out} (1 without coordinates left out)"]
    collection = geojson.loads(out.read_text(encoding="utf-8"))
    assert collection.is_valid
    assert {tuple(f["geometry"]["coordinates"]) for f in collection["features"]} == {
        (30.52, 50.45)}
    unlocated = [r for r in rows(db, "--kind", "events") if r["place"] == "Zelenyi Hai"]
    assert len(unlocated) == 1
    assert all(r["latitude"] is None and r["geo_precision"] is None for r in unlocated)


def test_formulas_are_inert_in_csv_and_kept_in_parquet(db, tmp_path):
    for kind in ("statements", "events"):
        runner = CliRunner()
        for fmt in ("csv", "parquet"):
            result = runner.invoke(app, ["export", "--db", db, "--kind", kind, "--format", fmt,
                                         "--out", str(tmp_path / f"{kind}.{fmt}")])
            assert result.exit_code == 0, result.output
    with (tmp_path / "statements.csv").open(encoding="utf-8", newline="") as fh:
        said = list(csv.DictReader(fh))
    assert said[0]["speaker"] == "'=HYPERLINK(\"http://bad.example\")"
    assert said[0]["text"] == "'@everyone stay inside"
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as fh:
        assert any(r["evidence"] == "'-5 degrees did not stop the shelling." for r in
                   csv.DictReader(fh))
    table = pq.read_table(tmp_path / "statements.parquet").to_pylist()
    assert table[0]["speaker"] == "=HYPERLINK(\"http://bad.example\")"
    events = pq.read_table(tmp_path / "events.parquet").to_pylist()
    assert {e["modality"] for e in events} == {"asserted", "denied"}


def test_modality_keeps_the_claims_apart_from_what_is_denied(db):
    every = rows(db, "--kind", "events")
    claims = rows(db, "--kind", "events", "--modality", "asserted,planned")
    denied = rows(db, "--kind", "events", "--modality", "denied")
    assert [r["evidence"] for r in denied] == ["-5 degrees did not stop the shelling."]
    assert len(claims) + len(denied) == len(every) == 7
    assert {r["modality"] for r in claims} == {"asserted"}
