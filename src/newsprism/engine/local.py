"""The in-process engine: runs the pipeline on each document of a batch, in order."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.model import Document, InputError
from newsprism.pipeline import Pipeline


class LocalEngine:
    def __init__(self, pipeline: Pipeline | None = None):
        self.pipeline = pipeline or Pipeline()

    def map(self, docs: Sequence[Document]) -> list[Document | InputError]:
        return [self.pipeline.process(doc) for doc in docs]
