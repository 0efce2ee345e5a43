"""People, organisations and places in a document, each with one canonical name.

Rule-based and data-driven, so that it is fast, explainable and works offline:
- organisations: the aliases in `data/organizations.tsv`, then capitalised names ending in an
  institution word ("Kharkiv Regional Military Administration");
- places: `newsprism.extract.places` (the gazetteer, with context); a place inside an
  organisation's name is not a place mention;
- people: known public figures (`data/persons.tsv`), capitalised names after a title or role
  ("spokesman Dmitry Peskov"), before a reporting verb ("Olena Hrytsenko said") or before an
  apposition ("Vadim Kolosov, a military expert"); a later bare surname ("Peskov") joins the
  full name seen in the same document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import cast

import ahocorasick

from newsprism.extract.attribution import speech_verbs, verb_lemma
from newsprism.extract.gazetteer import Place, adjective_of, country_names, demonym, lookup
from newsprism.extract.mentions import NAME_WORD, Mention
from newsprism.extract.morph import is_cyrillic
from newsprism.extract.places import PlaceContext, place_mentions, state_abbreviations
from newsprism.extract.sentences import Sentence
from newsprism.model import Entity, EntityType, GeoPrecision, PlaceKind
from newsprism.resources import (
    data_lines,
    english_months,
    person_titles,
    speech_cues,
    stopwords,
    word_set,
)

_POSSESSIVE = re.compile(r"['’]s?$")
@cache
def _org_head() -> str:
    """The head nouns that end an institution's name (data/org_heads.txt), as an alternation."""
    words = sorted(word_set("org_heads.txt", lower=False), key=len, reverse=True)
    return "|".join(re.escape(w).replace("ization", "i[sz]ation") for w in words)


@cache
def _org_generic() -> re.Pattern[str]:
    """Capitalised words ending in a head noun: "Kharkiv Regional Military Administration",
    "U.S. Attorney's Office" (initials before it)."""
    return re.compile(rf"\b(?:\d+(?:st|nd|rd|th)\s+)?(?:(?:[A-Z]\.)+\s+)?"
                      rf"(?:[A-Z][\w'’\-]*\s+(?:of\s+(?:the\s+)?)?){{1,5}}(?:{_org_head()})\b")


@dataclass
class DocEntities:
    """What a document's sentences mention, kept for the statement and event stages."""

    mentions: dict[int, list[Mention]] = field(default_factory=dict)  # sentence index -> list
    people: dict[str, str] = field(default_factory=dict)  # surface form -> canonical name
    places: PlaceContext | None = None  # what the document says about where it is


@cache
def _organizations() -> tuple[ahocorasick.Automaton, dict[str, str]]:
    """Every alias of data/organizations.tsv -> its canonical name, and an automaton of the
    aliases that finds them all in one pass (an alternation of hundreds is tried at every
    position of every sentence)."""
    canonical: dict[str, str] = {}
    for line in data_lines("organizations.tsv"):
        name, *aliases = line.split("\t")
        for alias in [name, *aliases]:
            canonical.setdefault(alias.strip(), name.strip())
            canonical.setdefault(alias.strip().replace("'", "’"), name.strip())
            if re.fullmatch(r"[A-Z]{4,}", alias.strip()):  # "Tass", "Nato": British style
                canonical.setdefault(alias.strip().capitalize(), name.strip())
    automaton = ahocorasick.Automaton()
    for alias in canonical:
        automaton.add_word(alias, alias)
    automaton.make_automaton()
    return automaton, canonical


def _ends_a_name(text: str, start: int, alias: str) -> bool:
    """A one-word alias that ends a person's name ("Minister Thérèse Kayikwamba Wagner" is no
    Wagner Group): one or two capitalised words before it that open with a given name or
    follow a person's title."""
    if " " in alias:
        return False
    window = text[max(0, start - 60):start]
    run = re.search(rf"(?:{NAME_WORD}\s+){{1,2}}$", window)
    if run is None:
        return False
    title = re.search(r"([\w.-]+)\s+$", window[:run.start()])
    return run.group(0).split()[0] in word_set("given_names.txt", lower=False) or (
        title is not None and title.group(1).lower() in person_titles())


def _known_organizations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, alias) of the known organisations in `text`, as a regex alternation of
    the aliases, longest first, between word boundaries would find them: left to right, the
    longest alias that starts at a position and is not part of a longer word, no overlaps."""
    automaton, _canonical = _organizations()
    at: dict[int, str] = {}
    for end, alias in automaton.iter(text):
        start = end - len(alias) + 1
        if (start and (text[start - 1].isalnum() or text[start - 1] in "_-")) or (
                end + 1 < len(text) and (text[end + 1].isalnum() or text[end + 1] in "_-")):
            continue
        if len(alias) > len(at.get(start, "")):
            at[start] = alias
    found, reach = [], 0
    for start in sorted(at):
        if start >= reach:
            found.append((start, start + len(at[start]), at[start]))
            reach = start + len(at[start])
    return found


@cache
def _known_people() -> dict[str, str]:
    people: dict[str, str] = {}
    for line in data_lines("persons.tsv"):
        name, *aliases = line.split("\t")
        for alias in [name, *aliases]:
            people.setdefault(alias.strip(), name.strip())
    return people


@cache
def _cue_after() -> re.Pattern[str]:
    """A reporting verb right after a name: "Olena Hrytsenko said", "…, told reporters", "X has
    said", "X also claimed", "X was quoted as saying"."""
    cues = speech_cues()
    return re.compile(r",?\s+(?:(?:has|have|had|also|later|then|again|earlier|previously|"
                      r"repeatedly|recently)\s+)?(?:was quoted|" + "|".join(map(re.escape, cues))
                      + r")[\s,.:]", re.IGNORECASE)


