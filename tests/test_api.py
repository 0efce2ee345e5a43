"""The JSON API: `newsprism serve`'s application on a real database built from the demo corpus,
every test on SQLite and on PostgreSQL (the `databases` fixture in conftest.py).

Requests go through the whole application in this process (FastAPI's TestClient, `app_client`
in conftest.py); the tests marked e2e start `newsprism serve` as a real process on a real
port and talk to it with httpx over 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from conftest import (
    DEMO_DOCUMENTS,
    NEWSPRISM,
    SqliteDatabases,
    app_client,
    free_port,
    process_env,
)
from pydantic import TypeAdapter

from newsprism.api.models import StoryDetail
from newsprism.model import SCHEMA_VERSION, content_id

TOKEN = "test-token-42-secret"
HEX = set("0123456789abcdef")


class Server:
    """`newsprism serve` as a real process on a free port (the e2e lane)."""

    def __init__(self, db: str, token: str | None = None, host: str = "127.0.0.1",
                 workers: int = 1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [*NEWSPRISM, "serve", "--db", str(db), "--host", host, "--port", str(self.port),
                "--workers", str(workers)]
        if token:
            args += ["--token", token]
        self.proc = subprocess.Popen(args, env=process_env(COLUMNS="400"),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.client = httpx.Client(base_url=self.base, timeout=60)
        self.said: list[str] = []  # what `serve` printed before answering
        headers = {}
        if host != "127.0.0.1":  # every request needs the token: the given or printed one
            while not any("Serving" in line for line in self.said):
                line = self.proc.stderr.readline().decode()
                if not line:
                    break
                self.said.append(line)
            printed = [line.rsplit(": ", 1)[1].strip() for line in self.said
                       if line.startswith("Token")]
            self.token = token or (printed[0] if printed else "")
            headers = {"Authorization": f"Bearer {self.token}"}
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.proc.stderr.read().decode()}")
            try:
                if self.client.get("/api/health", headers=headers).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("server did not answer /api/health within 60 s")
            time.sleep(0.2)

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stderr:
            self.proc.stderr.close()


@pytest.fixture(scope="session")
def api(databases, demo_db) -> Iterator[httpx.Client]:
    """The read-only application (no token), on its own copy of the demo database."""
    db = databases.copy(demo_db, "read")
    with app_client(db) as client:
        yield client
    databases.drop(db)


@pytest.fixture(scope="module")
def write_api(databases, demo_db) -> Iterator[httpx.Client]:
    """The application given a token, on its own copy of the database."""
    db = databases.copy(demo_db, "write")
    with app_client(db, token=TOKEN) as client:
        yield client
    databases.drop(db)


def ok(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/")
    return response.json()


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


# -- exposure: /docs and non-loopback addresses --------------------------------------------------

def test_docs_are_served_locally_with_a_csp(api):
    r = api.get("/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert "http:" not in r.text and "https:" not in r.text and "//" not in r.text
    assert "<script>" not in r.text  # no inline script: the CSP forbids it
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert len(refs) >= 3
    for ref in refs:
        assert ref.startswith("/"), ref
        assert api.get(ref).status_code == 200, ref
    assert "openapi" in api.get("/openapi.json").json()
    assert api.get("/redoc").status_code == 404  # FastAPI's would load from a CDN


@pytest.mark.e2e
@pytest.mark.parametrize("given", [None, "chosen-token-77"])
def test_serving_off_loopback_warns_and_needs_a_token(demo_sqlite, tmp_path, given):
    """On SQLite only: the warning and the token are the server's, whatever the storage."""
    databases = SqliteDatabases(tmp_path)
    db = databases.copy(demo_sqlite, "wide")
    server = Server(db, token=given, host="0.0.0.0")
    try:
        said = "".join(server.said)
        assert "warning: 0.0.0.0 is not a loopback address" in said
        assert server.token and (given is None or server.token == given)
        if given is None:
            assert f"Token (made up for this run; pass --token to choose one): {server.token}" \
                in said
        bare = httpx.Client(base_url=server.base, timeout=60)
        for path in ("/api/health", "/", "/docs", "/api/documents"):
            assert bare.get(path).status_code == 401, path
            assert bare.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert "token" in bare.get("/api/health").json()["detail"]
        ok(server.client.get("/api/health",
                             headers={"Authorization": f"Bearer {server.token}"}))
        # a browser: the token once in the address, then a cookie
        r = bare.get(f"/?token={server.token}&q=drones")
        assert r.status_code == 303 and r.headers["location"] == "/?q=drones"
        assert bare.get("/?q=drones").status_code == 200
        bare.close()
    finally:
        server.stop()
        databases.drop(db)


