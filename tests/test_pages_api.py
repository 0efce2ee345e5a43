"""What issue 15 left for the API and the CLI, on both backends: `sort` on /api/statements and
/api/events and on the `statements` and `events` listings (the read layer's one sort,
read/pages.py, as the pages use it); confidence on events and near-duplicate pairs (stored by
the pipeline and the link stage, filtered with `min_confidence`, exported); the reviews export
(`newsprism export --kind reviews`, /api/reviews.csv).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import app_client, newsprism

from newsprism.read import pages as views

pytestmark = pytest.mark.xdist_group("pages_api")


@pytest.fixture(scope="module")
def api(demo_db):
    with app_client(demo_db) as client:
        yield client


def _values(rows: list[dict], column: str) -> list:
    return [r[column] for r in rows]


def _sorted_with_empty_last(values: list, descending: bool) -> bool:
    present = [v for v in values if v is not None]
    return (present == sorted(present, reverse=descending)
            and values[len(present):] == [None] * (len(values) - len(present)))


# -- sort -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, key, column", [
    ("/api/statements", "speaker", "speaker"), ("/api/statements", "outlet", "outlet"),
    ("/api/events", "place", "place"), ("/api/events", "actor", "actor"),
    ("/api/events", "claimed_by", "claimed_by")])
def test_api_sorts_by_an_allowed_column_either_way(api, path, key, column):
    up = api.get(f"{path}?sort={key}&limit=500").json()
    down = api.get(f"{path}?sort=-{key}&limit=500").json()
    assert up["sort"] == key and down["sort"] == f"-{key}"
    assert up["total"] == down["total"] == len(up["items"])
    ups, downs = _values(up["items"], column), _values(down["items"], column)
    assert len({v for v in ups if v is not None}) > 1
    assert _sorted_with_empty_last(ups, False) and _sorted_with_empty_last(downs, True)
    # the same rows as the page's .json twin, in the same order
    page = api.get(f"{path.removeprefix('/api')}.json?sort={key}&page_size=200").json()
    assert [(r["document_id"], r["position"]) for r in page["rows"]] == [
        (r["document_id"], r["position"]) for r in up["items"][:200]]


def test_api_default_order_is_newest_first_and_unchanged(api):
    found = api.get("/api/events?limit=500").json()
    assert found["sort"] == "-date"
    assert found["items"] == api.get("/api/events?limit=500&sort=-date").json()["items"]
    days = [r["date"] or r["published"] for r in found["items"]]
    present = [d for d in days if d]
    assert present == sorted(present, reverse=True)


def test_api_sort_pages_do_not_overlap(api):
    first = api.get("/api/statements?sort=speaker&limit=10&page=1").json()["items"]
    second = api.get("/api/statements?sort=speaker&limit=10&page=2").json()["items"]
    keys = {(r["document_id"], r["position"]) for r in first}
    assert len(first) == len(second) == 10
    assert not keys & {(r["document_id"], r["position"]) for r in second}


@pytest.mark.parametrize("path, kind", [("/api/statements", "statements"),
                                        ("/api/events", "events")])
@pytest.mark.parametrize("bad", ["text", "-", "place;drop", "--date"])
def test_api_unknown_sort_is_a_422_naming_the_columns(api, path, kind, bad):
    r = api.get(path, params={"sort": bad})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert f"'sort' must be one of {', '.join(views.SORTS[kind][0])}" in detail
    assert "\n" not in detail


@pytest.mark.parametrize("command, key, column", [
    ("statements", "-speaker", "speaker"), ("events", "place", "place"),
    ("events", "-outlet", "outlet")])
def test_cli_listings_sort(demo_db, command, key, column):
    proc = newsprism(command, "--db", demo_db, "--sort", key, "--limit", "500", "--json",
                     check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    # an unnamed source is shown by its description, in brackets: those are the empty ones
    values = [None if v is None or v.startswith("(") else v for v in _values(rows, column)]
    assert len({v for v in values if v is not None}) > 1
    assert _sorted_with_empty_last(values, key.startswith("-"))


@pytest.mark.parametrize("command", ["statements", "events"])
def test_cli_unknown_sort_is_one_line_and_exit_2(demo_db, command):
    proc = newsprism(command, "--db", demo_db, "--sort", "nope")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: invalid --sort: 'sort' must be one of date, ")
    assert "'nope'" in lines[0]


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- confidence -----------------------------------------------------------------------------------

def _event_confidences(db: str) -> dict[tuple[str, int], float | None]:
    from sqlalchemy import select

    from newsprism.read import open_store
    from newsprism.store.schema import events

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            return {(d, p): c for d, p, c in conn.execute(
                select(events.c.document_id, events.c.position, events.c.confidence))}
    finally:
        store.close()


def _pair_confidences(db: str) -> dict[tuple[str, str], float | None]:
    from sqlalchemy import select

    from newsprism.read import open_store
    from newsprism.store.schema import near_duplicates

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            return {(d, o): c for d, o, c in conn.execute(
                select(near_duplicates.c.document_id, near_duplicates.c.other_id,
                       near_duplicates.c.confidence))}
    finally:
        store.close()


def test_every_event_has_a_confidence_that_follows_its_evidence(api):
    from newsprism.confidence import event_row_confidence

    rows = api.get("/api/events?limit=500").json()["items"]
    assert len(rows) > 100
    for r in rows:
        assert 0 <= r["confidence"] <= 1
    full = [r for r in api.get("/events.json?page_size=200&sort=-confidence").json()["rows"]]
    carried = [r for r in full if (r["claim_outlets"] or 1) > 1]
    assert carried, "the demo has claims carried by several outlets"
    for r in full:  # the link stage counted the claim's independent outlets
        assert r["confidence"] == event_row_confidence(r, r["claim_outlets"] or 1), r
    # corroboration raises it: the same event alone would score less
    assert all(event_row_confidence(r, 1) < r["confidence"] for r in carried
               if r["confidence"] < 1)
    # how the sentence tells it weighs: no denial outscores the best asserted event
    denied = [r for r in rows if r["modality"] == "denied"]
    asserted = [r for r in rows if r["modality"] == "asserted"]
    if denied:
        assert max(r["confidence"] for r in denied) < max(r["confidence"] for r in asserted)


def test_min_confidence_narrows_everywhere_alike(api, demo_db, tmp_path):
    import pandas as pd

    everything = api.get("/api/events?limit=500").json()["total"]
    kept = api.get("/api/events?min_confidence=0.6&limit=500").json()
    assert 0 < kept["total"] < everything
    assert min(r["confidence"] for r in kept["items"]) >= 0.6
    page = api.get("/events.json?min_confidence=0.6&page_size=200").json()
    assert page["total"] == kept["total"]
    out = tmp_path / "events.csv"
    newsprism("export", "--kind", "events", "--format", "csv", "--min-confidence", "0.6",
              "--out", str(out), "--db", demo_db, check=True)
    frame = pd.read_csv(out)
    assert len(frame) == kept["total"] and frame["confidence"].min() >= 0.6
    assert frame["confidence"].dtype.kind == "f"
    listed = newsprism("events", "--db", demo_db, "--min-confidence", "0.6", "--limit", "500",
                       "--json", check=True).stdout.splitlines()
    assert len(listed) == kept["total"]


def test_confidence_is_exported_in_every_event_format(api, demo_db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    newsprism("export", "--kind", "events", "--format", "parquet", "--out", str(out),
              "--db", demo_db, check=True)
    table = pq.read_table(out)
    assert str(table.schema.field("confidence").type) == "double"
    values = table.column("confidence").to_pylist()
    assert values and all(v is not None and 0 <= v <= 1 for v in values)
    geo = json.loads(newsprism("export", "--kind", "events", "--format", "geojson",
                               "--db", demo_db, check=True).stdout)
    assert all(0 <= f["properties"]["confidence"] <= 1 for f in geo["features"])
    record = json.loads(newsprism("export", "--db", demo_db, check=True).stdout.splitlines()[0])
    assert all("confidence" in e for e in record["events"] + record["unasserted_events"])


@pytest.mark.parametrize("value", ["2", "-0.1", "high", "nan"])
def test_bad_min_confidence_is_refused_saying_why(api, demo_db, value):
    proc = newsprism("events", "--db", demo_db, "--min-confidence", value)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (f"error: invalid --min-confidence '{value}': give a number "
                                   "from 0 to 1")
    assert api.get("/api/events", params={"min_confidence": value}).status_code == 422
    page = api.get("/events", params={"min_confidence": value})
    assert page.status_code == 400 and "must be a number from 0 to 1" in page.text


def test_near_duplicate_pairs_have_one_confidence_both_ways(api, demo_db):
    pairs = _pair_confidences(demo_db)
    assert pairs
    for (doc, other), value in pairs.items():
        assert value is not None and 0 <= value <= 1
        assert pairs[(other, doc)] == value
    doc, other = max(pairs, key=pairs.get)
    shown = api.get(f"/api/documents/{doc}").json()["near_duplicates"]
    assert {d["id"]: d["confidence"] for d in shown}[other] == pairs[(doc, other)]
    page = api.get(f"/documents/{doc}").text
    assert f'confidence in this pairing: {pairs[(doc, other)]:.2f}' in page


def test_confidence_survives_a_full_relink_and_an_upgrade(databases, demo_db):
    from alembic import command

    from newsprism.store import database_url, migrations

    events_before, pairs_before = _event_confidences(demo_db), _pair_confidences(demo_db)
    copy = databases.copy(demo_db, "confidence")
    try:
        newsprism("link", "--full", "--db", copy, check=True)
        assert _event_confidences(copy) == events_before
        assert _pair_confidences(copy) == pairs_before
        # a database made before 0016 gets the values the pipeline and link stage give
        config = migrations.alembic_config(url=database_url(copy))
        command.downgrade(config, "0013")
        command.upgrade(config, "head")
        assert _event_confidences(copy) == events_before
        assert _pair_confidences(copy) == pairs_before
    finally:
        databases.drop(copy)
