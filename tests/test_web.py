"""The dashboard and the report on a database built from the demo corpus plus hostile articles:
pages checked through the whole application in this process (FastAPI's TestClient), and in
Debian's Chromium against a real `newsprism serve` process (the e2e lane).

The browser tests skip, saying why, when /usr/bin/chromium is missing (CI installs it).
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html import escape
from pathlib import Path

import httpx
import pytest
from conftest import app_client, newsprism, serving, shot

from newsprism.extract.framing import find_framing, framing_stage
from newsprism.model import Document, Entity, FramingTerm
from newsprism.web.render import document_lines, framing_spans, snippet_segments

PWN = "window.__pwned=1"
SCRIPT_TAG = f"<script>{PWN}</script>"
IMG_TAG = f'<img src=x onerror="{PWN}">'
JS_LINK = f'<a href="javascript:{PWN}">x</a>'
HOSTILE_TXT = (
    f"Odesa port hit {SCRIPT_TAG} in night attack\n"
    "Published: March 5, 2026\n"
    f"Russian drones struck the port of Odesa overnight {IMG_TAG} damaging two grain terminals, "
    "the regional governor said on Thursday.\n"
    "Officials said three people were injured in Odesa and a fire broke out at a warehouse "
    f"{SCRIPT_TAG} near the harbour.\n"
    f'"We will rebuild {JS_LINK} within weeks," port director Olena Marchuk said.\n'
    "The Kiev regime claimed the attack caused little damage, according to the Russian Defence "
    "Ministry.\n"
)
HOSTILE_JSONL = {
    "text": f"Odesa strike {IMG_TAG} follow-up\n"
            f"Russian forces shelled Odesa on Friday {SCRIPT_TAG} killing two people, the regional "
            "military administration said.\n"
            f"Witnesses said {JS_LINK} the blast shattered windows across the district.",
    "title": f"Odesa strike {IMG_TAG} follow-up",
    "url": f"javascript:{PWN}",
    "published": "2026-03-06",
    "outlet": "Hostile <b>Gazette</b>",
}
RAW_MARKUP = ("<script>window.__pwned", "<img src=x", 'href="javascript:', "<b>Gazette")

pytestmark = pytest.mark.xdist_group("web")  # module fixtures built once


# -- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def db(demo_sqlite, tmp_path_factory) -> Path:
    """A copy of the demo database, and the hostile articles added with `newsprism run`."""
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "odesa_hostile.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (corpus / "hostile.jsonl").write_text(json.dumps(HOSTILE_JSONL) + "\n", encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "web.db"
    shutil.copy(demo_sqlite, path)
    newsprism("run", str(corpus), "--db", str(path), check=True)
    return path


@pytest.fixture(scope="module")
def web(db) -> httpx.Client:
    """The dashboard's application in this process: `web.get("/map")` as over HTTP."""
    with app_client(str(db)) as client:
        yield client


@pytest.fixture(scope="module")
def server(db) -> str:
    """A real `newsprism serve` process on a free port, for the browser (e2e)."""
    with serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def demo_ids(db) -> dict:
    from newsprism.store import Store
    from newsprism.store.database import DocumentFilter

    store = Store(db)
    try:
        _n, rows = store.document_page(DocumentFilter(), 1, 1000)
        hostile = [r["id"] for r in rows if r["title"] and "__pwned" in r["title"]]
        stories = store.stories()
        contradicted = {c["claim_a"] for c in store.contradictions()}
        story = next(s for s in stories if s["outlets"] >= 2 and any(
            c["id"] in contradicted for c in store.claims_for(
                [d.id for d in store.story_documents(s["story"])])))
        return {"hostile": hostile, "story": story["story"], "story_title": story["title"],
                "any": rows[0]["id"]}
    finally:
        store.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("dialog", lambda dialog: (pg.errors.append("dialog: " + dialog.message),
                                    dialog.dismiss()))
    yield pg
    context.close()


def _not_pwned(pg) -> None:
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert not pg.errors, pg.errors


# -- pure functions ------------------------------------------------------------------------------
def test_snippet_segments_split_hits_without_markup():
    segs = snippet_segments("a <b>\x02drone\x03s</b> \x02hit\x03")
    assert [(s.text, s.kind) for s in segs] == [
        ("a <b>", None), ("drone", "hit"), ("s</b> ", None), ("hit", "hit")]


