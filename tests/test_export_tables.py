"""`newsprism export --kind events|statements` and the document Parquet, on the demo corpus (and
the real seed articles of ../shared/seeds, when present) run into a real SQLite file: what an
analyst loads (pandas, pyarrow, a GeoJSON library) matches what the store holds, and each
filter narrows the rows to what it says."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import geojson
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.export import neutralise_cell
from newsprism.export.tables import EVENT_COLUMNS, STATEMENT_COLUMNS

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def cli(*args: str) -> str:
    """Run one command in this process; its standard output, after checking it worked."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


_built: dict[str, str] = {}


def built(name: str, corpus: Path, tmp_path_factory) -> str:
    """The corpus run into a database, once per test session."""
    if name not in _built:
        if not corpus.exists():
            pytest.skip(f"{corpus} not present")
        path = str(tmp_path_factory.mktemp("export") / f"{name}.db")
        cli("run", str(corpus), "--db", path, "--workers", "1")
        _built[name] = path
    return _built[name]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return built("demo", DEMO, tmp_path_factory)


@pytest.fixture(scope="module", params=["demo", "seeds"])
def any_db(request, tmp_path_factory) -> str:
    """The demo corpus, then the five real scraped seed articles."""
    return built(request.param, {"demo": DEMO, "seeds": SEEDS}[request.param],
                 tmp_path_factory)


def connect(db: str) -> sqlite3.Connection:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return conn


@pytest.fixture(scope="module")
def sql(db):
    conn = connect(db)
    yield conn
    conn.close()


def export(db: str, out: Path, *args: str) -> Path:
    cli("export", "--db", db, "--out", str(out), *args)
    return out


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def jsonl_rows(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def as_csv_cell(value: object) -> str:
    """What the CSV writer makes of a value: '' for null, formulas quoted."""
    return "" if value is None else str(neutralise_cell(value))


def test_event_rows_are_the_stored_events_with_their_places(db, sql, tmp_path):
    rows = jsonl_rows(cli("export", "--db", db, "--kind", "events", "--format", "jsonl"))
    stored = sql.execute(
        "SELECT e.*, d.outlet, d.published, d.url FROM events e "
        "JOIN documents d ON d.id = e.document_id").fetchall()
    assert len(rows) == len(stored) > 100
    assert [c.name for c in EVENT_COLUMNS] == list(rows[0])
    by_id = {f"{r['document_id']}-{r['position']}": r for r in stored}
    assert {r["event_id"] for r in rows} == set(by_id)  # one row per event, ids unique
    for row in rows:
        event = by_id[row["event_id"]]
        assert (row["event_type"], row["modality"], row["actor1"], row["actor2"],
                row["place"], row["claimed_by"], row["evidence"], row["outlet"]) == (
            event["type"], event["modality"], event["actor"], event["actor2"],
            event["place"], event["claimed_by"], event["evidence"], event["outlet"])
        if event["date"]:
            assert (row["event_date"], row["date_precision"]) == (event["date"],
                                                                 event["date_precision"])
        else:  # dated by the article, and saying so (undated with an undated article)
            assert (row["event_date"], row["date_precision"]) == (
                event["published"], "published" if event["published"] else None)
    # the place's region, country and precision come from the document's place entity
    vovchansk = [r for r in rows if r["place"] == "Vovchansk"]
    assert vovchansk and {(r["admin1"], r["country"], r["geo_precision"])
                          for r in vovchansk} == {("Kharkiv Oblast", "UA", "settlement")}
    assert {r["modality"] for r in rows} >= {"asserted", "threatened", "denied"}
    assert any(r["actor2"] for r in rows)  # the party acted on is filled where the text names it


def test_event_rows_name_their_claim_and_story(db, sql):
    rows = jsonl_rows(cli("export", "--db", db, "--kind", "events"))
    members = {f"{r['document_id']}-{r['position']}": (r["claim_id"], r["outlet_count"])
               for r in sql.execute("SELECT m.*, c.outlet_count FROM claim_members m "
                                    "JOIN claims c ON c.id = m.claim_id")}
    assert members
    for row in rows:
        assert (row["claim_id"], row["claim_outlets"]) == members.get(row["event_id"],
                                                                      (None, None))
    stories = dict(sql.execute("SELECT id, story FROM documents").fetchall())
    assert all(row["story"] == stories[row["document_id"]] for row in rows)
    # a claim carried by several outlets is one claim id on rows from each of them
    shared = [r for r in rows if (r["claim_outlets"] or 0) >= 3]
    assert shared
    claim = shared[0]["claim_id"]
    assert len({r["outlet"] for r in rows if r["claim_id"] == claim}) >= 3
    assert all(r["modality"] in ("asserted", "planned") for r in rows if r["claim_id"])


def test_geojson_is_valid_and_its_points_are_the_stored_places(any_db, tmp_path):
    path = export(any_db, tmp_path / "events.geojson", "--kind", "events", "--format",
                  "geojson")
    collection = geojson.loads(path.read_text(encoding="utf-8"))
    assert isinstance(collection, geojson.FeatureCollection) and collection.is_valid, \
        collection.errors()
    with connect(any_db) as sql:
        places = {(r["document_id"], r["name"]): (r["lon"], r["lat"]) for r in sql.execute(
            "SELECT document_id, name, lon, lat FROM entities WHERE type = 'place' "
            "AND lat IS NOT NULL")}
        located = sql.execute("SELECT count(*) FROM events WHERE lat IS NOT NULL").fetchone()[0]
    features = collection["features"]
    assert len(features) == located > 0
    for feature in features:
        assert feature["geometry"]["type"] == "Point"
        props = feature["properties"]
        assert feature["id"] == props["event_id"]
        assert "latitude" not in props and "longitude" not in props
        assert tuple(feature["geometry"]["coordinates"]) == places[(props["document_id"],
                                                                    props["place"])]
    if any_db.endswith("demo.db"):  # [longitude, latitude]: Kharkiv is at 36.2 E, 50.0 N
        lon, lat = next(f["geometry"]["coordinates"] for f in features
                        if f["properties"]["place"] == "Kharkiv")
        assert 35 < lon < 37.5 and 49 < lat < 51


def test_geojson_leaves_out_events_without_coordinates_and_says_how_many(db, sql, tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", db, "--kind", "events", "--format",
                                      "geojson", "--out", str(tmp_path / "e.geojson")])
    unlocated = sql.execute("SELECT count(*) FROM events WHERE lat IS NULL").fetchone()[0]
    assert unlocated > 0
    assert f"({unlocated} without coordinates left out)" in result.stderr


