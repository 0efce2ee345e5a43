"""The dashboard's watch page in a real `newsprism serve` process: what is new since a time
(edits marked as such) and each source's health, article text escaped. Our own wording."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from newsprism.read import open_store
from newsprism.read.watch import version_diff, watch_view
from newsprism.store.schema import sources
from newsprism.watch import Watcher, parse_config
from newsprism.watch.testing import LocalSite, Route, article, rss

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "Dam <script>window.__pwned=1</script> inspected"
PAGES = {
    "/dam": (HOSTILE, ["Engineers inspected the dam near Zaporizhzhia on Thursday and found "
                       "no new cracks, the water authority said."]),
    "/park": ("Park in Dnipro replants its lime trees", [
        "Gardeners in Dnipro planted sixty young lime trees along the river park on Sunday, "
        "the city's parks department said."]),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _once(cfg, store) -> None:
    watcher = Watcher(cfg, store, on_line=lambda _line: None)
    watcher.run(once=True)
    watcher.close()


@pytest.fixture(scope="module")
def watched(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("watchweb") / "w.db")
    with LocalSite() as site:
        for path, (title, paragraphs) in PAGES.items():
            site.set(path, Route(article(title, paragraphs)))
        site.set("/feed.xml", Route(rss([{"title": t, "link": site.url(p), "guid": p}
                                         for p, (t, _) in PAGES.items()]),
                                    content_type="application/rss+xml"))
        cfg = parse_config({"watch": {"min_delay": 0, "retries": 0, "revisit": 0},
                            "source": [{"name": "city-desk", "feed": site.url("/feed.xml")},
                                       {"name": "gone-desk", "feed": site.url("/nothing.xml")}]},
                           "w.toml")
        store = open_store(db)
        _once(cfg, store)
        title, paragraphs = PAGES["/park"]
        site.set("/park", Route(article(title, [*paragraphs, "More trees follow in spring."])))
        with store.engine.begin() as conn:
            conn.execute(sources.update().values(last_fetch=None))
        _once(cfg, store)
        yield db, site.url("/nothing.xml")


def test_the_view_counts_new_documents_edits_and_source_health(watched):
    db, missing = watched
    view = watch_view(open_store(db))
    assert view.new_total == 3 and view.new_versions == 1
    assert [d.version for d in view.new if d.version] == [2]
    health = {s.name: s for s in view.sources}
    assert health["city-desk"].items == 3 and health["city-desk"].last_error is None
    assert health["city-desk"].per_day[-1][1] == 3  # stored today
    gone = health["gone-desk"]
    assert gone.errors == 2 and gone.last_status == 404 and missing in gone.last_error
    later = watch_view(open_store(db), since=datetime.now(UTC) + timedelta(minutes=1))
    assert later.new_total == 0 and later.new == []


def test_an_edit_shows_what_it_changed(watched):
    db, _missing = watched
    store = open_store(db)
    edited = next(d for d in watch_view(store).new if d.version == 2)
    diff = version_diff(store, edited.id[:8])
    assert diff.previous_id == edited.previous_id and [v.version for v in diff.versions] == [1, 2]
    assert [text for op, text in diff.lines if op != "same"] == ["More trees follow in spring."]
    assert diff.added == 1 and diff.removed == 0
    first = version_diff(store, edited.previous_id)
    assert first.previous_id is None and all(op == "added" for op, _ in first.lines)


def test_the_watch_page_shows_health_and_news_escaped(watched):
    db, missing = watched
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "serve", "--db", db,
                             "--port", str(port)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = httpx.get(f"{base}/watch", timeout=5, trust_env=False)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "no server"
                time.sleep(0.3)
        assert page.status_code == 200
        body = page.text
        assert "city-desk" in body and "gone-desk" in body
        assert f"{missing}: HTTP 404 Not Found" in body
        assert "edited · v2" in body and "previous version" in body
        assert "<script>window.__pwned" not in body
        assert "Dam &lt;script&gt;window.__pwned=1&lt;/script&gt; inspected" in body
        assert 'href="/watch"' in body  # in the navigation
        assert 'href="/api/watch?since=' in body  # the same view as JSON
        later = httpx.get(f"{base}/watch", params={"since": "2999-01-01"}, trust_env=False)
        assert "Nothing new since then" in later.text
        edited = next(d for d in watch_view(open_store(db)).new if d.version == 2)
        changes = httpx.get(f"{base}/watch/changes/{edited.id}", trust_env=False)
        assert changes.status_code == 200
        assert "<ins>+ More trees follow in spring.</ins>" in changes.text
        assert httpx.get(f"{base}/watch/changes/ffffffffffff", trust_env=False
                         ).status_code == 404
        bad = httpx.get(f"{base}/watch", params={"since": "yesterday"}, trust_env=False)
        assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_watch_view_as_json_is_the_pages_view(watched):
    from fastapi.testclient import TestClient

    from newsprism.api.app import create_app

    db, missing = watched
    client = TestClient(create_app(db))
    got = client.get("/api/watch", params={"since": "2000-01-01"})
    assert got.status_code == 200
    data = got.json()
    view = watch_view(open_store(db), datetime(2000, 1, 1, tzinfo=UTC)).to_dict()
    assert data["new_total"] == view["new_total"] == 3 and data["new_versions"] == 1
    assert [d["id"] for d in data["new"]] == [d["id"] for d in view["new"]]
    health = {s["name"]: s for s in data["sources"]}
    assert health["gone-desk"]["last_error"] == f"{missing}: HTTP 404 Not Found"
    assert health["city-desk"]["last_error"] is None and health["city-desk"]["items"] == 3
    today = datetime.now(UTC).date().isoformat()
    assert health["city-desk"]["per_day"][-1] == [today, 3]
    hostile = next(d for d in data["new"] if d["title"] and "Dam" in d["title"])
    assert hostile["title"] == HOSTILE  # JSON carries the text as it is, as a string
    assert client.get("/api/watch", params={"since": "2999-01-01"}).json()["new"] == []
    assert len(client.get("/api/watch", params={"since": "2000-01-01", "limit": 1}
                          ).json()["new"]) == 1
    bad = client.get("/api/watch", params={"since": "yesterday"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
    edited = next(d for d in data["new"] if d["version"] == 2)
    diff = client.get(f"/api/watch/changes/{edited['id']}").json()
    assert diff["added"] == 1 and ["added", "More trees follow in spring."] in diff["lines"]
    assert client.get("/api/watch/changes/ffffffffffff").status_code == 404
    assert "/api/watch" in client.get("/openapi.json").json()["paths"]
