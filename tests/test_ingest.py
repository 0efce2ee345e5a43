"""Reading inputs: formats, encodings, and every kind of bad input as one clear error."""

from __future__ import annotations

import gzip
import json

from newsprism.ingest import decode_bytes, iter_inputs
from newsprism.model import Document, InputError


def items(path, **kw):
    return [item for item, _n in iter_inputs([path], **kw)]


def test_text_html_jsonl_and_gzip_are_read(tmp_path):
    (tmp_path / "a.txt").write_text("Plain article text about the front line.\n", "utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Hello</p></body></html>", "utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"text": "One.", "url": "https://x.example/1", "outlet": "X"}) + "\n"
        + json.dumps({"html": "<p>Two</p>", "title": "T"}) + "\n",
        "utf-8",
    )
    with gzip.open(tmp_path / "d.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("Compressed article text.\n")
    docs = items(tmp_path)
    assert all(isinstance(d, Document) for d in docs)
    assert [d.kind for d in docs] == ["text", "html", "text", "html", "text"]
    assert docs[2].hints["outlet"] == "X" and docs[2].source.endswith("c.jsonl#1")
    assert docs[3].hints["title"] == "T" and docs[3].source.endswith("c.jsonl#2")
    assert docs[4].raw == b"Compressed article text.\n"


def test_ids_are_content_addressed(tmp_path):
    (tmp_path / "one.txt").write_bytes(b"Same bytes.")
    (tmp_path / "two.txt").write_bytes(b"Same bytes.")
    (tmp_path / "three.txt").write_bytes(b"Other bytes.")
    one, two, three = items(tmp_path)
    assert one.id == three.id != two.id  # sorted: one, three, two


def test_bad_jsonl_lines_are_reported_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(
        b'{"text": "Good one."}\n'
        b'{"text": "broken\n'
        b"[1, 2]\n"
        b'{"title": "no body"}\n'
        b"\n"
        b'{"text": "Good two."}\n'
    )
    result = items(path)
    errors = [r for r in result if isinstance(r, InputError)]
    docs = [r for r in result if isinstance(r, Document)]
    assert len(docs) == 2
    reasons = {e.source.rsplit("#", 1)[1]: e.reason for e in errors}
    assert reasons["2"].startswith("malformed JSON")
    assert reasons["3"] == "a JSON line must be an object"
    assert "no 'text' or 'html'" in reasons["4"]
    assert reasons["5"] == "empty line"


def test_oversized_and_unsupported_and_missing_files(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (error_big,) = items(big, max_bytes=1_000_000)
    assert isinstance(error_big, InputError) and "per-article limit" in error_big.reason
    (error_type,) = items(tmp_path / "notes.docx")
    assert "unsupported file type '.docx'" in error_type.reason
    (missing,) = items(tmp_path / "nope.txt")
    assert missing.reason == "no such file or folder"


def test_broken_gzip_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "x.txt.gz"
    path.write_bytes(gzip.compress(b"some text here")[:12])
    (error,) = items(path)
    assert isinstance(error, InputError) and "gzip" in error.reason


def test_decode_detects_encodings_and_refuses_binary():
    cp1252 = "Kyiv’s “buffer zone” — café talks in the region resumed.".encode("cp1252")
    text, enc = decode_bytes(cp1252, "f.txt")
    assert text == "Kyiv’s “buffer zone” — café talks in the region resumed." and enc != "utf-8"
    text, enc = decode_bytes("Київ і Харків".encode("utf-16"), "f.txt")
    assert text == "Київ і Харків" and enc == "utf-16"
    for raw, reason in [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"%PDF-1.7 binary", "PDF"),
        (b"\x00\x01\x02abc\x00", "NUL"),
        (bytes(range(1, 32)) * 20, "control bytes"),
    ]:
        try:
            decode_bytes(raw, "bad.bin")
        except InputError as exc:
            assert reason in exc.reason
            assert str(exc).startswith("bad.bin: ")
        else:
            raise AssertionError(f"{raw[:10]!r} was accepted")


def test_a_jsonl_line_over_the_limit_is_never_held_whole(tmp_path):
    """A gzip stream holding one 64 MiB line: read in bounded chunks, refused in one item,
    and the lines after it still read (the whole line would show as a 64 MiB peak)."""
    import tracemalloc

    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(b'{"text": "')
        for _ in range(64):
            fh.write(b"z" * 2**20)
        fh.write(b'"}\n{"text": "After the long line."}\n')
    tracemalloc.start()
    try:
        result = items(path, max_bytes=2**20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [type(r) for r in result] == [InputError, Document]
    assert result[0].source.endswith("feed.jsonl.gz#1") and "per-article limit" in result[0].reason
    assert result[1].hints["body"] == "After the long line."
    assert peak < 16 * 2**20


def test_special_files_and_odd_names_are_refused_without_opening_them(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "tab\tand\nnewline.txt").write_text("A short article body.", "utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere")
    result = items(tmp_path)
    by_name = {r.source.rsplit("/", 1)[1]: r for r in result}
    assert by_name["pipe.jsonl"].reason == "not a regular file (a named pipe), skipped"
    assert by_name["dangling.txt"].reason.startswith("dangling symbolic link")
    assert isinstance(by_name["tab\\tand\\nnewline.txt"], Document)  # one line, still read


def test_utf16_without_a_bom_is_decoded_and_random_bytes_are_not():
    import random

    for text in ["Київ і Харків: рада зібралася в понеділок.", "The council met on Monday."]:
        for encoding in ("utf-16-le", "utf-16-be"):
            assert decode_bytes(text.encode(encoding), "f.txt") == (text, encoding)
    noise = random.Random(3).randbytes(4096)
    try:
        decode_bytes(noise, "noise.bin")
    except InputError as exc:
        assert "binary file" in exc.reason
    else:
        raise AssertionError("random bytes were accepted as text")


def test_lone_surrogates_in_a_jsonl_record_become_replacement_characters(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "Body \\ud800 text.", "title": "\\udfffT", "outlet": "O\\udc00"}\n')
    (doc,) = items(path)
    assert doc.hints == {"body": "Body \ufffd text.", "title": "\ufffdT", "outlet": "O\ufffd"}