@cache
def _not_names() -> frozenset[str]:
    """Capitalised words that start sentences or name months and days, never people."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    words = ["The", "A", "An", "In", "On", "At", "He", "She", "It", "They", "We", "This", "That",
             "But", "And", "According", "Russian", "Ukrainian", "Western", "European", "British",
             "American", "Turkish", "Belarusian", "Chinese", "Soviet", "Kremlin", "Defence",
             "Defense", "Minister", "President", "Mr", "Mrs", "Ms", "Dr"]
    return frozenset([*days, *(m.capitalize() for m in english_months()), *words,
                      *word_set("opening_words.txt", lower=False)])


def _overlaps(spans: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in spans)


_ADMINISTRATION = re.compile(
    rf"\b({NAME_WORD}) (regional|city|oblast|district) (military )?administration\b", re.IGNORECASE
)


_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her", "our"}


def _org_mentions(text: str) -> list[Mention]:
    canonical = _organizations()[1]
    found = [Mention(start, end, alias, "organization", canonical[alias])
             for start, end, alias in _known_organizations(text)
             if not _ends_a_name(text, start, alias)]
    for m in _ADMINISTRATION.finditer(text):  # "the Kharkiv regional military administration"
        if (m.group(1)[0].isupper() and m.group(1).lower() not in _DETERMINERS
                and not _overlaps(found, m.start(), m.end())):
            name = " ".join(w.capitalize() for w in m.group(0).split())
            found.append(Mention(m.start(), m.end(), m.group(0), "organization", name))
    for m in _org_generic().finditer(text):
        end = m.end() + _name_tail(text, m.end())
        # a determiner that opens the sentence is no part of the name ("A Defence Ministry
        # spokesman said")
        surface = re.sub(r"^(?:The|the|A|An|This|That|Its|Their|His|Her|Our)\s+", "",
                         text[m.start():end])
        surface = surface[_title_of(surface):]  # "Deputy Chairman of the Security Council"
        of = re.search(r"\s+of\s+(?:the\s+)?", surface)
        if of and not re.search(rf"\b(?:{_org_head()})\b", surface[:of.start()]) \
                and not _COMPASS.fullmatch(surface[:of.start()]):  # "East of England …": whole
            surface = surface[of.end():]  # "Ivan Marchenko of the Razumkov Centre": the Centre
        based = _BASED.match(surface)  # "the London-based Centre for …" is the Centre
        if based:
            surface = surface[based.end():]
        start = end - len(surface)
        if not _overlaps(found, start, end) and len(surface.split()) >= 2 \
                and lookup(surface) is None:  # "the Russian Federation" is a country
            found.append(Mention(start, end, surface, "organization", surface))
    for m in _LOWER_BODY.finditer(text):  # "Russia's defence ministry", "the foreign ministry"
        owner, words = m.group("owner"), m.group("words").split()
        country = None if owner.lower() == "the" else \
            demonym(owner) or lookup(_POSSESSIVE.sub("", owner))
        if owner.lower() != "the" and (country is None or country.kind != "country"):
            continue
        if not all(w in _org_name_words() for w in words) or _overlaps(found, m.start(), m.end()):
            continue
        start = m.start("words")
        name = " ".join(w.capitalize() for w in [*words, m.group("head")])
        if country is not None and name not in _generic_bodies():  # no table entry: by owner
            name = f"{name} of {country.name}"  # "Poland's interior ministry"
        found.append(Mention(start, m.end(), text[start:m.end()], "organization", name))
    for m in _ARMED.finditer(text):
        owner = m.group("owner")
        country = demonym(owner) or lookup(_POSSESSIVE.sub("", owner))
        if country is None or country.kind != "country" or _overlaps(found, m.start(), m.end()):
            continue
        # one name whether written "Malian forces" or "Mali's armed forces"
        adjective = owner if demonym(owner) is not None else adjective_of(country.country or "")
        name = _armed_forces().get(country.country or "") or (
            f"{adjective} Armed Forces" if adjective else f"Armed Forces of {country.name}")
        found.append(Mention(m.start(), m.end(), m.group(0), "organization", name))
    for m in _MISSION.finditer(text):
        owner = m.group("owner")
        country = demonym(owner) or lookup(_POSSESSIVE.sub("", owner))
        if country is None or country.kind != "country" or _overlaps(found, m.start(), m.end()):
            continue
        city = f" in {m.group('city')}" if m.group("city") else ""
        name = f"{m.group('head').capitalize()} of {country.name}{city}"
        found.append(Mention(m.start(), m.end(), m.group(0), "organization", name))
    for m in _bare_head().finditer(text):  # "the Department of Maritime Transport"
        end = m.end() + _name_tail(text, m.end())
        if end > m.end() and not _overlaps(found, m.start(), end):
            surface = text[m.start():end]
            found.append(Mention(m.start(), end, surface, "organization", surface))
    found += _acronyms(text, found)
    return found


_ACRONYM = re.compile(r"(?<![\w&.-])[A-Z][A-Z&]{1,5}(?![\w&-]|\.\w)")


def _acronyms(text: str, found: list[Mention]) -> list[Mention]:
    """An upper-case word of two to six letters in running text ("the NBA", "JVP
    lawmakers") is a body's initials, unless it is a place ("UAE", "DPR", a dateline's
    "KYIV"), a roman numeral, a word in capitals ("TODAY"), one of
    data/acronyms_not_bodies.txt (weapons, units, "CEO", "GDP"), or the start of a longer
    name. A line mostly in capitals (a heading, a button) names no body."""
    candidates = list(_ACRONYM.finditer(text))
    if not candidates:
        return []
    upper, lower = len(_UPPER.findall(text)), len(_LOWER.findall(text))
    if upper > 0.4 * (upper + lower):
        return []
    out = []
    for m in candidates:
        word = m.group(0)
        if _overlaps(found, m.start(), m.end()) or word in word_set(
                "acronyms_not_bodies.txt", lower=False) or re.fullmatch(r"[IVXLC]+", word) \
                or word.lower() in stopwords("en") \
                or lookup(word) is not None or lookup(word.capitalize()) is not None:
            continue
        if _NAME_GOES_ON.match(text, m.end()) or re.search(r"[A-Z]{2,}\s+$", text[:m.start()]):
            continue  # "SOPA Images Limited", "CBS All Access", "SIOUX FALLS": a longer name
        if word in state_abbreviations() and re.search(r"\w,\s+$", text[:m.start()]):
            continue  # "Horry County, SC": a state
        out.append(Mention(m.start(), m.end(), word, "organization", word))
    return out


_UPPER = re.compile(r"[^\W\d_a-zß-ÿ]")  # (a letter that is not lower case, near enough)
_LOWER = re.compile(r"[a-zß-ÿ]")
_NAME_GOES_ON = re.compile(r"\s+(?:[A-Z][a-z]|[A-Z]{2,})")


@cache
def _bare_head() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_org_head()})\b")


# a body written in lower case after its country or "the": "Poland's interior ministry"
_LOWER_BODY = re.compile(r"\b(?P<owner>[Tt]he|[A-Z][\w-]+(?:['’]s)?)\s+(?P<words>(?:[a-z]+\s+)"
                         r"{1,2})(?P<head>ministry|agency|service|committee|council|department)\b")
# "the Syrian army", "Poland's military", "Israeli troops": a country's armed forces (the
# annotation guideline's alias rule for "Russian troops", for every country)
_ARMED = re.compile(r"\b(?P<owner>(?:(?:North|South|East|West)\s+)?(?:[A-Z][a-z]+|U\.?S\.?|UK)"
                    r"(?:['’]s)?)\s+"
                    r"(?P<noun>army|military|armed forces|troops|forces)\b")
# "the Russian embassy in London", "Chile's consulate": a country's mission, a body
_MISSION = re.compile(r"\b(?P<owner>[A-Z][a-z]+(?:['’]s)?)\s+(?P<head>embassy|consulate)"
                      r"(?:\s+in\s+(?P<city>[A-Z][\w'’-]+))?")
_TAIL = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+(?:(?:and|of|for)\s+"
                   r"(?:the\s+)?)?[A-Z][\w'’-]*){0,4})")
_BASED = re.compile(r"^[A-Z][\w'’.-]*-based\s+")


def _name_tail(text: str, at: int) -> int:
    """How far an institution's name goes on past its head noun: "Department" + " of Civil
    Aviation", "Centre" + " for the Study of War", up to the first capitalised word that is
    neither a word of such names (data/org_name_words.txt) nor a place, so that "the Ministry
    of Defence Ivan Petrov" keeps its person."""
    m = _TAIL.match(text, at)
    if not m:
        return 0
    words, kept = _org_name_words(), 0
    found = list(re.finditer(r"[A-Z][\w'’-]*", m.group(1)))
    i = 0
    while i < len(found):
        token = _POSSESSIVE.sub("", found[i].group(0))
        if token.lower() in words or lookup(token) is not None:
            kept, i = m.start(1) + found[i].start() + len(token), i + 1
            continue
        # a place of two or three words ("… District of New York")
        place = next((j for j in (i + 3, i + 2) if j <= len(found) and lookup(
            m.group(1)[found[i].start():found[j - 1].end()]) is not None), None)
        if place is None:
            break
        kept, i = m.start(1) + found[place - 1].end(), place
    return kept - at if kept else 0


