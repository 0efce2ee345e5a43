"""Typed events in Russian and Ukrainian sentences: the same `Event`s as extract/events.py gives
for English, read without a parser.

Words are matched by their pymorphy3 lemmas (extract/morph.py, cached per word), so one trigger
of `data/event_triggers_ru_uk.tsv` covers every inflected form: "освободили", "освобождение",
"звільнили", "взяли под полный контроль", "обстрілів", "нанесла ракетный удар". Per event type
the first trigger of a sentence that is a claim is taken, as in English, and each gets:
- modality from the cues of `data/event_modality_ru_uk.tsv`: "не"/"нет"/"без" (denied, except
  "не менее", "не раз"), "может"/"якщо"/"чтобы"/"с целью избежания" (hypothetical),
  "планирует"/"будет" (planned), "требует"/"закликав" (demanded), "пригрозил" (threatened);
  a trigger that only names an event ("информация о пострадавших", "о последствиях взрывов")
  is no event. Only asserted and planned events are claims (model.Event.is_claim);
- actor: the case grammar does the work of the English parse. A named side, organisation,
  person or country in the nominative before a verbal trigger in its clause is its subject
  ("Российская армия … ударила", "окупанти … захопили"); a nominal trigger takes a side
  adjective ("российский удар") or the genitive agent after it ("обстрелы ВСУ"); "российские
  дроны" is Russia; a party after a preposition ("по позициям ВСУ") or in another case is a
  target, never the actor; "под контролем ЗСУ" names the holder. A strike with no actor of its
  own continues the actor of the paragraph's last strike ("… ударила по Харькову. В результате
  попадания …"). Who suffers a casualty is not its actor;
- place: settlements and regions of the sentence (a region is dropped when a town in it is
  named), not the places inside an organisation's name ("Минобороны России") nor where the
  speaker is ("В Москве заявили, что …"); a country after a locative preposition ("в Украине")
  when nothing more specific is named; "город"/"місто"/"там" point back to the last settlement;
- date: extract/timex_cyrillic.py, the expression nearest the trigger, else a day named earlier
  in the paragraph;
- claimed_by: the speaker the statement stage found for the sentence (its Cyrillic
  attribution frame, or the paragraph's claimant it continues); None in the outlet's own voice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsprism.extract.cyrillic import TOKEN
from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.gazetteer import Place
from newsprism.extract.morph import (
    APOSTROPHES,
    analyzer,
    cyrillic_prepositions,
    is_cyrillic,
    language,
)
from newsprism.extract.places import local_place_names
from newsprism.extract.sentences import Sentence
from newsprism.extract.statements import capitals as _capitals
from newsprism.extract.timex import Timex, year_stated
from newsprism.extract.timex_cyrillic import find_cyrillic_timexes
from newsprism.model import Event
from newsprism.resources import data_lines

RUSSIAN_SIDE = "Russian Armed Forces"
UKRAINIAN_SIDE = "Armed Forces of Ukraine"
CLAIM_MODALITIES = ("asserted", "planned")
VENUE_TYPES = {"negotiation", "meeting"}
COUNTRY_TYPES = VENUE_TYPES | {"sanction"}
SITUATION_TYPES = {"territorial_control", "advance", "withdrawal"}
STRIKE_TYPES = {"strike_or_damage", "weapons_launch"}
MAX_GAP = 3  # words allowed between two words of one trigger
_VERBAL = ("VERB", "INFN", "PRTS", "GRND", "PRTF")
# a clause ends at these; a comma only before a conjunction that opens a new clause
_CLAUSE = re.compile(r"[.;:!?]\s|\s[—–-]\s|,\s*(?=(?:что|що|который|которая|которые|який|яка|"
                     r"які|но|але|а|однако|проте|однак|чтобы|щоб|если|якщо|когда|коли|где|де|"
                     r"хотя|хоча|поскольку|оскільки|так как|бо)\b)", re.IGNORECASE)
_SPEECH_CUE = re.compile(r"\b(?:заяви\w*|сообщ\w*|повідом\w*|сказа\w*|отмети\w*|зазнач\w*|"
                         r"написа\w*|рассказа\w*|розпові\w*|стверджу\w*|утвержда\w*|наголоси\w*|"
                         r"подчеркну\w*|підкресли\w*|говорит\w*|каже|кажуть|считает|вважає)\b",
                         re.IGNORECASE)


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int
    readings: tuple[tuple[str, str], ...]  # (lemma with ё as е, tag) in the text's language

    def has(self, lemma: str, grammeme: str | None = None) -> bool:
        return any(lem == lemma and (grammeme is None or grammeme in tag)
                   for lem, tag in self.readings)

    @property
    def verbal(self) -> bool:
        return bool(self.readings) and self.readings[0][1].split(",")[0].split()[0] in _VERBAL


@dataclass(frozen=True)
class _Trigger:
    type: str
    words: tuple[tuple[tuple[str, str | None], ...], ...]  # per word: (lemma, grammeme) options
    patient: bool


@dataclass(frozen=True)
class _Hit:
    trigger: _Trigger
    first: int  # word index of the trigger's first word
    last: int
    actor: Mention | None = None  # the "@actor" of the trigger


@cache
def _triggers() -> tuple[_Trigger, ...]:
    out = []
    for line in data_lines("event_triggers_ru_uk.tsv"):
        event_type, *cells = (c.strip() for c in line.split("\t"))
        patient = bool(cells) and cells[-1] == "!patient"
        cells = [c for c in cells if c and not c.startswith("!")]
        words = []
        for cell in cells:
            options = []
            for option in cell.split("|"):
                lemma, _, grammeme = option.partition("/")
                options.append((_norm(lemma), grammeme or None))
            words.append(tuple(options))
        out.append(_Trigger(event_type, tuple(words), patient))
    return tuple(out)


@cache
def _first_lemmas() -> dict[str, tuple[_Trigger, ...]]:
    index: dict[str, list[_Trigger]] = {}
    for trigger in _triggers():
        for lemma, _ in trigger.words[0]:
            index.setdefault(lemma, []).append(trigger)
    return {k: tuple(v) for k, v in index.items()}


def _norm(word: str) -> str:
    return word.lower().translate(APOSTROPHES).replace("ё", "е")


@cache
def _readings(word: str, lang: str) -> tuple[tuple[str, str], ...]:
    """Readings in the text's language; the other language's too when it does not know the
    word (a Russian quote in a Ukrainian report)."""
    low = _norm(word)
    morph = analyzer(lang)
    parsed = list(morph.parse(low))
    if not morph.word_is_known(low):
        parsed += analyzer("ru" if lang == "uk" else "uk").parse(low)
    return tuple((_norm(p.normal_form), str(p.tag)) for p in parsed) or ((low, "UNKN"),)


def _words(text: str, lang: str) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end(), _readings(m.group(), lang))
            for m in TOKEN.finditer(text)]


@cache
def _modality_rows() -> tuple[list[tuple[str, str, int, tuple[frozenset[str], ...]]],
                              dict[str, frozenset[str]]]:
    rows, exceptions = [], {}
    for line in data_lines("event_modality_ru_uk.tsv"):
        cells = [c.strip() for c in line.split("\t")]
        if cells[0] == "except":
            exceptions[cells[1]] = frozenset(_norm(w) for w in cells[2].split("|"))
            continue
        modality, side, gap, cue = cells
        rows.append((modality, side, int(gap),
                     tuple(frozenset(_norm(w) for w in part.split("|")) for part in cue.split())))
    return rows, exceptions


def _is(word: _Word, options: frozenset[str]) -> bool:
    return _norm(word.text) in options or any(lem in options for lem, _ in word.readings)


_PARENTHETICAL = re.compile(r",\s*(?:по|за|согласно|згідно|как|як)\s[^,]{1,60},", re.IGNORECASE)


def _modality(words: list[_Word], first: int, last: int, clause_start: int, text: str) -> str:
    """The modality of the trigger at words[first:last + 1]: a cue right after it, else the
    nearest cue before it in its clause, else asserted."""
    rows, exceptions = _modality_rows()

    def at(i: int, cue: tuple[frozenset[str], ...]) -> bool:
        if i < 0 or i + len(cue) > len(words):
            return False
        if not all(_is(words[i + k], cue[k]) for k in range(len(cue))):
            return False
        exempt = exceptions.get(_norm(words[i].text))
        nxt = words[i + 1] if i + 1 < len(words) else None
        return not (exempt and nxt is not None and _is(nxt, exempt))  # "не менее 20 человек"

    for modality, side, gap, cue in rows:
        if side != "after":
            continue
        for j in range(last + 1, min(len(words), last + 2 + gap)):
            between = _PARENTHETICAL.sub(" ", text[words[last].end:words[j].start])
            if gap < 6 and re.search(r"[,;:.!?—–]", between):
                continue  # "повреждены дома, пострадавших нет": another clause
            if at(j, cue):
                return modality
    best: tuple[int, str] | None = None
    for modality, side, gap, cue in rows:
        if side != "before":
            continue
        for i in range(max(clause_start, first - gap - len(cue)), first - len(cue) + 1):
            if at(i, cue) and (best is None or i > best[0]):
                best = (i, modality)
    if best and best[1] != "denied" and best[0] > 0 and _norm(words[best[0] - 1].text) in \
            ("не", "ни"):
        return "denied"  # "не планирует переговоров", "не могут наступать"
    return best[1] if best else "asserted"


def _hits(words: list[_Word], mentions: list[Mention], text: str) -> list[_Hit]:
    """Every trigger occurrence of the sentence; a trigger inside a longer one of another type
    ("отразили атаку", "сбили беспилотник") is part of that one."""
    found: list[_Hit] = []
    index = _first_lemmas()
    for i, word in enumerate(words):
        candidates = {t for lem, _ in word.readings for t in index.get(lem, ())}
        for trigger in candidates:
            if not any(word.has(lem, g) for lem, g in trigger.words[0]):
                continue
            hit = _extend(trigger, words, i, mentions, text)
            if hit is not None:
                found.append(hit)
    return [h for h in found if not any(
        o.trigger.type != h.trigger.type and o.first <= h.first and h.last <= o.last
        and o.last - o.first > h.last - h.first for o in found)]


def _extend(trigger: _Trigger, words: list[_Word], i: int, mentions: list[Mention],
            text: str) -> _Hit | None:
    at, actor = i, None
    for options in trigger.words[1:]:
        nxt = None
        for j in range(at + 1, min(len(words), at + 2 + MAX_GAP)):
            if re.search(r"[.,;:!?()—–]", text[words[j - 1].end:words[j].start]):
                break
            if options == (("@actor", None),):
                m = next((m for m in mentions if m.start == words[j].start and _actor_like(m)),
                         None)
                if m is not None:
                    nxt, actor = j, m
                    while nxt + 1 < len(words) and words[nxt + 1].end <= m.end:
                        nxt += 1
                    break
                continue
            if any(words[j].has(lem, g) for lem, g in options):
                nxt = j
                break
        if nxt is None:
            return None
        at = nxt
    return _Hit(trigger, i, at, actor)


def _actor_like(m: Mention) -> bool:
    return m.type in ("organization", "person") or bool(m.place and m.place.kind == "country")


def _clause_start(text: str, words: list[_Word], first: int) -> int:
    """Index of the first word of the clause the word at `first` is in."""
    cuts = [m.end() for m in _CLAUSE.finditer(text, 0, words[first].start)]
    if not cuts:
        return 0
    return next((k for k, w in enumerate(words) if w.start >= cuts[-1]), first)


def _word_at(words: list[_Word], pos: int) -> int | None:
    return next((k for k, w in enumerate(words) if w.start <= pos < w.end), None)


def _governed(words: list[_Word], k: int | None, locative: bool = False) -> bool:
    """The word at k follows a preposition ("по позициям ВСУ", "у Міністерстві"); with
    `locative`, one that places something ("по Киеву", "в Украине", not "с Киевом")."""
    if k is None or k == 0:
        return False
    prepositions = cyrillic_prepositions(locative)
    if _norm(words[k - 1].text) in prepositions:
        return True
    # an adjective between: "по украинским позициям", "для российской армии"
    return k >= 2 and _norm(words[k - 2].text) in prepositions \
        and words[k - 1].readings[0][1].startswith(("ADJF", "PRTF"))



def _genitive(m: Mention, words: list[_Word]) -> bool:
    """Every word of the mention can be genitive (an abbreviation can be anything)."""
    inside = [w for w in words if m.start <= w.start and w.end <= m.end]
    return all(w.text.isupper() or any("gent" in tag for _, tag in w.readings) for w in inside)


_AND = frozenset({"и", "і", "й", "та", "а также", "а також"})


def _verb_between(words: list[_Word], m: Mention, first: int) -> bool:
    """A finite verb stands between the mention and the trigger, with no "и"/"і"/"та" joining
    the trigger to it ("… исполнили свой долг и нанесли …" still shares the subject)."""
    k = _word_at(words, m.end - 1)
    if k is None:
        return False
    between = words[k + 1:first]
    verbs = [w for w in between if w.readings and w.readings[0][1].startswith("VERB")]
    return bool(verbs) and not any(_norm(w.text) in _AND for w in between)


def _nominative(m: Mention, words: list[_Word]) -> bool:
    """The mention can be a subject: a nominative reading of one of its words, or an
    abbreviation ("ВСУ", "ЗСУ") that does not decline."""
    inside = [w for w in words if m.start <= w.start and w.end <= m.end]
    if any(w.text.isupper() and len(w.text) > 1 for w in inside):
        return True
    return any("nomn" in tag for w in inside for _, tag in w.readings)


@cache
def _sides() -> tuple[dict[str, str], frozenset[str]]:
    """Side adjectives (lemma -> state) and weapon nouns, from data/event_sides_ru_uk.tsv."""
    adjectives: dict[str, str] = {}
    weapons: set[str] = set()
    for line in data_lines("event_sides_ru_uk.tsv"):
        kind, value, words = (c.strip() for c in line.split("\t"))
        for w in words.split("|"):
            if kind == "side":
                adjectives[_norm(w)] = value
            elif kind == "weapon":
                weapons.add(_norm(w))
    return adjectives, frozenset(weapons)


@cache
def _unit_nouns() -> frozenset[str]:
    return frozenset(_norm(w) for line in data_lines("event_sides_ru_uk.tsv")
                     if line.startswith("forces\t") for w in line.split("\t")[2].split("|"))


_FORCES_OF = {"Russia": RUSSIAN_SIDE, "Ukraine": UKRAINIAN_SIDE}


def _side_adjective(word: _Word) -> str | None:
    adjectives, _ = _sides()
    return next((adjectives[lem] for lem, _ in word.readings if lem in adjectives), None)


def _actor(hit: _Hit, words: list[_Word], mentions: list[Mention], clause: int,
           claimant: str | None, others: dict[str, str | None]) -> str | None:
    if hit.actor is not None:
        return hit.actor.name
    if hit.trigger.patient:
        # "34 человека погибли": the victims are the subject; the one who inflicted it is the
        # actor of the sentence's strike, if any
        return next((a for t, a in others.items() if t in STRIKE_TYPES and a), None)
    _, weapons = _sides()
    trigger = words[hit.first]
    # a side adjective on a nominal trigger: "российский удар", "російська атака"
    if not trigger.verbal:
        for k in range(hit.first - 1, max(clause, hit.first - 3) - 1, -1):
            side = _side_adjective(words[k])
            if side:
                return side if hit.trigger.type in STRIKE_TYPES else _FORCES_OF.get(side, side)
        # the genitive agent right after, or inside a trigger of two words: "обстрелы ВСУ",
        # "атака российской армии", "вывод украинских войск"
        after = [m for m in mentions if _actor_like(m) and m.name != claimant
                 and trigger.end <= m.start <= words[hit.last].end + 2]
        if after and not _governed(words, _word_at(words, after[0].start)):
            return after[0].name
    # a weapon with a side: "российские дроны атаковали" -> Russia
    for k in range(clause, hit.first):
        if any(lem in weapons for lem, _ in words[k].readings) and k > clause:
            side = _side_adjective(words[k - 1])
            if side:
                return side
    # the subject: a party in the nominative before the trigger in its clause
    before = [m for m in mentions if _actor_like(m) and m.name != claimant
              and m.end <= trigger.start and m.start >= words[clause].start]
    for m in reversed(before):
        at = _word_at(words, m.start)
        if _governed(words, at) or not _nominative(m, words) or _speaks(m, words):
            continue
        if at is not None and at > 0 and words[at - 1].readings[0][1].startswith("NOUN") \
                and _genitive(m, words) \
                and not any(lem in _unit_nouns() for lem, _ in words[at - 1].readings):
            continue  # "позиции ВСУ": a genitive on another noun; "бойцы ВСУ" act
        if _verb_between(words, m, hit.first):
            continue  # the subject of another verb ("ворог випустив ракети, дві з них збили")
        return m.name
    return None


def _speaks(m: Mention, words: list[_Word]) -> bool:
    """The mention is a speaker: a reporting verb right before or after it ("Як повідомляв
    Укрінформ, …", "Генштаб заявил")."""
    k = _word_at(words, m.start)
    end = _word_at(words, m.end - 1)
    if k is None or end is None:
        return False
    near = words[max(0, k - 1):k] + words[end + 1:end + 3]
    return any(_SPEECH_CUE.fullmatch(w.text) for w in near)


def _places(mentions: list[Mention], words: list[_Word], text: str, event_type: str,
            last_town: str | None, first: int) -> list[str | None]:
    orgs = [m for m in mentions if m.type == "organization"]
    cue = _SPEECH_CUE.search(text)
    usable: list[Place] = []
    for m in mentions:
        if m.type != "place" or m.place is None:
            continue
        if any(o.start <= m.start and m.end <= o.end for o in orgs):
            continue  # "Міністерство оборони Росії"
        if cue is not None and m.end <= cue.start() and words[first].start >= cue.end():
            continue  # where the speaker is, not where it happened
        state = m.place.kind == "country" or m.place.name in _capitals()
        if state and event_type != "sanction" \
                and not _governed(words, _word_at(words, m.start), locative=True):
            continue  # "Россия атаковала", "переговоры с Киевом": the state, not the place
        usable.append(m.place)
    names = local_place_names(usable)
    if not names:
        countries: list[str | None] = [p.name for p in usable if p.kind == "country"]
        names = countries if event_type == "sanction" else countries[:1]
    if not names and last_town and _points_back(words):
        names = [last_town]
    return names or [None]


@cache
def _back_words() -> frozenset[str]:
    return frozenset(_norm(w) for w in data_lines("event_back_references_ru_uk.txt"))


def _points_back(words: list[_Word]) -> bool:
    back = _back_words()
    return any(_norm(w.text) in back or w.readings[0][0] in back for w in words)


# "чутно вибух", "слышны взрывы": heard now, a predicative with no verb
_HEARD = frozenset({"чутно", "чути", "слышно", "слышны", "слышен", "слышна"})


def _present(word: _Word) -> bool:
    return bool(word.readings) and "pres" in word.readings[0][1] and \
        "VERB" in word.readings[0][1]


def _told_as_now(words: list[_Word], clause: int, first: int) -> bool:
    """A nominal trigger in a clause told in the present ("Сили оборони проводять
    контратакувальні дії", "У Харкові чутно вибух") reports what goes on as it is written."""
    around = words[clause:first + 4]
    return any(_present(w) or _norm(w.text) in _HEARD for w in around if w is not words[first])


def _date(timexes: list[Timex], at: int, event_type: str, paragraph: list[Timex],
          published: str | None, words: list[_Word], trigger: _Word,
          now: bool = False) -> Timex | None:
    if timexes:
        return min(timexes, key=lambda t: abs(t.start - at))
    if paragraph:
        return paragraph[-1]
    if published and (now or _present(trigger)):
        # a present tense reports what is going on as the report is written ("окупанти
        # завдають ударів по місту"): the day it was said
        return Timex(published[:10], 0, 0, "")
    if published and event_type in SITUATION_TYPES | {"military_operation"} \
            and any(_norm(w.text) in ("сейчас", "зараз", "сегодня", "сьогодні", "теперь", "тепер",
                                      "наразі", "нині") for w in words):
        return Timex(published[:10], 0, 0, "")  # an ongoing situation: the day it was said
    return None


_END = re.compile(r"[.!?…][\"”»)]*\s*$")


def _subheadings(sentences: list[Sentence]) -> set[int]:
    """Paragraphs that are post headlines or sub-headings inside the body ("В Харькове
    взорвались три «шахеда» — мэр"): one sentence with no closing punctuation and a body
    paragraph after it. They restate the post below; the last line (maybe a report cut off)
    and a one-line report are kept."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for s in sentences:
        by_paragraph.setdefault(s.paragraph, []).append(s)
    numbers = sorted(by_paragraph)
    if len(numbers) < 3:
        return set()
    out = set()
    for number, after in zip(numbers, numbers[1:], strict=False):
        own, nxt = by_paragraph[number], by_paragraph[after]
        if len(own) == 1 and not _END.search(own[0].text) and len(own[0].text.split()) <= 16 \
                and _END.search(nxt[-1].text) and len(" ".join(s.text for s in nxt)) > \
                len(own[0].text):
            out.add(number)
    return out


def is_cyrillic_document(sentences: list[Sentence]) -> bool:
    """Most of the document's text is Russian or Ukrainian."""
    return is_cyrillic(" ".join(s.text for s in sentences[:40]), share=0.5)


def extract_cyrillic_events(sentences: list[Sentence], entities: DocEntities,
                            claims: dict[int, str | None], published: str | None) -> list[Event]:
    """The events of a Russian or Ukrainian document, sentence by sentence."""
    lang = language(" ".join(s.text for s in sentences))
    year = None if published else year_stated([s.text for s in sentences])
    events: list[Event] = []
    last_town: str | None = None
    paragraph, paragraph_actor = -1, None
    paragraph_dates: list[Timex] = []
    headings = _subheadings(sentences)
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if sentence.paragraph in headings:  # no events, but its town is "the city" after
            last_town = _last_town(entities.mentions.get(index, [])) or last_town
            continue
        if sentence.paragraph != paragraph:
            paragraph, paragraph_dates, paragraph_actor = sentence.paragraph, [], None
        mentions = entities.mentions.get(index, [])
        words = _words(text, lang)
        timexes = find_cyrillic_timexes(text, published, year, lang)
        claimant = claims.get(index)
        chosen: dict[str, tuple[_Hit, str, int]] = {}
        for hit in _hits(words, mentions, text):
            clause = _clause_start(text, words, hit.first)
            modality = _modality(words, hit.first, hit.last, clause, text)
            if modality == "reference":
                continue
            kind = hit.trigger.type
            if kind == "sanction" and modality == "threatened":
                kind, modality = "diplomatic_statement", "asserted"
            old = chosen.get(kind)
            if old is None or (old[1] not in CLAIM_MODALITIES and modality in CLAIM_MODALITIES):
                chosen[kind] = (hit, modality, clause)
        actors: dict[str, str | None] = {}
        for kind, (hit, _, clause) in sorted(chosen.items(),
                                                      key=lambda kv: kv[1][0].trigger.patient):
            actor = _actor(hit, words, mentions, clause, claimant, actors)
            if actor is None and kind in STRIKE_TYPES:
                actor = paragraph_actor  # the paragraph goes on about the same strike
            actors[kind] = actor
        for kind, (hit, modality, clause) in chosen.items():
            at = words[hit.first].start
            now = not words[hit.first].verbal and _told_as_now(words, clause, hit.first)
            when = _date(timexes, at, kind, paragraph_dates, published, words,
                         words[hit.first], now)
            actor = actors.get(kind)
            if kind in STRIKE_TYPES and actor:
                paragraph_actor = actor
            places = _places(mentions, words, text, kind, last_town, hit.first)
            if actor in places and len(places) > 0:  # "Украина ввела санкции": not the target
                places = [p for p in places if p != actor] or [None]
            for place in places:
                events.append(Event(
                    type=kind, actor=actor, place=place,
                    date=when.value if when else None, claimed_by=claimant, evidence=text,
                    modality=modality, date_precision=when.precision if when else None,
                ))
        paragraph_dates += [t for t in timexes if t.precision == "day"]
        last_town = _last_town(mentions) or last_town
    return events


def _last_town(mentions: list[Mention]) -> str | None:
    towns = [m.place.name for m in mentions
             if m.type == "place" and m.place and m.place.kind == "settlement"]
    return towns[-1] if towns else None
