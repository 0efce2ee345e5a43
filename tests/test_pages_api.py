"""What issue 15 left for the API and the CLI, on both backends: `sort` on /api/statements and
/api/events and on the `statements` and `events` listings (the read layer's one sort,
read/pages.py, as the pages use it); confidence on events and near-duplicate pairs (stored by
the pipeline and the link stage, filtered with `min_confidence`, exported); the reviews export
(`newsprism export --kind reviews`, /api/reviews.csv).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import app_client, newsprism

from newsprism.read import pages as views

pytestmark = pytest.mark.xdist_group("pages_api")


@pytest.fixture(scope="module")
def api(demo_db):
    with app_client(demo_db) as client:
        yield client


def _values(rows: list[dict], column: str) -> list:
    return [r[column] for r in rows]


def _sorted_with_empty_last(values: list, descending: bool) -> bool:
    present = [v for v in values if v is not None]
    return (present == sorted(present, reverse=descending)
            and values[len(present):] == [None] * (len(values) - len(present)))


# -- sort -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, key, column", [
    ("/api/statements", "speaker", "speaker"), ("/api/statements", "outlet", "outlet"),
    ("/api/events", "place", "place"), ("/api/events", "actor", "actor"),
    ("/api/events", "claimed_by", "claimed_by")])
def test_api_sorts_by_an_allowed_column_either_way(api, path, key, column):
    up = api.get(f"{path}?sort={key}&limit=500").json()
    down = api.get(f"{path}?sort=-{key}&limit=500").json()
    assert up["sort"] == key and down["sort"] == f"-{key}"
    assert up["total"] == down["total"] == len(up["items"])
    ups, downs = _values(up["items"], column), _values(down["items"], column)
    assert len({v for v in ups if v is not None}) > 1
    assert _sorted_with_empty_last(ups, False) and _sorted_with_empty_last(downs, True)
    # the same rows as the page's .json twin, in the same order
    page = api.get(f"{path.removeprefix('/api')}.json?sort={key}&page_size=200").json()
    assert [(r["document_id"], r["position"]) for r in page["rows"]] == [
        (r["document_id"], r["position"]) for r in up["items"][:200]]


def test_api_default_order_is_newest_first_and_unchanged(api):
    found = api.get("/api/events?limit=500").json()
    assert found["sort"] == "-date"
    assert found["items"] == api.get("/api/events?limit=500&sort=-date").json()["items"]
    days = [r["date"] or r["published"] for r in found["items"]]
    present = [d for d in days if d]
    assert present == sorted(present, reverse=True)


def test_api_sort_pages_do_not_overlap(api):
    first = api.get("/api/statements?sort=speaker&limit=10&page=1").json()["items"]
    second = api.get("/api/statements?sort=speaker&limit=10&page=2").json()["items"]
    keys = {(r["document_id"], r["position"]) for r in first}
    assert len(first) == len(second) == 10
    assert not keys & {(r["document_id"], r["position"]) for r in second}


@pytest.mark.parametrize("path, kind", [("/api/statements", "statements"),
                                        ("/api/events", "events")])
@pytest.mark.parametrize("bad", ["text", "-", "place;drop", "--date"])
def test_api_unknown_sort_is_a_422_naming_the_columns(api, path, kind, bad):
    r = api.get(path, params={"sort": bad})
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert f"'sort' must be one of {', '.join(views.SORTS[kind][0])}" in detail
    assert "\n" not in detail


@pytest.mark.parametrize("command, key, column", [
    ("statements", "-speaker", "speaker"), ("events", "place", "place"),
    ("events", "-outlet", "outlet")])
def test_cli_listings_sort(demo_db, command, key, column):
    proc = newsprism(command, "--db", demo_db, "--sort", key, "--limit", "500", "--json",
                     check=True)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    # an unnamed source is shown by its description, in brackets: those are the empty ones
    values = [None if v is None or v.startswith("(") else v for v in _values(rows, column)]
    assert len({v for v in values if v is not None}) > 1
    assert _sorted_with_empty_last(values, key.startswith("-"))


@pytest.mark.parametrize("command", ["statements", "events"])
def test_cli_unknown_sort_is_one_line_and_exit_2(demo_db, command):
    proc = newsprism(command, "--db", demo_db, "--sort", "nope")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: invalid --sort: 'sort' must be one of date, ")
    assert "'nope'" in lines[0]


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))
