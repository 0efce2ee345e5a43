"""The store on each backend: idempotent batches, raw bytes kept, full-text search and its
paging, stable export order, and documents one backend would take and the other refuse."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import random
import subprocess
import sys

import pytest
from conftest import newsprism, process_env

from newsprism.model import Document, Entity, RemovedLine, Statement, content_id
from newsprism.store import DocumentError, DocumentFilter, Store, database_url


def make_doc(text: str, published: str | None = None, title: str | None = None,
             outlet: str | None = None) -> Document:
    raw = text.encode()
    return Document(
        id=content_id(raw), source="mem", raw=raw, kind="text", lines=text.split("\n"),
        published=published, title=title, outlet=outlet,
        removed=[RemovedLine("Subscribe", "account"), RemovedLine("Menu", "navigation")],
    )


@pytest.fixture
def store(db_url):
    opened = Store(db_url)
    yield opened
    opened.close()


def test_adding_twice_adds_nothing_and_keeps_raw_bytes(store):
    docs = [make_doc("First line.\nSecond line."), make_doc("Another article.")]
    assert store.add(docs) == 2
    assert store.add(docs + docs) == 0
    assert store.count() == 2
    again = store.get(docs[0].id)
    assert again.lines == ["First line.", "Second line."]
    assert [(r.line, r.reason) for r in again.removed] == [
        ("Subscribe", "account"), ("Menu", "navigation"),
    ]
    assert store.raw(docs[0].id) == b"First line.\nSecond line."


def test_search_ranks_title_hits_and_survives_bad_syntax(store):
    store.add([
        make_doc("Shelling continued near the town for a third day.", title="Vovchansk update"),
        make_doc("Vovchansk was mentioned once in this long report about logistics."),
        *[make_doc(f"Nothing relevant in report {i}.") for i in range(8)],
    ])
    hits = store.search("Vovchansk")
    assert len(hits) == 2 and hits[0].title == "Vovchansk update"
    assert hits[0].score > hits[1].score
    assert store.search('"unbalanced quote') == []
    assert len(store.search('Vovchansk"')) == 2  # not FTS syntax: searched literally
    assert len(store.search("vovchansk")) == 2  # case does not matter
    for odd in ("(", "*", "AND OR", "NEAR(", "\x00", "😀", "-", "'; DROP TABLE documents"):
        assert isinstance(store.search(odd), list), odd
    snippet = store.search("logistics")[0].snippet
    assert "\x02logistics\x03" in snippet


def test_snippets_mark_hits_and_show_where_the_text_was_cut(store):
    filler = " ".join(f"word{i}" for i in range(40))
    long = make_doc(f"{filler} the barge sank near the quay {filler}")
    short = make_doc("A barge sank.")
    store.add([long, short])
    snippets = {h.id: h.snippet for h in store.search("barge")}
    cut = snippets[long.id]
    assert cut.startswith("…") and cut.endswith("…") and "\x02barge\x03" in cut
    assert len(cut) < 200
    assert snippets[short.id] == "A \x02barge\x03 sank."
    total, rows = store.document_page(DocumentFilter(q="barge"))
    assert total == 2 and {r["id"]: r["snippet"] for r in rows} == snippets


def test_diacritics_fold_in_fts5_only(store, backend):
    """A documented difference (docs/schema.md): FTS5's unicode61 folds diacritics,
    PostgreSQL's 'simple' configuration keeps them."""
    doc = make_doc("Air raid sirens sounded in Kýiv overnight.")
    store.add([doc])
    assert [h.id for h in store.search("Kýiv")] == [doc.id]
    assert len(store.search("Kyiv")) == (1 if backend == "sqlite" else 0)


def test_iteration_order_is_by_date_then_id_and_pages_through_everything(store):
    docs = [make_doc(f"Article number {i}.", published=f"2025-01-{i % 28 + 1:02d}")
            for i in range(1, 60)]
    store.add(docs)
    seen = [d.id for d in store.iter_documents(batch_size=7)]
    assert len(seen) == len(set(seen)) == 59
    dates = [store.get(i).published for i in seen]
    assert dates == sorted(dates)


def test_id_prefixes_resolve(store):
    doc = make_doc("Some text.")
    store.add([doc])
    assert store.resolve_id(doc.id[:6]) == [doc.id]
    assert store.resolve_id("zzzz") == []


