"""Linking batch by batch gives what linking everything at once gives, on each backend.

The demo corpus and the cross-language feed arrive in three runs (the plain-text articles,
then the HTML and JSONL ones, then the Russian and Ukrainian feed), each linked as it comes;
then `link --full` forgets stories, claims, contradictions and translations and links every
document again in one batch. A reader sees the same stories, claims, contradictions and copies
either way.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from newsprism import read, runner
from newsprism.link.near_duplicates import NearDuplicateIndex
from newsprism.link.run import link
from newsprism.link.stories import MIN_WINDOW, StoryDoc, cluster
from newsprism.model import Document, Entity, Event
from newsprism.read import open_store
from newsprism.store.schema import events

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "demo" / "corpus"
FEED = Path(__file__).parent / "fixtures" / "xlang" / "feed.jsonl"
BATCHES = [[CORPUS / "txt"], [CORPUS / "html", CORPUS / "jsonl"], [FEED]]


def snapshot(store) -> dict:
    return {
        "story of": store.story_of(),
        "stories": store.stories(limit=1000),
        "claims": store.claims_for(),
        "contradictions": sorted((c["kind"], c["place"], c["description"], c["claim_a"],
                                  c["claim_b"]) for c in store.contradictions()),
        "copies": store.copy_map(),
    }


@pytest.fixture(scope="module")
def linked(databases):
    """Three batches, each linked; the snapshot after them; then a full re-link."""
    db = databases.create("incremental")
    store = open_store(db)
    phases: list[list[str]] = []
    for paths in BATCHES:
        runner.run(paths, store)
        seen: list[str] = []
        link(store, lambda phase, _n, _total, seen=seen: seen.append(phase))
        phases.append(list(dict.fromkeys(seen)))
    incremental = snapshot(store)
    full = link(store, full=True)
    yield store, incremental, snapshot(store), full, phases
    store.close()
    databases.drop(db)


def test_full_relink_finds_what_the_batches_found(linked):
    """Stories, claims, contradictions and copies agree exactly: the batches' links were
    checked again wherever a later batch changed the weights (the Russian and Ukrainian feed,
    two months after the rest, changes none of theirs)."""
    _store, incremental, full, _report, _phases = linked
    assert incremental["stories"] and incremental["claims"] and incremental["contradictions"]
    for key in ("story of", "stories", "claims", "contradictions", "copies"):
        assert incremental[key] == full[key], key


def test_a_backlog_linked_a_few_documents_at_a_time_finds_what_one_batch_finds(
        linked, databases):
    """A large backlog is linked in batches (link.run.LINK_BATCH), each committed before the
    next: here twenty documents, then the other fourteen, with phases named by batch."""
    _store, _incremental, full, _report, _phases = linked
    db = databases.create("backlog")
    store = open_store(db)
    try:
        for paths in BATCHES:
            runner.run(paths, store)
        seen: list[str] = []
        link(store, lambda phase, _n, _total: seen.append(phase), batch=20)
        assert "Linking: stories (batch 2 of" in " ".join(seen), seen
        assert store.unlinked_count() == 0
        batched = snapshot(store)
        for key in full:
            assert batched[key] == full[key], key
    finally:
        store.close()
        databases.drop(db)


def test_a_later_batch_joins_earlier_stories(linked):
    store, incremental, _full, _report, _phases = linked
    first = {d.id for d in store.iter_documents() if "/txt/" in d.source}
    later = {d.id for d in store.iter_documents() if "/html/" in d.source}
    story_of = incremental["story of"]
    assert {story_of[i] for i in later} & {story_of[i] for i in first}


def test_the_full_relink_reports_the_whole_store(linked):
    store, incremental, _full, report, _phases = linked
    assert report.stories == len(store.stories(limit=10_000))
    assert report.claims == len(incremental["claims"])
    assert report.contradictions == len(incremental["contradictions"])


def test_every_phase_of_linking_reports_progress(linked):
    *_rest, phases = linked
    for seen in phases:
        assert seen[0] == "Linking: near-duplicates"
        assert {"Linking: stories", "Linking: claims"} <= set(seen)
        assert seen[-1] == "Linking: writing"


def test_a_story_is_read_a_page_at_a_time(linked):
    store, *_rest = linked
    biggest = store.stories(limit=1)[0]
    assert biggest["documents"] >= 3
    pages = [read.story_view(store, biggest["story"], page, 2)
             for page in range(1, -(-biggest["documents"] // 2) + 1)]
    seen = [d.id for view in pages for d in view.documents]
    assert all(len(view.documents) <= 2 for view in pages)
    assert {view.total for view in pages} == {biggest["documents"]}
    assert len(seen) == len(set(seen)) == biggest["documents"]
    assert set(seen) == {i for i, s in store.story_of().items() if s == biggest["story"]}
    first = {d.id for d in pages[0].documents}
    assert all({m.document_id for m in c.members} & first for c in pages[0].claims)
    assert pages[0].title == biggest["title"]


def test_a_new_document_is_compared_with_the_weeks_around_it_only():
    index = NearDuplicateIndex()
    (first, last), = index.periods(["2025-11-11"])
    assert first <= "2025-11-04" and last >= "2025-11-18"  # a week either side at least
    assert last < "2025-12-01"
    assert len(index.periods(["2025-01-02", "2025-06-01"])) == 2
    assert index.periods(["2025-11-11", None]) is None  # an undated one: compared with all


def _story_doc(doc_id: str, day: str, *features: str) -> StoryDoc:
    return StoryDoc(doc_id, f"outlet {doc_id}", day, Counter(dict.fromkeys(features, 1.0)))


def test_news_months_later_does_not_change_whether_two_reports_are_one_story():
    """Two reports of a ferry strike on consecutive days, among the other news of those weeks
    (enough of it to weigh words by, stories.MIN_WINDOW), are one story. Three hundred
    articles two months later name the same town, ferry and strike (its anniversary
    festival): they are too far apart in time to join either report, and do not part them
    either, though over the whole archive they would make those words common."""
    strike = [_story_doc("a", "2026-01-14", "place:Harbour Town", "word:ferry", "word:strike",
                         "word:dockers", "word:wages", "word:union"),
              _story_doc("b", "2026-01-15", "place:Harbour Town", "word:ferry", "word:strike",
                         "word:timetable", "word:tourists", "word:council")]
    other_news = [_story_doc(f"n{k}", f"2026-01-{2 + k % 27:02d}", f"word:budget{k}",
                             f"word:vote{k}") for k in range(MIN_WINDOW)]
    festival = [_story_doc(f"f{k}", f"2026-03-{15 + k % 10}", "place:Harbour Town",
                           "word:ferry", "word:strike", f"word:festival{k}")
                for k in range(300)]
    then = cluster([*strike, *other_news])
    assert then["a"] == then["b"]  # what the first batch links (and keeps)
    now = cluster([*strike, *other_news, *festival])
    assert {now[d.id] for d in festival} & {now["a"], now["b"]} == set()
    assert now["a"] == now["b"]  # what a full linking finds too


_SYLLABLES = ("ka", "lo", "vin", "dre", "mu", "sta", "pel", "or", "gan", "ti", "bru", "sen")
_PLACES = [("Portvale", 46.1, 30.2), ("Millbrook", 48.3, 35.0), ("Eastfen", 49.9, 36.1),
           ("Greyridge", 47.2, 33.3), ("Lowmarsh", 50.4, 31.8)]


def _dense_archive(count: int = 450, days: int = 30, seed: int = 4) -> list[Document]:
    """Invented news, 15 documents a day for a month: stories of 2-40 reports within three
    days of their first, each with words of its own, at one of a few places, among words
    every story uses; dense enough that each document's weights come from its own weeks."""
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(3))

    common = [word() for _ in range(60)]
    docs: list[Document] = []
    story = 0
    while len(docs) < count:
        story += 1
        own = [word() for _ in range(12)]
        place, lat, lon = rng.choice(_PLACES)
        first = rng.randrange(days)
        for _ in range(min(count - len(docs), int(rng.paretovariate(1.2)) + 1, 40)):
            words = rng.sample(own, 6) * 2 + rng.sample(common, 15)
            rng.shuffle(words)
            text = f"Reports from {place}: " + " ".join(words) + "."
            day = date(2026, 2, 1) + timedelta(days=min(days - 1, first + rng.randrange(3)))
            doc_id = hashlib.sha256(f"{story}/{len(docs)}".encode()).hexdigest()[:16]
            docs.append(Document(
                doc_id, f"invented/{story}/{len(docs)}.txt", text.encode(), "text",
                title=f"Story {story}", published=day.isoformat(),
                outlet=f"Outlet {rng.randrange(12)}", language="en", lines=[text],
                entities=[Entity("place", place, [place], lat, lon, "XX", "settlement")]))
    return docs