def _org_name_words() -> frozenset[str]:
    return word_set("org_name_words.txt")


def _is_person(tokens: list[str], before: list[str], after: str, org_before: bool,
               strong_only: bool) -> bool:
    """Judge a capitalised run not known as a person: a title before it, a reporting verb or
    an apposition after it, or (as in "FSB Alexander Bortnikov") an organisation right before."""
    prev = before[-1].lower().strip(".,") if before else ""
    if len(tokens) == 1:  # "Colonel-General Mordvichev": a bare surname after a rank
        after_rank = bool(before) and all(part in person_titles() for part in prev.split("-")) \
            and prev not in ("general", "chief", "head", "deputy")
        # "…,” Okafor said.": a lone name right before a reporting verb, after a quote or a
        # comma, that is no place, body, role or common word
        quoted = not strong_only and bool(before) and (
            before[-1][-1:] in _QUOTE_ENDS and bool(_cue_after().match(after))
            or len(before) > 1 and prev in _cue_words() and before[-2][-1:] in _QUOTE_ENDS
            and re.match(r"\s*(?:[,.;]|$)", after) is not None)  # "…,” said Okoro, a guard"
        # "Novak – a former prime minister – confirmed": an apposition with a title
        appos = not strong_only and re.match(r"(?:,|\s+[–—-])\s+(?:a|an|the)\s", after) \
            is not None and any(w.lower() in person_titles()
                                for w in re.findall(r"[\w-]+", after[:80])[1:8])
        aged = not strong_only and _AGE.match(after) is not None  # "Ferraro, 92, said"
        # "Marta said": a given name alone as the subject of a reporting verb
        aged = aged or not strong_only and tokens[0] in word_set("given_names.txt", lower=False) \
            and lookup(tokens[0]) is None and bool(_cue_after().match(after))
        return (after_rank or quoted or appos or aged) and _name_like(tokens) \
            and (_lone_name(tokens[0]) or after_rank and _small_town_name(tokens[0]))
    if prev in person_titles() or org_before and len(tokens) <= 3:
        return True
    if strong_only:
        return False
    if prev in ("of", "for") and len(before) >= 2 and before[-2][:1].isupper():
        return False  # "Doctors for Camp Closure wrote": the end of a body's name
    if _given_name_first(tokens) and prev not in ("the", "a", "an") \
            and prev not in word_set("vessel_nouns.txt") and not _name_goes_back(before):
        return True  # "Sergei Skripal": a given name and a surname ("the Sergei Kotov": a ship)
    if _cue_after().match(after):
        return True
    if _AGE.match(after):
        return True  # "Anna Kovalenko, 34, a teacher"
    apposition = re.match(r"(?:,|\s+[–—-])\s+(?:a|an|the|who|whose|another|one|his|her|"
                          r"their|its)\b((?:\s+[\w-]+){0,3})", after)
    if apposition and any(_source_classes().get(w.lower(), "person") != "person"
                          for w in apposition.group(1).split()):
        return False  # "the Daily Courier, the paper said": a body's apposition
    if apposition or any(
            w.lower() in person_titles() for w in re.findall(r"[\w-]+", after[:40])[:3]
            if re.match(r",|\s+[–—-]\s", after)):
        return True  # "Ivan Petrov, the mayor", "Len Barrow, head of …", "X, second secretary"
    if prev in _cue_words() and _name_like(tokens):
        return True  # "…,” said Len Barrow"
    return bool(before) and before[-1].endswith(",") and any(
        w.lower().strip(",") in person_titles() for w in before[-7:])


def _name_goes_back(before: list[str]) -> bool:
    """The capitalised word right before is part of the same name ("San Francisco Bay Area":
    "Francisco" opens no person's name there), unless it is a title, a weekday or month, a
    possessive or a word that opens sentences."""
    if not before:
        return False
    word = before[-1]
    return bool(re.fullmatch(NAME_WORD, word)) and not word.endswith(("'s", "’s")) \
        and word not in _not_names() and word.lower() not in person_titles() \
        and demonym(word) is None and word.lower() not in _org_name_words() \
        and not re.fullmatch(_org_head(), word)  # "… Humanitarian Cooperation Yevgeny X"


def _given_name_first(tokens: list[str]) -> bool:
    """A run of two or three words (four with two given names) that opens with a given name
    (data/given_names.txt) that is no place or nationality, and ends in a word that can be a
    surname, not a place, a body's head noun or a facility ("Victoria Station")."""
    names = [t for t in tokens if not re.fullmatch(_PARTICLES, t)]
    given = word_set("given_names.txt", lower=False)
    # four words when two given names open them ("Andres Manuel Lopez Obrador")
    most = 4 if len(names) == 4 and names[1] in given else 3
    if not 2 <= len(names) <= most or names[0] not in given:
        return False
    first, last = names[0], names[-1]
    facilities = word_set("place_facility_nouns.txt")
    place = lookup(last)  # a town's name is a surname often enough ("Jackie Young")
    return lookup(first) is None and demonym(first) is None and demonym(last) is None \
        and (place is None or place.kind == "settlement") and len(last) > 1 \
        and (last not in _not_names() or last.lower() in english_months()) \
        and last.lower() not in _source_words() \
        and all(t[:1].isupper() and t.lower() not in _cue_words() for t in names) and not any(
            re.fullmatch(_org_head(), t) or t.lower() in facilities or t.isupper()
            for t in names)