def test_lines_mark_stored_entities_and_framing():
    """The framing terms are marked where the framing stage stored them (offsets in the clean
    text), and nowhere else: the page searches no text for them."""
    line = "The Kiev regime reportedly hit Kharkov, the Russian Defence Ministry said."
    lines = ["Officials met on Monday, reportedly.", line]
    text = "\n".join(lines)
    second = len(lines[0]) + 1

    def stored(term: str, category: str, neutral: str | None = None) -> FramingTerm:
        start = text.index(term, second)  # on the second line, not the first's "reportedly"
        return FramingTerm(term, category, neutral, start, start + len(term))

    doc = Document(id="x", source="x", raw=b"", kind="text", lines=lines, entities=[
        Entity("place", "Kharkiv", ["Kharkiv", "Kharkov"]),
        Entity("organization", "Russian Defence Ministry", ["Russian Defence Ministry"])],
        framing=[stored("Kiev regime", "loaded_pro_kremlin", "Ukrainian government"),
                 stored("reportedly", "hedge"),
                 stored("Kharkov", "russian_spelling", "Kharkiv")])
    first, segs = document_lines(doc)
    assert "".join(s.text for s in segs) == line
    kinds = {s.text: s.kind for s in segs if s.kind}
    assert kinds["Kiev regime"] == "frame-loaded_pro_kremlin"
    assert kinds["reportedly"] == "frame-hedge"
    assert kinds["Russian Defence Ministry"] == "ent-organization"
    assert kinds["Kharkov"].startswith("frame-")  # framing wins over the entity it overlaps
    tips = {s.text: s.tip for s in segs if s.kind}
    assert tips["Kharkov"] == "Russian-era spelling: Kharkov — neutral: Kharkiv"
    # the first line's "reportedly" was not stored: not marked, though the words are there
    assert "".join(s.text for s in first) == lines[0] and [s.kind for s in first] == [None]
    # a term stored without offsets (a record from before they were kept), or with offsets
    # that do not hold its words, is not marked
    doc.framing = [FramingTerm("Kiev regime", "loaded_pro_kremlin"),
                   FramingTerm("Kharkov", "russian_spelling", None, second, second + 7)]
    assert all(s.kind is None or s.kind.startswith("ent-") for s in document_lines(doc)[1])
    # the stage's own terms of real lines land where the stage found them
    pipeline_doc = framing_stage(Document(id="y", source="y", raw=b"", kind="text",
                                          lines=lines))
    spans = framing_spans(pipeline_doc.lines, pipeline_doc.framing)
    assert [(a, b) for a, b, _k, _t in spans[1]] == [(m.start, m.end)
                                                     for m in find_framing(line)]
    assert [(a, b) for a, b, _k, _t in spans[0]] == [(m.start, m.end)
                                                     for m in find_framing(lines[0])]


