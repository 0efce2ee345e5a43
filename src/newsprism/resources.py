"""Loaders for the data files in `newsprism/data/` (each file names its source in its header)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources


def data_lines(name: str) -> list[str]:
    text = resources.files("newsprism.data").joinpath(name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


@cache
def word_set(name: str, lower: bool = True) -> frozenset[str]:
    """A data file of one word or phrase per line, as a set (lower-cased unless told not to)."""
    return frozenset(line.strip().lower() if lower else line.strip() for line in data_lines(name))


@cache
def speech_cues() -> tuple[str, ...]:
    """Reporting verbs and phrases (data/speech_cues.txt), lower case, longest first, so that
    an alternation built from them prefers "told reporters" to "told"."""
    return tuple(sorted(word_set("speech_cues.txt"), key=len, reverse=True))


def person_titles() -> frozenset[str]:
    """Words that introduce a person's name ("spokesman", "Gen."): data/person_titles.txt."""
    return word_set("person_titles.txt")


@cache
def junk_lexicon() -> dict[str, frozenset[str]]:
    """Section name -> set of lower-case phrases."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in data_lines("junk_lexicon.txt"):
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line.lower())
    return {name: frozenset(phrases) for name, phrases in sections.items()}


@cache
def month_names() -> dict[str, int]:
    """Lower-case month name or abbreviation -> month number."""
    names: dict[str, int] = {}
    for line in data_lines("months.tsv"):
        number, *words = line.split("\t")
        for word in words:
            names[word.strip().lower()] = int(number)
    return names


@cache
def english_months() -> list[str]:
    """Full English month names, January first (the first name on each row of months.tsv)."""
    return [line.split("\t")[1].strip() for line in data_lines("months.tsv")]


@cache
def outlet_cues() -> list[re.Pattern[str]]:
    return [re.compile(line.strip(), re.IGNORECASE) for line in data_lines("outlet_cues.txt")]


@cache
def stopwords(language: str | None) -> frozenset[str]:
    """jusText's stop words for an ISO 639-1 code; English when the language is unknown."""
    import justext

    names = dict(line.split("\t") for line in data_lines("stoplist_languages.tsv"))
    name = names.get(language or "en", "English")
    return frozenset(justext.get_stoplist(name.strip()))
