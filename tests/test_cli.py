"""The `newsprism` command on a real SQLite file, bad input mixed in: in this process (Typer's
CliRunner, `newsprism` in conftest.py), and as a real process killed mid-run (e2e)."""

from __future__ import annotations

import csv
import gzip
import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import NEWSPRISM, newsprism, process_env

ARTICLE = (
    "Grain convoy reaches Kherson after week-long delay\n"
    "Skip to content\n"
    "Published: March 3, 2026\n"
    "A convoy of twelve lorries carrying grain and medicine reached Kherson on Monday after "
    "waiting a week at a checkpoint, the city's military administration said.\n"
    "READ MORE: Five gadgets that will change your kitchen\n"
    "Drivers said the road was shelled twice while they waited but nobody was injured.\n"
    "© 2026 Southern Beacon. All rights reserved.\n"
)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "nested" / "latin.txt").write_bytes(
        ARTICLE.replace("Kherson", "Kherson’s port — “the café”").encode("cp1252")
    )
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "feed.jsonl").write_text(
        json.dumps({"text": ARTICLE.replace("twelve", "nine"), "url": "https://sb.example/2"})
        + "\n{not json\n",
        encoding="utf-8",
    )
    with gzip.open(folder / "old.jsonl.gz", "wt", encoding="utf-8") as fh:
        paragraphs = ARTICLE.replace("twelve", "ten").splitlines()
        fh.write(json.dumps({"html": "".join(f"<p>{p}</p>" for p in paragraphs)}) + "\n")
    (folder / "evil.html").write_text(
        "<html><head><title>x</title></head><body><article><p>The regional council met on "
        "Friday to discuss shelter repairs <script>alert(1)</script> and heating.</p>"
        "<p><a href=\"javascript:alert(2)\" onclick=\"alert(3)\">A link</a> in a paragraph "
        "long enough to be counted as text by the extractor, hopefully more than enough."
        "</p></article></body></html>",
        encoding="utf-8",
    )
    return folder


def test_run_reports_each_bad_file_once_and_stores_the_rest(inbox, tmp_path):
    proc = newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert any("image.txt: binary file (a PNG image)" in ln for ln in errors)
    assert any("empty.txt: empty file" in ln for ln in errors)
    assert any("feed.jsonl#2: malformed JSON" in ln for ln in errors)
    assert len(errors) == 3
    assert "Documents added" in proc.stdout and "│ 5" in proc.stdout
    db = sqlite3.connect(tmp_path / "n.db")
    assert db.execute("select count(*) from documents").fetchone() == (5,)
    assert db.execute("select count(*) from raw_documents").fetchone() == (5,)
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)


def test_rerun_is_idempotent(inbox, tmp_path):
    newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    proc = newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    assert "Documents added       │ 0" in proc.stdout
    assert "Already present       │ 5" in proc.stdout
    db = sqlite3.connect(tmp_path / "n.db")
    assert db.execute("select count(*) from documents").fetchone() == (5,)
    assert db.execute("select count(*) from documents_fts").fetchone() == (5,)