def test_a_dense_archive_arriving_out_of_order_is_linked_as_a_full_linking_links_it(databases):
    """Three runs, each of documents from every day of the month (late news among them), each
    linked as it comes, give the stories a full linking of everything gives: the documents
    whose weeks a run adds to are checked again, and a link undone splits its story."""
    docs = _dense_archive()
    random.Random(9).shuffle(docs)
    db = databases.create("dense")
    store = open_store(db)
    try:
        for part in (docs[:150], docs[150:300], docs[300:]):
            store.add(part)
            link(store, batch=100)
        incremental = snapshot(store)
        assert len({s["story"] for s in incremental["stories"] if s["documents"] > 1}) > 10
        link(store, full=True)
        full = snapshot(store)
        for key in ("story of", "stories", "copies"):
            assert incremental[key] == full[key], key
    finally:
        store.close()
        databases.drop(db)


def _claims_snapshot(store) -> dict:
    with store.engine.connect() as conn:
        confidence = sorted(conn.execute(select(events.c.document_id, events.c.position,
                                                events.c.confidence)).all())
    return {"claims": store.claims_for(),
            "contradictions": sorted((c["kind"], c["place"], c["description"], c["claim_a"],
                                      c["claim_b"]) for c in store.contradictions()),
            "confidence": confidence}


