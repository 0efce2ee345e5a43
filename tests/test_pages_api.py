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
def served(databases, demo_db):
    """A copy of the demo database and the application on it. The tests read the copy (the
    CLI in this process keeps its connections): on PostgreSQL copying a database needs nobody
    connected to it, and some tests below copy the demo database."""
    path = databases.copy(demo_db, "pages_api")
    try:
        with app_client(path) as client:
            yield client, path
    finally:
        databases.drop(path)


@pytest.fixture(scope="module")
def api(served):
    return served[0]


@pytest.fixture(scope="module")
def db(served):
    return served[1]


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
def test_cli_listings_sort(db, command, key, column):
    proc = newsprism(command, "--db", db, "--sort", key, "--limit", "500", "--json",
                     check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    # an unnamed source is shown by its description, in brackets: those are the empty ones
    values = [None if v is None or v.startswith("(") else v for v in _values(rows, column)]
    assert len({v for v in values if v is not None}) > 1
    assert _sorted_with_empty_last(values, key.startswith("-"))


@pytest.mark.parametrize("command", ["statements", "events"])
def test_cli_unknown_sort_is_one_line_and_exit_2(db, command):
    proc = newsprism(command, "--db", db, "--sort", "nope")
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


def test_min_confidence_narrows_everywhere_alike(api, db, tmp_path):
    import pandas as pd

    everything = api.get("/api/events?limit=500").json()["total"]
    kept = api.get("/api/events?min_confidence=0.6&limit=500").json()
    assert 0 < kept["total"] < everything
    assert min(r["confidence"] for r in kept["items"]) >= 0.6
    page = api.get("/events.json?min_confidence=0.6&page_size=200").json()
    assert page["total"] == kept["total"]
    out = tmp_path / "events.csv"
    newsprism("export", "--kind", "events", "--format", "csv", "--min-confidence", "0.6",
              "--out", str(out), "--db", db, check=True)
    frame = pd.read_csv(out)
    assert len(frame) == kept["total"] and frame["confidence"].min() >= 0.6
    assert frame["confidence"].dtype.kind == "f"
    listed = newsprism("events", "--db", db, "--min-confidence", "0.6", "--limit", "500",
                       "--json", check=True).stdout.splitlines()
    assert len(listed) == kept["total"]


def test_confidence_is_exported_in_every_event_format(api, db, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "events.parquet"
    newsprism("export", "--kind", "events", "--format", "parquet", "--out", str(out),
              "--db", db, check=True)
    table = pq.read_table(out)
    assert str(table.schema.field("confidence").type) == "double"
    values = table.column("confidence").to_pylist()
    assert values and all(v is not None and 0 <= v <= 1 for v in values)
    geo = json.loads(newsprism("export", "--kind", "events", "--format", "geojson",
                               "--db", db, check=True).stdout)
    assert all(0 <= f["properties"]["confidence"] <= 1 for f in geo["features"])
    record = json.loads(newsprism("export", "--db", db, check=True).stdout.splitlines()[0])
    assert all("confidence" in e for e in record["events"] + record["unasserted_events"])


@pytest.mark.parametrize("value", ["2", "-0.1", "high", "nan"])
def test_bad_min_confidence_is_refused_saying_why(api, db, value):
    proc = newsprism("events", "--db", db, "--min-confidence", value)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == (f"error: invalid --min-confidence '{value}': give a number "
                                   "from 0 to 1")
    assert api.get("/api/events", params={"min_confidence": value}).status_code == 422
    page = api.get("/events", params={"min_confidence": value})
    assert page.status_code == 400 and "must be a number from 0 to 1" in page.text


def test_near_duplicate_pairs_have_one_confidence_both_ways(api, db):
    pairs = _pair_confidences(db)
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


# -- the reviews export ------------------------------------------------------------------------

TOKEN = "pages-api-token"


@pytest.fixture
def reviewed(databases, demo_db):
    """A copy of the demo database with three reviews posted through the API: a statement
    (right), an event (wrong, with a note a spreadsheet would run), a near-duplicate pair."""
    path = databases.copy(demo_db, "reviews_export")
    try:
        with app_client(path, token=TOKEN) as client:
            event = client.get("/api/events?sort=place&limit=1").json()["items"][0]
            statement = client.get("/api/statements?sort=speaker&limit=1").json()["items"][0]
            doc, other = sorted(_pair_confidences(path))[0]
            auth = {"Authorization": f"Bearer {TOKEN}"}
            for body in (
                    {"kind": "statement", "document_id": statement["document_id"],
                     "item": str(statement["position"]), "verdict": "right"},
                    {"kind": "event", "document_id": event["document_id"],
                     "item": str(event["position"]), "verdict": "wrong",
                     "note": "=HYPERLINK(\"x\") not a withdrawal"},
                    {"kind": "near_duplicate", "document_id": other, "item": doc,
                     "verdict": "right", "note": "same talks"}):
                assert client.post("/api/reviews", json=body, headers=auth).status_code == 201
            yield client, path, {"statement": statement, "event": event, "pair": (doc, other)}
    finally:
        databases.drop(path)


def test_reviews_export_says_what_each_review_refers_to(reviewed, tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    client, path, found = reviewed
    out = tmp_path / "reviews.csv"
    proc = newsprism("export", "--kind", "reviews", "--format", "csv", "--out", str(out),
                     "--db", path, check=True)
    assert "Wrote 3 reviews" in proc.stderr
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame["kind"].sort_values()) == ["event", "near_duplicate", "statement"]
    rows = {r["kind"]: r for r in frame.to_dict("records")}
    statement, event = found["statement"], found["event"]
    assert rows["statement"]["refers_to"] == f"{statement['document_id']}-{statement['position']}"
    assert rows["statement"]["speaker"] == statement["speaker"]
    assert rows["statement"]["reviewed_text"] == statement["text"]
    assert rows["event"]["refers_to"] == f"{event['document_id']}-{event['position']}"
    assert (rows["event"]["verdict"], rows["event"]["event_type"], rows["event"]["event_place"]
            ) == ("wrong", event["type"], event["place"])
    assert float(rows["event"]["confidence"]) == event["confidence"]
    assert rows["event"]["note"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    doc, other = found["pair"]
    assert rows["near_duplicate"]["refers_to"] == f"{doc}~{other}"
    assert rows["near_duplicate"]["other_document_id"] == other
    assert {r["changed"] for r in rows.values()} == {"False"}
    # the event's id is the one the event export gives it
    events = _csv(client.get("/api/events.csv").text)
    assert rows["event"]["refers_to"] in {e["event_id"] for e in events}
    # the API's twin and the JSON Lines and Parquet exports hold the same rows
    api_rows = _csv(client.get("/api/reviews.csv").text)
    assert [r["review_id"] for r in api_rows] == list(frame["review_id"])
    lines = newsprism("export", "--kind", "reviews", "--db", path, check=True).stdout
    assert [json.loads(x)["review_id"] for x in lines.splitlines()] == list(frame["review_id"])
    pq_out = tmp_path / "reviews.parquet"
    newsprism("export", "--kind", "reviews", "--format", "parquet", "--out", str(pq_out),
              "--db", path, check=True)
    table = pq.read_table(pq_out)
    assert str(table.schema.field("changed").type) == "bool"
    assert sorted(table.column("review_id").to_pylist()) == sorted(frame["review_id"])


def test_reviews_export_marks_what_changed_since_and_filters(reviewed):
    from sqlalchemy import update

    from newsprism.read import open_store
    from newsprism.store.schema import statements

    client, path, found = reviewed
    statement = found["statement"]
    store = open_store(path)  # as a re-extraction that reads the sentence otherwise would
    try:
        with store.engine.begin() as conn:
            conn.execute(update(statements).where(
                statements.c.document_id == statement["document_id"],
                statements.c.position == statement["position"]).values(text="reworded"))
    finally:
        store.close()
    rows = {r["kind"]: r for r in (json.loads(x) for x in newsprism(
        "export", "--kind", "reviews", "--db", path, check=True).stdout.splitlines())}
    assert rows["statement"]["changed"] is True
    assert (rows["statement"]["reviewed_text"], rows["statement"]["current_text"]) == (
        statement["text"], "reworded")
    assert rows["event"]["changed"] is False
    outlet = statement["outlet"]
    mine = _csv(client.get("/api/reviews.csv", params={"outlet": outlet}).text)
    assert mine and {r["outlet"] for r in mine} == {outlet}
    none = newsprism("export", "--kind", "reviews", "--format", "csv", "--outlet", "No Such",
                     "--db", path, check=True).stdout
    assert none.splitlines() == [none.splitlines()[0]] and none.startswith("review_id,kind,")


@pytest.mark.parametrize("args, message", [
    (("--format", "geojson"), "error: --format geojson is for events only; for reviews "
                              "choose from jsonl, csv, parquet"),
    (("--place", "Kyiv"), "error: --place is not a filter of reviews (it has --date-from, "
                          "--date-to and --outlet)"),
    (("--date-from", "2025-02-30"), "error: invalid --date-from '2025-02-30': give a date as "
                                    "YYYY-MM-DD")])
def test_reviews_export_refuses_what_it_cannot_do_in_one_line(db, args, message):
    proc = newsprism("export", "--kind", "reviews", *args, "--db", db)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.strip() == message