@pytest.mark.parametrize("kind, columns", [("events", EVENT_COLUMNS),
                                           ("statements", STATEMENT_COLUMNS)])
def test_parquet_reads_back_as_the_csv(any_db, tmp_path, kind, columns):
    table = pq.read_table(export(any_db, tmp_path / f"{kind}.parquet", "--kind", kind,
                                 "--format", "parquet"))
    assert table.column_names == [c.name for c in columns]
    rows = csv_rows(export(any_db, tmp_path / f"{kind}.csv", "--kind", kind, "--format", "csv"))
    with connect(any_db) as sql:
        stored = sql.execute(f"SELECT count(*) FROM {kind}").fetchone()[0]
    assert len(rows) == table.num_rows == stored > 0
    assert [{k: as_csv_cell(v) for k, v in r.items()} for r in table.to_pylist()] == rows
    if kind == "events":
        assert str(table.schema.field("latitude").type) == "double"
        frame = pd.read_csv(tmp_path / "events.csv")
        assert len(frame) == table.num_rows and frame["event_id"].is_unique
        assert frame["latitude"].dtype == "float64" and frame["latitude"].notna().any()
        assert frame["latitude"].dropna().between(-90, 90).all()
        assert frame["longitude"].dropna().between(-180, 180).all()


def test_document_parquet_matches_the_jsonl_export(db, tmp_path):
    table = pq.read_table(export(db, tmp_path / "d.parquet", "--format", "parquet"))
    records = jsonl_rows(cli("export", "--db", db))
    assert table.num_rows == len(records) == 28
    for row, record in zip(table.to_pylist(), records, strict=True):
        assert row["id"] == record["id"] and row["text"] == record["text"]
        assert json.loads(row["events"]) == record["events"]


