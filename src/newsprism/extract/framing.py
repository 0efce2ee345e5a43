"""Framing: the words an article chooses, each flagged with the neutral wording where there is one.

The same morning reads differently as "units liberated the town from neo-Nazis" and as "Russian
forces captured the town"; a report is weaker when every figure is "reportedly" and stronger when
each claim says who made it. So every occurrence of a term from `data/framing_lexicon.tsv` in the
clean body becomes a `FramingTerm`, in reading order, under one of the categories below. Counting
them per 1,000 words tells outlets apart without judging any single sentence.

- loaded_pro_kremlin / loaded_pro_ukrainian: a side's vocabulary ("Kiev regime", "orcs");
- russian_spelling: Russian-era place names ("Kharkov"), kept apart from loaded terms because
  careful outlets also use them to explain ("which Russia calls Krasnoarmeysk");
- hedge / attribution: "reportedly", "could not be verified" / "said", "according to";
- clickbait / filler: promo labels and tabloid hyperbole / content-farm rewrite padding.

Rules: terms match between word boundaries; each row says whether case matters; context rules
(e.g. "liberate" only about places, not "liberation movement") are lookaheads in the rows, so
the code has no per-term special cases. A term inside quotation marks counts too: the outlet chose
to quote it, and nothing else is recorded about it. Where terms of different categories overlap,
the earliest and then the longest is kept, so "Kiev regime" is one loaded term rather than also a
spelling, and "according to sources" is a hedge rather than an attribution.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from newsprism.extract.literals import Prefilter, PrefilterSet, fold
from newsprism.extract.morph import is_cyrillic, language, lemmas
from newsprism.model import Document, FramingTerm
from newsprism.resources import data_lines

LEXICON = "framing_lexicon.tsv"
CATEGORIES = (
    "loaded_pro_kremlin",
    "loaded_pro_ukrainian",
    "russian_spelling",
    "hedge",
    "attribution",
    "clickbait",
    "filler",
)
LOADED = ("loaded_pro_kremlin", "loaded_pro_ukrainian")


@dataclass(frozen=True)
class LexiconRow:
    pattern: str
    category: str
    neutral: str | None
    case_sensitive: bool
    label: str
    by_lemma: bool = False  # Russian/Ukrainian words matched in any case form, via lemmas


class FramingMatch(NamedTuple):
    start: int
    end: int
    term: str
    category: str
    neutral: str | None
    label: str


@cache
def framing_lexicon() -> tuple[LexiconRow, ...]:
    """The lexicon rows in file order; a malformed row raises `ValueError` naming it."""
    rows: list[LexiconRow] = []
    for number, line in enumerate(data_lines(LEXICON), 1):
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 5:
            raise ValueError(f"{LEXICON} row {number}: want 5 tab-separated columns: {line!r}")
        pattern, category, neutral, case, label = cells
        if category not in CATEGORIES:
            raise ValueError(f"{LEXICON} row {number}: unknown category {category!r}")
        if case not in ("i", "s", "l"):
            raise ValueError(f"{LEXICON} row {number}: case must be 'i', 's' or 'l', "
                             f"not {case!r}")
        if not pattern or not label:
            raise ValueError(f"{LEXICON} row {number}: empty pattern or label")
        if case != "l":
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{LEXICON} row {number}: bad pattern {pattern!r}: {exc}"
                                 ) from exc
        rows.append(LexiconRow(pattern, category, neutral or None, case == "s", label,
                               case == "l"))
    return tuple(rows)


@cache
def _patterns() -> tuple[tuple[tuple[re.Pattern[str], tuple[LexiconRow, ...]], ...],
                         PrefilterSet]:
    """One alternation per category; group `rN` is the category's N-th row. With them, the
    words one of which each row holds: most paragraphs hold none of most categories', and one
    pass for them all is far cheaper than the alternations (extract/literals.py)."""
    compiled = []
    filters = []
    for category in CATEGORIES:
        rows = tuple(r for r in framing_lexicon() if r.category == category and not r.by_lemma)
        if not rows:
            continue
        alternatives = [f"(?P<r{n}>(?{'-' if r.case_sensitive else ''}i:{r.pattern}))"
                        for n, r in enumerate(rows)]
        compiled.append((re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)"), rows))
        filters.append(Prefilter(alternatives))
    return tuple(compiled), PrefilterSet(filters)


def find_framing(text: str) -> list[FramingMatch]:
    """The framing terms in one paragraph, in reading order, overlaps resolved."""
    found: list[FramingMatch] = []
    patterns, prefilters = _patterns()
    possible = prefilters.may_match(fold(text))
    for index, (pattern, rows) in enumerate(patterns):
        if index not in possible:
            continue
        for m in pattern.finditer(text):
            row = rows[int((m.lastgroup or "r0")[1:])]
            found.append(FramingMatch(m.start(), m.end(), m.group(), row.category, row.neutral,
                                      row.label))
    if is_cyrillic(text, share=0.1):
        found += _lemma_matches(text)
    found.sort(key=lambda f: (f.start, f.start - f.end))
    kept: list[FramingMatch] = []
    end = 0
    for match in found:
        if match.start >= end:
            kept.append(match)
            end = match.end
    return kept


_WORD = re.compile(r"[^\W\d_](?:[\w'’ʼ]|-(?=[^\W\d_]))*")


@cache
def _lemma_rows() -> dict[str, list[tuple[tuple[frozenset[str], ...], LexiconRow]]]:
    """Lemma rows by the lemmas of their first word: ("окупант",) -> the "окупанти" row."""
    index: dict[str, list[tuple[tuple[frozenset[str], ...], LexiconRow]]] = {}
    for row in framing_lexicon():
        if row.by_lemma:
            lang = language(row.pattern)
            words = tuple(frozenset(lemmas(w, lang)) for w in row.pattern.split())
            for first in words[0]:
                index.setdefault(first, []).append((words, row))
    return index


def _lemma_matches(text: str) -> list[FramingMatch]:
    """Rows written as lemmas ("окупант", "киевский режим") in any inflected form."""
    lang = language(text)
    tokens = [(m.start(), m.end(), frozenset(lemmas(m.group(), lang)))
              for m in _WORD.finditer(text)]
    index = _lemma_rows()
    found: list[FramingMatch] = []
    for i, (start, _end, first) in enumerate(tokens):
        for lemma in first:
            for words, row in index.get(lemma, ()):
                window = tokens[i:i + len(words)]
                if len(window) == len(words) and all(
                        t[2] & w for t, w in zip(window, words, strict=True)):
                    end = window[-1][1]
                    found.append(FramingMatch(start, end, text[start:end], row.category,
                                              row.neutral, row.label))
    return found


def framing_stage(doc: Document) -> Document:
    """Every line's terms, with their offsets in the clean text (lines joined by newlines)."""
    terms: list[FramingTerm] = []
    offset = 0
    for line in doc.lines:
        terms += [FramingTerm(term=m.term, category=m.category, neutral=m.neutral,
                              start=offset + m.start, end=offset + m.end)
                  for m in find_framing(line)]
        offset += len(line) + 1
    doc.framing = terms
    return doc


def framing_counts(doc: Document) -> dict[str, int]:
    """Occurrences per category, every category present (0 when none was found)."""
    counts = Counter(term.category for term in doc.framing)
    return {category: counts[category] for category in CATEGORIES}