# -- documents --------------------------------------------------------------------------------

HOSTILE_NUMBERS = ["99999999999999999999", "-1", "0", "1e9", "nan", "inf", "9" * 5000, "\u0663"]
NUMERIC_PARAMS = [("/api/documents", "page"), ("/api/documents", "page_size"),
                  ("/api/entities", "limit"),
                  ("/api/statements", "limit"), ("/api/statements", "page"),
                  ("/api/events", "limit"), ("/api/events", "page"),
                  ("/api/events.geojson", "limit"), ("/api/stories", "limit"),
                  ("/api/claims", "limit")]


@pytest.mark.parametrize("path, name", NUMERIC_PARAMS)
def test_every_numeric_parameter_is_bounded(api, path, name):
    """Out-of-range, non-numeric and huge values get a 422 naming the parameter, never a 500."""
    for value in HOSTILE_NUMBERS:
        detail = error(api.get(path, params={name: value}), 422)
        assert name in detail, (value, detail)

def test_health(api):
    assert ok(api.get("/api/health")) == {"documents": 28}


def test_list_and_pagination(api):
    first = ok(api.get("/api/documents", params={"page_size": 10}))
    assert first["total"] == 28 and first["page"] == 1 and first["page_size"] == 10
    assert len(first["items"]) == 10
    item = first["items"][0]
    assert set(item) >= {"id", "title", "outlet", "published", "language", "story", "words"}
    assert item["words"] > 0
    dates = [i["published"] or "" for i in first["items"]]
    assert dates == sorted(dates, reverse=True)
    pages = [ok(api.get("/api/documents", params={"page_size": 10, "page": p}))["items"]
             for p in (1, 2, 3)]
    ids = [i["id"] for page in pages for i in page]
    assert len(ids) == 28 and len(set(ids)) == 28
    assert ok(api.get("/api/documents", params={"page": 4, "page_size": 10}))["items"] == []


def test_default_page_size_and_limits(api):
    assert ok(api.get("/api/documents"))["page_size"] == 20
    assert ok(api.get("/api/documents", params={"page_size": 100}))["page_size"] == 100
    detail = error(api.get("/api/documents", params={"page_size": 101}), 422)
    assert "page_size" in detail and "100" in detail
    assert "page_size" in error(api.get("/api/documents", params={"page_size": 0}), 422)
    assert "page" in error(api.get("/api/documents", params={"page": 0}), 422)
    assert "page" in error(api.get("/api/documents", params={"page": "two"}), 422)


def test_filters(api):
    flare = ok(api.get("/api/documents", params={"outlet": "Daily Flare"}))
    assert flare["total"] >= 1 and {i["outlet"] for i in flare["items"]} == {"Daily Flare"}
    dated = ok(api.get("/api/documents", params={"date_from": "2026-03-01",
                                                  "date_to": "2026-03-31"}))
    assert dated["total"] >= 1
    assert all("2026-03-01" <= i["published"] <= "2026-03-31" for i in dated["items"])
    # a place in any spelling: the Russian transliteration finds the Ukrainian name
    volchansk = ok(api.get("/api/documents", params={"place": "Volchansk"}))
    vovchansk = ok(api.get("/api/documents", params={"place": "Vovchansk"}))
    assert volchansk["total"] == vovchansk["total"] >= 4
    people = ok(api.get("/api/documents", params={"entity": "Valentsov"}))
    assert people["total"] >= 1
    events = ok(api.get("/api/documents", params={"event_type": "territorial_control"}))
    assert events["total"] >= 1
    story = flare["items"][0]["story"]
    in_story = ok(api.get("/api/documents", params={"story": story}))
    assert {i["story"] for i in in_story["items"]} == {story}
    combined = ok(api.get("/api/documents", params={"outlet": "Daily Flare",
                                                     "place": "Vovchansk"}))
    assert 1 <= combined["total"] <= flare["total"]
    assert ok(api.get("/api/documents", params={"outlet": "No Such Outlet"}))["total"] == 0


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "yesterday", "2026-1-1",
                                 "20260101"])