_AGE = re.compile(r",\s+(?:aged\s+)?\d{1,3},\s")  # a name with an age: "X, 92, said"


def _by_first_word(word: str, people: dict[str, str]) -> str | None:
    """The one person of the document whose name begins with this word ("Lin" for "Lin Tao",
    surname first) or whose surname it spells another way, or None when no one or several
    do."""
    found = {name for name in people.values() if " " in name and name.split()[0] == word}
    if not found and len(word) >= 6:  # "Prigogine" for Prigozhin: another romanisation
        found = {name for name in people.values() if " " in name
                 and name.split()[-1][:5].lower() == word[:5].lower()
                 and abs(len(name.split()[-1]) - len(word)) <= 2}
    return found.pop() if len(found) == 1 else None


# lower-case particles inside a name: "Saeed bin Suroor", "Roger van Boxtel", "Mike de Kock"
_PARTICLES = r"(?:bin|ibn|bint|al|el|de|da|di|du|van|von|der|den|dos|das|del|della|le|la)"
_ARTICLE = r"(?:al|el|ad|ash|as|at|az|ud|ul)"  # Arabic's article joined to a name: "al-Assad"
_OF_BODY = re.compile(r"\s+of\s+(?:the\s+)?(?:[A-Z][\w'’.-]*-based\s+)?")
_QUOTE_ENDS = set(",\"”’'")


def _month_surname(text: str, run: re.Match[str], word: re.Match[str]) -> bool:
    """A month's name after a given name is a surname ("Theresa May"), unless a day's number
    follows it ("Anna May 3" is not written; "on Friday, May 3" has no given name)."""
    return word.group(0).lower() in english_months() and re.match(
        r"\s*\d", text[run.start() + word.end():]) is None


#: After a title, a name that is also a town this small is the name ("Pope Francis").
TITLED_TOWN_POPULATION = 50_000


def _small_town_name(word: str) -> bool:
    place = lookup(word)
    return place is not None and place.kind == "settlement" and not place.conflict \
        and (place.population or 0) < TITLED_TOWN_POPULATION and len(word) > 2 \
        and not word.isupper() and demonym(word) is None and word not in _not_names()


def _after_title(text: str, start: int) -> bool:
    before = text[:start].split()
    return bool(before) and before[-1].lower().strip(".,") in person_titles()


def _lone_name(word: str) -> bool:
    """A capitalised word that can be a surname standing alone: not an acronym (a body), a
    place, a demonym, an institution's head noun or a source noun ("Officials")."""
    return len(word) > 2 and not word.isupper() and lookup(word) is None \
        and demonym(word) is None and not re.fullmatch(_org_head(), word) \
        and word.lower() not in _source_words() and word not in _not_names()


@cache
def _source_words() -> frozenset[str]:
    return frozenset(_source_classes())


@cache
def _source_classes() -> dict[str, str]:
    """Source noun -> its class (data/source_nouns.tsv: person, body, medium, …)."""
    return {parts[0].strip(): parts[1].strip() for line in data_lines("source_nouns.tsv")
            if len(parts := line.split("\t")) > 1}