def test_listing_puts_undated_documents_last(store):
    docs = [make_doc("Undated one."), make_doc("Dated.", published="2025-03-01"),
            make_doc("Undated two."), make_doc("Older.", published="2024-12-31")]
    store.add(docs)
    total, rows = store.document_page(DocumentFilter(), page_size=10)
    assert total == 4
    assert [r["published"] for r in rows] == ["2025-03-01", "2024-12-31", None, None]
    assert [r["words"] for r in rows[:2]] == [1, 1]


def test_kept_counts_and_deep_pages_agree_with_the_rows(store, monkeypatch):
    """The counts `add` keeps (facets, stats, totals) equal GROUP BYs over what is stored,
    batch after batch, and a list page found from the kept day counts is the page OFFSET
    finds, dated, undated, across both and past the end."""
    import newsprism.store.database as database
    from newsprism.model import Event

    rng = random.Random(5)
    days = ["2024-12-31", "2025-01-01", "2025-01-02", "2025-02", "2025", "2025-02-28", None]
    batches = []
    for b in range(4):
        batch = []
        for i in range(25):
            doc = make_doc(f"Batch {b} article {i}.", published=rng.choice(days),
                           outlet=rng.choice(["A", "B", None]))
            doc.language = rng.choice(["en", "ru", None])
            doc.events = [Event(rng.choice(["strike", "talks"]), None, None, None, None, "x")
                          for _ in range(rng.randrange(3))]
            batch.append(doc)
        batches.append(batch)
    for batch in batches:
        store.add(batch + batch[:3])  # and some again: counted once
    docs = {d.id: d for batch in batches for d in batch}
    facets = store.document_facets(DocumentFilter())
    by_outlet: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for d in docs.values():
        if d.outlet:
            by_outlet[d.outlet] = by_outlet.get(d.outlet, 0) + 1
        for t in {e.type for e in d.events}:
            by_type[t] = by_type.get(t, 0) + 1
    assert dict(facets["outlet"]) == by_outlet
    assert dict(facets["event_type"]) == by_type
    assert sum(n for _o, n in store.stats()["outlet"]) == len(docs) == store.count()
    assert dict(store.stats()["removed line reason"]) == {"account": len(docs),
                                                          "navigation": len(docs)}
    offset_pages = [store.document_page(DocumentFilter(), page, 7) for page in range(1, 17)]
    monkeypatch.setattr(database, "SEEK_FROM", 1)
    seek_pages = [store.document_page(DocumentFilter(), page, 7) for page in range(1, 17)]
    assert seek_pages == offset_pages
    assert [r["id"] for _t, rows in seek_pages for r in rows] == \
        [r["id"] for r in store.document_page(DocumentFilter(), 1, 200)[1]]
    assert offset_pages[-1] == (len(docs), [])


def test_search_pages_rank_the_newest_matches_then_walk_back(store):
    """document_page with a query: of the `window` most recently added matches the best
    come first (a title hit); older matches follow newest first, whatever their rank."""
    added = []
    for i in range(6):  # one batch each, so the order they were added in is clear
        title = "Convoy news" if i in (1, 4) else f"Report {i}"
        doc = make_doc(f"A convoy report, number {i}, from the region.", title=title,
                       outlet="Wire" if i % 2 else "Ledger")
        store.add([doc])
        added.append(doc.id)
    store.add([make_doc("Nothing to see here at all, number 9.")])

    def ids(page: int, **filters) -> tuple[int, list[str]]:
        total, rows = store.document_page(DocumentFilter(q="convoy", **filters), page=page,
                                          page_size=2, window=3)
        assert all("\x02" in r["snippet"] and r["words"] > 0 for r in rows)
        return total, [r["id"] for r in rows]

    d = added
    assert ids(1) == (6, [d[4], d[5]])  # the newest three: the title hit, then newest first
    assert ids(2) == (6, [d[3], d[2]])  # then older ones, newest first
    assert ids(3) == (6, [d[1], d[0]])  # d[1] has a title hit but is not among the newest
    assert ids(4) == (6, [])
    assert ids(1, outlet="Wire") == (3, [d[1], d[5]])  # the newest three Wire matches
    assert ids(2, outlet="Wire") == (3, [d[3]])
    assert store.document_page(DocumentFilter(q="zzzznotaword"))[0] == 0
    assert store.document_page(DocumentFilter(q='"unbalanced'))[0] == 0