def test_dates_are_validated(api, bad):
    assert "YYYY-MM-DD" in error(api.get("/api/documents", params={"date_from": bad}), 422)


def test_date_range_order(api):
    detail = error(api.get("/api/documents", params={"date_from": "2026-05-01",
                                                      "date_to": "2026-01-01"}), 422)
    assert "after" in detail


def test_search_snippet_highlights(api):
    result = ok(api.get("/api/documents", params={"q": "drones", "page_size": 50}))
    assert result["total"] >= 3 and len(result["items"]) == result["total"]
    for item in result["items"]:
        snippet, spans = item["snippet"], item["highlights"]
        assert "\x02" not in snippet and "\x03" not in snippet and "<" not in snippet
        assert spans, item
        for start, end in spans:
            assert 0 <= start < end <= len(snippet)
            assert snippet[start:end].lower().startswith("drone")
    # plain listings carry no snippet
    assert ok(api.get("/api/documents"))["items"][0]["snippet"] is None


def test_search_with_filters_and_odd_queries(api):
    both = ok(api.get("/api/documents", params={"q": "Volchansk", "outlet": "Daily Flare"}))
    assert both["total"] >= 1 and {i["outlet"] for i in both["items"]} == {"Daily Flare"}
    for q in ['"unbalanced', "AND OR", "(", "Kharkiv NEAR(", "*", "'; DROP TABLE documents",
              "\x00", "title:", "😀", "%_"]:
        assert isinstance(ok(api.get("/api/documents", params={"q": q}))["total"], int)
    assert ok(api.get("/api/documents", params={"q": "zzzznotaword"}))["items"] == []
    assert ok(api.get("/api/documents", params={"q": "drones\x00"}))["total"] >= 3
    assert "q" in error(api.get("/api/documents", params={"q": "x" * 501}), 422)


def test_document_by_id_and_prefix(api):
    items = ok(api.get("/api/documents", params={"page_size": 100}))["items"]
    doc_id = items[0]["id"]
    full = ok(api.get(f"/api/documents/{doc_id}"))
    assert full["id"] == doc_id and full["schema_version"] == SCHEMA_VERSION
    for key in ("source", "url", "title", "published", "outlet", "language", "text", "removed",
                "entities", "statements", "events", "framing", "near_duplicates", "story"):
        assert key in full
    assert isinstance(full["removed"], list)
    by_prefix = ok(api.get(f"/api/documents/{doc_id[:6]}"))
    assert by_prefix["id"] == doc_id
    assert ok(api.get(f"/api/documents/{doc_id.upper()}"))["id"] == doc_id


def test_document_errors(api):
    assert "no document" in error(api.get("/api/documents/ffffffffffffffff"), 404)
    error(api.get("/api/documents/abc"), 422)  # too short a prefix
    error(api.get("/api/documents/not-an-id"), 422)
    error(api.get("/api/documents/" + "a" * 17), 422)


def test_near_duplicates_are_enriched(api):
    ids = [i["id"] for i in ok(api.get("/api/documents", params={"page_size": 100}))["items"]]
    docs = [ok(api.get(f"/api/documents/{i}")) for i in ids]
    with_dups = [d for d in docs if d["near_duplicates"]]
    assert with_dups, "the demo has machine rewrites"
    relations = set()
    for doc in with_dups:
        for dup in doc["near_duplicates"]:
            assert set(dup) >= {"id", "similarity", "relation", "reason", "shared", "changed",
                                "outlet", "title", "published"}
            assert dup["id"] in ids and 0 < dup["similarity"] <= 1
            assert all(isinstance(p, list) and len(p) == 2 for p in dup["changed"])
            relations.add(dup["relation"])
    assert relations == {"copy_of", "copied_by"}


# -- entities, statements, events -------------------------------------------------------------

def test_entities(api):
    people = ok(api.get("/api/entities", params={"type": "person", "limit": 5}))["items"]
    assert 1 <= len(people) <= 5 and {p["type"] for p in people} == {"person"}
    counts = [p["documents"] for p in people]
    assert counts == sorted(counts, reverse=True)
    places = ok(api.get("/api/entities", params={"type": "place", "name": "Kharkiv"}))["items"]
    assert any(p["name"] == "Kharkiv" and p["lat"] and p["lon"] for p in places)
    assert "type" in error(api.get("/api/entities", params={"type": "animal"}), 422)
    assert "limit" in error(api.get("/api/entities", params={"limit": 501}), 422)


