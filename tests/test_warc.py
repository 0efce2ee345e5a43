"""WARC web archives as input: each HTML or text response is one document with its URL and
fetch date; a broken archive is one error line naming the file, and the batch goes on."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from sqlalchemy import text
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsprism.engine import LocalEngine
from newsprism.ingest.files import iter_file
from newsprism.model import Document
from newsprism.runner import run
from newsprism.store import Store

# our own wording
PAGE_A = ("<html><head><title>Ferry service resumes on the river</title></head><body><article>"
          "<p>The river ferry between the two districts of Mykolaiv resumed on Tuesday, the "
          "port authority said in a statement.</p><p>Crews repaired the landing stage over "
          "two weeks, according to the regional administration.</p></article></body></html>")
PAGE_B = ("Bakery reopens after repairs\nA bakery in Poltava reopened on Friday after "
          "workers replaced its windows, the owner told a local newspaper.\n")


RECORDS = [("http://example.test/ferry", PAGE_A, "text/html"),
           ("http://example.test/bakery.txt", PAGE_B, "text/plain"),
           ("http://example.test/logo.png", "\x89PNG", "image/png")]


def _warc(path: Path, gz: bool, records: list[tuple[str, str, str]] = RECORDS) -> Path:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for url, body, ctype in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=BytesIO(body.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-11-30T08:15:00Z"}))
    return path


def test_each_html_or_text_response_is_one_document_with_url_and_fetch_date(tmp_path):
    for gz in (False, True):
        path = _warc(tmp_path / ("a.warc.gz" if gz else "a.warc"), gz)
        items = [item for item, _ in iter_file(path)]
        assert all(isinstance(i, Document) for i in items), items
        assert [d.hints["url"] for d in items] == ["http://example.test/ferry",
                                                   "http://example.test/bakery.txt"]
        assert [d.kind for d in items] == ["html", "text"]
        assert items[0].hints["fetched_at"] == "2026-11-30T08:15:00Z"
        assert items[0].hints["http_status"] == "200"


def test_a_broken_warc_is_one_clear_error_and_the_batch_goes_on(tmp_path):
    good = _warc(tmp_path / "good.warc.gz", True)
    broken = tmp_path / "broken.warc"
    broken.write_bytes(b"this is not a web archive at all\r\n\r\n")
    cut = tmp_path / "cut.warc.gz"
    data = good.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    store = Store(tmp_path / "w.db")
    report = run([broken, cut, good], store, engine=LocalEngine(workers=1))
    errors = {e.source: e.reason for e in report.failed}
    assert set(errors) == {str(broken), str(cut)}, errors
    assert all("WARC" in reason and "\n" not in reason for reason in errors.values())
    assert report.added == 2  # the good archive's two
    assert "http://example.test/ferry" in {d.url for d in store.iter_documents()}
    again = run([good], store, engine=LocalEngine(workers=1))
    assert (again.added, again.present) == (0, 2)
    store.close()


def test_a_url_captured_again_with_changed_text_is_a_new_version_linked_to_the_first(tmp_path):
    edited = PAGE_A.replace("two weeks", "three weeks")
    reclocked = PAGE_A.replace("</body>", "<!-- served 08:16 --></body>")  # same text
    path = _warc(tmp_path / "caps.warc", False, [
        ("http://example.test/ferry", PAGE_A, "text/html"),
        ("http://example.test/ferry", reclocked, "text/html"),
        ("http://example.test/ferry", edited, "text/html")])
    store = Store(tmp_path / "v.db")
    report = run([path], store, engine=LocalEngine(workers=1))
    assert (report.added, report.present, report.failed) == (2, 1, [])
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT version, document_id, previous_id, url FROM "
                                 "document_versions ORDER BY version")).all()
        fetches = conn.execute(text("SELECT url, status, fetched_at FROM fetched_pages")).all()
    assert [r.version for r in rows] == [1, 2]
    assert rows[0].previous_id is None and rows[1].previous_id == rows[0].document_id
    assert "three weeks" in store.get(rows[1].document_id).text
    assert len(fetches) == 2 and {f.status for f in fetches} == {200}
    assert str(fetches[0].fetched_at).startswith("2026-11-30 08:15")
    again = run([path], store, engine=LocalEngine(workers=1))
    assert (again.added, again.present) == (0, 3)
    store.close()


def test_a_warc_cut_inside_a_records_headers_keeps_the_whole_records_and_says_so(tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    for gz in (False, True):
        whole = _warc(tmp_path / ("w.warc.gz" if gz else "w.warc"), gz, RECORDS[:2] + RECORDS[:1])
        records = ArchiveIterator(BytesIO(whole.read_bytes()))
        starts = []
        for record in records:
            records.read_to_end(record)
            starts.append(records.get_record_offset())
        cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
        cut.write_bytes(whole.read_bytes()[: starts[2] + 40])  # inside the third's headers
        items = [item for item, _ in iter_file(cut)]
        docs = [i for i in items if isinstance(i, Document)]
        errors = [i for i in items if not isinstance(i, Document)]
        assert [d.hints["url"] for d in docs] == ["http://example.test/ferry",
                                                  "http://example.test/bakery.txt"]
        assert len(errors) == 1 and "cut short" in errors[0].reason, errors
        assert str(cut) in errors[0].source
