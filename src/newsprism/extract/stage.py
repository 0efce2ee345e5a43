"""The extraction stage: entities, statements and events from a document's clean body."""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.extract.entities import find_entities, to_entities
from newsprism.extract.events import extract_events
from newsprism.extract.ner import NerModel
from newsprism.extract.sentences import split_text
from newsprism.extract.statements import extract_statements
from newsprism.model import Document


@dataclass
class ExtractStage:
    """Rules by default; pass a `NerModel` to add the statistical model's people and orgs."""

    model: NerModel | None = None

    def __call__(self, doc: Document) -> Document:
        sentences = split_text(doc.lines)
        found = find_entities(sentences, self.model)
        doc.entities = to_entities(found)
        doc.statements, claims = extract_statements(doc.lines, sentences, found)
        doc.events = extract_events(sentences, found, claims, doc.published)
        return doc


extract_stage = ExtractStage()
