"""The CLI, the JSON API and the dashboard asked the same questions of the demo database give the
same answers: a story by an id prefix, claims at a place in any spelling, outlet profiles and a
search. Each front end only renders what the read layer computed (src/newsprism/read/), so any
difference here is a front end computing a view of its own.

The CLI runs in this process (`newsprism --json`), the API and the dashboard through the whole
application (FastAPI's TestClient), all on one copy of the demo database.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import app_client, newsprism

SPELLINGS = ["Vovchansk", "Volchansk", "Волчанск", "Вовчанськ"]


@pytest.fixture(scope="module")
def db(demo_sqlite, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("front") / "demo.db"
    shutil.copy(demo_sqlite, path)
    return str(path)


@pytest.fixture(scope="module")
def client(db) -> Iterator[httpx.Client]:
    with app_client(db) as c:
        yield c


def cli_rows(db: str, *args: str) -> list[dict]:
    return [json.loads(line) for line in
            newsprism(*args, "--db", db, "--json", check=True).stdout.splitlines()]


def api(client: httpx.Client, path: str, **params: object) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def page(client: httpx.Client, path: str, **params: object) -> str:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text[:300]
    return response.text


def linked_ids(text: str, section: str) -> list[str]:
    """Document ids linked from the part of a page after `section` (first occurrences)."""
    return list(dict.fromkeys(re.findall(r'href="/documents/([0-9a-f]{16})"',
                                         text.split(section, 1)[1])))


def test_a_story_by_id_prefix(db, client):
    story = cli_rows(db, "stories")[0]["story"]  # the largest: several outlets
    prefix = story[:6]
    by_cli = json.loads(newsprism("story", prefix, "--db", db, "--json", check=True).stdout)
    by_api = api(client, f"/api/stories/{prefix}")
    assert by_cli == by_api
    assert by_api["story"] == story and len(by_api["documents"]) >= 2
    shown = page(client, f"/stories/{prefix}")
    ids = [d["id"] for d in by_api["documents"]]
    assert sorted(linked_ids(shown, 'class="compare"')) == sorted(ids)
    for claim in by_api["claims"]:
        assert html.escape(claim["place"]) in shown
    for c in by_api["contradictions"]:
        assert html.escape(c["description"]) in shown


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_claims_at_a_place_in_any_spelling(db, client, spelling):
    rows = cli_rows(db, "claims", "--place", spelling, "--limit", "100")
    cli_claims = [r for r in rows if "outlet_count" in r]
    cli_conflicts = [r for r in rows if "description" in r]
    by_api = api(client, "/api/claims", place=spelling, limit=100)
    assert [c["id"] for c in cli_claims] == [c["id"] for c in by_api["claims"]]
    assert [", ".join(c["outlets"]) for c in by_api["claims"]] == [
        c["outlets"] for c in cli_claims]
    assert cli_conflicts == by_api["contradictions"]
    assert by_api["claims"] and {c["place"] for c in by_api["claims"]} == {"Vovchansk"}
    assert {c["place"] for c in by_api["contradictions"]} == {"Vovchansk"}
    # the dashboard: the place's events on the map, and each contradiction on its story
    events = api(client, "/api/events", place=spelling, limit=500)
    shown = page(client, "/map", place=spelling)
    data = json.loads(shown.split('id="map-data">', 1)[1].split("</script>", 1)[0])
    assert {p["place"] for p in data["places"]} == {"Vovchansk"}
    assert sum(p["count"] for p in data["places"]) == events["total"]
    stories = page(client, "/stories")
    for c in by_api["contradictions"]:
        member = next(m["document_id"] for claim in api(client, "/api/claims")["claims"]
                      if claim["id"] == c["claim_a"] for m in claim["members"])
        story = api(client, f"/api/documents/{member}")["story"]
        assert html.escape(c["description"]) in page(client, f"/stories/{story}")
        assert f"/stories/{story}" in stories


def test_outlet_profiles(db, client):
    by_cli = cli_rows(db, "outlets")
    by_api = api(client, "/api/outlets")["items"]
    assert by_cli == by_api and len(by_api) >= 5
    shown = page(client, "/outlets")
    table = shown.split('<table class="profiles">', 1)[1]
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td class=\"num\">(\d+)</td>\s*"
                      r"<td class=\"num\">(\d+)</td>", table, re.S)
    on_page = [(html.unescape(re.sub(r"<[^>]+>", "", name)), int(docs), int(words))
               for name, docs, words in rows]
    assert on_page == [(o["outlet"], o["documents"], o["words"]) for o in by_api]


@pytest.mark.parametrize("query", ["drones", "Kharkiv"])
def test_a_search(db, client, query):
    by_cli = cli_rows(db, "search", query, "--limit", "100")
    by_api = api(client, "/api/documents", q=query, page_size=100)
    assert by_api["total"] == len(by_cli) >= 1
    assert [h["id"] for h in by_cli] == [i["id"] for i in by_api["items"]]
    assert [h["snippet"] for h in by_cli] == [i["snippet"] for i in by_api["items"]]
    shown = page(client, "/", q=query)
    total = int(re.search(r'id="result-count">(\d+) document', shown).group(1))
    assert total == by_api["total"]
    assert linked_ids(shown, '<ol class="hits">') == [i["id"] for i in by_api["items"]][:20]


# Our own wording: two outlets telling one strike on Kherson, and an item with no text.
NEW_ITEMS = [
    {"title": "Drone strike damages Kherson bus depot", "published": "2026-04-02",
     "outlet": "Delta Courier", "url": "https://delta-courier.example/depot",
     "text": "A drone hit a bus depot in Kherson overnight, damaging six buses, the regional "
             "governor said on Thursday.\nNo one was hurt, he added.\n"},
    {"title": "Kherson depot hit by drone, governor says", "published": "2026-04-02",
     "outlet": "Riverside Daily", "url": "https://riverside-daily.example/kherson-depot",
     "text": "Six buses were damaged when a drone struck a depot in Kherson overnight, the "
             "regional governor said on Thursday.\nThe depot had been repaired in March.\n"},
    {"title": "Nothing here", "text": "   "},
]


def test_ingesting_through_the_cli_and_the_api_stores_the_same_record(db, tmp_path):
    """`newsprism run` on a JSONL file and POST /api/documents with the same items go through
    one ingest-and-link decision (read/operations.py): as many documents added, the same item
    refused, and the same stories and claims read back."""
    by_cli, by_api = tmp_path / "cli.db", tmp_path / "api.db"
    shutil.copy(db, by_cli)
    shutil.copy(db, by_api)
    lines = tmp_path / "new.jsonl"
    lines.write_text("".join(json.dumps(i) + "\n" for i in NEW_ITEMS), encoding="utf-8")
    ran = newsprism("run", str(lines), "--db", str(by_cli))
    assert "Documents added       │ 2" in ran.stdout and "Failed                │ 1" in ran.stdout
    with app_client(str(by_api), token="t-1") as client:
        posted = client.post("/api/documents", json=NEW_ITEMS,
                             headers={"Authorization": "Bearer t-1"})
        assert posted.status_code == 200, posted.text
        result = posted.json()
        assert len(result["added"]) == 2 and [f["index"] for f in result["failed"]] == [2]
        again = client.post("/api/documents", json=NEW_ITEMS[:2],
                            headers={"Authorization": "Bearer t-1"}).json()
        assert again["added"] == [] and sorted(again["present"]) == sorted(result["added"])
    # ids are content hashes of the record as read (a JSONL line, a posted object), so
    # stories and claims are compared by what they hold, not by id
    for db_path in (by_cli, by_api):
        assert stories_held(str(db_path)) == stories_held(str(by_cli))
        assert claims_held(str(db_path)) == claims_held(str(by_cli))
    assert (2, 2, "2026-04-02", "2026-04-02") in stories_held(str(by_api))


def stories_held(db: str) -> list[tuple]:
    return sorted((s["documents"], s["outlets"], s["first"], s["last"])
                  for s in cli_rows(db, "stories", "--limit", "500"))


def claims_held(db: str) -> list[tuple]:
    return sorted((c["type"], c["place"], c["date"], c["outlet_count"], c["claimed_by"],
                   len(c["members"]))
                  for c in cli_rows(db, "claims", "--limit", "500") if "type" in c)


# -- what the front ends may import ------------------------------------------------------------
FRONT_ENDS = ("web", "api")
PIPELINE = ("newsprism.ingest", "newsprism.clean", "newsprism.extract", "newsprism.link",
            "newsprism.engine", "newsprism.pipeline", "newsprism.runner")


def _imports(path) -> Iterator[tuple[int, str]]:
    import ast

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module


def test_the_dashboard_and_the_api_import_no_pipeline_module_nor_store_internals():
    """They render what the read layer returns: no pipeline stage, engine or link code, and
    of the store only its package (`newsprism.store`), never its modules."""
    from newsprism import read

    root = Path(read.__file__).parents[1]
    found = [f"{path.relative_to(root)}:{line}: {name}"
             for front in FRONT_ENDS for path in sorted((root / front).rglob("*.py"))
             for line, name in _imports(path)
             if name.startswith(PIPELINE) or name.startswith("newsprism.store.")]
    assert found == []