def test_nul_characters_are_dropped_alike_on_every_backend(store):
    """PostgreSQL refuses NUL in text, SQLite keeps it: the store drops it everywhere (the raw
    bytes keep it), so such a document is stored the same way on both."""
    doc = make_doc("Convoy reached the port.\nIt was unloaded.", title="Convoy\x00 arrives",
                   outlet="Wire\x00")
    doc.url = "https://example.org/\x00a"
    doc.removed.append(RemovedLine("Share\x00", "social"))
    doc.entities.append(Entity("place", "Kher\x00son", ["Kher\x00son"], 46.6, 32.6, "UA"))
    doc.raw = b"raw \x00 bytes"
    other = make_doc("A second, ordinary article.")
    assert store.add([doc, other]) == 2
    back = store.get(doc.id)
    assert (back.title, back.outlet, back.url) == ("Convoy arrives", "Wire",
                                                   "https://example.org/a")
    assert back.removed[-1].line == "Share"
    assert back.entities[0].name == "Kherson"
    assert back.entities[0].mentions == ["Kher\x00son"]  # JSON text: escaped, so kept
    assert store.raw(doc.id) == b"raw \x00 bytes"
    assert [h.id for h in store.search("arrives")] == [doc.id]


def test_a_value_too_long_for_its_column_is_refused_clearly(store):
    """PostgreSQL enforces VARCHAR(n) and SQLite does not: on both, the batch is refused
    with a DocumentError naming the document and the column, and nothing of it is stored."""
    good = make_doc("A good article.")
    bad = make_doc("A bad one.", published="2025-01-01T10:00:00")  # not YYYY-MM-DD
    with pytest.raises(DocumentError, match=rf"document {bad.id}: documents.published"):
        store.add([good, bad])
    assert store.count() == 0
    bad.entities.append(Entity("place", "Kherson", [], None, None, "UKR"))
    bad.published = None
    with pytest.raises(DocumentError, match="entities.country may hold 2 characters, not 3"):
        store.add([bad])
    assert store.count() == 0
    assert store.add([good]) == 1  # the store is still usable


def test_framing_terms_keep_their_offsets(store, clean):
    """What the framing stage found comes back where it found it, on each backend."""
    doc = clean("Kharkov was reportedly shelled, the governor said.\n"
                "The Kiev regime, a spokesman said, would not comment.")
    assert doc.framing and store.add([doc]) == 1
    stored = store.get(doc.id)
    assert stored.framing == doc.framing
    assert [stored.text[t.start:t.end] for t in stored.framing] == [t.term for t in doc.framing]
    assert stored.to_export()["framing"][0] == {
        "term": "Kharkov", "category": "russian_spelling", "neutral": "Kharkiv", "start": 0,
        "end": 7}


def test_the_change_stamp_moves_with_every_commit_of_another_connection(store, db_url):
    """What kept answers and cached views are valid for: every commit, by any connection,
    changes it at once (on PostgreSQL even with synchronous_commit off, as the test server
    runs: a commit returns before its WAL is written out)."""
    writer = Store(db_url)
    try:
        for i in range(20):
            before = store.change_stamp()
            assert before is not None
            writer.add([make_doc(f"Report number {i} of the ferry timetable changes.")])
            assert store.change_stamp() != before, i
    finally:
        writer.close()


def test_a_huge_document_is_stored_and_its_beginning_found(store):
    """PostgreSQL cannot build a tsvector over 1 MB; its index covers the first 100,000
    characters, so even 2 MB of distinct words store (SQLite indexes everything)."""
    rng = random.Random(7)
    words = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=5))
             for _ in range(350_000)]
    text = "Opening words about the flotilla.\n" + " ".join(words)
    doc = make_doc(text, title="Huge")
    assert store.add([doc]) == 1
    assert len(store.get(doc.id).text) > 2_000_000
    assert [h.id for h in store.search("flotilla")] == [doc.id]


def test_urls_and_unknown_backends():
    assert database_url("n.db").startswith("sqlite:///")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(ValueError, match="unsupported database 'mysql'"):
        Store("mysql://u@localhost/db")


