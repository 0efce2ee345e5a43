"""Role nouns as Russian and Ukrainian speakers: "— написал мэр", "как сообщает глава областной
администрации", "речник заявив" are the person the article gave that role.

An article introduces a person with a role by apposition: before the name ("Мэр Харькова Игорь
Терехов", "главы Харьковской областной администрации Олега Синегубова", "речник Сил оборони
Півдня Владислав Волошин") or after it ("Олег Синегубов, глава ОВА"). Every such role is learned
from the whole article first, because a lead often names the role before the person ("Как
сообщает глава областной администрации, …" and the name a sentence later). A role speaker is
then the person of the same role group (data/role_nouns_ru_uk.tsv) whose role words share most
lemmas with the speaker phrase ("глава областной администрации" is the head of the oblast
administration, not the head of a ministry), the one introduced last before the sentence first,
else the first introduced after it. No such person: no speaker (never invented).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import islice

from newsprism.extract.cyrillic import TOKEN
from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.morph import (
    APOSTROPHES,
    cyrillic_prepositions,
    language,
    lemmas,
    parses,
)
from newsprism.extract.sentences import Sentence
from newsprism.resources import data_lines

_STOP = frozenset({"и", "і", "й", "та", "а"})  # with the prepositions, no role words


@cache
def _roles() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First lemma -> (role lemmas, group), longest roles first."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for line in data_lines("role_nouns_ru_uk.tsv"):
        role, group = (c.strip() for c in line.split("\t")[:2])
        key = tuple(role.translate(APOSTROPHES).split())
        out.setdefault(key[0], []).append((key, group))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0]))
    return out


@dataclass(frozen=True)
class RolePhrase:
    group: str
    start: int  # of the role noun
    end: int  # of the whole role phrase (the noun and the words after it)
    head_end: int  # of the role noun (or fixed phrase) itself
    words: frozenset[str]  # lemmas of the phrase's other words ("харьковский", "администрация")


def _lemmas(word: str, lang: str) -> frozenset[str]:
    return frozenset(lemmas(word, lang))


def role_at(text: str, start: int, lang: str | None = None, limit: int | None = None
            ) -> RolePhrase | None:
    """The role phrase whose noun is the first word at or after `start` (up to `limit`), with
    up to five words after it up to a comma, a quote or a name."""
    lang = lang or language(text)
    tokens = list(islice(TOKEN.finditer(text, start, limit or len(text)), 8))
    if not tokens:
        return None
    first = _lemmas(tokens[0].group(), lang) | {tokens[0].group().lower()}
    for key, group in (e for lem in first for e in _roles().get(lem, ())):
        n = len(key)
        window = tokens[:n]
        if len(window) == n and all(k in _lemmas(t.group(), lang) or t.group().lower() == k
                                    for k, t in zip(key, window, strict=True)):
            end = window[-1].end()
            words: set[str] = set()
            for t in tokens[n:n + 5]:
                gap = text[end:t.start()]
                if re.search(r"[,.;:!?()—–]", gap) or t.group()[:1].isupper() and \
                        _name_like(t.group()) or _verbal(t.group(), lang):
                    break  # the phrase ends at a punctuation mark, a name or its verb
                words |= {w for w in _lemmas(t.group(), lang)
                          if w not in _STOP and w not in cyrillic_prepositions()}
                end = t.end()
            return RolePhrase(group, window[0].start(), end, window[-1].end(),
                              frozenset(words))
    return None


def _verbal(word: str, lang: str) -> bool:
    readings = parses(word, lang)
    return bool(readings) and readings[0][1].split(",")[0] in ("VERB", "INFN", "GRND", "PRTS")


def _name_like(word: str) -> bool:
    """A capitalised word that starts a person's name, where a role phrase ends."""
    return any(x in tag for _, tag in parses(word, language(word))[:3]
               for x in ("Name", "Surn", "Patr"))


@dataclass
class RoleBook:
    """The roles an article gives its people: (sentence index, group, role lemmas, person)."""

    entries: list[tuple[int, str, frozenset[str], str]] = field(default_factory=list)

    @classmethod
    def read(cls, sentences: list[Sentence], entities: DocEntities) -> RoleBook:
        book = cls()
        for index, sentence in enumerate(sentences):
            for m in entities.mentions.get(index, []):
                if m.type == "person":
                    book._learn(index, sentence.text, m)
        return book

    def _learn(self, index: int, text: str, m: Mention) -> None:
        lang = language(text)
        clause = re.split(r"[.;:!?()—–]|,\s", text[:m.start])[-1]
        offset = m.start - len(clause)
        for t in TOKEN.finditer(clause):
            role = role_at(text, offset + t.start(), lang, m.start)
            if role is not None:
                self.entries.append((index, role.group, role.words, m.name))
                break
        after = re.match(r",\s+", text[m.end:])
        if after:
            role = role_at(text, m.end + after.end(), lang)
            if role is not None and role.start == m.end + after.end():
                self.entries.append((index, role.group, role.words, m.name))

    def person(self, role: RolePhrase, index: int) -> str | None:
        """The person holding `role` as the article reads at sentence `index`: most role words
        in common, then introduced before (the latest), then after (the earliest). With no word
        in common and several people of the group, nobody: "глава МИД" is not the head of the
        oblast named before."""
        fits = [(len(role.words & words), at <= index, at if at <= index else -at, name)
                for at, group, words, name in self.entries if group == role.group]
        if not fits:
            return None
        best = max(fits)
        if best[0] == 0 and role.words and len({f[3] for f in fits}) > 1:
            return None
        return best[3]

    def holders(self, group: str) -> set[str]:
        return {name for _, g, _, name in self.entries if g == group}

    def roles_of(self, name: str) -> set[str]:
        return {g for _, g, _, n in self.entries if n == name}