def test_everything_failing_exits_1(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    proc = newsprism("run", str(tmp_path / "a.txt"), "--db", "n.db", cwd=tmp_path)
    assert proc.returncode == 1
    assert "a.txt: empty file" in proc.stderr


def test_export_jsonl_and_csv_follow_the_schema(inbox, tmp_path):
    newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    proc = newsprism("export", "--db", "n.db", "--format", "jsonl", cwd=tmp_path, check=True)
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 5
    fields = {"id", "source", "title", "published", "outlet", "language", "text", "removed",
              "entities", "statements", "events", "framing", "near_duplicates", "story"}
    assert all(fields <= set(r) for r in records)
    good = next(r for r in records if r["source"].endswith("good.txt"))
    assert good["title"] == "Grain convoy reaches Kherson after week-long delay"
    assert good["published"] == "2026-03-03"
    assert good["outlet"] == "Southern Beacon"
    assert good["text"].count("\n") == 1 and "READ MORE" not in good["text"]
    assert {"line": "Skip to content", "reason": "navigation"} in good["removed"]
    from_url = next(r for r in records if r["source"].endswith("feed.jsonl#1"))
    assert from_url["url"] == "https://sb.example/2"
    newsprism("export", "--db", "n.db", "--format", "csv", "--out", "out.csv", cwd=tmp_path,
              check=True)
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5 and any(json.loads(r["removed"]) for r in rows)


def test_show_and_search(inbox, tmp_path):
    newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    found = newsprism("search", "convoy checkpoint", "--db", "n.db", "--json", cwd=tmp_path,
                      check=True)
    hits = [json.loads(line) for line in found.stdout.splitlines()]
    assert len(hits) == 4 and all("convoy" in h["snippet"].lower() for h in hits)
    shown = newsprism("show", hits[0]["id"][:8], "--db", "n.db", cwd=tmp_path, check=True)
    assert "Removed lines" in shown.stdout and "navigation" in shown.stdout
    missing = newsprism("show", "abcdef12", "--db", "n.db", cwd=tmp_path)
    assert missing.returncode == 1 and "no document with id 'abcdef12'" in missing.stderr


def test_hostile_markup_is_never_kept_as_markup(inbox, tmp_path):
    newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    proc = newsprism("export", "--db", "n.db", cwd=tmp_path, check=True)
    evil = next(json.loads(x) for x in proc.stdout.splitlines() if "evil.html" in x)
    assert "<script" not in evil["text"] and "javascript:" not in evil["text"]
    assert "regional council met on Friday" in evil["text"]


KILLED_RUN = 150  # documents: past the default engine's in-process threshold (a pool); 6 batches


@pytest.mark.e2e
def test_kill_mid_run_then_rerun_completes_without_duplicates(tmp_path):
    """kill -9 of a real run on its process pool once two batches are stored; the re-run
    (in this process) adds the rest, each once, and the search index holds every one."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = ARTICLE.splitlines()
    for i in range(KILLED_RUN):
        text = "\n".join([f"{body[0]} ({i})", *body[1:4], f"Report {i} of the series.", *body[4:]])
        (corpus / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
    args = [*NEWSPRISM, "run", str(corpus), "--db", "n.db", "--batch-size", "25"]
    proc = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=process_env())
    db_path = tmp_path / "n.db"
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.2)
        if db_path.exists():
            try:
                n = sqlite3.connect(db_path).execute("select count(*) from documents").fetchone()
            except sqlite3.OperationalError:
                continue
            if n[0] >= 50:
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(db_path)
    stored = db.execute("select count(*) from documents").fetchone()[0]
    assert 0 < stored < KILLED_RUN
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    db.close()
    rerun = newsprism("run", str(corpus), "--db", "n.db", cwd=tmp_path, check=True)
    assert f"Already present       │ {stored}" in rerun.stdout
    db = sqlite3.connect(db_path)
    assert db.execute("select count(*) from documents").fetchone() == (KILLED_RUN,)
    assert db.execute("select count(distinct document_id) from removed_lines"
                      ).fetchone() == (KILLED_RUN,)
    assert db.execute("select count(*) from documents_fts").fetchone() == (KILLED_RUN,)


def test_a_50_mb_article_is_refused_in_one_line_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as fh:
        fh.write(b"The same long sentence repeated to fill a huge scraped file.\n" * 850_000)
    (folder / "small.txt").write_text(ARTICLE, encoding="utf-8")
    proc = newsprism("run", str(folder), "--db", "n.db", cwd=tmp_path)
    assert proc.returncode == 0
    assert "huge.txt: larger than the 20 MiB per-article limit (--max-mb)" in proc.stderr
    assert "Documents added       │ 1" in proc.stdout


def test_entities_statements_and_events_commands(inbox, tmp_path):
    newsprism("run", str(inbox), "--db", "n.db", cwd=tmp_path, check=True)
    places = [json.loads(x) for x in newsprism(
        "entities", "--type", "place", "--json", "--db", "n.db", cwd=tmp_path,
        check=True).stdout.splitlines()]
    kherson = next(p for p in places if p["name"] == "Kherson")
    assert kherson["documents"] == 4 and kherson["country"] == "UA"
    said = [json.loads(x) for x in newsprism(
        "statements", "--json", "--db", "n.db", cwd=tmp_path, check=True).stdout.splitlines()]
    assert any(s["text"].startswith("A convoy of twelve lorries") for s in said)
    events = [json.loads(x) for x in newsprism(
        "events", "--type", "strike_or_damage", "--json", "--db", "n.db", cwd=tmp_path,
        check=True).stdout.splitlines()]
    assert events and all("shelled" in e["evidence"] for e in events)
    assert {e["outlet"] for e in events} >= {"Southern Beacon"}
    table = newsprism("events", "--db", "n.db", cwd=tmp_path, check=True).stdout
    assert "Events (" in table and "evidence" in table
