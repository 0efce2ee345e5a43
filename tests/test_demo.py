"""The bundled demo corpus against its hand-written expectations (demo/expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.clean.text import key
from newsprism.ingest import iter_inputs
from newsprism.model import Document

DEMO = Path(__file__).resolve().parents[1] / "demo"
EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def processed(pipeline) -> dict[str, Document]:
    corpus = DEMO / "corpus"
    docs: dict[str, Document] = {}
    for item, _n in iter_inputs([corpus]):
        assert isinstance(item, Document), item
        result = pipeline.process(item)
        assert isinstance(result, Document), result
        docs[Path(item.source).relative_to(corpus).as_posix()] = result
    return docs


def test_every_expected_document_is_read(processed):
    assert set(processed) == set(EXPECTED)
    assert len(processed) >= 24


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata(processed, name):
    doc, want = processed[name], EXPECTED[name]
    assert (doc.title, doc.published, doc.outlet) == (
        want["title"], want["published"], want["outlet"]
    )
    assert doc.language == "en"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_body_kept_once_in_order_and_junk_removed(processed, name):
    doc, want = processed[name], EXPECTED[name]
    kept = [key(line) for line in doc.lines]
    assert kept == [key(line) for line in want["body"]]
    body = {key(line) for line in want["body"]}
    for junk in want["junk"]:
        if key(junk) not in body:
            assert key(junk) not in kept, junk