def test_statements_by_speaker(api):
    result = ok(api.get("/api/statements", params={"speaker": "Zimin", "limit": 5}))
    assert result["total"] >= 5 and len(result["items"]) == 5
    assert all("Zimin" in s["speaker"] for s in result["items"])
    assert all(s["kind"] in ("direct", "reported") for s in result["items"])
    page2 = ok(api.get("/api/statements", params={"speaker": "Zimin", "limit": 5, "page": 2}))
    first = {(s["document_id"], s["position"]) for s in result["items"]}
    assert not first & {(s["document_id"], s["position"]) for s in page2["items"]}
    assert ok(api.get("/api/statements", params={"speaker": "Nobody Atall"}))["total"] == 0


@pytest.mark.parametrize("spelling", ["Volchansk", "Волчанск", "Vovchansk"])
def test_events_by_place_in_any_spelling(api, spelling):
    result = ok(api.get("/api/events", params={"place": spelling, "limit": 100}))
    assert result["total"] >= 3
    assert {e["place"] for e in result["items"]} == {"Vovchansk"}


def test_events_paging_and_type(api):
    every = ok(api.get("/api/events", params={"limit": 500}))
    assert every["total"] == len(every["items"]) > 10
    typed = ok(api.get("/api/events", params={"type": "territorial_control"}))
    assert typed["total"] >= 1 and {e["type"] for e in typed["items"]} == {"territorial_control"}
    p1 = ok(api.get("/api/events", params={"limit": 7, "page": 1}))["items"]
    p2 = ok(api.get("/api/events", params={"limit": 7, "page": 2}))["items"]
    assert len(p1) == len(p2) == 7
    assert p1 + p2 == every["items"][:14]


def test_geojson(api):
    response = api.get("/api/events.geojson")
    collection = ok(response)
    assert response.headers["content-type"].startswith("application/geo+json")
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert features
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        assert set(props) == {"type", "actor", "place", "date", "claimed_by", "evidence",
                              "document_id", "outlet"}
    # [lon, lat] order: Kharkiv is at about 36.2 E, 50.0 N
    kharkiv = [f for f in features if f["properties"]["place"] == "Kharkiv"]
    assert kharkiv
    lon, lat = kharkiv[0]["geometry"]["coordinates"]
    assert 35 < lon < 37.5 and 49 < lat < 51
    only = ok(api.get("/api/events.geojson", params={"place": "Kharkov"}))["features"]
    assert only and {f["properties"]["place"] for f in only} == {"Kharkiv"}


# -- stories, claims, outlets -----------------------------------------------------------------

def test_stories(api):
    stories = ok(api.get("/api/stories"))["items"]
    assert stories and stories[0]["documents"] >= stories[-1]["documents"]
    assert sum(s["documents"] for s in stories) == 28
    story = ok(api.get(f"/api/stories/{stories[0]['story']}"))
    assert story["story"] == stories[0]["story"]
    assert len(story["documents"]) == stories[0]["documents"]
    assert all(d["story"] == story["story"] for d in story["documents"])
    assert ok(api.get(f"/api/stories/{stories[0]['story'][:8]}"))["story"] == story["story"]
    error(api.get("/api/stories/ffffffffffffffff"), 404)
    error(api.get("/api/stories/xyz"), 422)
    # sent without validating it on the way out: what the documented model makes of it
    for s in stories:
        answer = api.get(f"/api/stories/{s['story']}")
        model = TypeAdapter(StoryDetail)
        assert answer.headers["content-type"] == "application/json"
        assert model.dump_json(model.validate_json(answer.content)) == answer.content


