"""The analyst's pages (issue 15) through the whole application in this process (FastAPI's
TestClient) on a copy of the demo database plus one hostile article: entity, statement, claim
and contradiction pages; sortable listings and their .json/.csv twins; outlet and date filters;
attention over time; the review action, stored apart from the machine output and kept through
a re-run and a full re-link. The browser tests are in test_pages_browser.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from conftest import DEMO_CORPUS, app_client, newsprism
from markupsafe import escape

from newsprism.read import open_store
from newsprism.read import pages as views
from newsprism.read import reviews as rv
from newsprism.store import StatementFilter

TOKEN = "pages-test-token"
PWN = "window.__pwned=1"
HOSTILE = (
    f"Shelling in Kherson <script>{PWN}</script> overnight\n"
    "Published: March 7, 2026\n"
    f"Russian forces shelled Kherson overnight <img src=x onerror=\"{PWN}\"> and damaged a "
    "school, the regional governor said on Saturday.\n"
    f"\"We are staying <b>here</b> {PWN}\", governor Taras Vakulenko told reporters.\n"
    "Officials in Kherson said two people were wounded.\n"
)
RAW = ("<script>window", "<img src=x", "<b>here</b>")

pytestmark = pytest.mark.xdist_group("pages")


@pytest.fixture(scope="module")
def db(databases, demo_db, tmp_path_factory) -> str:
    """A copy of the demo database (on each backend) with one hostile article added by
    `newsprism run`."""
    corpus = tmp_path_factory.mktemp("hostile_pages")
    (corpus / "kherson_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = databases.copy(demo_db, "pages")
    newsprism("run", str(corpus), "--db", path, check=True)
    yield path
    databases.drop(path)


@pytest.fixture(scope="module")
def web(db):
    with app_client(db) as client:
        yield client


@pytest.fixture
def writable(databases, demo_db):
    """A fresh copy of the demo database served with a token (reviews write)."""
    path = databases.copy(demo_db, "review")
    try:
        with app_client(path, token=TOKEN) as client:
            yield client, path
    finally:
        databases.drop(path)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


LISTINGS = ["/statements", "/events", "/claims", "/contradictions", "/entities"]


# -- listings, twins, sort --------------------------------------------------------------------

@pytest.mark.parametrize("path", LISTINGS)
def test_listing_and_its_json_and_csv_twins_agree(web, path):
    page = web.get(path)
    assert page.status_code == 200 and "content-security-policy" in page.headers
    assert f'href="{path}.json"' in page.text and f'href="{path}.csv"' in page.text
    data = web.get(path + ".json").json()
    assert data["total"] > 0 and data["rows"], path
    rows = _csv(web.get(path + ".csv").text)
    assert len(rows) == len(data["rows"])
    assert list(rows[0]) == data["columns"]
    # the page shows what the JSON holds, in its order
    shown = re.search(r"(\d+) \w+ · page|(\d+) \w+</p>", page.text)
    assert shown and int(shown.group(1) or shown.group(2)) == data["total"]


@pytest.mark.parametrize("path, key, column", [
    ("/statements", "speaker", "speaker"), ("/events", "place", "place"),
    ("/claims", "outlets", "outlet_count"), ("/entities", "name", "name"),
    ("/contradictions", "place", "place")])
def test_sort_by_one_allowed_column_either_way(web, path, key, column):
    up = [r[column] for r in web.get(f"{path}.json?sort={key}&page_size=200").json()["rows"]]
    down = [r[column] for r in web.get(f"{path}.json?sort=-{key}&page_size=200").json()["rows"]]
    present = [v for v in up if v is not None]
    assert present == sorted(present) and len(set(present)) > 1
    assert [v for v in down if v is not None] == sorted(present, reverse=True)
    for values in (up, down):  # empty values last, whichever way
        assert values[len(present):] == [None] * (len(values) - len(present))
    # the header links toggle the sort and keep the filters
    page = web.get(f"{path}?sort={key}").text
    assert f'sort=-{key}' in page and 'aria-sort="ascending"' in page


@pytest.mark.parametrize("path", LISTINGS)
def test_unknown_sort_is_a_400_naming_the_columns(web, path):
    r = web.get(f"{path}?sort=text;drop")
    assert r.status_code == 400
    allowed = views.SORTS[path.strip("/")][0]
    assert f"'sort' must be one of {', '.join(allowed)}" in html.unescape(r.text)
    assert web.get(f"{path}.json?sort=nope").status_code == 400
    assert web.get(f"{path}.xml").status_code == 400


# -- filters ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path, date_column", [("/statements", "published"),
                                                ("/events", "date")])
def test_outlet_and_date_filters_narrow_the_listing(web, path, date_column):
    everything = web.get(f"{path}.json?page_size=200").json()
    outlet = next(r["outlet"] for r in everything["rows"] if r["outlet"])
    narrowed = web.get(f"{path}.json", params={"outlet": outlet, "page_size": 200}).json()
    assert 0 < narrowed["total"] < everything["total"]
    assert {r["outlet"] for r in narrowed["rows"]} == {outlet}
    ranged = web.get(f"{path}.json", params={"date_from": "2026-01-01",
                                             "date_to": "2026-01-31", "page_size": 200}).json()
    assert 0 < ranged["total"] < everything["total"]
    for r in ranged["rows"]:
        day = r[date_column] or r["published"]
        assert "2026-01" <= day[:7] <= "2026-01", r
    page = web.get(path, params={"outlet": outlet}).text
    assert f'<option value="{html.escape(outlet)}" selected>' in page


@pytest.mark.parametrize("query, reason", [
    ("date_from=2026-02-30", "'date_from' is not a date in the calendar"),
    ("date_from=2026-03-01&date_to=2026-02-01", "is after 'date_to'"),
    ("date_to=yesterday", "'date_to' must be a date as YYYY-MM-DD"),
    ("page_size=5000", "'page_size' must be a whole number from 1 to 200")])
def test_bad_filters_are_a_400_saying_why(web, query, reason):
    for path in ("/statements", "/events", "/claims", "/timeline", "/map"):
        if "page_size" in query and path in ("/timeline", "/map"):
            continue
        r = web.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query)
        assert reason in html.unescape(r.text), (path, r.text[-400:])


def test_timeline_and_map_take_outlet_and_dates(web):
    everything = web.get("/timeline").text
    narrowed = web.get("/timeline?outlet=Eastern+Wire&date_from=2026-01-01").text
    count = lambda page: int(re.search(r"(\d+) events?\. Filled", page).group(1))  # noqa: E731
    assert 0 < count(narrowed) < count(everything)
    assert 'href="/events.json?outlet=Eastern+Wire&amp;date_from=2026-01-01"' in narrowed
    data = _map_data(web.get("/map?date_to=2026-01-31").text)
    days = [d for p in data["places"] for d in p["days"]]
    assert days and max(days) <= "2026-01-31"
    assert all(len(p["days"]) <= p["count"] for p in data["places"])


def _map_data(page: str) -> dict:
    return json.loads(page.split('id="map-data">', 1)[1].split("</script>", 1)[0])


def test_map_places_carry_the_days_of_their_events(web):
    data = _map_data(web.get("/map").text)
    assert data["places"]
    for p in data["places"]:
        assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in p["days"])
        assert p["days"] == sorted(p["days"])
    assert sum(len(p["days"]) for p in data["places"]) > 0.9 * sum(
        p["count"] for p in data["places"])


# -- the record's pages ---------------------------------------------------------------------

def test_entity_page_in_any_spelling(web):
    r = web.get("/entities/place/Kharkov", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/entities/place/Kharkiv"
    page = web.get("/entities/place/Kharkiv").text
    data = web.get("/entities/place/Kharkiv.json").json()
    assert data["documents"] >= 5 and "Kharkov" in data["spellings"]
    assert sum(d["documents"] for d in data["per_day"]) <= data["documents"]
    # the mentions chart: one column per day with documents, its tip the count
    assert page.count('<rect class="col"') == len(data["per_day"])
    first = data["per_day"][0]
    assert f"{first['day']}: {first['documents']} document" in page
    for o in data["outlets"]:
        assert html.escape(o["outlet"]) in page
    assert data["events"]["total"] > 0 and data["statements"]["total"] > 0
    assert all(e["place"] == "Kharkiv" for e in data["events"]["rows"])
    any_type = web.get("/entities/any/Kharkov", follow_redirects=False)
    assert any_type.headers["location"] == "/entities/place/Kharkiv"
    assert web.get("/entities/person/Nobody%20Atall").status_code == 404
    assert web.get("/entities/people/Kharkiv").status_code == 404


def test_person_page_lists_what_they_said(web):
    rows = web.get("/entities.json?type=person&page_size=200").json()["rows"]
    name = next(r["name"] for r in rows if web.get(
        "/statements.json", params={"speaker": r["name"]}).json()["total"] > 1)
    data = web.get(f"/entities/person/{name}.json").json()
    assert data["statements"]["total"] > 1
    assert {s["speaker"] for s in data["statements"]["rows"]} == {name}


def test_document_and_story_names_link_to_entity_pages(web, db):
    store = open_store(db)
    try:
        listing = views.statement_listing(store, StatementFilter(source_type="person"),
                                          views.Sort.parse("statements", None))
        doc_id = listing.rows[0]["document_id"]
        story = next(s for s in store.stories() if s["outlets"] >= 2)["story"]
    finally:
        store.close()
    doc = web.get(f"/documents/{doc_id}").text
    assert 'class="chip ent-place" href="/entities/place/' in doc
    assert 'class="entity" href="/entities/any/' in doc
    assert f'href="/statements/{doc_id}/0"' in doc
    story_page = web.get(f"/stories/{story}").text
    assert 'href="/entities/place/' in story_page and 'href="/claims/' in story_page
    for link in re.findall(r'href="(/entities/[^"]+)"', doc)[:8]:
        assert web.get(html.unescape(link)).status_code == 200, link


def test_statement_claim_and_contradiction_pages(web):
    s = web.get("/statements.json").json()["rows"][0]
    page = web.get(f"/statements/{s['document_id']}/{s['position']}")
    assert page.status_code == 200 and str(escape(s["text"])) in page.text
    assert "read-only" in page.text and 'action="/reviews"' not in page.text  # no token
    api = web.get(f"/api/statements/{s['document_id']}/{s['position']}").json()
    assert api["text"] == s["text"] and api["review"] is None
    assert web.get(f"/statements/{s['document_id']}/9999").status_code == 404
    assert web.get("/statements/nothex/x").status_code == 404

    conflict = web.get("/contradictions.json").json()["rows"][0]
    page = web.get(f"/contradictions/{conflict['id']}").text
    assert str(escape(conflict["description"])) in page
    for claim_id in (conflict["claim_a"], conflict["claim_b"]):
        assert f'href="/claims/{claim_id}"' in page
        claim = web.get(f"/api/claims/{claim_id}").json()
        assert claim["members"] and claim["contradictions"][0]["id"] == conflict["id"]
        claim_page = web.get(f"/claims/{claim_id}").text
        for m in claim["members"]:
            assert str(escape(m["evidence"])) in claim_page
        assert f'href="/contradictions/{conflict["id"]}"' in claim_page
    sides = web.get(f"/api/contradictions/{conflict['id']}").json()["sides"]
    assert len(sides) >= 2 and all(s["members"] for s in sides[:2])
    if conflict["claim_a"] == conflict["claim_b"]:  # outlets of one claim disagree
        assert sides[0]["label"] in conflict["description"]
    assert web.get("/contradictions/999999").status_code == 404
    assert web.get("/claims/nope").status_code == 404
    assert web.get("/api/contradictions/999999").status_code == 404


# -- attention ----------------------------------------------------------------------------------

def test_attention_counts_documents_per_outlet_per_day(web, db):
    data = web.get("/attention.json?q=drones&q2=Kharkiv").json()["queries"]
    assert [q["query"] for q in data] == ["drones", "Kharkiv"]
    store = open_store(db)
    try:
        for q in data:
            ids = [h.id for h in store.search(q["query"], 5000)]
            docs = [store.get(i) for i in ids]
            dated = [d for d in docs if d.published]
            assert q["total"] == len(dated) > 0
            by_outlet = {s["outlet"]: sum(s["documents"]) for s in q["series"]}
            for d in dated:
                assert (d.outlet or "(unknown outlet)") in by_outlet
            assert sum(by_outlet.values()) == len(dated)
            assert len(q["days"]) == len(q["series"][0]["documents"])
    finally:
        store.close()
    page = web.get("/attention?q=drones&q2=Kharkiv").text
    assert page.count('<figure class="attention">') == 2
    assert page.count('class="series total"') == 2
    rows = _csv(web.get("/attention.csv?q=drones").text)
    assert sum(int(r["documents"]) for r in rows) == data[0]["total"]
    api = web.get("/api/attention", params=[("q", "drones"), ("q", "Kharkiv")]).json()
    assert api["queries"] == data
    one_outlet = web.get("/attention.json?q=Kharkiv&outlet=Daily+Flare").json()["queries"][0]
    assert [s["outlet"] for s in one_outlet["series"]] == ["Daily Flare"]


# -- reviews ------------------------------------------------------------------------------------

def _first(client, kind: str) -> tuple[str, str]:
    row = client.get(f"/{kind}.json").json()["rows"][0]
    return row["document_id"], str(row["position"])


def test_review_needs_the_token(web, writable):
    client, _path = writable
    doc, item = _first(client, "statements")
    form = {"kind": "statement", "document_id": doc, "item": item, "verdict": "wrong"}
    assert web.post("/reviews", data=form).status_code == 400  # a read-only server
    assert client.post("/reviews", data=form).status_code == 403
    assert client.post("/reviews", data={**form, "token": "guess"}).status_code == 403
    assert client.get("/reviews.json").json()["reviews"] == []
    assert client.post("/api/reviews", json={**form, "item": item}).status_code == 401
    assert client.post("/api/reviews", json=form,
                       headers={"Authorization": "Bearer nope"}).status_code == 403


def test_review_is_stored_shown_and_escaped(writable):
    client, _path = writable
    doc, item = _first(client, "statements")
    note = "speaker is <b>wrong</b>"
    r = client.post("/reviews", data={
        "kind": "statement", "document_id": doc, "item": item, "verdict": "wrong",
        "note": note, "token": TOKEN, "next": f"/documents/{doc}"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/documents/{doc}"
    assert "httponly" in r.headers["set-cookie"].lower()
    # the cookie stands for the token from now on
    e_doc, e_item = _first(client, "events")
    r = client.post("/reviews", data={"kind": "event", "document_id": e_doc, "item": e_item,
                                      "verdict": "right"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/reviews"
    page = client.get(f"/documents/{doc}").text
    assert "verdict-wrong" in page and "&lt;b&gt;wrong&lt;/b&gt;" in page and note not in page
    assert 'name="token"' not in page  # the cookie is there
    listing = client.get("/statements.json").json()["rows"]
    assert next(r["review"] for r in listing
                if (r["document_id"], str(r["position"])) == (doc, item)) == "wrong"
    events = client.get("/events.json").json()["rows"]
    assert next(r["review"] for r in events
                if (r["document_id"], str(r["position"])) == (e_doc, e_item)) == "right"
    reviews = client.get("/reviews.json").json()["reviews"]
    assert {(r["kind"], r["verdict"]) for r in reviews} == {("statement", "wrong"),
                                                             ("event", "right")}
    assert _csv(client.get("/reviews.csv").text)[0]["verdict"] in ("wrong", "right")
    # a second verdict on the same extraction replaces the first
    api = client.post("/api/reviews", json={"kind": "statement", "document_id": doc,
                                            "item": item, "verdict": "right"},
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert api.status_code == 201 and api.json()["verdict"] == "right"
    assert len(client.get("/api/reviews").json()["items"]) == 2


@pytest.mark.parametrize("form, reason", [
    ({"kind": "entity", "item": "0", "verdict": "wrong"}, "kind must be one of"),
    ({"kind": "statement", "item": "0", "verdict": "maybe"}, "verdict must be one of"),
    ({"kind": "statement", "item": "9999", "verdict": "wrong"}, "no statement 9999"),
    ({"kind": "near_duplicate", "item": "ffffffffffffffff", "verdict": "wrong"},
     "no near-duplicate")])
def test_review_of_nothing_is_a_400(writable, form, reason):
    client, _path = writable
    doc, _item = _first(client, "statements")
    r = client.post("/reviews", data={**form, "document_id": doc, "token": TOKEN})
    assert r.status_code == 400 and reason in html.unescape(r.text)


def test_review_goes_back_only_to_this_site(writable):
    client, _path = writable
    doc, item = _first(client, "statements")
    for target in ("//evil.example/x", "https://evil.example/", "\\\\evil", "javascript:x"):
        r = client.post("/reviews", data={"kind": "statement", "document_id": doc,
                                          "item": item, "verdict": "right", "token": TOKEN,
                                          "next": target}, follow_redirects=False)
        assert r.headers["location"] == "/reviews", target


def test_reviews_survive_a_rerun_and_a_full_relink(writable):
    client, path = writable
    doc, item = _first(client, "statements")
    store = open_store(path)
    try:
        pair = next((d.id, n["id"]) for d in store.iter_documents() for n in
                    d.to_export()["near_duplicates"])
        rv.add_review(store, "statement", doc, item, "wrong", "not a statement")
        rv.add_review(store, "near_duplicate", pair[0], pair[1], "right")
    finally:
        store.close()
    newsprism("run", str(DEMO_CORPUS), "--db", path, check=True)
    newsprism("link", "--full", "--db", path, check=True)
    store = open_store(path)
    try:
        found = rv.reviews_for(store, "statement", [(doc, item)])[(doc, item)]
        assert found.verdict == "wrong" and found.note == "not a statement"
        assert not found.changed
        pairs = rv.reviews_for(store, "near_duplicate", [pair])
        assert pairs[pair].verdict == "right" and not pairs[pair].changed
    finally:
        store.close()
    page = client.get(f"/documents/{pair[0]}").text
    assert "✓ right" in page


# -- hostile text ---------------------------------------------------------------------------

def test_hostile_text_is_escaped_on_every_new_page(web, db):
    store = open_store(db)
    try:
        hostile = [r for r in views.statement_listing(
            store, StatementFilter(), views.Sort.parse("statements", None), 1, 200).rows
            if "<" in r["text"] or "<" in (r["title"] or "")]
    finally:
        store.close()
    assert hostile, "the hostile article gave no statement to show"
    s = hostile[0]
    pages = [f"/statements/{s['document_id']}/{s['position']}", "/statements?outlet=",
             "/statements?page_size=200", "/events?place=Kherson", "/entities/place/Kherson",
             "/claims?place=Kherson", "/attention?q=Kherson", "/search.csv?q=Kherson",
             f"/documents/{s['document_id']}"]
    for path in pages:
        r = web.get(path)
        assert r.status_code == 200, path
        if path.startswith("/search.csv"):
            assert r.headers["content-type"].startswith("text/csv")
            continue
        for raw in RAW:
            assert raw not in r.text, (path, raw)
    assert str(escape(s["text"])) in web.get(pages[0]).text


def test_attention_per_week_counts_the_same_documents(web):
    daily = web.get("/attention.json?q=Kharkiv").json()["queries"][0]
    weekly = web.get("/attention.json?q=Kharkiv&interval=week").json()["queries"][0]
    assert weekly["interval"] == "week" and weekly["total"] == daily["total"]
    assert len(weekly["days"]) < len(daily["days"])
    assert all(date.fromisoformat(d).weekday() == 0 for d in weekly["days"])
    assert sum(map(sum, (s["documents"] for s in weekly["series"]))) == weekly["total"]
    assert web.get("/attention?q=Kharkiv&interval=month").status_code == 400


def test_exports_carry_the_reviews(writable, tmp_path):
    import pyarrow.parquet as pq

    client, path = writable
    e_doc, e_item = _first(client, "events")
    s_doc, s_item = _first(client, "statements")
    store = open_store(path)
    try:
        rv.add_review(store, "event", e_doc, e_item, "wrong", "no such strike")
        rv.add_review(store, "statement", s_doc, s_item, "right")
    finally:
        store.close()
    out = tmp_path / "events.parquet"
    newsprism("export", "--kind", "events", "--format", "parquet", "--out", str(out),
              "--db", path, check=True)
    rows = pq.read_table(out).to_pylist()
    reviewed = [r for r in rows if r["review"]]
    assert [(r["event_id"], r["review"], r["review_note"]) for r in reviewed] == [
        (f"{e_doc}-{e_item}", "wrong", "no such strike")]
    assert len(rows) > 100
    statements = _csv(client.get("/api/statements.csv").text)
    assert [(r["statement_id"], r["review"]) for r in statements if r["review"]] == [
        (f"{s_doc}-{s_item}", "right")]
