"""The extraction stage: entities, statements and events from a document's clean body."""

from __future__ import annotations

from dataclasses import dataclass

from newsprism.extract.entities import find_entities, to_entities
from newsprism.extract.events import extract_events
from newsprism.extract.parse import Analysis, Parser, load
from newsprism.extract.sentences import split_text
from newsprism.extract.statements import extract_statements
from newsprism.model import Document

# languages the statistical model reads; other text goes through the rules alone
PARSED_LANGUAGES = {"en", None}


@dataclass
class ExtractStage:
    """Rules, checked and completed by spaCy's small English pipeline (extract/parse.py).

    The parser is loaded on first use in each process, so a pipeline can be sent to worker
    processes cheaply; pass one to share it or to use another model."""

    parser: Parser | None = None

    def __call__(self, doc: Document) -> Document:
        sentences = split_text(doc.lines)
        if doc.language in PARSED_LANGUAGES and sentences:
            parser = self.parser or load()
            analyses = parser.analyse([s.text for s in sentences])
        else:
            analyses = [Analysis() for _ in sentences]
        found = find_entities(sentences, [a.spans for a in analyses])
        doc.entities = to_entities(found)
        doc.statements, claims = extract_statements(doc.lines, sentences, found, analyses)
        doc.events = extract_events(sentences, found, claims, doc.published)
        return doc


extract_stage = ExtractStage()