def test_story_with_a_contradiction(api):
    flare = ok(api.get("/api/documents", params={"outlet": "Daily Flare",
                                                  "place": "Vovchansk"}))["items"]
    story = ok(api.get(f"/api/stories/{flare[0]['story']}"))
    outlets = {d["outlet"] for d in story["documents"]}
    assert {"Eastern Wire", "Daily Flare"} <= outlets
    assert story["claims"]
    claim_ids = {c["id"] for c in story["claims"]}
    for claim in story["claims"]:
        assert claim["outlet_count"] == len(claim["outlets"])
        assert all(set(m) == {"document_id", "position"} for m in claim["members"])
    vovchansk = [c for c in story["contradictions"] if c["place"] == "Vovchansk"]
    assert vovchansk and "Daily Flare" in vovchansk[0]["description"]
    assert {vovchansk[0]["claim_a"], vovchansk[0]["claim_b"]} <= claim_ids


def test_claims(api):
    everything = ok(api.get("/api/claims"))
    assert everything["claims"] and everything["contradictions"]
    only = ok(api.get("/api/claims", params={"contradictions_only": "true"}))
    assert only["claims"] == [] and only["contradictions"] == everything["contradictions"]
    at = ok(api.get("/api/claims", params={"place": "Volchansk"}))
    assert at["claims"] and {c["place"] for c in at["claims"]} == {"Vovchansk"}
    assert {c["place"] for c in at["contradictions"]} == {"Vovchansk"}
    error(api.get("/api/claims", params={"contradictions_only": "maybe"}), 422)


def test_outlets(api):
    outlets = ok(api.get("/api/outlets"))["items"]
    names = {o["outlet"] for o in outlets}
    assert {"Eastern Wire", "Daily Flare", "Kyiv Courier Online"} <= names
    assert sum(o["documents"] for o in outlets) == 28
    for o in outlets:
        assert o["copy_rate"] is None or 0 <= o["copy_rate"] <= 1
        assert o["loaded_per_1000"] >= 0


def test_openapi(api):
    schema = ok(api.get("/openapi.json"))
    paths = schema["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/entities",
                 "/api/statements", "/api/events", "/api/events.geojson", "/api/stories",
                 "/api/stories/{story_id}", "/api/claims", "/api/outlets", "/api/health"):
        assert path in paths, path
    assert "post" in paths["/api/documents"]
    assert "requestBody" in paths["/api/documents"]["post"]
    listed = paths["/api/documents"]["get"]["responses"]["200"]["content"]["application/json"]
    assert listed["schema"]["$ref"].endswith("/DocumentList")
    assert api.get("/docs").status_code == 200


def test_unknown_route_is_json(api):
    assert error(api.get("/api/nothing-here"), 404)


def test_a_database_that_cannot_be_written_is_served(databases, demo_db):
    """An up-to-date store opens read-only: nothing is created or upgraded on the way."""
    db = databases.copy(demo_db, "ro")
    try:
        with app_client(databases.read_only(db)) as client:
            assert ok(client.get("/api/health")) == {"documents": DEMO_DOCUMENTS}
            found = ok(client.get("/api/documents", params={"q": "drones"}))
            assert found["total"] >= 3 and found["items"][0]["highlights"]
            assert ok(client.get("/api/documents", params={"page": 2}))["items"]
    finally:
        databases.drop(db)


# -- ingest -----------------------------------------------------------------------------------

ARTICLE = {
    "title": "Grain convoy reaches Kherson after week-long delay",
    "published": "2026-03-03",
    "outlet": "Southern Beacon",
    "url": "https://southern-beacon.example/grain-convoy",
    "text": "A convoy of twelve lorries carrying grain and medicine reached Kherson on Monday "
            "after waiting a week at a checkpoint, the city's military administration said.\n"
            "Drivers said the road was shelled twice while they waited but nobody was "
            "injured.\n",
}


