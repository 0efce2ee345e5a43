"""`newsprism watch` against a web site on 127.0.0.1 (newsprism.watch.testing): feeds, pages,
robots.txt, redirects, 404 and 500 answers, time-outs and a slow body, on a real store.

Nothing here touches the network. Article text is our own wording.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from newsprism.read import open_store
from newsprism.store.schema import document_versions, documents, fetched_pages, sources
from newsprism.watch import ConfigError, Watcher, load_config, parse_config
from newsprism.watch.testing import LocalSite, Route, article, rss

ROOT = Path(__file__).resolve().parents[1]

PAGES = {
    "/news/bridge": ("Road bridge reopens in Kharkiv", [
        "Engineers in Kharkiv reopened the road bridge over the Lopan river on Monday after "
        "three weeks of repairs, the city council said in a statement.",
        "Buses will use the bridge again from Wednesday, a council spokesman told reporters.",
    ]),
    "/news/school": ("School in Poltava gets new windows", [
        "A secondary school in Poltava replaced all of its windows during the autumn break, "
        "the regional education department said on Friday.",
        "Pupils will return to their classrooms next week, according to the head teacher.",
    ]),
    "/news/tram": ("Tram line extended in Lviv", [
        "The city of Lviv opened a two-kilometre extension of its tram line to the southern "
        "districts on Saturday, the transport department said.",
        "Trams will run every ten minutes at peak hours, officials said.",
    ]),
}


def _feed_items(site: LocalSite, paths: list[str], note: str = "") -> list[dict[str, str]]:
    return [{"title": PAGES[p][0] if p in PAGES else p, "link": site.url(p), "guid": p,
             "description": f"{PAGES[p][0] if p in PAGES else p}{note}"} for p in paths]


def _serve_pages(site: LocalSite, paths: list[str] | None = None) -> None:
    for path, (title, paragraphs) in PAGES.items():
        if paths is None or path in paths:
            site.set(path, Route(article(title, paragraphs)))


def _config(site: LocalSite, **watch: object) -> dict:
    return {"watch": {"min_delay": 0, "retries": 1, "backoff": 0.05, **watch},
            "source": [{"name": "river-news", "feed": site.url("/feed.xml"),
                        "interval": "10m"}]}


def _watch(cfg: dict, db: str, lines: list[str] | None = None, **kwargs) -> Watcher:
    said = lines if lines is not None else []
    watcher = Watcher(parse_config(cfg, "watch.toml"), open_store(db), on_line=said.append,
                      **kwargs)
    watcher.run(once=True)
    watcher.close()
    return watcher


def _rows(db: str, table, *columns):
    store = open_store(db)
    with store.engine.connect() as conn:
        return conn.execute(select(*(table.c[c] for c in columns))).all()


def test_a_feed_is_stored_with_each_fetch_and_an_edit_becomes_a_version(db_url):
    with LocalSite() as site:
        _serve_pages(site)
        site.set("/feed.xml", Route(rss(_feed_items(site, list(PAGES))),
                                    content_type="application/rss+xml"))
        lines: list[str] = []
        _watch(_config(site), db_url, lines)
        stored = {url: title for url, title in _rows(db_url, documents, "url", "title")}
        assert stored == {site.url(p): t for p, (t, _) in PAGES.items()}, lines
        fetches = _rows(db_url, fetched_pages, "url", "source", "status", "headers",
                        "fetched_at")
        assert {(u, s, st) for u, s, st, _, _ in fetches} == {
            (site.url(p), "river-news", 200) for p in PAGES}
        assert all('"content-type": "text/html' in h and when for *_, h, when in fetches)

        # the outlet edits one story: the feed says so, the page text changes
        title, paragraphs = PAGES["/news/bridge"]
        edited = [*paragraphs, "The council later said the bridge would close again at night."]
        site.set("/news/bridge", Route(article(title, edited)))
        site.set("/feed.xml", Route(rss(_feed_items(site, ["/news/bridge"], " (updated)")
                                        + _feed_items(site, ["/news/school", "/news/tram"])),
                                    content_type="application/rss+xml"))
        store = open_store(db_url)
        with store.engine.begin() as conn:  # the interval passed
            conn.execute(sources.update().values(last_fetch=None))
        _watch(_config(site), db_url, lines)
        assert len(site.requests_to("/news/school")) == 1  # unchanged entries are not fetched
        versions = sorted(_rows(db_url, document_versions, "url", "version", "previous_id",
                                "document_id"))
        bridge = [v for v in versions if v[0] == site.url("/news/bridge")]
        assert [v[1] for v in bridge] == [1, 2]
        assert bridge[1][2] == bridge[0][3]  # the new version names the one before it
        assert len(versions) == 4
        assert any("1 stored (1 as new versions)" in line for line in lines), lines


def test_pages_are_revisited_for_edits_the_feed_does_not_announce(tmp_path):
    db = str(tmp_path / "w.db")
    title, paragraphs = PAGES["/news/tram"]
    with LocalSite() as site:
        site.set("/news/tram", Route(article(title, paragraphs), etag='"t1"'))
        site.set("/feed.xml", Route(rss(_feed_items(site, ["/news/tram"])),
                                    content_type="application/rss+xml"))
        cfg = _config(site, revisit=0)
        _watch(cfg, db)
        store = open_store(db)
        with store.engine.begin() as conn:
            conn.execute(sources.update().values(last_fetch=None))
        lines: list[str] = []
        _watch(cfg, db, lines)  # the page answers 304 to its own ETag: nothing to store
        assert site.requests_to("/news/tram")[-1].headers.get("if-none-match") == '"t1"'
        assert any("1 revisited, 0 stored" in line for line in lines), lines
        site.set("/news/tram", Route(article(title, [*paragraphs, "A night tram will follow."]),
                                     etag='"t2"'))
        with store.engine.begin() as conn:
            conn.execute(sources.update().values(last_fetch=None))
        _watch(cfg, db, lines)
    assert [v for (v,) in _rows(db, document_versions, "version")] == [1, 2]


def test_conditional_get_answers_not_modified_and_nothing_is_fetched(tmp_path):
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        _serve_pages(site)
        site.set("/feed.xml", Route(rss(_feed_items(site, list(PAGES))), etag='"feed-1"',
                                    last_modified="Tue, 01 Dec 2026 08:00:00 GMT",
                                    content_type="application/rss+xml"))
        _watch(_config(site), db)
        store = open_store(db)
        with store.engine.begin() as conn:
            conn.execute(sources.update().values(last_fetch=None))
        lines: list[str] = []
        _watch(_config(site), db, lines)
        feed_hits = site.requests_to("/feed.xml")
        assert feed_hits[-1].headers.get("if-none-match") == '"feed-1"'
        assert feed_hits[-1].headers.get("if-modified-since") == "Tue, 01 Dec 2026 08:00:00 GMT"
        assert any("river-news: not modified" in line for line in lines), lines
        assert all(len(site.requests_to(p)) == 1 for p in PAGES)
        assert _rows(db, sources, "polls", "last_status") == [(2, 304)]


def test_bad_answers_are_one_line_each_and_the_rest_goes_on(tmp_path):
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        _serve_pages(site)
        site.set("/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n",
                                      content_type="text/plain"))
        site.set("/private/memo", Route(article("Memo", ["Not for robots."])))
        site.set("/broken", Route(b"oops", status=500, content_type="text/plain"))
        site.set("/old", Route(status=301, location="/news/tram"))
        site.set("/loop", Route(status=302, location="/loop"))
        site.set("/hang", Route(article("Late", ["Too late."]), delay=3))
        site.set("/slow", Route(article("Slow", ["A body sent one byte at a time."] * 4),
                                trickle=0.02))
        site.set("/big", Route(article("Big", ["word " * 300_000])))
        site.set("/image", Route(b"\x89PNG....", content_type="image/png"))
        paths = ["/news/bridge", "/missing", "/private/memo", "/broken", "/old", "/loop",
                 "/hang", "/slow", "/big", "/image", "/news/school"]
        site.set("/feed.xml", Route(rss(_feed_items(site, paths)),
                                    content_type="application/rss+xml"))
        lines: list[str] = []
        cfg = _config(site, timeout=1, total_timeout=1, max_mb=1, max_redirects=3)
        _watch(cfg, db, lines)
    errors = [line for line in lines if line.startswith("error:")]
    expected = {
        "/missing": "HTTP 404 Not Found",
        "/private/memo": "robots.txt disallows it",
        "/broken": "HTTP 500 Internal Server Error (2 attempts)",
        "/loop": "more than 3 redirects",
        "/hang": "timed out waiting (1 s) (2 attempts)",
        "/slow": "the body was still arriving after 1 s",
        "/big": "larger than the 1 MiB limit",
        "/image": "not an HTML or text page (Content-Type image/png)",
    }
    for path, reason in expected.items():
        assert any(f"{site.url(path)}: {reason}" in e for e in errors), (path, errors)
    assert len(errors) == len(expected), errors
    assert all("\n" not in e for e in errors)
    assert not site.requests_to("/private/memo")
    assert len(site.requests_to("/broken")) == 2  # retried once
    stored = {url for (url,) in _rows(db, documents, "url")}
    # the redirect is followed: the page is stored under the address it moved to
    assert stored == {site.url("/news/bridge"), site.url("/news/school"),
                      site.url("/news/tram")}


def test_passing_errors_are_tried_again_on_the_next_poll(tmp_path):
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        _serve_pages(site, ["/news/bridge"])
        site.set("/news/school", Route(b"busy", status=503, content_type="text/plain",
                                       headers={"Retry-After": "0"}))
        site.set("/news/tram", Route(b"gone", status=404, content_type="text/plain"))
        site.set("/feed.xml", Route(rss(_feed_items(site, list(PAGES))), etag='"f"',
                                    content_type="application/rss+xml"))
        _watch(_config(site), db)
        assert len(_rows(db, documents, "id")) == 1
        _serve_pages(site)  # the server is well again, the 404 page now exists too
        store = open_store(db)
        with store.engine.begin() as conn:
            conn.execute(sources.update().values(last_fetch=None))
        _watch(_config(site), db)
        # the feed was asked for in full again (its ETag was not kept after a failed entry)
        assert site.requests_to("/feed.xml")[-1].headers.get("if-none-match") is None
        stored = {url for (url,) in _rows(db, documents, "url")}
        # the 503 entry was fetched again; the 404 one waits until its entry changes
        assert stored == {site.url("/news/bridge"), site.url("/news/school")}


def test_one_host_is_asked_at_most_once_per_min_delay(tmp_path):
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        _serve_pages(site)
        site.set("/feed.xml", Route(rss(_feed_items(site, list(PAGES))),
                                    content_type="application/rss+xml"))
        _watch(_config(site, min_delay=0.3), db)
        times = [h.at for h in site.hits]
    assert len(times) == 5  # robots.txt, the feed, three pages
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.29, gaps


def test_sitemaps_pages_and_folders(tmp_path):
    db = str(tmp_path / "w.db")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.txt").write_text("Ferry timetable changes in Odesa\nThe ferry to the "
                                  "southern pier in Odesa will leave an hour earlier from "
                                  "Monday, the port authority said.\n")
    (folder / "junk.bin").write_bytes(b"\x00\x01\x02")
    with LocalSite() as site:
        _serve_pages(site)
        site.set("/sitemap.xml", Route(
            b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
            b'sitemap/0.9"><sitemap><loc>' + site.url("/sm-1.xml").encode()
            + b"</loc></sitemap></sitemapindex>", content_type="application/xml"))
        site.set("/sm-1.xml", Route(
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + b"".join(f"<url><loc>{site.url(p)}</loc><lastmod>2026-12-01</lastmod></url>"
                       .encode() for p in ["/news/bridge", "/news/school"])
            + b"</urlset>", content_type="application/xml"))
        cfg = {"watch": {"min_delay": 0},
               "source": [{"name": "map", "sitemap": site.url("/sitemap.xml")},
                          {"name": "one-page", "url": site.url("/news/tram")},
                          {"name": "drop", "folder": str(folder)}]}
        lines: list[str] = []
        _watch(cfg, db, lines)
        _watch(cfg, db, lines, )  # nothing is due: nothing is asked again
        assert len(site.requests_to("/news/tram")) == 1
    stored = {(url, source) for url, source in _rows(db, documents, "url", "source")}
    assert (site.url("/news/bridge"), site.url("/news/bridge")) in stored
    assert (site.url("/news/tram"), site.url("/news/tram")) in stored
    assert any(src.endswith("a.txt") for _, src in stored)
    assert len(stored) == 4
    assert any(line.startswith("error:") and "junk.bin" in line for line in lines), lines


def test_config_mistakes_name_the_file_and_the_source(tmp_path):
    path = tmp_path / "watch.toml"
    cases = {
        '[[source]]\nname = "a"\n': "source 'a': give exactly one of feed, sitemap, url, folder",
        '[[source]]\nname = "a"\nfeed = "ftp://x/y"\n': "source 'a': 'ftp://x/y' is not an "
                                                         "http(s) URL",
        '[[source]]\nname = "a"\nfeed = "http://x/"\ninterval = "soon"\n':
            "source 'a': interval: 'soon' is not a duration",
        '[watch]\nspeed = 3\n[[source]]\nname = "a"\nfeed = "http://x/"\n':
            "[watch] has unknown key(s) speed",
        "[[source]\n": "not valid TOML",
        '[[source]]\nname = "a"\nwarc = "/tmp/x.warc"\n': "source 'a': '/tmp/x.warc' is not "
                                                          "an http(s) URL",
        '[watch]\nqueue = 0\n[[source]]\nname = "a"\nfeed = "http://x/"\n':
            "[watch] queue must be a whole number from 1 to 100,000",
    }
    for text, message in cases.items():
        path.write_text(text)
        with pytest.raises(ConfigError) as info:
            load_config(path)
        assert str(info.value).startswith(str(path)) and message in str(info.value), \
            str(info.value)


def test_kill_minus_9_leaves_whole_batches_and_a_restart_resumes(tmp_path):
    """A watcher killed while it stores gets every page once after a restart: nothing
    half-stored, nothing twice."""
    db = str(tmp_path / "w.db")
    paths = [f"/n/{i}" for i in range(12)]
    with LocalSite() as site:
        def notice(i: int) -> bytes:
            return article(f"Council notice {i}", [
                f"The council of district number {i} in Vinnytsia met on Tuesday to plan "
                f"the repair of {i + 2} courtyards, its secretary said."])

        for i, p in enumerate(paths):  # the kill lands while the slow half is being fetched
            site.set(p, Route(notice(i), delay=0.15 if i < 6 else 5.0))
        site.set("/feed.xml", Route(rss([{"title": f"Notice {i}", "link": site.url(p),
                                          "guid": p} for i, p in enumerate(paths)]),
                                    content_type="application/rss+xml", etag='"k"'))
        config = tmp_path / "watch.toml"
        config.write_text(f'[watch]\nmin_delay = 0\nbatch = 2\n[[source]]\nname = "k"\n'
                          f'feed = "{site.url("/feed.xml")}"\n')
        cmd = [sys.executable, "-m", "newsprism.cli", "watch", str(config), "--db", db,
               "--once"]
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
            if Path(db).exists():
                try:
                    with sqlite3.connect(db, timeout=5) as conn:
                        stored = conn.execute("select count(*) from documents").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
                if stored >= 4:
                    break
        assert proc.poll() is None, proc.communicate()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            partial = conn.execute("select count(*) from documents").fetchone()[0]
        assert 4 <= partial < 12
        for i, p in enumerate(paths):
            site.set(p, Route(notice(i)))
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("select url from document_versions")]
        handled = conn.execute("select count(*) from source_items").fetchone()[0]
    assert sorted(urls) == sorted(site.url(p) for p in paths)  # each page once
    assert handled == 12


def test_ctrl_c_stops_after_the_fetch_in_hand_and_keeps_what_was_fetched(tmp_path):
    db = str(tmp_path / "w.db")
    paths = [f"/c/{i}" for i in range(30)]
    with LocalSite() as site:
        for i, p in enumerate(paths):
            site.set(p, Route(article(f"Clinic notice {i}", [
                f"The clinic in district {i} of Chernihiv will open {i + 1} hours earlier on "
                "Saturdays from next month, its director said."]), delay=0.2))
        site.set("/feed.xml", Route(rss([{"title": f"Clinic {i}", "link": site.url(p),
                                          "guid": p} for i, p in enumerate(paths)]),
                                    content_type="application/rss+xml", etag='"c1"'))
        config = tmp_path / "watch.toml"
        config.write_text(f'[watch]\nmin_delay = 0\nbatch = 5\n[[source]]\nname = "c"\n'
                          f'feed = "{site.url("/feed.xml")}"\n')
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
        proc = subprocess.Popen([sys.executable, "-m", "newsprism.cli", "watch", str(config),
                                 "--db", db], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(site.requests_to("/c/3")) == 0:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        fetched = sum(bool(site.requests_to(p)) for p in paths)
    assert proc.returncode == 130, err
    assert "stopping after the fetch in hand" in err and "Traceback" not in err
    with sqlite3.connect(db) as conn:
        stored = conn.execute("select count(*) from documents").fetchone()[0]
        handled = conn.execute("select count(*) from source_items").fetchone()[0]
        etag_kept = conn.execute("select etag from sources").fetchone()[0]
    assert 4 <= stored == fetched == handled < 30  # what was fetched is stored and marked
    assert etag_kept is None  # not all entries handled: the feed is read in full next time


def test_a_large_listing_is_worked_off_over_rounds_without_starving_the_others(tmp_path):
    db = str(tmp_path / "w.db")
    paths = [f"/big/{i}" for i in range(7)]
    with LocalSite() as site:
        for i, p in enumerate(paths):
            site.set(p, Route(article(f"Library notice {i}", [
                f"The library in district {i} of Sumy lends {i + 3} new e-readers from "
                "Monday, the culture department said."])))
        site.set("/big.xml", Route(rss([{"title": f"Notice {i}", "link": site.url(p),
                                         "guid": p} for i, p in enumerate(paths)]),
                                   content_type="application/rss+xml", etag='"b"'))
        _serve_pages(site, ["/news/tram"])
        cfg = parse_config({"watch": {"min_delay": 0, "max_pages": 3, "interval": "10m"},
                            "source": [{"name": "big", "feed": site.url("/big.xml")},
                                       {"name": "small", "url": site.url("/news/tram")}]},
                           "w.toml")
        lines: list[str] = []
        watcher = Watcher(cfg, open_store(db), on_line=lines.append)
        rounds = [[r.source for r in watcher.cycle()] for _ in range(4)]
        watcher.close()
    assert rounds == [["big", "small"], ["big"], ["big"], []]
    assert any("4 left for the next round" in line for line in lines), lines
    assert len(_rows(db, documents, "id")) == 8
    assert _rows(db, sources, "name", "etag") == [("big", '"b"'), ("small", None)]


def test_hosts_are_fetched_at_once_but_each_host_one_request_at_a_time(tmp_path):
    """Three hosts (127.0.0.1-3), slow pages: the watcher's threads ask different hosts at
    the same time, but never one host twice at once, nor twice within min_delay."""
    db = str(tmp_path / "w.db")
    with LocalSite("127.0.0.1") as a, LocalSite("127.0.0.2") as b, \
            LocalSite("127.0.0.3") as c:
        sites = [a, b, c]
        for n, site in enumerate(sites):
            paths = [f"/h{n}/{i}" for i in range(3)]
            for i, p in enumerate(paths):
                site.set(p, Route(article(f"Depot notice {n}-{i}", [
                    f"The bus depot number {n * 10 + i} in Dnipro opened a new workshop on "
                    "Thursday, the transport department said."]), delay=0.2))
            site.set("/feed.xml", Route(rss([{"title": f"Depot {n}-{i}", "link": site.url(p),
                                              "guid": p} for i, p in enumerate(paths)]),
                                        content_type="application/rss+xml"))
        cfg = {"watch": {"min_delay": 0.25, "concurrency": 3},
               "source": [{"name": f"host-{n}", "feed": s.url("/feed.xml")}
                          for n, s in enumerate(sites)]}
        _watch(cfg, db)
        spans = {n: sorted((h.at, h.done_at) for h in s.hits) for n, s in enumerate(sites)}
    for n, hits in spans.items():
        assert len(hits) == 5, (n, hits)  # robots.txt, the feed, three pages
        for (start, end), (next_start, _) in zip(hits, hits[1:], strict=False):
            assert next_start >= end - 0.01, (n, hits)  # one at a time
            assert next_start - start >= 0.2, (n, hits)  # min_delay (0.25 s) kept
    overlapping = sum(1 for n, m in ((0, 1), (0, 2), (1, 2)) for s1, e1 in spans[n]
                      for s2, e2 in spans[m] if s1 < e2 and s2 < e1)
    assert overlapping, spans  # other hosts were asked meanwhile
    assert len(_rows(db, documents, "id")) == 9


def _warc(path: Path, records: list[tuple[str, str]]) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(html.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-11-29T06:30:00Z"}))


def test_a_watched_folder_takes_web_archives_and_a_grown_one_adds_only_new_captures(tmp_path):
    db = str(tmp_path / "w.db")
    folder = tmp_path / "crawls"
    folder.mkdir()
    pages = {f"http://archive.test/{name}": article(title, [text]).decode() for name, title, text
             in [("pool", "Pool in Lviv reopens", "The swimming pool in Lviv reopened on "
                  "Monday after its filters were replaced, the sports department said."),
                 ("port", "Port of Odesa extends hours", "The passenger port of Odesa will "
                  "stay open two hours longer from Friday, its director said.")]}
    urls = list(pages)
    _warc(folder / "crawl.warc.gz", [(urls[0], pages[urls[0]])])
    cfg = {"watch": {"interval": 0}, "source": [{"name": "crawls", "folder": str(folder)}]}
    _watch(cfg, db)
    _warc(folder / "crawl.warc.gz", [(u, pages[u]) for u in urls])  # the crawl went on
    lines: list[str] = []
    _watch(cfg, db, lines)
    fetched = _rows(db, fetched_pages, "url", "fetched_at", "source")
    assert sorted(u for u, _, _ in fetched) == urls  # each capture once
    assert all(when.isoformat().startswith("2026-11-29T06:30") and source == "crawls"
               for _, when, source in fetched), fetched
    assert any("crawls: 1 listed, 1 new or changed, 1 stored" in line for line in lines), lines


def test_ctrl_c_twice_stops_at_once_and_a_restart_stores_each_page_once(tmp_path):
    """The second Ctrl-C ends the process while its polling threads are mid-fetch: nothing
    half-stored (the database is whole), and the next start stores the rest, each once."""
    db = str(tmp_path / "w.db")
    paths = [f"/t/{i}" for i in range(20)]
    with LocalSite() as site:
        for i, p in enumerate(paths):
            site.set(p, Route(article(f"Tram notice {i}", [
                f"Tram route {i + 1} in Zhytomyr will run every {i + 5} minutes from Monday, "
                "the city transport company said."]), delay=0.3))
        site.set("/feed.xml", Route(rss([{"title": f"Tram {i}", "link": site.url(p),
                                          "guid": p} for i, p in enumerate(paths)]),
                                    content_type="application/rss+xml", etag='"t"'))
        config = tmp_path / "watch.toml"
        config.write_text(f'[watch]\nmin_delay = 0\nbatch = 3\n[[source]]\nname = "t"\n'
                          f'feed = "{site.url("/feed.xml")}"\n')
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
        cmd = [sys.executable, "-m", "newsprism.cli", "watch", str(config), "--db", db]
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(site.requests_to("/t/4")) == 0:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
        assert proc.returncode == 130, err
        assert "Traceback" not in err, err
        with sqlite3.connect(db) as conn:
            assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
            partial = conn.execute("select count(*) from documents").fetchone()[0]
        assert partial < 20
        done = subprocess.run([*cmd, "--once"], env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("select url from document_versions")]
    assert sorted(urls) == sorted(site.url(p) for p in paths)  # each page once
