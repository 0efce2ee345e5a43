"""The analyst's pages (issue 15) in Debian's Chromium against a real `newsprism serve
--token` process (the e2e lane): the entity page's chart, sorting by a column header, the
filter forms, the .json twin, claims and contradictions, attention for two queries, the map
framed on its events with its time slider, and the review action, on a copy of the demo
database plus a hostile article. Screenshots go to tests/artifacts/ (git-ignored).

Skips, saying why, when /usr/bin/chromium is missing (CI installs it).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from conftest import newsprism, serving, shot
from test_pages import HOSTILE

TOKEN = "browser-pages-token"

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pages_browser")]


@pytest.fixture(scope="module")
def db(demo_sqlite, tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile_browser")
    (corpus / "kherson_hostile.txt").write_text(HOSTILE, encoding="utf-8")
    path = tmp_path_factory.mktemp("pages_browser") / "pages.db"
    shutil.copy(demo_sqlite, path)
    newsprism("run", str(corpus), "--db", str(path), check=True)
    return path


@pytest.fixture(scope="module")
def server(db) -> str:
    """`newsprism serve --token` on a free port (reviews write)."""
    with serving(db, "--token", TOKEN, ready="/api/health") as base:
        yield base


def _clean(pg) -> None:
    """No script of an article ran, nothing failed (a CSP refusal is a console error)."""
    assert pg.evaluate("typeof window.__pwned") == "undefined"
    assert not pg.errors, pg.errors


def _shot(pg, name: str, full: bool = True) -> None:
    shot(pg, f"pages_{name}", full)


def test_browser_entity_page(page, server):
    page.goto(server + "/entities/place/Kharkov")
    assert page.url.endswith("/entities/place/Kharkiv")
    assert page.locator("h1.entity-name").inner_text().endswith("Kharkiv")
    assert page.locator("svg.columns rect.col").count() > 0
    assert page.locator("table.outlets-of tbody tr").count() >= 3
    assert page.locator("table.statements tbody tr").count() > 0
    assert page.locator("table.events tbody tr").count() > 0
    _shot(page, "entity")
    # a name on a document's page leads to its entity page
    page.locator("table.events tbody tr a[href^='/documents/']").first.click()
    page.wait_for_selector("#doc-body")
    page.locator("p.chips a.chip.ent-place").first.click()
    page.wait_for_selector("svg.columns, h1.entity-name")
    assert "/entities/place/" in page.url
    _clean(page)


def test_browser_sort_filter_and_json_twin(page, server):
    page.goto(server + "/statements")
    page.locator("th a.sort", has_text="Speaker").click()
    page.wait_for_url("**sort=speaker**")
    speakers = page.locator("table.statements tbody tr td:nth-child(2)").all_inner_texts()
    named = [s for s in speakers if s and not s.startswith("(")]
    assert named[:5] == sorted(named[:5])
    page.locator("th a.sort", has_text="Speaker").click()
    page.wait_for_url("**sort=-speaker**")
    assert page.locator("th[aria-sort=descending]").count() == 1
    outlet = page.locator("select[name=outlet] option").nth(1).get_attribute("value")
    page.select_option("select[name=outlet]", outlet)
    page.fill("input[name=date_from]", "2026-01-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**outlet=**")
    assert "sort=-speaker" in page.url  # the sort survives filtering
    outlets = set(page.locator("table.statements tbody tr td:nth-child(6)").all_inner_texts())
    assert outlets == {outlet}
    dates = page.locator("table.statements tbody tr td:nth-child(1)").all_inner_texts()
    assert dates and min(dates) >= "2026-01-01"
    _shot(page, "statements_filtered")
    page.locator("a.fmt-json").click()
    data = json.loads(page.locator("body").inner_text())
    assert data["sort"] == "-speaker" and {r["outlet"] for r in data["rows"]} == {outlet}
    _clean(page)


def test_browser_claims_and_contradictions(page, server):
    page.goto(server + "/claims")
    assert page.locator("table.claims tbody tr").count() > 3
    _shot(page, "claims")
    page.locator("table.claims a.badge.red").first.click()
    page.wait_for_selector(".sides")
    # each side says what it claims and shows the events that say it
    assert page.locator(".sides section.side").count() >= 2
    assert page.locator(".sides section.side").first.locator(".side-events li").count() >= 1
    assert " says " in page.locator(".sides section.side h2").first.inner_text()
    _shot(page, "contradiction")
    page.locator(".side h2 a").first.click()
    page.wait_for_selector("table.members")
    assert page.locator("table.members tbody tr").count() >= 1
    assert page.locator("section.contradictions li").count() >= 1
    _shot(page, "claim")
    _clean(page)


def test_browser_attention_two_queries(page, server):
    page.goto(server + "/attention")
    page.fill("input[name=q]", "drones")
    page.fill("input[name=q2]", "Kharkiv")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("figure.attention")
    assert page.locator("figure.attention").count() == 2
    assert page.locator("figure.attention polyline.series.total").count() == 2
    assert page.locator("figure.attention circle").count() > 2
    boxes = page.locator("svg.attention-chart").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.height]; })")
    assert boxes[0] == boxes[1] and boxes[0][1] > 100  # side by side, the same size...
    scales = page.locator("svg.attention-chart").evaluate_all(
        "els => els.map(e => [...e.querySelectorAll('text.val')].map(t => t.textContent))")
    assert scales[0] == scales[1] and len(scales[0]) > 1  # ...on one scale
    _shot(page, "attention")
    _clean(page)


def test_browser_timeline_filters(page, server):
    page.goto(server + "/timeline")
    before = page.locator("svg.timeline circle.dot").count()
    page.fill("input[name=date_from]", "2026-01-01")
    page.fill("input[name=date_to]", "2026-01-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**date_to=2026-01-31**")
    after = page.locator("svg.timeline circle.dot").count()
    assert 0 < after < before
    dates = page.locator("table.events tbody tr td:nth-child(1)").all_inner_texts()
    assert all("2026-01" <= d[:7] <= "2026-01" for d in dates if d[:4].isdigit())
    _shot(page, "timeline_filtered", full=False)
    _clean(page)


def _markers_in_view(pg) -> tuple[int, int]:
    """(markers drawn, markers whose centre is inside the map's box)."""
    return tuple(pg.evaluate("""() => {
      const box = document.getElementById('map').getBoundingClientRect();
      const ms = [...document.querySelectorAll('path.np-marker')];
      const inside = ms.filter(m => { const r = m.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom; });
      return [ms.length, inside.length]; }"""))


def test_browser_map_fits_its_data_and_slides_in_time(page, server):
    page.goto(server + "/map")
    page.wait_for_selector("#map[data-basemap=ready]", timeout=15000)
    page.wait_for_selector("path.np-marker")
    drawn, inside = _markers_in_view(page)
    assert inside >= 0.8 * drawn  # the bulk is in view...
    south, west, north, east = map(float, page.get_attribute("#map", "data-frame").split(","))
    assert north - south < 12 and east - west < 16  # ...and not the whole continent
    full = int(page.get_attribute("#map", "data-visible"))
    assert full == drawn
    _shot(page, "map_all", full=False)
    slider = page.locator("#time-slider")
    span = int(slider.get_attribute("max"))
    assert span > 30
    # back to the first day: only the places with an event by then
    slider.evaluate("(s, v) => { s.value = v; s.dispatchEvent(new Event('input')); }", "0")
    early = int(page.get_attribute("#map", "data-visible"))
    assert 0 < early < full
    assert page.locator("path.np-marker").count() == early
    assert page.locator("#time-label").inner_text().startswith("up to ")
    # a late day with a 7-day window: the week's places only
    slider.evaluate("(s, v) => { s.value = v; s.dispatchEvent(new Event('input')); }",
                    str(span))
    page.select_option("#time-window", "7")
    week = int(page.get_attribute("#map", "data-visible"))
    assert 0 < week < full
    label = page.locator("#time-label").inner_text()
    assert " – " in label and page.get_attribute("#map", "data-until") in label
    _shot(page, "map_slider_week", full=False)
    # a filtered map keeps the slider to its own events
    page.goto(server + "/map?date_to=2026-01-31")
    page.wait_for_selector("path.np-marker")
    assert page.get_attribute("#map", "data-until") <= "2026-01-31"
    _clean(page)


def test_browser_review_action(page, server):
    rows = httpx.get(server + "/statements.json").json()["rows"]
    target = next(r for r in rows if r["outlet"])
    page.goto(f"{server}/statements/{target['document_id']}/{target['position']}")
    form = page.locator("form.review-form")
    form.locator("input[name=note]").fill("speaker is <i>someone else</i>")
    form.locator("input[name=token]").fill(TOKEN)
    form.locator("button[value=wrong]").click()
    page.wait_for_selector(".verdict-wrong")
    assert "someone else" in page.locator(".review .note").inner_text()
    assert "<i>" in page.locator(".review .note").inner_text()  # shown as text
    assert page.locator(".review i").count() == 0
    assert page.locator("input[name=token]").count() == 0  # the cookie keeps the token
    _shot(page, "review_statement")
    # on the document page: its events, reviewed without typing the token again
    page.goto(f"{server}/documents/{target['document_id']}")
    assert page.locator(f"#statement-{target['position']} .verdict-wrong").count() == 1
    event_row = page.locator("table.events tbody tr").first
    event_row.locator("button[value=right]").click()
    page.wait_for_selector("table.events .verdict-right")
    _shot(page, "review_document")
    page.goto(server + "/reviews")
    assert page.locator("table.reviews tbody tr").count() == 2
    assert page.locator("table.reviews .verdict-wrong").count() == 1
    _shot(page, "reviews")
    page.goto(server + "/statements")
    assert page.locator("table.statements .verdict-wrong").count() == 1
    _clean(page)


def test_browser_hostile_article_on_new_pages(page, server):
    for path in ("/entities/place/Kherson", "/statements?page_size=200",
                 "/events?place=Kherson", "/attention?q=Kherson"):
        page.goto(server + path)
        assert page.locator("main script, main img, main b").count() == 0, path
        _clean(page)
    page.goto(server + "/entities/place/Kherson")
    assert "window.__pwned=1" in page.locator("main").inner_text()
    _shot(page, "hostile_entity")