# -- HTTP ----------------------------------------------------------------------------------------
PAGES = ["/", "/?q=drones", "/?q=Kharkiv&outlet=Eastern+Wire&event_type=strike_or_damage",
         "/?date_from=2026-01-01&date_to=2026-12-31&place=Kharkov&page=1", "/stories",
         "/timeline", "/timeline?type=casualties&place=Kharkiv", "/map", "/map?type=advance",
         "/outlets"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_ok_with_csp(web, path):
    r = web.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    # no inline scripts: every <script> either loads from /static or is inert JSON
    for tag in re.findall(r"<script[^>]*>", r.text):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "http://" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", r.text)


@pytest.mark.parametrize("query, reason", [
    ("page=99999999999999999999", "'page' must be a whole number from 1 to 1,000,000"),
    ("page=notanumber", "'page' must be a whole number"),
    ("page=0", "'page' must be a whole number"),
    ("page=-3", "'page' must be a whole number"),
    ("page=1e9", "'page' must be a whole number"),
    ("page=%D9%A3", "'page' must be a whole number"),  # an Arabic-Indic digit
    ("page=" + "9" * 5000, "'page' must be a whole number"),
    ("date_from=junk", "'date_from' must be a date as YYYY-MM-DD"),
    ("date_to=2026-13-99x", "'date_to' must be a date as YYYY-MM-DD"),
])
def test_bad_parameters_get_400_with_reason(web, query, reason):
    r = web.get(f"/?{query}")
    assert r.status_code == 400, r.text[:300]
    assert reason in html.unescape(r.text)
    assert "content-security-policy" in r.headers


def test_last_allowed_page_is_empty_not_an_error(web):
    r = web.get("/?page=1000000")
    assert r.status_code == 200 and "content-security-policy" in r.headers


def test_document_story_pages_and_404(web, demo_ids):
    r = web.get(f"/documents/{demo_ids['any']}")
    assert r.status_code == 200 and "content-security-policy" in r.headers
    assert web.get(f"/documents/{demo_ids['any'][:6]}").status_code == 200
    r = web.get(f"/stories/{demo_ids['story']}")
    assert r.status_code == 200
    assert 'class="badge red' in r.text
    missing = web.get("/documents/ffffffffffffffff")
    assert missing.status_code == 404 and "content-security-policy" in missing.headers
    assert web.get("/stories/nope").status_code == 404
    hostile = web.get("/documents/%3Cimg%20src=x%20onerror=window.__pwned=1%3E")
    assert hostile.status_code == 404
    assert "<img" not in hostile.text and "&lt;img src=x" in hostile.text


def test_static_files_are_vendored(web):
    for path in ("/static/leaflet/leaflet.js", "/static/leaflet/leaflet.css",
                 "/static/leaflet/LICENSE", "/static/leaflet/images/marker-icon.png",
                 "/static/basemap/countries-110m.geojson", "/static/basemap/LICENSE",
                 "/static/js/map.js", "/static/css/app.css", "/static/README.md"):
        assert web.get(path).status_code == 200, path
    geo = web.get("/static/basemap/countries-110m.geojson").json()
    assert len(geo["features"]) > 150
    assert web.get("/static/../pages.py").status_code == 404


def test_hostile_text_is_escaped_over_http(web, demo_ids):
    assert len(demo_ids["hostile"]) == 2
    pages = [f"/documents/{i}" for i in demo_ids["hostile"]]
    pages += ["/?q=pwned", "/?q=Odesa", "/timeline?place=Odesa", "/map?place=Odesa", "/outlets",
              "/stories"]
    for path in pages:
        body = web.get(path).text
        for raw in RAW_MARKUP:
            assert raw not in body, (path, raw)
    doc = web.get(f"/documents/{demo_ids['hostile'][0]}").text
    assert escape(SCRIPT_TAG, quote=False) in doc or escape(SCRIPT_TAG) in doc
    jsonl_doc = next(web.get(f"/documents/{i}").text for i in demo_ids["hostile"]
                     if "Gazette" in web.get(f"/documents/{i}").text)
    assert 'href="javascript:' not in jsonl_doc  # the record's url is shown, not linked
    assert "javascript:window.__pwned=1" in jsonl_doc
    # the map's JSON block cannot close its <script> element
    map_page = web.get("/map?place=Odesa").text
    block = map_page.split('id="map-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and "Odesa" in block


def test_a_document_page_marks_its_stored_framing_terms_between_escaped_text(web, db,
                                                                           demo_ids):
    """The page marks each framing term the pipeline stored, at its stored offsets, and
    nothing else as framing; the article's markup around them stays text."""
    from newsprism.store import Store

    store = Store(db)
    try:
        doc = next(d for d in (store.get(i) for i in demo_ids["hostile"])
                   if d and "Kiev regime" in d.text)
    finally:
        store.close()
    assert doc.framing and all(doc.text[t.start:t.end] == t.term for t in doc.framing)
    body = web.get(f"/documents/{doc.id}").text.split('id="doc-body"', 1)[1]
    marked = re.findall(r'<mark class="frame-([a-z_]+)"[^>]*>([^<]*)</mark>', body)
    assert marked == [(t.category, escape(t.term)) for t in doc.framing]
    assert ("loaded_pro_kremlin", "Kiev regime") in marked
    assert escape(SCRIPT_TAG, quote=False) in body and SCRIPT_TAG not in body


def test_map_draws_countries_and_regions_as_areas_not_capitals(web):
    page = web.get("/map").text
    data = json.loads(page.split('id="map-data">', 1)[1].split("</script>", 1)[0])
    known = {p["name"]: p for p in data["known_places"]}
    assert known["Ukraine"]["precision"] == "country"
    assert (known["Ukraine"]["lat"], known["Ukraine"]["lon"]) != (known["Kyiv"]["lat"],
                                                                  known["Kyiv"]["lon"])
    assert all(p["precision"] in ("country", "region", "settlement", "facility")
               for p in data["places"])
    assert "Dashed areas" in page


# -- report --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    newsprism("report", "--db", str(db), "--out", str(out), check=True)
    return out


def test_report_is_self_contained(report, db):
    from newsprism.store import Store

    html = report.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""",
                         html, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "@import" not in html
    for raw in RAW_MARKUP:
        assert raw not in html
    store = Store(db)
    try:
        for story in store.stories(limit=5):
            assert escape(story["title"]) in html
        contradictions = store.contradictions()
        assert contradictions
        for c in contradictions:
            assert escape(c["description"]) in html
    finally:
        store.close()
    assert 'class="country"' in html and 'class="marker"' in html  # the inline SVG map


# -- browser -------------------------------------------------------------------------------------
@pytest.mark.e2e
def test_browser_search_highlights(page, server):
    page.goto(server + "/")
    page.fill("input[name=q]", "drones")
    page.click("form.search button[type=submit]")
    page.wait_for_selector("ol.hits li.hit")
    assert page.locator("mark.hit").count() > 0
    assert page.locator("mark.hit").first.inner_text().lower().startswith("drone")
    assert page.locator(".facets svg.chart rect").count() > 0
    shot(page, "search")
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_document_highlights(page, server):
    page.goto(server + "/?q=Kharkiv+drones")
    page.locator("ol.hits a.title").first.click()
    page.wait_for_selector("#doc-body")
    assert page.locator("#doc-body mark[class^=ent-]").count() > 0
    assert page.locator("#doc-body mark[class^=frame-]").count() > 0
    assert page.locator("table.statements tbody tr").count() > 0
    assert page.locator("table.events tbody tr").count() > 0
    removed = page.locator("details.removed")
    assert removed.count() == 1 and not removed.evaluate("d => d.open")
    shot(page, "document")
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_story_side_by_side(page, server, demo_ids):
    page.goto(server + "/stories")
    page.get_by_role("link", name=demo_ids["story_title"]).click()
    page.wait_for_selector("table.compare")
    assert page.locator("table.compare thead th.doc-col").count() >= 2
    assert page.locator("table.compare .badge.red").count() > 0
    assert page.locator("section.contradictions li").count() > 0
    shot(page, "story")
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_map_markers_over_basemap(page, server):
    page.goto(server + "/map")
    page.wait_for_selector("#map[data-basemap=ready]", timeout=15000)
    page.wait_for_selector("path.np-marker")
    assert page.locator("path.np-marker").count() > 0
    assert page.locator(".leaflet-overlay-pane path").count() > 100  # country outlines
    page.locator("path.np-marker").first.click(force=True)
    page.wait_for_selector(".leaflet-popup-content .np-popup")
    assert page.locator(".np-popup li").count() > 0
    shot(page, "map", full=False)
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_timeline_and_outlets(page, server):
    page.goto(server + "/timeline")
    assert page.locator("svg.timeline circle.dot").count() > 0
    shot(page, "timeline", full=False)
    page.goto(server + "/outlets")
    assert page.locator("svg.chart rect").count() > 0
    assert page.locator("table.profiles tbody tr").count() > 3
    shot(page, "outlets")
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_hostile_document_stays_text(page, server, demo_ids):
    for n, doc_id in enumerate(demo_ids["hostile"]):
        page.goto(f"{server}/documents/{doc_id}")
        body = page.locator("#doc-body").inner_text()
        assert "window.__pwned=1" in body
        text = page.locator("main").inner_text()
        assert SCRIPT_TAG in text or IMG_TAG in text
        assert page.locator("main img, main script, a[href^='javascript:']").count() == 0
        shot(page, f"hostile_document_{n}")
        _not_pwned(page)
    page.goto(server + "/?q=pwned")
    assert page.locator("li.hit").count() >= 1
    assert page.locator("ol.hits img, ol.hits script").count() == 0
    assert "<script>" in page.locator("ol.hits").inner_text()
    shot(page, "hostile_search")
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_hostile_map_popups(page, server):
    page.goto(server + "/map?place=Odesa")
    page.wait_for_selector("path.np-marker")
    markers = page.locator("path.np-marker")
    assert markers.count() >= 1
    for i in range(markers.count()):
        markers.nth(i).click(force=True)
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        text = popup.inner_text()
        assert "window.__pwned=1" in text
        assert popup.locator("img, script, a[href^='javascript:']").count() == 0
    shot(page, "hostile_map_popup", full=False)
    _not_pwned(page)


@pytest.mark.e2e
def test_browser_report_offline(browser, report):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda req: requests.append(req.url))
    pg = context.new_page()
    try:
        pg.goto(report.as_uri())
        assert pg.locator("svg.worldmap path.country").count() > 10
        assert pg.locator("svg.worldmap circle.marker").count() > 0
        assert pg.locator("svg.timeline circle.dot").count() > 0
        assert pg.evaluate("typeof window.__pwned") == "undefined"
        shot(pg, "report")
        assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    finally:
        context.close()


def test_rewrite_page_shows_what_was_copied_and_changed(web, db):
    from newsprism.store import Store

    store = Store(db)
    try:
        copy_id, original_id = next(iter(sorted(store.copy_map().items())))
        shared = store.near_duplicate_details(copy_id)[0]["shared"]
    finally:
        store.close()
    html = web.get(f"/documents/{copy_id}").text
    assert f"/documents/{original_id}" in html and "this article copies it" in html
    assert shared and escape(shared[0]) in html
    assert "Changed (this article" in html
