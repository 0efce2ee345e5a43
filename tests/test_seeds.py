"""The cleaner on the five real scraped articles in ../shared/seeds (skipped without them).

Expectations are given by line number so that no seed text is copied into the project: the
listed lines are junk and must be gone; every other non-empty line is body and must be kept
exactly once (repeated bullets collapse to their first copy).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.clean.text import key
from newsprism.model import Document, content_id

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# file prefix -> (junk line numbers, 1-based; how to read the title; date; outlet)
EXPECTED = {
    "000": ({1, 2, 3, 4, 5}, lambda lines: " ".join(lines[0].split()[2:]), "2025-07-09", "Sputnik"),
    "001": ({1}, lambda lines: lines[0], None, None),
    "002": (
        {1, 2, 3, 4, 5, 6, 8, 10, 15, 16}, lambda lines: lines[3], "2025-11-07", "ReOpen Media"
    ),
    "003": (set(), lambda lines: None, None, None),
    "004": ({1, 3, 15, 25, 35, 36, 37}, lambda lines: lines[2].split(" | ")[0], None, None),
}


def _seed(prefix: str) -> Path:
    if not SEEDS.exists():
        pytest.skip("../shared/seeds not present")
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(params=sorted(EXPECTED))
def seed(request, pipeline):
    path = _seed(request.param)
    raw = path.read_bytes()
    doc = pipeline.process(Document(id=content_id(raw), source=str(path), raw=raw, kind="text"))
    assert isinstance(doc, Document)
    return request.param, raw.decode("utf-8").split("\n"), doc


def test_every_junk_line_is_removed(seed):
    prefix, lines, doc = seed
    junk = EXPECTED[prefix][0]
    kept = {key(line) for line in doc.lines}
    for number in junk:
        assert key(lines[number - 1]) not in kept, f"{prefix} line {number} kept"
    assert {key(r.line) for r in doc.removed} >= {key(lines[n - 1]) for n in junk}


def test_every_body_line_is_kept_once(seed):
    prefix, lines, doc = seed
    junk = EXPECTED[prefix][0]
    kept = [key(line) for line in doc.lines]
    body = [n for n, line in enumerate(lines, 1) if line.strip() and n not in junk]
    for number in body:
        assert kept.count(key(lines[number - 1])) == 1, f"{prefix} line {number}"
    assert len(kept) == len({key(lines[n - 1]) for n in body})


def test_metadata(seed):
    prefix, lines, doc = seed
    _junk, title_of, published, outlet = EXPECTED[prefix]
    assert doc.title == title_of(lines)
    assert doc.published == published
    assert doc.outlet == outlet
    assert doc.language == "en"


def test_repeated_bullets_are_recorded_as_repeats(pipeline):
    raw = _seed("000").read_bytes()
    doc = pipeline.process(Document(id=content_id(raw), source="s", raw=raw, kind="text"))
    repeats = [r for r in doc.removed if r.reason == "repeated line"]
    assert len(repeats) == 8
