"""Confidence on the pages (issue 15) in Debian's Chromium against a real `newsprism serve`
process: the event listing's sortable Confidence column and its `min_confidence` filter, the
story page's events and the confidence of a copy's pairing, the document page's pairs. The
bars are SVG (the pages' policy allows no inline style), so a bar drawn is a bar the policy
let through. Screenshots go to tests/artifacts/ (git-ignored).

Skips, saying why, when /usr/bin/chromium is missing (CI installs it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from conftest import ARTIFACTS, serving, shot

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("pages_browser_confidence")]

BAR = 40  # the width of a full bar (web/templates/_macros.html `confidence`)


@pytest.fixture(scope="module")
def server(demo_sqlite, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("pages_confidence") / "demo.db"
    shutil.copy(demo_sqlite, path)
    with serving(path, ready="/api/health") as base:
        yield base


def _shot(pg, name: str, full: bool = True) -> None:
    shot(pg, f"pages_{name}", full)


def _shown(pg, scope: str = "") -> list[tuple[float, float, float]]:
    """(number shown, bar's drawn width, bar's full width) of each confidence in `scope`."""
    return [tuple(x) for x in pg.locator(f"{scope} .confidence".strip()).evaluate_all(
        """els => els.map(e => [parseFloat(e.textContent),
                                 e.querySelector('.conf-fill').getBoundingClientRect().width,
                                 e.querySelector('.conf-track').getBoundingClientRect().width])""")]


def test_browser_events_sort_and_filter_by_confidence(page, server):
    page.goto(server + "/events")
    before = int(page.locator("p.count").inner_text().split()[0])
    page.locator("th a.sort", has_text="Confidence").click()
    page.wait_for_url("**sort=confidence**")
    page.locator("th a.sort", has_text="Confidence").click()
    page.wait_for_url("**sort=-confidence**")
    assert page.locator("th[aria-sort=descending]", has_text="Confidence").count() == 1
    shown = _shown(page, "table.events")
    values = [v for v, _w, _full in shown]
    assert len(values) == 50 and values == sorted(values, reverse=True)
    assert values[0] > values[-1]
    for value, width, full in shown:  # each bar is as long as its number says
        assert full == pytest.approx(BAR, abs=0.5)
        assert width == pytest.approx(value * BAR, abs=0.6)
    colours = set(page.locator("table.events .confidence").evaluate_all(
        "els => els.map(e => getComputedStyle(e.querySelector('.conf-fill')).fill)"))
    assert len(colours) >= 2  # the page's stylesheet colours them by band
    _shot(page, "events_by_confidence", full=False)
    page.fill("input[name=min_confidence]", "0.6")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**min_confidence=0.6**")
    assert "sort=-confidence" in page.url  # the sort survives filtering
    after = int(page.locator("p.count").inner_text().split()[0])
    assert 0 < after < before
    kept = [v for v, _w, _f in _shown(page, "table.events")]
    assert kept and min(kept) >= 0.6
    data = httpx.get(server + "/api/events", params={"min_confidence": "0.6"}).json()
    assert data["total"] == after
    _shot(page, "events_min_confidence", full=False)
    assert not page.errors, page.errors
    # a value that is not a number from 0 to 1 is a page saying so
    response = page.goto(server + "/events?min_confidence=3")
    assert response.status == 400
    assert "must be a number from 0 to 1" in page.locator("main").inner_text()


def test_browser_story_and_document_show_confidence(page, server):
    stories = httpx.get(server + "/api/stories").json()["items"]
    for story in stories:
        page.goto(f"{server}/stories/{story['story']}")
        if page.locator("th.doc-col .badge.grey").count():
            break
    else:
        pytest.fail("no story of the demo has a copy")
    copy_cell = page.locator("th.doc-col", has=page.locator(".badge.grey")).first
    pairing = _shown(page, "th.doc-col")
    assert pairing and all(0 < v <= 1 for v, _w, _f in pairing)
    assert "pairing" in copy_cell.locator(".confidence").get_attribute("title")
    cells = _shown(page, "table.compare td")
    assert cells and all(0 <= v <= 1 for v, _w, _f in cells)
    _shot(page, "story_confidence")
    # the copy's document page gives the same pairing confidence next to its similarity
    copy_cell.locator("a").first.click()
    page.wait_for_selector("#doc-body")
    dups = _shown(page, "ul.dups")
    assert [v for v, _w, _f in dups][:1] == [pairing[0][0]]
    assert len(_shown(page, "table.events")) == page.locator("table.events tbody tr").count()
    _shot(page, "document_confidence")
    assert not page.errors, page.errors
    assert Path(ARTIFACTS / "pages_story_confidence.png").stat().st_size > 10_000
