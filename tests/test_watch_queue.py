"""Polling and processing apart: what the polls fetch waits in a bounded queue for the one
thread that runs the pipeline and stores; a full queue defers pages to the next poll (one
line says so) and loses none; a store that cannot write holds up storing, not polling.

Against a web site on 127.0.0.1 (newsprism.watch.testing) and a real SQLite store. Article
text is our own wording.
"""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlalchemy import select

from newsprism.read import open_store
from newsprism.store.schema import document_versions, sources
from newsprism.watch import Watcher, parse_config
from newsprism.watch.testing import LocalSite, Route, article, rss

TOWNS = ["Sumy", "Poltava", "Lviv", "Odesa", "Dnipro", "Chernihiv"]


def _notices(site: LocalSite, count: int) -> list[str]:
    paths = [f"/notice/{i}" for i in range(count)]
    for i, path in enumerate(paths):
        town = TOWNS[i % len(TOWNS)]
        site.set(path, Route(article(f"Notice {i} from {town}", [
            f"The council of {town} said on Tuesday that the swimming pool number {i} will "
            f"close for {i + 2} days of cleaning next month."])))
    return paths


def _feed(site: LocalSite, paths: list[str]) -> None:
    site.set("/feed.xml", Route(rss([{"title": f"Notice {p}", "link": site.url(p), "guid": p}
                                     for p in paths]), content_type="application/rss+xml"))


def _stored_urls(db: str) -> list[str]:
    with open_store(db).engine.connect() as conn:
        return sorted(u for (u,) in conn.execute(select(document_versions.c.url)))


def test_a_full_queue_defers_pages_to_the_next_poll_and_loses_none(tmp_path):
    """A queue of 2 pages and a feed of 5: each poll fetches what fits, says once that the
    queue is full, and the next polls fetch the rest, even a page that left the feed."""
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        paths = _notices(site, 5)
        _feed(site, paths)
        cfg = parse_config({"watch": {"min_delay": 0, "queue": 2, "interval": 0},
                            "source": [{"name": "notices", "feed": site.url("/feed.xml")}]},
                           "w.toml")
        lines: list[str] = []
        watcher = Watcher(cfg, open_store(db), on_line=lines.append, alerts=False, link=False)
        first = watcher.cycle()
        _feed(site, paths[:2] + paths[3:])  # notice 2 leaves the feed before it was fetched
        later = [watcher.cycle() for _ in range(3)]
        watcher.close()
        fetched = [h.path for h in site.hits if h.path.startswith("/notice/")]
    assert [r.added for r in first] == [2]
    assert [r.deferred for r in first] == [3]
    full = [line for line in lines if "processing queue full" in line]
    assert full and "notices" in full[0] and "next poll" in full[0], lines
    assert any("room again" in line and "3 page(s)" in line for line in lines), lines
    assert not any(line.startswith("error:") for line in lines), lines
    assert sum(r.added for rounds in later for r in rounds) == 3
    assert _stored_urls(db) == sorted(site.url(p) for p in paths)
    assert sorted(fetched) == sorted(paths)  # each page fetched once: none twice
    with open_store(db).engine.connect() as conn:
        items = conn.execute(select(sources.c["items"])).scalar()
    assert items == 5  # the source's count of stored items


def test_polling_goes_on_while_the_store_cannot_write(tmp_path):
    """Another process holds the database's write lock: the watcher keeps polling the feed
    at its interval meanwhile (it does not wait for storing), and once the lock is released
    it stores each page once."""
    db = str(tmp_path / "w.db")
    open_store(db).close()
    with LocalSite() as site:
        paths = _notices(site, 3)
        _feed(site, paths)
        cfg = parse_config({"watch": {"min_delay": 0, "interval": 0.2},
                            "source": [{"name": "notices", "feed": site.url("/feed.xml")}]},
                           "w.toml")
        lines: list[str] = []
        stop = threading.Event()
        watcher = Watcher(cfg, open_store(db), on_line=lines.append, stop=stop, alerts=False,
                          link=False)
        other = sqlite3.connect(db, timeout=30, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the write lock, as another writer would hold it
        thread = threading.Thread(target=watcher.run, daemon=True)
        thread.start()
        time.sleep(2.5)
        polls_while_locked = len(site.requests_to("/feed.xml"))
        stored_while_locked = _stored_urls(db)
        other.execute("ROLLBACK")
        other.close()
        deadline = time.monotonic() + 60
        while len(_stored_urls(db)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        stop.set()
        thread.join(timeout=60)
        watcher.close()
        page_fetches = [h.path for h in site.hits if h.path.startswith("/notice/")]
    assert stored_while_locked == []
    assert polls_while_locked >= 3, polls_while_locked  # about one every 0.2 s
    assert not thread.is_alive()
    assert _stored_urls(db) == sorted(site.url(p) for p in paths)
    assert sorted(page_fetches) == sorted(paths)  # queued pages were not fetched again
    assert not any(line.startswith("error:") for line in lines), lines
