"""Shared fixtures: paths to the bundled demo corpus and to ../shared when it exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.model import Document, content_id
from newsprism.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEMO = ROOT / "demo"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture
def clean(pipeline):
    """Run the pipeline on a string as if it were a scraped .txt file."""

    def run(text: str, kind: str = "text") -> Document:
        raw = text.encode("utf-8")
        result = pipeline.process(Document(id=content_id(raw), source="t.txt", raw=raw, kind=kind))
        assert isinstance(result, Document), result
        return result

    return run
