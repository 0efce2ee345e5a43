"""The extraction stage: entities, statements and events from a document's clean body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsprism.confidence import event_confidence
from newsprism.extract.attribution import rule_frames
from newsprism.extract.entities import DocEntities, find_entities, to_entities
from newsprism.extract.events import extract_events
from newsprism.extract.parse import Analysis, Parser, can_carry_attribution, load
from newsprism.extract.places import dateline_places
from newsprism.extract.sentences import DATELINE_PLACE, Sentence, split_text
from newsprism.extract.statements import extract_statements, headline_case, known_heads
from newsprism.model import Document, Entity, Statement

# languages the statistical model reads; other text goes through the rules alone
PARSED_LANGUAGES = {"en", None}


@dataclass
class ExtractStage:
    """Rules, checked and completed by spaCy's small English pipeline (extract/parse.py).

    The parser is loaded on first use in each process, so a pipeline can be sent to worker
    processes cheaply; pass one to share it or to use another model."""

    parser: Parser | None = None

    def __call__(self, doc: Document) -> Document:
        # the headline is content too: its names are mentions, and it introduces people the
        # body names by surname only. It is read as a paragraph before the body; statements
        # and events are the body's (a headline restates them)
        title = [doc.title] if doc.title and (not doc.lines or doc.title != doc.lines[0]) else []
        lines = title + doc.lines
        sentences = split_text(lines)
        found = find_entities(sentences)
        datelines = [r.line for r in doc.removed if r.reason == "dateline"]
        doc.entities = to_entities(found, dateline_places(datelines, found.places))
        if doc.language in PARSED_LANGUAGES and sentences:
            plain = plain_frames(sentences, found)
            analyses = (self.parser or load()).analyse([frame_text(s.text) for s in sentences],
                                                       set(plain))
            for index, frames in plain.items():
                analyses[index].frames = frames
        else:
            analyses = [Analysis() for _ in sentences]
        statements, claims = extract_statements(lines, sentences, found, analyses)
        shift = len(title[0]) + 1 if title else 0
        statements = [s for s in statements if s.start is None or s.start >= shift]
        for s in statements:
            if s.start is not None:
                s.start, s.end = s.start - shift, s.start - shift + len(s.text)
        doc.statements = statements
        doc.entities += _speaking_bodies(statements, doc.entities)
        events = extract_events(sentences, found, claims, doc.published, analyses)
        heading = bool(title) or bool(doc.title and doc.lines and doc.lines[0] == doc.title)
        headline = {s.text for s in sentences if s.paragraph == 0} if heading else set()
        # a headline, or a line set in headline case in the body (a tag line, a promo), restates
        doc.events = [e for e in events if e.evidence not in headline
                      and not headline_case(e.evidence or "")]
        for e in doc.events:  # its own evidence; the link stage adds its other outlets
            e.confidence = event_confidence(e.modality, place=e.place, actor=e.actor,
                                            date_precision=e.date_precision, date=e.date,
                                            claimed_by=e.claimed_by)
        return doc


def _speaking_bodies(statements: list[Statement], entities: list[Entity]) -> list[Entity]:
    """Bodies only the statement layer knew, by a name written as it speaks ("Hezbollah
    said", "the Volkskrant reported"): organisations of the document too."""
    known = {e.name for e in entities} | {m for e in entities for m in e.mentions}
    new: dict[str, Entity] = {}
    for s in statements:
        if s.source_type == "body" and s.speaker and s.speaker not in known \
                and s.evidence and s.speaker in s.evidence:
            new.setdefault(s.speaker, Entity("organization", s.speaker, [s.speaker]))
    return list(new.values())


def plain_frames(sentences: list[Sentence], found: DocEntities) -> dict[int, list]:
    """Frames of the sentences whose attribution is plain enough to read without a parse."""
    heads = known_heads()
    out = {}
    for index, sentence in enumerate(sentences):
        if not can_carry_attribution(sentence.text):
            continue
        names = [(m.start, m.end) for m in found.mentions.get(index, [])
                 if m.type in ("person", "organization")]
        frames = rule_frames(frame_text(sentence.text), names, heads)
        if frames is not None:
            out[index] = frames
    return out


extract_stage = ExtractStage()


# a wire dateline that opens a paragraph: "PORT SUDAN, Oct 27 —", "KYIV, March 3 (Agency) –"
_DATELINE = re.compile(rf"{DATELINE_PLACE}(?:[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}|"
                       r"\d{1,2}\s+[A-Z][a-z]{2,8})?\s*(?:\([^()]{1,60}\)\s*)?[—–-]{1,2}\s+")


def frame_text(text: str) -> str:
    """The sentence as speaker frames are read from it: a dateline that opens it blanked out
    (same length, so offsets hold), or "PORT SUDAN, Oct 27 — the RSF said …" has no subject."""
    m = _DATELINE.match(text)
    return " " * m.end() + text[m.end():] if m else text
