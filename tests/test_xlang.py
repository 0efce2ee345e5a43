"""Across languages, through the CLI (in this process) and a real SQLite store, as people run it.

tests/fixtures/xlang/feed.jsonl (invented for these tests): a Ukrainian outlet's report of a
drone strike on a Kharkiv substation (#1), an English wire item that translates it and credits it
(#2), the wire's own Russian edition of that item (#3, on another language subdomain), an
independent English report of the same strike by another outlet (#4), and two Russian articles
that are other news: a strike on Odesa the same day, with some of the same figures (#5), and
shelling in Kherson six days later (#6).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import newsprism

from newsprism.link.crosslang import Anchors, is_translation, number_key
from newsprism.link.names import canonical_names, outlet_key
from newsprism.model import Document
from newsprism.read import open_store
from newsprism.store import EventFilter, Store

FEED = Path(__file__).parent / "fixtures" / "xlang" / "feed.jsonl"
LINES = FEED.read_text(encoding="utf-8").splitlines()
UK, EN_WIRE, RU_WIRE, EN_OTHER, RU_ODESA, RU_KHERSON = (json.loads(x) for x in LINES)

pytestmark = pytest.mark.xdist_group("xlang")  # module fixtures built once


def cli(*args: str) -> str:
    return newsprism(*args, check=True).stdout


def rows(*args: str) -> list[dict]:
    return [json.loads(x) for x in cli(*args, "--json").splitlines()]


def by_outlet(db: str) -> dict[str, Document]:
    store = Store(db)
    try:
        return {d.outlet: d for d in store.iter_documents() if d.outlet != "Yuzhny Vestnik"} | \
            {d.title: d for d in store.iter_documents() if d.outlet == "Yuzhny Vestnik"}
    finally:
        store.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("xlang") / "xlang.db")
    cli("run", str(FEED), "--db", path)
    return path


def test_translations_and_the_independent_report_are_one_story(db):
    docs = by_outlet(db)
    story = docs[UK["outlet"]].story
    for outlet in (EN_WIRE["outlet"], RU_WIRE["outlet"], EN_OTHER["outlet"]):
        assert docs[outlet].story == story, outlet
    assert {d.language for d in docs.values() if d.story == story} == {"en", "ru", "uk"}


def test_other_russian_news_stays_apart(db):
    docs = by_outlet(db)
    kharkiv = docs[UK["outlet"]].story
    odesa, kherson = docs[RU_ODESA["title"]].story, docs[RU_KHERSON["title"]].story
    assert len({kharkiv, odesa, kherson}) == 3
    stories = rows("stories", "--db", db)
    assert [s["documents"] for s in stories] == [4, 1, 1]


def test_a_translation_is_a_copy_of_its_original(db):
    docs = by_outlet(db)
    wire, original = docs[EN_WIRE["outlet"]], docs[UK["outlet"]]
    store = Store(db)
    try:
        details = {d["id"]: d for d in store.near_duplicate_details(wire.id)}
        copy_of = store.copy_map()
    finally:
        store.close()
    assert details[original.id]["relation"] == "copy_of"
    assert details[original.id]["reason"].startswith("translation (uk → en)")
    assert "credits Slobozhanska Khvylia" in details[original.id]["reason"]
    assert "Oleh Syniehubov" in details[original.id]["shared"]
    independent = docs[EN_OTHER["outlet"]]
    assert independent.id not in copy_of and independent.id not in copy_of.values()
    # the wire's Russian edition is a translation too (of its English one or of the original)
    assert copy_of[docs[RU_WIRE["outlet"]].id] in {wire.id, original.id}


def test_claims_count_one_outlet_once_across_languages(db):
    claims = rows("claims", "--db", db)
    strike = next(c for c in claims if c["type"] == "strike_or_damage" and c["place"] == "Kharkiv")
    outlets = strike["outlets"].split(", ")
    # the wire's items are translations of the Ukrainian report: they count for it, once
    assert set(outlets) == {UK["outlet"], EN_OTHER["outlet"]}
    assert strike["outlet_count"] == 2
    for claim in claims:
        names = claim["outlets"].split(", ")
        assert claim["outlet_count"] == len(names) == len(set(names))
        assert not {EN_WIRE["outlet"], RU_WIRE["outlet"]} & set(names), claim


def test_linking_again_changes_nothing(db):
    store = Store(db)
    try:
        before = (store.copy_map(), store.stories(), store.claims_for())
    finally:
        store.close()
    assert "0 new near-duplicate pair(s)" in cli("link", "--db", db)
    store = Store(db)
    try:
        assert (store.copy_map(), store.stories(), store.claims_for()) == before
    finally:
        store.close()


def test_originals_added_later_join_the_english_story(tmp_path):
    first, second = tmp_path / "en.jsonl", tmp_path / "uk-ru.jsonl"
    first.write_text("\n".join([LINES[1], LINES[5]]) + "\n", encoding="utf-8")
    second.write_text("\n".join([LINES[0], LINES[2]]) + "\n", encoding="utf-8")
    path = str(tmp_path / "later.db")
    cli("run", str(first), "--db", path)
    assert [s["documents"] for s in rows("stories", "--db", path)] == [1, 1]
    cli("run", str(second), "--db", path)
    assert [s["documents"] for s in rows("stories", "--db", path)] == [3, 1]
    claims = rows("claims", "--db", path)
    assert {c["outlets"] for c in claims if c["place"] == "Kharkiv"} == {UK["outlet"]}


# -- one name in every language ------------------------------------------------------------------

def test_entity_lists_group_every_language_under_the_english_name(db):
    places = rows("entities", "--type", "place", "--db", db)
    kharkiv = [p for p in places if p["name"] == "Kharkiv"]
    assert len(kharkiv) == 1 and kharkiv[0]["documents"] == 4
    assert not any(any("А" <= ch <= "я" or ch in "ІіЇїЄє" for ch in p["name"]) for p in places)


def test_cli_filters_take_cyrillic_spellings(db):
    assert [e["name"] for e in rows("entities", "--name", "Синегубова", "--db", db)] == \
        ["Oleh Syniehubov"]
    events = rows("events", "--place", "Харкові", "--db", db)
    assert events and {e["place"] for e in events} == {"Kharkiv"}
    said = rows("statements", "--speaker", "Синєгубова", "--db", db)
    assert {s["speaker"] for s in said} == {"Oleh Syniehubov"}
    assert len({s["document_id"] for s in said}) == 3


@pytest.mark.parametrize(("typed", "name"), [
    ("Харків", "Kharkiv"), ("Харькове", "Kharkiv"), ("Kharkov", "Kharkiv"),
    ("Синєгубов", "Oleh Syniehubov"), ("Терехов", "Ihor Terekhov"),
    ("Минобороны России", "Ministry of Defence of Russia"),
])
def test_name_filter_takes_any_spelling(db, typed, name):
    store = open_store(db)  # what `entities --name`, /api/entities and the web lists call
    try:
        assert [e["name"] for e in store.entity_summary(name=typed)][:1] == [name]
    finally:
        store.close()


@pytest.mark.parametrize("typed", ["Харків", "Харьков", "Kharkov"])
def test_place_filter_takes_any_spelling(db, typed):
    store = open_store(db)
    try:
        assert {e["place"] for e in store.events_page(EventFilter(place=typed))[1]} == {"Kharkiv"}
    finally:
        store.close()


def test_api_entities_and_document_filters_take_cyrillic(db):
    from fastapi.testclient import TestClient

    from newsprism.api.app import create_app

    with TestClient(create_app(db)) as client:
        items = client.get("/api/entities", params={"name": "Харків"}).json()["items"]
        assert items[0]["name"] == "Kharkiv" and items[0]["documents"] == 4
        docs = client.get("/api/documents", params={"entity": "Терехов"}).json()
        assert docs["total"] == 4
        docs = client.get("/api/documents", params={"place": "Харкові"}).json()
        assert docs["total"] == 4


# -- the parts -----------------------------------------------------------------------------------

def test_figures_are_one_whatever_the_grouping():
    assert number_key("4,300") == number_key("4 300") == number_key("4\u202f300") == "4300"
    assert number_key("1,5") == number_key("1.5") == "1.5"
    assert number_key("02:00") == "2:00"


def test_an_outlet_is_one_across_editions_and_scripts():
    assert outlet_key("ru.example-wire.com") == outlet_key("en.example-wire.com") \
        == outlet_key("Example Wire")
    assert outlet_key("РИА Новости") == outlet_key("RIA Novosti")
    assert outlet_key("Укрінформ") == outlet_key("ukrinform.ua")
    assert outlet_key("Harbour Gazette") != outlet_key("Example Wire")


def test_canonical_names_of_a_query():
    assert canonical_names("у Києві") == ("Kyiv",)
    assert canonical_names("Харківська область", "place") == ("Kharkiv Oblast",)
    assert canonical_names("Zelenskyy") == ("Volodymyr Zelensky",)
    assert canonical_names("Вовчанськ") == canonical_names("Волчанск") == ("Vovchansk",)
    assert canonical_names("nothing known here") == ()


def _anchors(doc_id: str, published: str, order: list[str]) -> Anchors:
    return Anchors(doc_id, "en", None, published,
                   {a: i / len(order) for i, a in enumerate(order)})


def test_same_names_and_figures_in_another_order_are_not_a_translation():
    order = ["place:Kharkiv", "person:Oleh Syniehubov", "number:17", "number:11", "number:4300",
             "person:Ihor Terekhov"]
    original = _anchors("a", "2026-03-14", order)
    assert is_translation(original, _anchors("b", "2026-03-14", order))
    assert not is_translation(original, _anchors("b", "2026-03-14", order[::-1]))
    assert not is_translation(original, _anchors("b", "2026-03-20", order))  # days later
    names_only = [a for a in order if not a.startswith("number:")] + ["organization:X"]
    assert not is_translation(_anchors("a", "2026-03-14", names_only),
                              _anchors("b", "2026-03-14", names_only))