def test_parquet_to_a_pipe(db):
    result = CliRunner().invoke(app, ["export", "--db", db, "--kind", "statements",
                                      "--format", "parquet"])
    assert result.exit_code == 0, result.output
    assert pq.read_table(io.BytesIO(result.stdout_bytes)).num_rows > 100


def events(db: str, *filters: str) -> list[dict]:
    return jsonl_rows(cli("export", "--db", db, "--kind", "events", *filters))


def test_event_filters_narrow_the_rows(db):
    every = events(db)
    kharkiv = events(db, "--place", "Kharkov")  # the Russian spelling finds Kharkiv
    assert kharkiv and {r["place"] for r in kharkiv} == {"Kharkiv"}
    assert len(kharkiv) == sum(r["place"] == "Kharkiv" for r in every)
    typed = events(db, "--type", "territorial_control")
    assert 0 < len(typed) < len(every) and {r["event_type"] for r in typed} == {
        "territorial_control"}
    outlet = every[0]["outlet"]
    assert {r["outlet"] for r in events(db, "--outlet", outlet)} == {outlet}
    assert len(events(db, "--outlet", outlet)) == sum(r["outlet"] == outlet for r in every)
    both = events(db, "--place", "Kharkiv", "--outlet", outlet)
    assert len(both) == sum(r["place"] == "Kharkiv" and r["outlet"] == outlet for r in every)
    assert events(db, "--outlet", "No Such Outlet") == []


def test_date_range_narrows_events_by_their_date(db):
    every = events(db)
    march = events(db, "--date-from", "2026-03-01", "--date-to", "2026-03-31")
    assert 0 < len(march) < len(every)
    expected = [r for r in every if r["event_date"] and (
        "2026-03-01" <= r["event_date"] <= "2026-03-31" or r["event_date"] == "2026")]
    assert march == expected  # the order of the listing, too
    # an event dated by its year only overlaps any range within that year
    year = [r for r in every if r["date_precision"] == "year"]
    assert year, "the demo has an event dated by its year only"
    june = events(db, "--date-from", "2025-06-10", "--date-to", "2025-06-11")
    assert {r["event_id"] for r in year if r["event_date"] == "2025"} <= {
        r["event_id"] for r in june}


def test_statement_filters_narrow_the_rows(db):
    every = jsonl_rows(cli("export", "--db", db, "--kind", "statements"))
    assert [c.name for c in STATEMENT_COLUMNS] == list(every[0])
    unnamed = jsonl_rows(cli("export", "--db", db, "--kind", "statements", "--source-type",
                             "described"))
    assert unnamed and all(r["speaker"] is None and r["source_description"] for r in unnamed)
    speaker = next(r["speaker"] for r in every if r["speaker"])
    said = jsonl_rows(cli("export", "--db", db, "--kind", "statements", "--speaker", speaker))
    assert said and len(said) < len(every) and all(speaker in r["speaker"] for r in said)
    late = jsonl_rows(cli("export", "--db", db, "--kind", "statements", "--date-from",
                          "2026-01-01"))
    assert late == [r for r in every if r["date"] and r["date"] >= "2026-01-01"]
    assert 0 < len(late) < len(every)


def test_document_filters_narrow_the_documents(db):
    every = jsonl_rows(cli("export", "--db", db))
    outlet = every[-1]["outlet"]
    only = jsonl_rows(cli("export", "--db", db, "--outlet", outlet))
    assert only == [r for r in every if r["outlet"] == outlet]
    kharkiv = jsonl_rows(cli("export", "--db", db, "--place", "Харків"))
    assert 0 < len(kharkiv) < len(every)
    assert all(any(e["type"] == "place" and e["name"] == "Kharkiv" for e in r["entities"])
               or any(e["place"] == "Kharkiv" for e in r["events"] + r["unasserted_events"])
               for r in kharkiv)


def test_csv_neutralises_formulas_and_keeps_text(db, tmp_path):
    rows = csv_rows(export(db, tmp_path / "s.csv", "--kind", "statements", "--format", "csv"))
    raw = jsonl_rows(cli("export", "--db", db, "--kind", "statements"))
    for row, record in zip(rows, raw, strict=True):
        assert row["text"] == as_csv_cell(record["text"])
        assert not row["text"].startswith(("=", "+", "-", "@"))