# -- export: spreadsheet formulas and terminal control characters ------------------------------
HOSTILE_TITLE = '=HYPERLINK("http://example.invalid/x","open")'
HOSTILE_OUTLET = "@SUM(A1:A9)"
ESC_TEXT = ("Shelling was reported near the river port \x1b]0;owned\x07 on Tuesday.\n"
            "\x1b[2J\x9b31m The mayor said the night had been quiet otherwise.")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """A stored document whose title and outlet are formulas and whose text, and a statement
    read from it, carry ESC (read only)."""
    db = tmp_path_factory.mktemp("hostile") / "hostile.db"
    store = Store(db)
    doc = make_doc(ESC_TEXT, "2026-03-01", title=HOSTILE_TITLE, outlet=HOSTILE_OUTLET)
    doc.statements = [Statement("The mayor", ESC_TEXT.split("\n")[1], "reported", "said")]
    store.add([doc])
    store.close()
    return db


def _cli(db, *args: str) -> bytes:
    """A command's standard output as a user gets it into a pipe (run in this process)."""
    return newsprism(*args, "--db", str(db), check=True).stdout.encode()


# Commands whose output a terminal shows, run one after the other in one real process on one
# pseudo-terminal (a process each would spend most of the test starting Python); each
# command's output ends with SHOWN_END, printed by the process between commands
ON_A_TERMINAL = [("export", "--format", "csv"), ("export",), ("show", "ID", "--json"),
                 ("statements", "--json"), ("show", "ID"), ("search", "shelling")]
SHOWN_END = "<<end of command>>"
_TERMINAL_DRIVER = """
import json, sys
import typer.main
from newsprism.cli import app
command = typer.main.get_command(app)
for args in json.loads(sys.argv[1]):
    code = command.main(args, prog_name="newsprism", standalone_mode=False)
    sys.stdout.flush()
    if code not in (None, 0):
        sys.exit(f"{args}: exit status {code}")
    print(sys.argv[2], flush=True)
"""


@pytest.fixture(scope="module")
def shown_on_a_terminal(hostile_db) -> dict[tuple[str, ...], str]:
    """ON_A_TERMINAL's commands -> what each put on the terminal."""
    doc_id = content_id(ESC_TEXT.encode())
    commands = [[doc_id if a == "ID" else a for a in args] + ["--db", str(hostile_db)]
                for args in ON_A_TERMINAL]
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", _TERMINAL_DRIVER, json.dumps(commands),
                             SHOWN_END], stdout=follower, stderr=subprocess.PIPE,
                            env=process_env())
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal side closed: the command has ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    err = proc.stderr.read().decode(errors="replace")
    assert proc.wait(timeout=120) == 0, err
    os.close(leader)
    shown = b"".join(chunks).decode("utf-8", errors="replace").split(SHOWN_END)
    assert len(shown) == len(ON_A_TERMINAL) + 1 and not shown[-1].strip(), shown[-1]
    return dict(zip(ON_A_TERMINAL, shown, strict=False))


def test_csv_cells_that_spreadsheets_run_are_neutralised(hostile_db):
    rows = list(csv.DictReader(io.StringIO(_cli(hostile_db, "export", "--format", "csv")
                                           .decode())))
    assert rows[0]["title"] == "'" + HOSTILE_TITLE
    assert rows[0]["outlet"] == "'" + HOSTILE_OUTLET
    assert rows[0]["text"].startswith("Shelling")  # plain text untouched
    assert "\x1b" in rows[0]["text"]  # into a pipe the text stays as stored


def test_export_into_a_pipe_is_faithful(hostile_db):
    record = json.loads(_cli(hostile_db, "export"))
    assert record["title"] == HOSTILE_TITLE and "\x1b]0;owned\x07" in record["text"]


@pytest.mark.e2e
@pytest.mark.parametrize("args", ON_A_TERMINAL)
def test_no_control_character_reaches_a_terminal(shown_on_a_terminal, args):
    shown = shown_on_a_terminal[args]
    assert shown.strip(), "the command showed nothing: the test proves nothing"
    assert "\x9b" not in shown and "\x07" not in shown and "\x1b]0;owned" not in shown
    assert "\x1b[2J" not in shown
    if args[0] == "export" or "--json" in args:  # machine formats: not even Rich's colours
        assert "\x1b" not in shown
