"""Answers kept until the database changes (api/kept.py, read/views.py): a page asked for
again is the same page, and a document stored by another connection shows at once."""

from __future__ import annotations

from conftest import app_client

from newsprism import runner
from newsprism.read import open_store


def test_a_kept_answer_is_dropped_when_another_writer_adds_a_document(databases, demo_db,
                                                                       tmp_path):
    db = databases.copy(demo_db, "kept")
    try:
        with app_client(db) as client:
            first = client.get("/api/documents?page=1&page_size=5")
            again = client.get("/api/documents?page=1&page_size=5")
            assert first.status_code == again.status_code == 200
            assert again.content == first.content
            before = first.json()["total"]
            page = client.get("/?q=Kupiansk")
            assert page.status_code == 200

            article = tmp_path / "new.txt"
            article.write_text("Kupiansk: repair crews restored the water tower\n\n"
                               "Repair crews in Kupiansk restored the damaged water tower on "
                               "Friday, the city administration said.\n", encoding="utf-8")
            writer = open_store(db)  # another connection, as `newsprism run` would be
            try:
                report = runner.run([article], writer)
                assert report.added == 1, (report.present, [str(e) for e in report.failed])
            finally:
                writer.close()

            after = client.get("/api/documents?page=1&page_size=5").json()
            assert after["total"] == before + 1
            assert "water tower" in client.get("/?q=Kupiansk").text
    finally:
        databases.drop(db)


def test_a_servers_kept_pages_are_out_of_the_garbage_collectors_sight(demo_db):
    """A server keeps the pages it computed (read/views.py); every few computed, what is
    kept is moved out of the garbage collector's sight (a full collection scanned every
    kept view, the process answering nothing meanwhile), and the pages are answered the
    same."""
    import gc

    from newsprism.read import views

    with app_client(demo_db) as client:
        assert views._views.freezing  # the server turned it on
        frozen = gc.get_freeze_count()
        first = {}
        for page in range(1, views.FREEZE_EVERY + 2):
            answer = client.get(f"/api/documents?page={page}&page_size=1")
            assert answer.status_code == 200
            first[page] = answer.content
        assert gc.get_freeze_count() > frozen
        kept = [value for _stamp, value in views._views.kept.values()]
        tracked = {id(o) for o in gc.get_objects()}
        in_sight = [v for v in kept if id(v) in tracked]
        assert len(kept) > views.FREEZE_EVERY and len(in_sight) < views.FREEZE_EVERY
        for page, content in first.items():
            assert client.get(f"/api/documents?page={page}&page_size=1").content == content
    views.keep_views_out_of_sight(False)
