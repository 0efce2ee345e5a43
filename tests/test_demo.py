"""The bundled demo corpus against its hand-written expectations (demo/expected.json)."""

from __future__ import annotations

import json

import pytest
from conftest import DEMO

from newsprism.clean.text import key
from newsprism.model import Document

EXPECTED = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def processed(demo_documents) -> dict[str, Document]:
    return demo_documents


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
