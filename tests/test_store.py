"""The SQLite store: idempotent batches, raw bytes kept, full-text search, stable export order."""

from __future__ import annotations

from newsprism.model import Document, RemovedLine, content_id
from newsprism.store import Store


def make_doc(text: str, published: str | None = None, title: str | None = None) -> Document:
    raw = text.encode()
    return Document(
        id=content_id(raw), source="mem", raw=raw, kind="text", lines=text.split("\n"),
        published=published, title=title,
        removed=[RemovedLine("Subscribe", "account"), RemovedLine("Menu", "navigation")],
    )


def test_adding_twice_adds_nothing_and_keeps_raw_bytes(tmp_path):
    store = Store(tmp_path / "n.db")
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


def test_search_ranks_title_hits_and_survives_bad_syntax(tmp_path):
    store = Store(tmp_path / "n.db")
    store.add([
        make_doc("Shelling continued near the town for a third day.", title="Vovchansk update"),
        make_doc("Vovchansk was mentioned once in this long report about logistics."),
        *[make_doc(f"Nothing relevant in report {i}.") for i in range(8)],
    ])
    hits = store.search("Vovchansk")
    assert len(hits) == 2 and hits[0].title == "Vovchansk update"
    assert store.search('"unbalanced quote') == []
    assert len(store.search('Vovchansk"')) == 2  # not FTS syntax: searched literally
    assert "\x02" in store.search("logistics")[0].snippet


def test_iteration_order_is_by_date_then_id_and_pages_through_everything(tmp_path):
    store = Store(tmp_path / "n.db")
    docs = [make_doc(f"Article number {i}.", published=f"2025-01-{i % 28 + 1:02d}")
            for i in range(1, 60)]
    store.add(docs)
    seen = [d.id for d in store.iter_documents(batch_size=7)]
    assert len(seen) == len(set(seen)) == 59
    dates = [store.get(i).published for i in seen]
    assert dates == sorted(dates)


def test_id_prefixes_resolve(tmp_path):
    store = Store(tmp_path / "n.db")
    doc = make_doc("Some text.")
    store.add([doc])
    assert store.resolve_id(doc.id[:6]) == [doc.id]
    assert store.resolve_id("zzzz") == []