def test_post_refused_on_a_read_only_server(api):
    response = api.post("/api/documents", json=ARTICLE)
    assert "read-only" in error(response, 403)
    response = api.post("/api/documents", json=ARTICLE, headers={"Authorization": "Bearer x"})
    assert "read-only" in error(response, 403)
    assert ok(api.get("/api/health"))["documents"] == 28


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_post_needs_the_token(write_api):
    response = write_api.post("/api/documents", json=ARTICLE)
    assert "token" in error(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    error(write_api.post("/api/documents", json=ARTICLE,
                         headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401)
    error(write_api.post("/api/documents", json=ARTICLE, headers=auth("wrong")), 403)
    error(write_api.post("/api/documents", json=ARTICLE, headers=auth(TOKEN + "x")), 403)


def test_post_ingests_idempotently(write_api):
    before = ok(write_api.get("/api/health"))["documents"]
    result = ok(write_api.post("/api/documents", json=ARTICLE, headers=auth()))
    assert len(result["added"]) == 1 and result["present"] == [] and result["failed"] == []
    doc_id = result["added"][0]
    assert set(doc_id) <= HEX and len(doc_id) == 16
    doc = ok(write_api.get(f"/api/documents/{doc_id}"))
    assert doc["title"] == ARTICLE["title"] and doc["outlet"] == "Southern Beacon"
    assert doc["published"] == "2026-03-03" and "twelve lorries" in doc["text"]
    assert any(e["name"] == "Kherson" for e in doc["entities"])
    again = ok(write_api.post("/api/documents", json=[ARTICLE], headers=auth()))
    assert again == {"added": [], "present": [doc_id], "failed": []}
    assert ok(write_api.get("/api/health"))["documents"] == before + 1
    found = ok(write_api.get("/api/documents", params={"q": "lorries"}))
    assert [i["id"] for i in found["items"]] == [doc_id]


def test_post_reports_bad_items_by_index(write_api):
    good = dict(ARTICLE, text=ARTICLE["text"] + "A second convoy is expected on Friday.\n")
    body = [good, "just a string", {"title": "no body"}, {"text": 42}, {"html": ""},
            {"text": "Menu\nSubscribe\n"}, good]
    result = ok(write_api.post("/api/documents", json=body, headers=auth()))
    assert len(result["added"]) == 1
    assert result["present"] == result["added"]  # the same item twice in one request
    failed = {f["index"]: f["reason"] for f in result["failed"]}
    assert sorted(failed) == [1, 2, 3, 4, 5]
    assert "object" in failed[1] and "text" in failed[2]


def test_post_with_nul_characters_stores_the_whole_batch(write_api):
    """JSON may carry \\u0000, which PostgreSQL refuses in text: the store drops it (on every
    backend alike) instead of failing the request's whole batch."""
    nul = dict(ARTICLE, title="Ferry\x00 resumes crossings", outlet="Delta\x00 Wire",
               text="The ferry between Kherson and Hola Prystan resumed\x00 crossings on "
                    "Thursday after a month, the regional administration said.\n")
    plain = dict(ARTICLE, title="Bridge repairs begin",
                 text="Repairs to the damaged bridge near Mykolaiv began on Thursday, the "
                      "regional administration said.\n")
    result = ok(write_api.post("/api/documents", json=[nul, plain], headers=auth()))
    assert len(result["added"]) == 2 and result["failed"] == []
    doc = ok(write_api.get(f"/api/documents/{result['added'][0]}"))
    assert doc["title"] == "Ferry resumes crossings" and doc["outlet"] == "Delta Wire"
    found = ok(write_api.get("/api/documents", params={"q": "ferry"}))["items"]
    assert [i["id"] for i in found] == [result["added"][0]]


@pytest.mark.parametrize("body, status", [
    (b"{not json", 400), (b"", 400), (b"[]", 400), (b"\xff\xfe", 400), (b"[" * 100_000, 400),
])
def test_post_malformed_bodies(write_api, body, status):
    headers = {**auth(), "Content-Type": "application/json"}
    error(write_api.post("/api/documents", content=body, headers=headers), status)


def test_post_too_many_items(write_api):
    items = [dict(ARTICLE, title=f"copy {i}") for i in range(101)]
    assert "100" in error(write_api.post("/api/documents", json=items, headers=auth()), 413)


def test_post_body_limit(write_api):
    big = json.dumps({"text": "word " * (5 * 2**20 // 5 + 10)}).encode()
    headers = {**auth(), "Content-Type": "application/json"}
    assert "MiB" in error(write_api.post("/api/documents", content=big, headers=headers), 413)

    def chunks():  # no Content-Length: the server counts what it reads
        for _ in range(6):
            yield b" " * 2**20

    error(write_api.post("/api/documents", content=chunks(), headers=headers), 413)
    assert ok(write_api.get("/api/health"))


def test_script_comes_back_as_text(write_api):
    article = dict(ARTICLE, title="Shelling reported near Kherson port",
                   text="Shelling was reported near the Kherson port on Tuesday, the regional "
                        "administration said. <script>alert(1)</script> Two warehouses were "
                        "damaged and nobody was hurt, officials added.\n")
    result = ok(write_api.post("/api/documents", json=article, headers=auth()))
    doc_id = result["added"][0]
    response = write_api.get(f"/api/documents/{doc_id}")
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>alert(1)</script>" in ok(response)["text"]
    listed = ok(write_api.get("/api/documents", params={"q": "warehouses"}))["items"]
    assert listed[0]["id"] == doc_id


def _posted_id(item: dict) -> str:
    """The id the server gives a posted item: the hash of its canonical JSON."""
    raw = json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return content_id(raw.encode("utf-8"))


def test_ambiguous_prefix(write_api):
    seen: dict[str, dict] = {}
    for n in range(100_000):  # two articles whose ids share their first 4 hex digits
        item = dict(ARTICLE, text=ARTICLE["text"] + f"The convoy carried {n} tonnes of flour.\n")
        prefix = _posted_id(item)[:4]
        if prefix in seen:
            pair = [seen[prefix], item]
            break
        seen[prefix] = item
    result = ok(write_api.post("/api/documents", json=pair, headers=auth()))
    assert sorted(result["added"]) == sorted(_posted_id(i) for i in pair)
    assert "ambiguous" in error(write_api.get(f"/api/documents/{prefix}"), 409)
    for doc_id in result["added"]:
        assert ok(write_api.get(f"/api/documents/{doc_id[:8]}"))["id"] == doc_id


@pytest.mark.e2e
def test_several_server_processes_answer_alike_and_keep_the_token(databases, demo_db):
    """`serve --workers 2`: each process builds the same app from what `serve` was given
    (database, token, access rule), and a page written by one is seen by the other."""
    db = databases.copy(demo_db, "workers")
    server = Server(db, token=TOKEN, workers=2)
    try:
        api = server.client
        assert ok(api.get("/api/health")) == {"documents": DEMO_DOCUMENTS}
        assert api.get("/?q=drones").status_code == 200
        assert "token" in error(api.post("/api/documents", json=ARTICLE), 401)
        added = ok(api.post("/api/documents", json=ARTICLE, headers=auth()))["added"]
        for _ in range(6):  # whichever process answers, it reads the new document
            assert ok(api.get("/api/health")) == {"documents": DEMO_DOCUMENTS + 1}
            assert ok(api.get(f"/api/documents/{added[0]}"))["outlet"] == "Southern Beacon"
    finally:
        server.stop()
        databases.drop(db)
    db = databases.copy(demo_db, "workers-open")
    private = Server(db, token=TOKEN, host="0.0.0.0", workers=2)
    try:  # off loopback every request needs the token, in every process
        for _ in range(4):
            assert private.client.get("/api/health").status_code == 401
            assert private.client.get("/api/health", headers=auth()).status_code == 200
    finally:
        private.stop()
        databases.drop(db)


@pytest.mark.e2e
def test_a_real_server_answers_reads_and_ingests_with_its_token(databases, demo_db):
    """`newsprism serve` as people run it: a real process, uvicorn's HTTP on a real port."""
    db = databases.copy(demo_db, "live")
    server = Server(db, token=TOKEN)
    try:
        api = server.client
        assert ok(api.get("/api/health")) == {"documents": DEMO_DOCUMENTS}
        found = ok(api.get("/api/documents", params={"q": "drones"}))
        assert found["total"] >= 3 and found["items"][0]["highlights"]
        doc_id = found["items"][0]["id"]
        assert ok(api.get(f"/api/documents/{doc_id[:6]}"))["id"] == doc_id
        page = api.get("/stories")
        assert page.status_code == 200 and "content-security-policy" in page.headers
        assert "token" in error(api.post("/api/documents", json=ARTICLE), 401)
        added = ok(api.post("/api/documents", json=ARTICLE, headers=auth()))["added"]
        assert len(added) == 1
        assert ok(api.get(f"/api/documents/{added[0]}"))["outlet"] == "Southern Beacon"

        def chunks():  # no Content-Length: the server counts what it reads
            for _ in range(6):
                yield b" " * 2**20

        headers = {**auth(), "Content-Type": "application/json"}
        error(api.post("/api/documents", content=chunks(), headers=headers), 413)
        assert ok(api.get("/api/health")) == {"documents": DEMO_DOCUMENTS + 1}
    finally:
        server.stop()
        databases.drop(db)
