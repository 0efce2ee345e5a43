"""Russian and Ukrainian morphology: the dictionary forms behind inflected words.

Cyrillic names inflect ("у Харкові", "в Харькове", "Бахмута", "Зеленського"), so look-ups in the
gazetteer and in the alias lists go through lemmas. pymorphy3 with its OpenCorpora (ru) and
LanguageTool/VESUM (uk) dictionaries gives every reading of a word; all readings are kept as
candidates, place-like readings first, because the most frequent reading of a town name is often
a surname ("Харкові" -> Харко). Loading both dictionaries takes about 0.1 s.
"""

from __future__ import annotations

import re
from functools import cache

import pymorphy3

from newsprism.resources import data_lines

CYRILLIC = re.compile(r"[А-Яа-яЁёІіЇїЄєҐґ]")
_UK_ONLY = re.compile(r"[ІіЇїЄєҐґ]")
_RU_ONLY = re.compile(r"[ЫыЭэЪъЁё]")
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‘": "'"})


def is_cyrillic(text: str, share: float = 0.3) -> bool:
    """True when at least `share` of the letters are Cyrillic. Runs on every sentence and
    paragraph, so it counts with C loops (every CYRILLIC character is a letter)."""
    cyrillic = len(CYRILLIC.findall(text))
    if not cyrillic and share > 0:
        return False  # English text, the common case
    letters = sum(map(str.isalpha, text))
    return bool(letters) and cyrillic >= share * letters


def language(text: str) -> str:
    """'uk' or 'ru' from letters only one of the two alphabets has; Russian when neither shows."""
    uk, ru = len(_UK_ONLY.findall(text)), len(_RU_ONLY.findall(text))
    return "uk" if uk > ru else "ru"


@cache
def analyzer(lang: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk" if lang == "uk" else "ru")


def _order(lang: str) -> tuple[str, str]:
    return ("uk", "ru") if lang == "uk" else ("ru", "uk")


@cache
def parses(word: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(lemma, tag) for every reading of `word`, the text's language first."""
    word = word.translate(APOSTROPHES).lower()
    out: list[tuple[str, str]] = []
    for code in _order(lang):
        for p in analyzer(code).parse(word):
            out.append((p.normal_form.translate(APOSTROPHES), str(p.tag)))
    return tuple(out)


@cache
def lemmas(word: str, lang: str) -> tuple[str, ...]:
    """Distinct lower-case lemmas of `word`, most likely first; the word itself is included.
    All-capital abbreviations (ЗСУ, РФ) are their own lemma."""
    if len(word) > 1 and word.isupper():
        return (word,)
    seen: dict[str, None] = {}
    for lemma, _tag in parses(word, lang):
        seen.setdefault(lemma)
    seen.setdefault(word.translate(APOSTROPHES).lower())
    return tuple(seen)


def lemma(word: str, lang: str) -> str:
    return lemmas(word, lang)[0]


_PLACE_TAGS = ("Geox", "inan")
# nominative guesses for words the dictionaries do not know (rare villages): ending -> endings
_ENDINGS = (
    ("ові", ("ів", "ов", "ово")), ("єві", ("їв",)), ("ова", ("ів", "ов", "ово")),
    ("ову", ("ів", "ов")), ("єва", ("їв",)), ("ою", ("а",)), ("ій", ("а", "е")), ("ої", ("а",)),
    ("ки", ("ка",)), ("ці", ("ка",)), ("ке", ("ка",)), ("ку", ("ка",)), ("ске", ("ск",)),
    ("ську", ("ськ", "ське")), ("ськом", ("ськ",)), ("ому", ("е",)), ("ого", ("е",)),
    ("ом", ("",)), ("е", ("", "а", "я")), ("і", ("", "а", "я", "о")), ("а", ("", "о", "е")),
    ("у", ("", "а")), ("и", ("а", "")), ("ы", ("а", "")), ("я", ("ь", "е", "")),
    ("ю", ("ь", "я")), ("ї", ("я",)),
)


@cache
def place_candidates(word: str, lang: str) -> tuple[str, ...]:
    """Capitalised nominative candidates for a (possibly inflected) place word, best first:
    geographic and inanimate readings, the word as written, other readings, ending guesses."""
    clean = word.translate(APOSTROPHES)
    readings = parses(word, lang)
    first = [lem for lem, tag in readings if any(t in tag for t in _PLACE_TAGS)]
    rest = [lem for lem, _ in readings]
    low = clean.lower()
    guesses = [low[: -len(end)] + new for end, news in _ENDINGS if low.endswith(end)
               and len(low) - len(end) >= 3 for new in news]
    out: dict[str, None] = {}
    for cand in [*first, low, *rest, *guesses]:
        out.setdefault(_capitalise(cand))
    return tuple(out)


def _capitalise(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


@cache
def agree(adjective: str, head: str, lang: str) -> str | None:
    """An adjective put in the nominative of its head's gender: ("Донецкой", "область") ->
    "Донецкая"; None when the word has no adjective reading."""
    gender = "masc" if head in ("район", "округ", "р-н") else "neut" if head == "село" else "femn"
    for code in _order(lang):
        for p in analyzer(code).parse(adjective.translate(APOSTROPHES).lower()):
            if p.tag.POS in ("ADJF", "ADJS"):
                form = p.inflect({"nomn", "sing", gender}) or p.inflect({"nomn", gender})
                if form:
                    return _capitalise(form.word)
    return None


@cache
def cyrillic_prepositions(locative: bool = False) -> frozenset[str]:
    """Russian and Ukrainian prepositions (data/prepositions_ru_uk.txt); with `locative`, those
    that place something ("по Киеву", "в Украине")."""
    rows = [line.split("\t") for line in data_lines("prepositions_ru_uk.txt")]
    return frozenset(r[0].strip() for r in rows if not locative or r[-1].strip() == "locative")
