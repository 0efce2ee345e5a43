"""The extraction stage: entities, statements and events from a document's clean body."""

from __future__ import annotations

from newsprism.extract.entities import find_entities, to_entities
from newsprism.extract.events import extract_events
from newsprism.extract.sentences import split_text
from newsprism.extract.statements import extract_statements
from newsprism.model import Document


def extract_stage(doc: Document) -> Document:
    sentences = split_text(doc.lines)
    found = find_entities(sentences)
    doc.entities = to_entities(found)
    doc.statements, claims = extract_statements(doc.lines, sentences, found)
    doc.events = extract_events(sentences, found, claims, doc.published)
    return doc
