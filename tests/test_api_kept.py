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
