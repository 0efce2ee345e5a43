"""Dates in Russian and Ukrainian sentences, with the conventions of extract/timex.py.

- a full date ("20 квітня 2024 року", "05.03.2024") is itself, precision `day`;
- a day and a month ("20 квітня", "в ночь на 12 мая") takes the year that puts it nearest the
  publication date (else the year the article states), `day`;
- a month with its year ("в марте 2024 года", "у березні 2024") is `month`; a year after a
  preposition ("в 2023 году", "з 2022 року") is `year`;
- "вчера"/"вчора", "сегодня"/"сьогодні" and weekdays ("в среду", "у п'ятницю") resolve only
  against a publication date (data/time_words_ru_uk.tsv);
- a month without a year stays unresolved, as in English.
Month names are the genitive and nominative forms of data/months.tsv; other cases ("марте",
"березні") go through their lemma.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

from newsprism.clean.dates import find_dates
from newsprism.extract.morph import lemmas
from newsprism.extract.timex import WEEKDAYS, Timex, _day_of
from newsprism.resources import data_lines, month_names

_WORD = re.compile(r"[^\W\d_](?:[\w'’ʼ]|-(?=[^\W\d_]))*")
_DAY_MONTH = re.compile(r"\b(?P<day>[0-3]?\d)\s+(?P<mon>[^\W\d_]+)")
_YEAR = re.compile(r"\b(?:в|во|у|с|со|з|із|до|по|от|від|начиная с|после|після|к)\s+"
                   r"(?P<year>(?:19|20)\d\d)(?:\s*(?:г\.|гг\.|р\.|году|года|год|році|року|рік)"
                   r"|(?=\s*[,.;]|$))", re.IGNORECASE)
_MONTH_YEAR = re.compile(r"\b(?P<mon>[^\W\d_]+)\s+(?P<year>(?:19|20)\d\d)\b")
_PREPOSITIONS = {"в", "во", "у"}


@cache
def _time_words() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in data_lines("time_words_ru_uk.tsv"))


def _month(word: str, lang: str) -> int | None:
    names = month_names()
    low = word.lower()
    if low in names:
        return names[low]
    return next((names[lem] for lem in lemmas(word, lang) if lem in names), None)


def find_cyrillic_timexes(sentence: str, published: str | None, year: int | None = None,
                          lang: str = "ru") -> list[Timex]:
    """Every resolvable time expression of a Russian or Ukrainian sentence, in order."""
    found = [Timex(d.value.isoformat(), d.start, d.end, sentence[d.start:d.end])
             for d in find_dates(sentence)]
    pub = date.fromisoformat(published[:10]) if published else None

    def free(start: int, end: int) -> bool:
        return not any(t.start < end and start < t.end for t in found)

    for m in _DAY_MONTH.finditer(sentence):
        month = _month(m.group("mon"), lang)
        if month is None or not free(m.start(), m.end()):
            continue
        day = int(m.group("day"))
        when = _day_of(month, day, pub) if pub else _safe(year, month, day)
        if when is not None:
            found.append(Timex(when.isoformat(), m.start(), m.end(), m.group(0)))
    for m in _MONTH_YEAR.finditer(sentence):
        month = _month(m.group("mon"), lang)
        if month is not None and free(m.start(), m.end()):
            found.append(Timex(f"{m.group('year')}-{month:02d}", m.start(), m.end(), m.group(0),
                               "month"))
    for m in _YEAR.finditer(sentence):
        if free(m.start(), m.end()):
            found.append(Timex(m.group("year"), m.start(), m.end(), m.group(0), "year"))
    if pub is not None:
        found += _relative(sentence, pub, lang, free)
    return sorted(found, key=lambda t: t.start)


def _relative(sentence: str, pub: date, lang: str, free) -> list[Timex]:  # noqa: ANN001
    words = _time_words()
    out: list[Timex] = []
    tokens = list(_WORD.finditer(sentence))
    for i, m in enumerate(tokens):
        low = m.group(0).lower().replace("’", "'").replace("ʼ", "'")
        pair = f"{low} {tokens[i + 1].group(0).lower()}" if i + 1 < len(tokens) else ""
        meaning, end = (words[pair], tokens[i + 1].end()) if pair in words else (None, m.end())
        if meaning is None:
            meaning = words.get(low) or next((words[lem] for lem in lemmas(m.group(0), lang)
                                              if lem in words), None)
        if meaning is None or not free(m.start(), end):
            continue
        if meaning in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            if i == 0 or tokens[i - 1].group(0).lower() not in _PREPOSITIONS:
                continue  # "среда" is also "environment": a weekday only as "в среду"
            back = (pub.weekday() - [w[:3] for w in WEEKDAYS].index(meaning)) % 7
        else:
            back = -int(meaning)
        out.append(Timex((pub - timedelta(days=back)).isoformat(), m.start(), end,
                         sentence[m.start():end]))
    return out


def _safe(year: int | None, month: int, day: int) -> date | None:
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
