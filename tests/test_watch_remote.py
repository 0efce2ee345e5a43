"""WARC files by http(s) URL, to `newsprism run` and as a `warc = URL` source of `watch`:
fetched like pages (robots.txt, the pace, limits), read like local WARC files; a WARC that is
cut short or missing is one line naming the URL, and the other inputs go on.

Served by a web site on 127.0.0.1 (newsprism.watch.testing); nothing here touches the
network. Article text is our own wording.
"""

from __future__ import annotations

from io import BytesIO

from conftest import newsprism
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.read import open_store
from newsprism.store.schema import document_versions, sources
from newsprism.watch import Watcher, parse_config
from newsprism.watch.testing import LocalSite, Route

CAPTURES = [
    ("http://river.test/ferry", "<html><head><title>Ferry timetable changes</title></head>"
     "<body><article><p>The ferry across the estuary at Mykolaiv will leave twenty minutes "
     "earlier from Monday, the port authority said on Thursday.</p></article></body></html>",
     "text/html"),
    ("http://river.test/bakery.txt", "Bakery reopens in Poltava\nA bakery near the central "
     "market of Poltava reopened on Saturday after its ovens were replaced, the owner said.\n",
     "text/plain"),
    ("http://river.test/logo.png", "\x89PNG not an article", "image/png"),
    ("http://river.test/depot", "<html><head><title>Tram depot gets a new roof</title></head>"
     "<body><article><p>Workers finished the new roof of the tram depot in Lviv on Friday, "
     "two weeks ahead of plan, the transport office said.</p></article></body></html>",
     "text/html"),
]
PIER = ("http://river.test/pier", "<html><head><title>Pier closed for repairs</title></head>"
        "<body><article><p>The passenger pier in Odesa will be closed for repairs until the "
        "end of the month, the harbour master said on Wednesday.</p></article></body></html>",
        "text/html")
PAGES = {url for url, _body, ctype in CAPTURES if not ctype.startswith("image/")}


def _warc(gz: bool, captures: list[tuple[str, str, str]] = CAPTURES) -> bytes:
    out = BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, body, ctype in captures:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=BytesIO(body.encode()), http_headers=headers,
            warc_headers_dict={"WARC-Date": "2026-12-01T07:30:00Z"}))
    return out.getvalue()


def _archive(site: LocalSite) -> dict[str, str]:
    """A plain WARC, a gzip one, one cut in the text of its third record (the pier page
    before it), and a URL that is not there."""
    plain, packed = _warc(False, CAPTURES[:2]), _warc(True, CAPTURES[2:])
    cut = _warc(False, [PIER, CAPTURES[2], CAPTURES[1]])
    third = cut.index(b"Bakery reopens in Poltava")
    site.set("/a.warc", Route(plain, content_type="application/warc"))
    site.set("/b.warc.gz", Route(packed, content_type="application/gzip"))
    site.set("/cut.warc", Route(cut[:third + 30], content_type="application/warc"))
    return {name: site.url(f"/{name}") for name in ("a.warc", "b.warc.gz", "cut.warc",
                                                     "missing.warc")}


def _urls(db: str) -> list[str]:
    with open_store(db).engine.connect() as conn:
        return sorted(u for (u,) in conn.execute(select(document_versions.c.url)))


def test_run_reads_warc_files_by_url_and_says_which_could_not_be_read(tmp_path):
    db = str(tmp_path / "r.db")
    with LocalSite() as site:
        urls = _archive(site)
        done = newsprism("run", urls["cut.warc"], urls["missing.warc"], urls["a.warc"],
                         urls["b.warc.gz"], "--db", db, "--workers", "1")
        assert site.requests_to("/robots.txt"), "robots.txt is asked first"
        again = newsprism("run", urls["a.warc"], "--db", db, "--workers", "1")
    assert done.returncode == 0, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2, done.stderr
    cut = next(line for line in errors if urls["cut.warc"] in line)
    assert "broken WARC" in cut, cut
    missing = next(line for line in errors if urls["missing.warc"] in line)
    assert "HTTP 404" in missing, missing
    # the good archives whole, and the record of the cut one before the cut
    assert _urls(db) == sorted(PAGES | {PIER[0]})
    assert again.returncode == 0 and _urls(db) == sorted(PAGES | {PIER[0]})  # none twice


def test_a_watched_warc_url_is_stored_once_and_asked_for_conditionally(tmp_path):
    db = str(tmp_path / "w.db")
    with LocalSite() as site:
        urls = _archive(site)
        site.set("/a.warc", Route(_warc(False, CAPTURES[:2]), content_type="application/warc",
                                  etag='"a1"'))
        cfg = parse_config({"watch": {"min_delay": 0, "interval": 0, "retries": 0},
                            "source": [{"name": "archive", "warc": urls["a.warc"]},
                                       {"name": "cut", "warc": urls["cut.warc"]},
                                       {"name": "gone", "warc": urls["missing.warc"]}]},
                           "w.toml")
        lines: list[str] = []
        watcher = Watcher(cfg, open_store(db), on_line=lines.append, alerts=False)
        first = {r.source: r for r in watcher.cycle()}
        second = {r.source: r for r in watcher.cycle()}
        watcher.close()
        statuses = [h.status for h in site.requests_to("/a.warc")]
    assert first["archive"].added == 2 and first["cut"].added == 1
    assert statuses == [200, 304]  # the second poll: If-None-Match, not modified
    assert second["archive"].not_modified
    errors = [line for line in lines if line.startswith("error:")]
    assert any(urls["cut.warc"] in e and "broken WARC" in e for e in errors), errors
    assert any(urls["missing.warc"] in e and "HTTP 404" in e for e in errors), errors
    assert _urls(db) == sorted({CAPTURES[0][0], CAPTURES[1][0], PIER[0]})
    with open_store(db).engine.connect() as conn:
        counted = dict(conn.execute(select(sources.c.name, sources.c["items"])).all())
    assert counted == {"archive": 2, "cut": 1, "gone": 0}