_FIRST_NAME = re.compile(r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?")


def _ends_in_country(tokens: list[str]) -> bool:
    """"DeSmog Canada", "Baseball Ontario": a name ending in a country or first-level region
    names a body, not a person (unless that name is also a surname: "Paul Jordan")."""
    if len(tokens) < 2 or tokens[-1] in word_set("country_surnames.txt", lower=False):
        return False
    place = lookup(tokens[-1])
    return place is not None and place.kind in ("country", "region")


def _person_mentions(
    text: str, taken: list[Mention], people: dict[str, str], strong_only: bool = False
) -> list[Mention]:
    """Names of people; `strong_only` keeps known figures and names after a title."""
    found: list[Mention] = []
    not_names = _not_names()
    for run in re.finditer(rf"{NAME_WORD}(?:\s+(?:[A-Z]\.\s+|{_PARTICLES}\s+)?"
                           rf"(?:{_ARTICLE}-)?{NAME_WORD}){{0,7}}", text):
        words = list(re.finditer(r"\S+", run.group(0)))
        # "Mark Hollis Jr., the district attorney": the generation is the name's last part,
        # but the name is judged without it and by what follows it
        generation = _GENERATION.match(text, run.start() + words[-2].end()) \
            if len(words) >= 3 and words[-1].group(0) in ("Jr", "Sr") else None
        if generation is not None:
            words = words[:-1]
        for k in range(len(words)):
            start = run.start() + words[k].start()
            end = run.start() + words[-1].end()
            if re.fullmatch(_PARTICLES, words[k].group(0)):
                continue
            given = words[k].group(0) in word_set("given_names.txt", lower=False)
            for w in words[k + 1 :]:  # "Prigozhin Says Russian …": a headline's words stop it
                if re.fullmatch(_PARTICLES, w.group(0)):
                    continue
                if given and w.group(0).lower() not in _CORE_STOPS \
                        and (w.group(0) not in not_names or _month_surname(text, run, w)) \
                        and _name_like([w.group(0)], stops=_CORE_STOPS):
                    continue  # "Jackie Young", "Theresa May": a surname that is a word too
                if (not _name_like([w.group(0)]) or w.group(0) in not_names) and not known_person(
                        text[start : run.start() + w.end()]):
                    end = run.start() + w.start() - 1
                    break
            surface = _POSSESSIVE.sub("", text[start:end])
            end = start + len(surface)
            tokens = surface.split()
            if (tokens[0] in not_names or _overlaps(taken + found, start, end)
                    or len(surface) < 2 or re.fullmatch(_org_head(), tokens[0])
                    or len(tokens) > 2 and _names_country(tokens[0])  # "to Britain Liu X"
                    or any(t.lower() in person_titles() for t in tokens)):
                continue
            canonical = known_person(surface)
            if canonical is None and (not strong_only or len(tokens) == 1 and _after_title(
                    text, start) and " " in people.get(surface, "")):
                canonical = people.get(surface)  # "Mr Petrov": the Travis Petrov named before
            if canonical is None and len(tokens) == 1 and not strong_only:
                canonical = _by_first_word(surface, people)  # "Lin" after "Lin Tao"
            first = words[k - 1].group(0) if k > 0 else ""
            if canonical and len(tokens) == 1 and _FIRST_NAME.fullmatch(first) \
                    and _name_like([first]) and first.lower() not in person_titles() \
                    and lookup(first) is None and demonym(first) is None and not _overlaps(
                        taken, run.start() + words[k - 1].start(), start - 1) \
                    and name_key(first)[:3] != name_key(canonical)[:3]:
                continue  # "Vitaliy Kovalenko" is not the known Andriy Kovalenko
            if canonical is None:
                before = text[:start].split()
                org_before = any(m.type == "organization" and 0 <= start - m.end <= 1
                                 for m in taken) or len(tokens) in (2, 3) and not any(
                    re.fullmatch(_org_head(), t) for t in tokens) and any(
                    m.type == "organization" and m.start > end and _OF_BODY.fullmatch(
                        text[end:m.start]) for m in taken)  # "Ivan Marchenko of the X Centre"
                titled = _after_title(text, start)
                after = text[generation.end():] if generation and \
                    end == run.start() + words[-1].end() else text[end:]
                if _is_person(tokens, before, after, org_before, strong_only) \
                        and (titled or not _ends_in_country(tokens)):  # "councillor X Nelson"
                    canonical = surface
            if canonical and generation and end == run.start() + words[-1].end() \
                    and len(tokens) >= 2:
                suffix = text[end:generation.end()]
                surface, end = surface + suffix, generation.end()
                if not canonical.endswith(suffix.strip(" ,")):
                    canonical += " " + suffix.strip(" ,")
            if canonical:
                found.append(Mention(start, end, surface, "person", canonical))
                people.setdefault(surface, canonical)
                people.setdefault(tokens[-1], canonical)
                # "Majed al-Ansari": "al-Ansari" and "Ansari" alone are he
                people.setdefault(re.sub(rf"^{_ARTICLE}-", "", tokens[-1]), canonical)
                break
    return found


_GENERATION = re.compile(r"\s+(?:Jr|Sr)\.?")


_TITLE_OF = re.compile(r"^((?:[A-Z][\w-]*\s+){0,2}?([\w-]+))\s+of\s+(?:the\s+)?", re.IGNORECASE)


_COMPASS = re.compile(r"(?:North|South|East|West)(?:ern)?|Central")


def _title_of(surface: str) -> int:
    """Length of a leading "Deputy Chairman of the " / "President of the " before a body's
    name (a person's title: data/person_titles.txt), or 0."""
    m = _TITLE_OF.match(surface)
    return m.end() if m and m.group(2).lower() in person_titles() else 0


_CORE_STOPS = frozenset({"the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to",
                         "for", "by", "with", "from", "he", "she", "it", "they", "we", "this",
                         "that", "his", "her", "their", "its", "as", "is", "was"})


def _name_like(tokens: list[str], stops: frozenset[str] | None = None) -> bool:
    """Every word looks like part of a name: no stop word, speech verb or headline word."""
    stops = stops if stops is not None else stopwords("en")
    tokens = [re.sub(rf"^{_ARTICLE}-", "", t) for i, t in enumerate(tokens)
              if not (0 < i < len(tokens) - 1 and re.fullmatch(_PARTICLES, t))]
    return all(t.lower().strip(".,'’") not in stops and t.lower() not in _cue_words()
               and verb_lemma(t.lower()) not in speech_verbs() and t[:1].isupper()
               for t in tokens)


@cache
def _cue_words() -> frozenset[str]:
    return frozenset(w for cue in speech_cues() for w in cue.split())


_TRANSLIT = [("kh", "h"), ("g", "h"), ("yy", "i"), ("iy", "i"), ("yi", "i"), ("ii", "i"),
             ("ij", "i"), ("y", "i"), ("j", "i"), ("ie", "e"), ("ye", "e"), ("ё", "e"),
             ("ck", "k"), ("ts", "c"), ("tz", "c"), ("w", "v"), ("ff", "v"), ("ph", "f")]


def name_key(name: str) -> str:
    """A spelling-blind key for romanised Slavic names: 'Sirskyi', 'Syrsky' and 'Syrskyi'
    share one, as do 'Zaluzhny'/'Zaluzhnyi' and 'Grynchuk'/'Hrynchuk'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if c.isalpha() or c == " ")
    for old, new in _TRANSLIT:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


@cache
def _known_keys() -> dict[str, str]:
    """Spelling key of each known name and surname -> canonical name (unambiguous ones)."""
    keys: dict[str, set[str]] = {}
    for surface, canonical in _known_people().items():
        keys.setdefault(name_key(surface), set()).add(canonical)
        keys.setdefault(name_key(surface.split()[-1]), set()).add(canonical)
    return {k: next(iter(v)) for k, v in keys.items() if len(v) == 1}


@lru_cache(maxsize=65536)
def known_person(surface: str) -> str | None:
    """The canonical name of a known public figure written any common way, or None. Cached:
    each sentence is read for names three times, and the same names recur."""
    found = _known_people().get(surface)
    if found:
        return found
    tokens = surface.split()
    canonical = _known_keys().get(name_key(surface))
    if canonical is None and len(tokens) > 1:
        by_surname = _known_keys().get(name_key(tokens[-1]))
        # a first name must agree too ("Valeriy Zaluzhny"), or be absent
        if by_surname and name_key(tokens[0])[:3] == name_key(by_surname.split()[0])[:3]:
            canonical = by_surname
    return canonical


def find_entities(sentences: list[Sentence]) -> DocEntities:
    """Mentions per sentence; people found early also resolve later bare surnames."""
    doc = DocEntities()
    doc.places = context = PlaceContext([s.text for s in sentences], doc.people)
    # organisations and the people named after a title or known come first, over the whole
    # document, so that a surname given a person anywhere ("Oleksandr Kamyshin") is no place
    # in an earlier sentence either
    strong: dict[int, tuple[list[Mention], list[Mention]]] = {}
    known_then: dict[int, int] = {}  # how many names doc.people held after each sentence
    for index, sentence in enumerate(sentences):
        if not is_cyrillic(sentence.text):
            orgs = _org_mentions(sentence.text)
            strong[index] = (orgs, _person_mentions(sentence.text, orgs, doc.people,
                                                    strong_only=True))
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if is_cyrillic(text):  # Russian and Ukrainian: lemmas, natasha, the same English names
            from newsprism.extract.cyrillic import cyrillic_mentions

            doc.mentions[index] = cyrillic_mentions(text, doc)
            continue
        orgs, persons = strong[index]
        places = place_mentions(text, orgs + persons, context)
        persons += _person_mentions(text, orgs + persons + places, doc.people)
        doc.mentions[index] = sorted(orgs + places + persons, key=lambda m: m.start)
        known_then[index] = len(doc.people)
    # a second pass catches bare surnames that appear before the full name (only where the
    # document has named people since: otherwise it would find nothing new)
    for index, sentence in enumerate(sentences):
        if is_cyrillic(sentence.text) or known_then.get(index) == len(doc.people):
            continue
        extra = _person_mentions(sentence.text, doc.mentions[index], doc.people)
        if extra:
            doc.mentions[index] = sorted(doc.mentions[index] + extra, key=lambda m: m.start)
    _complete_surnames(doc, sentences)
    _resolve_generic_bodies(doc, sentences)
    _spelt_out_bodies(doc, sentences)
    _defined_acronyms(doc, sentences)
    _initials_of_people(doc)
    _complete_bodies(doc, sentences)
    return doc


def _longer_bodies(doc: DocEntities, name: str) -> set[str]:
    """The names of the document's bodies that end in `name` as whole words."""
    return {m.name for ms in doc.mentions.values() for m in ms
            if m.type == "organization" and m.name.endswith(" " + name)}


def _complete_bodies(doc: DocEntities, sentences: list[Sentence]) -> None:
    """A body named by the last word of a longer name the article gives ("the Chronicle"
    after "the San Francisco Chronicle") is that body, when only one name ends so."""
    last_words = {m.name.split()[-1] for ms in doc.mentions.values() for m in ms
                  if m.type == "organization" and " " in m.name}
    ends = {word: names for word in last_words if word[:1].isupper()
            and re.fullmatch(_org_head(), word) and len(names := _longer_bodies(doc, word)) == 1}
    if not ends:
        return
    pattern = re.compile(rf"(?<=\b[Tt]he )(?:{'|'.join(map(re.escape, ends))})\b")
    for index, sentence in enumerate(sentences):
        ms = doc.mentions.setdefault(index, [])
        for hit in pattern.finditer(sentence.text):
            if not _overlaps(ms, hit.start(), hit.end()):
                name = next(iter(ends[hit.group(0)]))
                ms.append(Mention(hit.start(), hit.end(), hit.group(0), "organization", name))
        ms.sort(key=lambda m: m.start)


def person_initials(name: str) -> str | None:
    """The initials of a name of three words or more ("AMLO"), or None for a shorter one."""
    words = name.split()
    return "".join(w[0] for w in words).upper() if len(words) >= 3 else None


def spells_body(acronym: str, name: str) -> bool:
    """The acronym (three letters or more) spells, in a row, the initials of the capitalised
    words of a body's name of several words ("CDC": Chinese Center for Disease Control and
    Prevention)."""
    return len(acronym) >= 3 and " " in name and acronym in "".join(
        w[0] for w in re.findall(r"[A-Z][\w'’]*", name))


def _initials_of_people(doc: DocEntities) -> None:
    """An acronym read as a body that spells the initials of the one person of three names
    or more the article names so ("AMLO" after "Andres Manuel Lopez Obrador") is that person;
    one that spells, in a row, the initials of the capitalised words of one body the article
    names in full ("CDC": Chinese Center for Disease Control and Prevention) is that body."""
    people: dict[str, set[str]] = {}
    bodies: set[str] = set()
    for ms in doc.mentions.values():
        for m in ms:
            if m.type == "person" and person_initials(m.name):
                people.setdefault(person_initials(m.name) or "", set()).add(m.name)
            elif m.type == "organization":
                bodies.add(m.name)
    for ms in doc.mentions.values():
        for m in ms:
            if m.type != "organization" or not m.text.isupper() or m.name != m.text:
                continue
            names = people.get(m.text, set())
            spelt = {b for b in bodies if spells_body(m.text, b)}
            if len(names) == 1:
                m.type, m.name = "person", next(iter(names))
                doc.people.setdefault(m.text, m.name)
            elif len(spelt) == 1:
                m.name = next(iter(spelt))



def _complete_surnames(doc: DocEntities, sentences: list[Sentence]) -> None:
    """A person known only by a surname ("…,” Lopez said") whom the article also names in
    full where no rule took it for a person ("Feliks Lopez and his partner won"): the full
    name is the canonical one, and that run a mention too."""
    texts = [s.text for s in sentences]
    renamed: dict[str, str] = {}
    for name in {m.name for ms in doc.mentions.values() for m in ms if m.type == "person"}:
        if " " not in name and re.fullmatch(NAME_WORD, name) and (full := full_name(name, texts)):
            renamed[name] = full
    if not renamed:
        return
    for index, text in enumerate(texts):
        ms = doc.mentions.get(index, [])
        for m in ms:
            if m.type == "person" and m.name in renamed:
                m.name = renamed[m.name]
        for full in set(renamed.values()):
            for hit in re.finditer(rf"\b{re.escape(full)}\b", text):
                if not _overlaps(ms, hit.start(), hit.end()):
                    ms.append(Mention(hit.start(), hit.end(), full, "person", full))
        doc.mentions[index] = sorted(ms, key=lambda m: m.start)
    for surface, name in list(doc.people.items()):
        doc.people[surface] = renamed.get(name, name)


def full_name(surname: str, texts: Sequence[str]) -> str | None:
    """The longest "Given Surname" run the article writes with this word last, when the
    entity layer did not take it for a person ("Feliks Lopez", later "Lopez said"). A run
    that opens a sentence, a heading or a quote must open with a known given name ("Chasing
    Instagram", "“Delete Facebook”" are no names)."""
    best = None
    for words, lead, text in _name_runs(tuple(texts)).get(surname, ()):
        if not all(_given_like(w) for w in words):
            continue  # (a shorter run after the same word is listed too)
        if words[0] not in word_set("given_names.txt", lower=False) and (
                not lead or lead.endswith(('"', "“", "‘", "'")) or headline_case(text)):
            continue
        if best is None or len(words) + 1 > len(best.split()):
            best = " ".join([*words, surname])
    return best


_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")
_GIVEN_SHAPE = re.compile(r"[A-Z][a-z'’-]+")


@lru_cache(maxsize=8)
def _name_runs(texts: tuple[str, ...]) -> dict[str, list[tuple[list[str], str, str]]]:
    """Every capitalised word of the article with the one or two capitalised words right
    before it, read once per article (a hostile one with thousands of lone names stays
    linear): word -> (words before, the text before them, the sentence)."""
    runs: dict[str, list[tuple[list[str], str, str]]] = {}
    for text in texts:
        words = list(_CAPITALISED.finditer(text))
        for i, w in enumerate(words):
            before: list[re.Match[str]] = []
            for j in (i - 1, i - 2):
                nxt = words[j + 1] if j + 1 < i else w
                if j < 0 or not _GIVEN_SHAPE.fullmatch(words[j].group(0)) \
                        or not text[words[j].end():nxt.start()].isspace():
                    break
                before.insert(0, words[j])
            for k in range(len(before)):  # the longest first, then shorter ones
                run = before[k:]
                lead = text[:run[0].start()].rstrip()
                runs.setdefault(w.group(0), []).append(([r.group(0) for r in run], lead, text))
    return runs


def _given_like(word: str) -> bool:
    """A capitalised word that can stand before a surname: no function word, title, place,
    nationality, month, possessive or speech verb."""
    return not word.endswith(("'s", "’s")) and word.lower() not in stopwords("en") \
        and word.lower() not in person_titles() and lookup(word) is None \
        and demonym(word) is None and word.lower() not in english_months() \
        and word.lower() not in _source_words() and word.lower() not in _cue_words() \
        and verb_lemma(word.lower()) not in speech_verbs()


def headline_case(text: str) -> bool:
    """Most words capitalised: a headline or tag line, which restates rather than says. A
    sentence that ends in a lower-case word and a full stop is none ("“Unbelievable,” Notre
    Dame coach Muffet McGraw said.": names, but a sentence)."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if len(words) < 4 or _SENTENCE_END.search(text):
        return False
    return sum(w[0].isupper() for w in words) >= 0.7 * len(words)


_SENTENCE_END = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*[.!?][\"”’)]?\s*$")


_DEFINED = re.compile(r"(?P<tail>(?:\s+(?:for|of|in|on)(?:\s+(?:for|of|and|the|in|on|"
                      r"[A-Z][a-z][\w'’-]*))+)?)"
                      r"\s*\((?P<acronym>[A-Z][A-Z0-9&]{1,7})\)")


_ACRONYM_DEFINED = re.compile(r"\s*\((?P<acronym>[A-Z][A-Z0-9&]{1,7})\)")


def _spelt_out_bodies(doc: DocEntities, sentences: list[Sentence]) -> None:
    """"Jama'at Nusrat al-Islam wal-Muslimin (JNIM)": words whose capitals spell, in order, the
    acronym in brackets after them are a body's name, though no head noun ends it."""
    for index, sentence in enumerate(sentences):
        text, found = sentence.text, doc.mentions.setdefault(index, [])
        for hit in _ACRONYM_DEFINED.finditer(text):
            acronym = hit.group("acronym")
            words = list(re.finditer(r"[\w'’-]+", text[max(0, hit.start() - 120):hit.start()]))
            offset = max(0, hit.start() - 120)
            for k in range(len(words) - 1, max(-1, len(words) - 9), -1):
                run = words[k:]
                capitals = "".join(c for w in run
                                   for c in re.findall(r"(?:^|-)([A-Z])", w.group(0)))
                if not run[0].group(0)[:1].isupper() or capitals != acronym or len(run) < 2:
                    continue
                start, end = offset + run[0].start(), offset + run[-1].end()
                if not _overlaps(found, start, end) and lookup(text[start:end]) is None:
                    found.append(Mention(start, end, text[start:end], "organization",
                                         text[start:end]))
                    found.sort(key=lambda m: m.start)
                break


def _defined_acronyms(doc: DocEntities, sentences: list[Sentence]) -> None:
    """"the Board of Control for Cricket in India (BCCI)": the article defines BCCI, so the
    bare acronym elsewhere in it is that body, under the name written out before it."""
    defined: dict[str, str] = {}
    for index, sentence in enumerate(sentences):
        for m in doc.mentions.get(index, []):
            hit = _DEFINED.match(sentence.text, m.end)
            if m.type != "organization" or not hit or hit.group("acronym") == m.name:
                continue
            others = [o for o in doc.mentions[index] if o.type != "place"]
            if hit.group("tail") and not _overlaps(others, m.end, hit.start("acronym")):
                m.end = m.end + len(hit.group("tail"))  # "… for Cricket in India (BCCI)"
                m.text = sentence.text[m.start:m.end]
                m.name = m.text if m.name == m.text[:len(m.name)] else m.name
                doc.mentions[index] = [o for o in doc.mentions[index] if o is m or not (
                    o.type == "place" and m.start <= o.start and o.end <= m.end)]
            defined.setdefault(hit.group("acronym"), m.name)
    if not defined:
        return
    pattern = re.compile(rf"\b(?:{'|'.join(map(re.escape, defined))})\b")
    for index, sentence in enumerate(sentences):
        found = doc.mentions.setdefault(index, [])
        for m in found:  # a known acronym already read as its own body: the defined name
            if m.type == "organization" and m.text in defined:
                m.name = defined[m.text]
        extra = [Mention(hit.start(), hit.end(), hit.group(0), "organization",
                         defined[hit.group(0)])
                 for hit in pattern.finditer(sentence.text)
                 if not _overlaps(found, hit.start(), hit.end())]
        if extra:
            doc.mentions[index] = sorted(found + extra, key=lambda x: x.start)


@cache
def _generic_bodies() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for line in data_lines("generic_bodies.tsv"):
        surface, code, canonical = (part.strip() for part in line.split("\t")[:3])
        table.setdefault(surface, {})[code] = canonical
    return table


@cache
def _demonym_codes() -> dict[str, str]:
    """'ukrainian' -> 'UA', 'kremlin' -> 'RU' (data/demonyms.tsv, through the gazetteer)."""
    out = {}
    for line in data_lines("demonyms.tsv"):
        word, country = line.split("\t")[:2]
        place = lookup(country.strip())
        if place is not None and place.country:
            out[word.strip().lower()] = place.country
    return out


def _countries_in(text: str, mentions: list[Mention], before: int) -> list[str]:
    """Country codes named before `before` in a sentence, by a country's name or adjective."""
    codes = [m.place.country for m in mentions if m.type == "place" and m.place is not None
             and m.place.kind == "country" and m.place.country and m.end <= before]
    codes += [c for w in re.findall(r"[\w.]+", text[:before].lower())
              if (c := _demonym_codes().get(w.removesuffix("'s").removesuffix("’s")))]
    return codes


def _seat(text: str, mentions: list[Mention], body: Mention) -> str | None:
    """The country of the place a body is said to sit in: "the Defence Ministry in Kyiv"."""
    for m in mentions:
        if m.type == "place" and m.place is not None and m.place.country \
                and re.fullmatch(r",?\s+(?:in|of)\s+(?:the\s+)?", text[body.end:m.start]):
            return m.place.country
    return None


@cache
def _armed_forces() -> dict[str, str]:
    """Country code -> its armed forces' canonical name (data/armed_forces.tsv)."""
    return dict(line.split("\t")[:2] for line in data_lines("armed_forces.tsv"))


def _names_country(word: str) -> bool:
    place = lookup(word) or demonym(word)
    return place is not None and place.kind == "country"


def _country_word(word: str) -> Place | None:
    """The country one word names as a body's owner: "Hungarian", or "Hungary's"."""
    bare = word.removesuffix("'s").removesuffix("’s")
    place = demonym(bare) if bare == word else lookup(bare)
    return place if place is not None and place.kind == "country" and place.country else None


def _owner_before(text: str, mentions: list[Mention], body: Mention) -> str | None:
    """The country named right before a body: "Hungary's Foreign Ministry", "the Hungarian
    Foreign Ministry"."""
    for m in mentions:
        if m.type == "place" and m.place is not None and m.place.kind == "country" \
                and re.fullmatch(r"['’]s?\s+", text[m.end:body.start]):
            return m.place.country
    word = re.search(r"([A-Z][\w-]+)\s+$", text[:body.start])
    place = _country_word(word.group(1)) if word else None
    return place.country if place is not None else None


def _name_by_adjective(m: Mention, table: dict[str, dict[str, str]]) -> None:
    """"the Hungarian Foreign Ministry" is "Foreign Ministry of Hungary", and "the Russian
    Foreign Ministry" the canonical Russian one: one name per body, however it is written."""
    adjective, _, rest = m.name.partition(" ")
    country = _country_word(adjective) if rest in table else None
    if country is not None and country.country:
        m.name = table[rest].get(country.country) or f"{rest} of {country.name}"


def _resolve_generic_bodies(doc: DocEntities, sentences: list[Sentence]) -> None:
    """'The Defence Ministry said' is the ministry of the country the article is about there:
    a country named before it in the sentence, else the country the same body was given
    earlier in the article, else one named in the sentences before, else the country the
    article names most."""
    table = _generic_bodies()
    if not any(m.type == "organization" and (m.name in table or _MINISTRY.fullmatch(m.name)
                                             or m.name.partition(" ")[2] in table)
               for ms in doc.mentions.values() for m in ms):
        return
    overall = Counter(code for index, ms in doc.mentions.items()
                      for code in _countries_in(sentences[index].text, ms,
                                                len(sentences[index].text)))
    context: str | None = None
    seen: dict[str, str] = {}  # a body once given its country keeps it: "the General Staff"
    named = {canonical: (surface, code) for surface, choices in table.items()
             for code, canonical in choices.items()}
    for index in sorted(doc.mentions):
        text, mentions = sentences[index].text, doc.mentions[index]
        for m in mentions:
            if m.type == "organization" and m.name in named:  # "the Ukrainian General Staff"
                seen[named[m.name][0]] = named[m.name][1]
            if m.type == "organization" and m.name not in table:
                _name_by_adjective(m, table)
            if m.type == "organization" and m.name not in table and _MINISTRY.fullmatch(m.name):
                longer = _longer_bodies(doc, m.name)
                if len(longer) == 1:  # "the Health Ministry" after "the Gaza Health Ministry"
                    m.name = longer.pop()
                else:
                    _name_ministry(m, text, mentions, overall, context)
                continue
            if m.type != "organization" or m.name not in table:
                continue
            choices = table[m.name]
            seat = _seat(text, mentions, m)
            owner = seat or _owner_before(text, mentions, m)
            if owner and owner not in choices and (name := country_names().get(owner)):
                m.name = f"{m.name} of {name}"  # "Hungary's Foreign Ministry": no table entry
                continue
            here = [c for c in [*_countries_in(text, mentions, m.start), seat] if c in choices]
            ranked = [c for c, _n in overall.most_common() if c in choices]
            code = here[-1] if here else seen.get(m.name) or (
                context if context in choices else ranked[0] if ranked else None)
            if code:
                seen[m.name] = code
                m.name = choices[code]
        found = _countries_in(text, mentions, len(text))
        context = found[-1] if found else context


# a ministry named without its country ("the Ministry of Commerce said", "the Health
# Ministry"); data/generic_bodies.tsv names the ones that need a table
_MINISTRY = re.compile(r"Ministry of (?:the )?[A-Z][a-z]+(?: (?:and|of) [A-Z][a-z]+)*"
                       r"(?: Affairs)?|[A-Z][a-z]+(?: [A-Z][a-z]+)? Ministry")
#: The share of an article's country mentions its main country needs to own a bare ministry.
MAIN_COUNTRY_SHARE = 0.5


def _big_place(word: str) -> bool:
    """A region or a city a ministry could be of ("Gaza", "Crimea", "Donetsk"), not a small
    town that shares a ministry's word ("Commerce", Texas; "Justice", Illinois)."""
    place = lookup(word)
    return place is not None and (place.kind == "region" or place.population >= BIG_CITY)


#: A settlement this large may name the authority of a ministry ("the Donetsk Health Ministry").
BIG_CITY = 250_000
_MINISTRY_WORDS = frozenset({"Ministry", "Health", "Defence", "Defense", "Foreign", "Interior",
                             "Justice", "Finance", "Economy", "Energy", "Education", "Culture"})


def _name_ministry(m: Mention, text: str, mentions: list[Mention], overall: Counter[str],
                   context: str | None) -> None:
    """"The Ministry of Commerce" of the country named before it in the sentence, else of
    the one the article is about there, else of the one it is mostly about; left as written
    when the article is about several."""
    if any(_names_country(w) or demonym(w) is not None or _big_place(w)
           for w in m.name.split() if w[:1].isupper() and w not in _MINISTRY_WORDS):
        return  # "the Gaza Health Ministry", "the Palestinian Health Ministry": its own place
    here = _countries_in(text, mentions, m.start)
    total = sum(overall.values())
    main = overall.most_common(1)[0][0] if overall and overall.most_common(1)[0][1] \
        >= MAIN_COUNTRY_SHARE * total else None
    code = here[-1] if here else context or main
    name = country_names().get(code) if code else None
    if name:
        m.name = f"{m.name} of {name}"


def to_entities(found: DocEntities, extra: list[Mention] | None = None) -> list[Entity]:
    """One `Entity` per canonical name, with every surface form seen; `extra` mentions come
    from outside the sentences (a dateline's place)."""
    by_name: dict[tuple[str, str], Entity] = {}
    for mentions in [extra or [], *found.mentions.values()]:
        for m in mentions:
            entity = by_name.get((m.type, m.name))
            if entity is None:
                place = m.place
                entity = Entity(type=cast(EntityType, m.type), name=m.name,
                                lat=place.lat if place else None,
                                lon=place.lon if place else None,
                                country=place.country if place else None,
                                kind=cast(PlaceKind, place.kind) if place else None,
                                admin1=place.admin1 if place else None,
                                precision=cast(GeoPrecision, place.precision) if place else None)
                by_name[(m.type, m.name)] = entity
            if m.text not in entity.mentions:
                entity.mentions.append(m.text)
    return list(by_name.values())