_SIDES = ("Russian forces", "Ukrainian forces")


def _front_line(days: int = 70, seed: int = 5) -> list[Document]:
    """Reports from two towns shelled and fought over every day for ten weeks: each day's
    events at a town chain into the next day's, so no gap in the news ever starts a claim
    afresh. Control claims by both sides, different counts and days for the same event,
    denials, events dated only to their month or year, undated reports and copies."""
    rng = random.Random(seed)
    towns = [("Portvale", 46.1, 30.2), ("Millbrook", 48.3, 35.0)]
    kinds = ["territorial_control", "advance", "withdrawal", "shelling"]
    docs: list[Document] = []
    start = date(2026, 1, 20)
    for k in range(days * 4):
        town, lat, lon = rng.choice(towns)
        day = start + timedelta(days=k // 4)
        kind = rng.choice(kinds)
        side = rng.choice(_SIDES)
        count = rng.choice((12, 40, 7))
        published = day.isoformat() if k % 37 else None
        when = (day - timedelta(days=rng.randrange(3))).isoformat()
        if k % 67 == 0:
            when = when[:7]  # "in February": the month's events there join it
        elif k == 150:
            when, kind = when[:4], "advance"  # "this year": so do all the year's
        modality = "denied" if k % 9 == 0 else "asserted"
        evidence = f"{side} {kind} at {town}: {count} drones, report {k}."
        words = " ".join("".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(30))
        text = f"Report {k} from {town}. {evidence} {words}."
        outlet = f"Outlet {rng.randrange(6)}"
        events_ = [Event(kind, side, town, when, rng.choice((None, "the General Staff")),
                         evidence, modality, "day" if len(when) == 10 else None)]
        if k % 5 == 0:
            events_.append(Event("shelling", None, town, None, None, f"Shelling of {town}."))
        doc_id = hashlib.sha256(f"front/{k}".encode()).hexdigest()[:16]
        docs.append(Document(
            doc_id, f"invented/front/{k}.txt", text.encode(), "text", title=f"Report {k}",
            published=published, outlet=outlet, language="en", lines=[text],
            entities=[Entity("place", town, [town], lat, lon, "XX", "settlement")],
            events=events_))
        if k % 13 == 0:  # another outlet copies it word for word
            copy_id = hashlib.sha256(f"front/{k}/copy".encode()).hexdigest()[:16]
            docs.append(Document(
                copy_id, f"invented/front/{k}-copy.txt", text.encode(), "text",
                title=f"Report {k}", published=published, outlet="Outlet copying",
                language="en", lines=[text], entities=docs[-1].entities,
                events=[Event(e.type, e.actor, e.place, e.date, e.claimed_by, e.evidence,
                              e.modality, e.date_precision) for e in events_]))
    return docs


@pytest.mark.parametrize("order", ["in order", "shuffled"])
def test_claims_of_a_town_in_the_news_every_day_are_those_a_full_linking_finds(databases,
                                                                               order):
    """A batch groups a place's claims again from the last claim opened before its own days
    (not from every event there), and finds the claims, contradictions and event confidences
    a full linking of everything finds: news arriving day by day, and late news among it."""
    docs = _front_line()
    if order == "shuffled":
        random.Random(3).shuffle(docs)
    db = databases.create("front")
    store = open_store(db)
    try:
        for part in range(0, len(docs), 60):
            store.add(docs[part:part + 60])
            link(store, batch=25)
        incremental = _claims_snapshot(store)
        kinds = {c[0] for c in incremental["contradictions"]}
        assert {"control", "numbers", "dates", "denial"} <= kinds, kinds
        assert len(incremental["claims"]) > 50
        link(store, full=True)
        full = _claims_snapshot(store)
        for key in full:
            assert incremental[key] == full[key], key
    finally:
        store.close()
        databases.drop(db)


def test_a_days_news_reads_the_days_of_a_town_it_regroups_not_all_its_events(databases,
                                                                              monkeypatch):
    """Adding a day's reports to ten weeks of daily news from two towns reads their events
    from the last claim opened before that day, not the hundreds stored there."""
    docs = sorted(_front_line(), key=lambda d: d.published or "")
    db = databases.create("front-day")
    store = open_store(db)
    try:
        store.add(docs[:-6])
        link(store)
        read: list[int] = []
        original = store.event_rows_from

        def counted(since):
            rows = original(since)
            read.append(len(rows))
            return rows

        monkeypatch.setattr(store, "event_rows_from", counted)
        store.add(docs[-6:])
        link(store)
        assert 0 < sum(read) < 80, read
        assert store.claim_count() > 50
    finally:
        store.close()
        databases.drop(db)


def test_a_copy_in_a_claim_of_its_own_counts_for_the_outlet_it_copied(databases):
    """A copy dates the event a week later than the article it copies, so the two are in
    different claims: the copy's claim is still carried by the copied outlet (it used to be
    carried by nobody, as the original was in another claim)."""
    rng = random.Random(2)
    words = " ".join("".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(40))
    text = f"Russian forces took Portvale, officials said. {words}."
    place = [Entity("place", "Portvale", ["Portvale"], 46.1, 30.2, "XX", "settlement")]

    def doc(name: str, outlet: str, published: str, when: str) -> Document:
        return Document(hashlib.sha256(name.encode()).hexdigest()[:16], f"invented/{name}.txt",
                        text.encode(), "text", title="Portvale", published=published,
                        outlet=outlet, language="en", lines=[text], entities=place,
                        events=[Event("territorial_control", "Russian forces", "Portvale",
                                      when, None, text[:45])])

    original = doc("original", "Harbour Post", "2026-02-01", "2026-02-01")
    copy = doc("copy", "Daily Echo", "2026-02-09", "2026-02-09")
    db = databases.create("copy-claim")
    store = open_store(db)
    try:
        store.add([original, copy])
        link(store)
        assert store.copy_map() == {copy.id: original.id}
        by_member = {m[0]: c for c in store.claims_for() for m in c["members"]}
        assert by_member[copy.id]["id"] != by_member[original.id]["id"]
        assert by_member[copy.id]["outlets"] == ["Harbour Post"]
        assert by_member[original.id]["outlets"] == ["Harbour Post"]
    finally:
        store.close()
        databases.drop(db)
