"""Typed events: who did what, where, when, according to whom — one per sentence and place.

Triggers come from `data/event_patterns.tsv` (types mapped to CAMEO/PLOVER in docs/events.md).
For each event type a sentence triggers, the event gets:
- modality: asserted, denied, hypothetical, demanded, planned or threatened, from the cues of
  `data/event_modality.tsv` in the trigger's clause ("threatened to bomb", "demanded that
  Ukraine withdraw", "it is very likely that … will"). A trigger that only names an event to
  talk about it ("declined to comment on the strike") is no event;
- actor: the agent, never the patient. From the parse when the sentence has one (the subject
  of the trigger, the "by" of a passive, a side adjective on a noun: "Russian retreat"); else
  a side adjective right before the trigger, a passive "by", the side whose forces are named
  before the trigger, the nearest organisation, person or country before it;
- place: the settlements and regions of the event (a region is dropped when a town in it is
  named too); not the place where the speaker spoke ("In Moscow, the spokesman said …") and not
  a meeting's venue for anything but the meeting; "the town" points back to the last
  settlement named; countries count only for talks and meetings (the venue) and sanctions;
- date and date_precision: the time expression of the sentence nearest the trigger, one
  attached to the speech verb ("said on Saturday that …") only when there is no other, else one
  from earlier in the paragraph (extract/timex.py);
- claimed_by: the speaker of the statement the sentence belongs to (the statement stage's
  `claims`); None when the article asserts it in its own voice.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from newsprism.extract.attribution import frames
from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.events_cyrillic import extract_cyrillic_events, is_cyrillic_document
from newsprism.extract.gazetteer import Place, country, demonym
from newsprism.extract.literals import Prefilter, PrefilterSet, fold
from newsprism.extract.parse import can_carry_attribution
from newsprism.extract.places import local_place_names
from newsprism.extract.sentences import DATELINE_PLACE, Sentence
from newsprism.extract.timex import Timex, find_timexes, year_stated
from newsprism.model import Event
from newsprism.resources import data_lines

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from newsprism.extract.parse import Analysis

RUSSIAN_SIDE = "Russian Armed Forces"
UKRAINIAN_SIDE = "Armed Forces of Ukraine"
COUNTRY_OF_SIDE = {RUSSIAN_SIDE: "Russia", UKRAINIAN_SIDE: "Ukraine"}
CLAIM_MODALITIES = ("asserted", "planned")
_FORCES = r"(?:forces|troops|army|units|military|soldiers|servicemen|fighters|brigades?|" \
          r"assault (?:groups|units|detachments)|aircraft|air defen[cs]e|artillery|navy|" \
          r"marines|paratroopers|sappers|formations|grouping|defenders|counterparts|" \
          r"armed forces)"
_RU = r"(?:Russian|Russia['’]s|Moscow['’]s|Kremlin['’]s)"
_UA = r"(?:Ukrainian|Ukraine['’]s|Kyiv['’]s|Kiev['’]s)"
_SIDES = [
    (re.compile(rf"\b{_RU}\s+(?:\w+\s+)?{_FORCES}|\bthe Russians\b|\bArmed Forces of (?:the )?"
                r"Russia(?:n Federation)?\b|\b(?:Northern|Western|Southern|Eastern|Centre|"
                r"Center|Dnepr|South|North|Sever|Tsentr|Vostok|Zapad|Yug) "
                r"(?:group(?:ing)?|battlegroup) of forces\b", re.IGNORECASE), RUSSIAN_SIDE),
    (re.compile(rf"\b{_UA}\s+(?:\w+\s+)?{_FORCES}|\bthe Ukrainians\b|\bArmed Forces of "
                r"Ukraine\b|\bAFU\b|\bneo-Nazi\b|\bnationalist (?:units|formations)\b"
                r"|\bKiev regime\b|\bKyiv regime\b", re.IGNORECASE), UKRAINIAN_SIDE),
]
# weapons stand for the state that fires them ("Russian drones struck" -> Russia)
_WEAPONS = re.compile(rf"\b(?:(?P<ru>{_RU})|(?P<ua>{_UA}))\s+(?:[\w-]+\s+)?(?:drones?|missiles?|"
                      r"rockets?|bombs?|shells?|shelling|bombing|"
                      r"(?:air|drone|missile) ?strikes?)\b", re.IGNORECASE)
# a side adjective on the trigger itself: "Russian retreat", "a Ukrainian drone attack"
_ADJECTIVE = re.compile(rf"\b(?:(?P<ru>{_RU})|(?P<ua>{_UA}))\s+(?:[\w-]+\s+){{0,2}}$",
                        re.IGNORECASE)
_TARGET = re.compile(r"\b(?:at|on|against|into|towards?)\s+(?:the\s+)?$", re.IGNORECASE)
_POSSESSIVE_FORCES = re.compile(rf"\b(?:its|their|our)\s+(?:\w+\s+)?{_FORCES}", re.IGNORECASE)
_BY = re.compile(r"^\w*\s+(?:\w+\s+){0,4}?by\s+(?:the\s+)?", re.IGNORECASE)
# "this operation", "the same attack": a noun pointing back to an event already reported
_ANAPHORIC = re.compile(r"\b(?:this|these|those|such|the same)\s+(?:\w+\s+)?$",
                        re.IGNORECASE)
_LOCATIVE = re.compile(r"\b(?:in|near|around|at|outside|into|towards?|over|across|on|from|"
                       r"inside|within|to|against)\s+(?:the\s+)?(?:\w+\s+)?$", re.IGNORECASE)
# a place that is the venue of a meeting belongs to the meeting, not to what was discussed
_VENUE = re.compile(r"\b(?:meetings?|met|summit|talks|conference|gathering|visit(?:ed)?|"
                    r"forum|session)\s+(?:\w+\s+){0,3}(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\b(?:the|this) (?:town|city|village|settlement|area)\b|\bthere\b",
                             re.IGNORECASE)
_SPEECH_DATE = re.compile(r"\b(?:said|says|told \w+|stated|announced|reported|added|noted|"
                          r"claimed|confirmed|wrote)\s*$", re.IGNORECASE)
# "the largest strike since the start of the war in 2022": a bound of a period, not the date
_BOUND = re.compile(r"\b(?:since|until|before|after)\b(?:\W+[\w-]+){0,6}\W*$", re.IGNORECASE)
_BOUND_WORD = re.compile(r"(?:since|until|before|after)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?—–]\s|,\s(?=(?:but|while|whereas|although)\b)|\(|\)")
# a modal right after the trigger: "talks are expected to resume", "strikes will go on",
# "the capture of the town would allow …"
_MODAL_AFTER = re.compile(r"^\s+(?:(?:of|in|at|on|for|near|around) (?:the )?(?:[\w-]+\s+){1,3})?"
                          r"(?:(?P<planned>will|shall|(?:is|are) (?:set|due|scheduled) to)"
                          r"|(?P<hypothetical>would|could|might|(?-i:may)|(?:is|are) (?:expected|"
                          r"likely) to))\b", re.IGNORECASE)
# "The attacks on energy infrastructure have raised …": a definite noun opening the sentence
# talks about events already reported
_DEFINITE_OPENING = re.compile(r"^[\s\"“‘']*(?:The|These|Those)\s+(?:[a-z][\w-]*\s+)?$")
_DEFINITE_NEXT = re.compile(r"^\s+(?:of|on|against|has|have|had|was|were|is|are)\b")
_FUTURE_TRIGGER = re.compile(r"^(?:will|to)\b", re.IGNORECASE)
_SUFFERED = re.compile(r"(?:lost|losing|losses|dead|deaths?|died|death toll|wounded|injured|hurt|"
                       r"casualt)", re.IGNORECASE)
# an undated, actor-less strike in an article whose strikes all have one attacker is that
# attacker's ("A drone strike on Dnipro ripped through a block of flats" in a report of a
# Russian attack)
ATTACK_TYPES = {"strike_or_damage", "weapons_launch"}
_CIRCUMSTANCE = re.compile(r"\b(?:in|during|amid)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_CONCESSION = re.compile(r"^\W*(?:despite|although|though|even as|while)\b[^,;]*$",
                         re.IGNORECASE)
_FIGHTING = re.compile(r"fighting|clashes|battles?|hostilities|combat", re.IGNORECASE)
VENUE_TYPES = {"negotiation", "meeting"}
# a speech act is news only with a named speaker ("Moscow warned against …"), never on its own
ACTOR_REQUIRED = {"diplomatic_statement"}
SITUATION_TYPES = {"territorial_control", "advance", "withdrawal"}
SPEECH_TYPES = {"diplomatic_statement"}  # the event is what was said: its date is the speech's
COUNTRY_TYPES = VENUE_TYPES | {"sanction"}
# a side that "lost" a place or whose town "has fallen" is not the one that now holds it
_LOSS = re.compile(r"(?:lost|fall of|has fallen|had fallen|have fallen)\b", re.IGNORECASE)
_OTHER_SIDE = {RUSSIAN_SIDE: UKRAINIAN_SIDE, UKRAINIAN_SIDE: RUSSIAN_SIDE}
CAPITALS = {"Moscow", "Kyiv", "Washington", "Beijing", "Minsk", "London", "Paris", "Berlin",
            "Brussels", "Ankara", "Tehran", "Pyongyang", "Warsaw"}


@cache
def _triggers() -> list[tuple[str, re.Pattern[str]]]:
    """One alternation per event type, so the earliest trigger in a sentence is found first."""
    by_type: dict[str, list[str]] = {}
    for line in data_lines("event_patterns.tsv"):
        event_type, pattern = line.split("\t", 1)
        by_type.setdefault(event_type.strip(), []).append(f"(?:{pattern.strip()})")
    return [(t, re.compile(rf"\b(?:{'|'.join(ps)})\b", re.IGNORECASE)) for t, ps in by_type.items()]


@cache
def _trigger_filters() -> PrefilterSet:
    """Per type (in `_triggers` order), the words one of which each of its triggers holds:
    most sentences hold none of most types', and one pass for them all is far cheaper than
    the alternations (extract/literals.py)."""
    by_type: dict[str, list[str]] = {}
    for line in data_lines("event_patterns.tsv"):
        event_type, pattern = line.split("\t", 1)
        by_type.setdefault(event_type.strip(), []).append(pattern.strip())
    return PrefilterSet([Prefilter(by_type[t], re.IGNORECASE) for t, _p in _triggers()])


@cache
def _modality_cues() -> list[tuple[str, re.Pattern[str]]]:
    cues = []
    for line in data_lines("event_modality.tsv"):
        modality, gap, pattern = line.split("\t", 2)
        cues.append((modality.strip(), re.compile(
            rf"\b(?:{pattern.strip()})\b(?=(?:\W+\w+){{0,{int(gap)}}}\W*$)", re.IGNORECASE)))
    return cues


def modality_of(before: str, trigger: str = "", after: str = "") -> str:
    """The modality a trigger has from the cues in its clause before it (nearest cue wins),
    or from a modal right after it."""
    cut = list(_CLAUSE_END.finditer(before))
    clause = before[cut[-1].end():] if cut else before
    if _FUTURE_TRIGGER.match(trigger):
        return "planned"
    if _DEFINITE_OPENING.match(before) and _DEFINITE_NEXT.match(after):
        return "reference"
    modal = _MODAL_AFTER.match(after)
    if modal:
        return "planned" if modal.group("planned") else "hypothetical"
    best: tuple[int, str] | None = None
    for modality, pattern in _modality_cues():
        for m in pattern.finditer(clause):
            if best is None or m.start() > best[0]:
                best = (m.start(), modality)
    return best[1] if best else "asserted"


def _side_at(text: str, start: int, end: int) -> str | None:
    """The side named in text[start:end], the first one when several are."""
    hits = [(m.start(), side) for pattern, side in _SIDES
            for m in pattern.finditer(text, start, end)]
    hits += [(m.start(), "Russia" if m.group("ru") else "Ukraine")
             for m in _WEAPONS.finditer(text, start, end)]
    hits += _other_states(text, start, end)  # "Israeli jets struck" -> Israel
    return min(hits)[1] if hits else None


def _states_named(pattern: re.Pattern[str], text: str, start: int = 0,
                  end: int | None = None) -> list[tuple[int, str]]:
    """(offset, country) of each match of `pattern` whose first group is a country's
    adjective ("Israeli" of "Israeli jets")."""
    return [(m.start(), state.name) for m in pattern.finditer(text, start, len(text)
                                                              if end is None else end)
            if (state := demonym(m.group(1))) is not None and state.kind == "country"]


def _other_states(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    """The weapons or warplanes of a state other than the two sides ("Israeli jets")."""
    return [(at, state) for at, state in _states_named(_ANY_WEAPONS, text, start, end)
            if state not in COUNTRY_OF_SIDE.values()]


_ANY_WEAPONS = re.compile(r"\b([A-Z][a-z]+)\s+(?:[\w-]+\s+)?(?:jets|warplanes|aircraft|drones?|"
                          r"missiles?|rockets?|bombs?|shells?|shelling|bombing|artillery|"
                          r"(?:air|drone|missile) ?strikes?|airstrikes?)\b")


def _agent_from_parse(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character span of a nominal trigger's agent: a possessive or adjective on it ("Russia's
    attack", "the Israeli strike"). A verb trigger's subject is not read: it is as often the
    body reporting the event or its patient as its actor, and taking it made actors worse on
    held-out text (issue 11's closing note); the rules after the parse read those."""
    token = next((t for t in doc if start <= t.idx < end), None)
    if token is None:
        return None
    for child in token.children:
        if child.dep_ in ("amod", "poss", "compound", "nmod") and child.i < token.i:
            return child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
    return None


def _actor(text: str, start: int, end: int, event_type: str, mentions: list[Mention],
           claimant: str | None, doc: Doc | None) -> str | None:
    if event_type == "casualties" and _SUFFERED.match(text, start):
        # "Ukrainian troops lost 500 men", "ten people were killed": who names the dead is not
        # who killed them; only "killed by …" says that (ANNOTATION.md)
        by = _BY.match(text[end:end + 60])
        side = _side_at(text, end + by.end(), min(len(text), end + by.end() + 40)) if by else None
        return _for_type(side, "strike_or_damage") if side else None
    if doc is not None:
        span = _agent_from_parse(doc, start, end)
        if span is not None:
            side = _side_at(text, *span)
            if side:
                return _for_type(side, event_type)
            inside = [m for m in mentions if span[0] <= m.start < span[1] and _actor_like(m)]
            if inside:
                return _actor_name(inside[0])
    adjective = _ADJECTIVE.search(text[max(0, start - 40):start])
    by = _BY.match(text[end:end + 60])
    if adjective and by and _PASSIVE_BEFORE.search(text[max(0, start - 40):start]):
        # "Ukrainian positions were shelled by Russian troops": the side before is the patient
        side = _side_at(text, end + by.end(), min(len(text), end + by.end() + 40))
        if side:
            return _for_type(side, event_type)
    if adjective:
        side = RUSSIAN_SIDE if adjective.group("ru") else UKRAINIAN_SIDE
        # "Russian forces attacked": the forces act; "a Russian attack": the state does
        forces = re.search(rf"\b{_FORCES}\b", adjective.group(0), re.IGNORECASE)
        return _for_type(side, event_type, nominal=not forces)
    by = _BY.match(text[end:end + 60])
    if by:
        side = _side_at(text, end + by.end(), min(len(text), end + by.end() + 40))
        if side:
            return _for_type(side, event_type)
        after = [m for m in mentions if m.start == end + by.end() and _actor_like(m)]
        if after:
            return _actor_name(after[0])
    best: tuple[int, str] | None = None
    for pattern, side in _SIDES:
        for m in pattern.finditer(text, 0, start):
            if best is None or m.start() > best[0]:
                best = (m.start(), side)
    for m in _WEAPONS.finditer(text, 0, start):
        if best is None or m.start() > best[0]:
            best = (m.start(), "Russia" if m.group("ru") else "Ukraine")
    for at, state in _other_states(text, 0, start):  # "Israeli jets struck"
        if best is None or at > best[0]:
            best = (at, state)
    if best:
        return best[1]
    # a name after "at", "on", "against" is a target ("launched drones at Ukraine")
    # a capital after a locative is where, not who ("speaking in Moscow, …")
    named = [m for m in mentions if m.end <= start and _actor_like(m)
             and not _TARGET.search(text[max(0, m.start - 12):m.start])
             and not (m.place and m.place.kind != "country"
                      and _LOCATIVE.search(text[max(0, m.start - 40):m.start]))]
    if named and _POSSESSIVE_FORCES.search(text, named[-1].end, start):
        # "Russia's Defence Ministry said its forces had captured …": its forces
        if re.search(r"\bRussia", named[-1].name):
            return RUSSIAN_SIDE
        if re.search(r"\bUkrain", named[-1].name):
            return UKRAINIAN_SIDE
        if named[-1].type == "organization":  # "Hezbollah said its fighters fired …"
            return _actor_name(named[-1])
    # the speaker is not the agent of what they report, but is the agent of their speech act
    before = [m for m in named if m.name != claimant or event_type in ACTOR_REQUIRED]
    if not before:
        return None
    return _actor_name(before[-1])


# a side's men, positions and kit are that side's forces; its towns, people and grid, the state
_TARGET_SIDE = re.compile(
    rf"\b(?:(?P<ru>{_RU})|(?P<ua>{_UA}))\s+(?:[\w-]+\s+){{0,2}}?(?:(?P<forces>{_FORCES}|"
    r"positions?|strongholds?|defen[cs]es|lines|trenches|units?|artillery|tanks?|equipment|"
    r"vehicles?|warships?|ships?|vessels?|boats?|depots?|air ?bases?|airfields?|command posts?|"
    r"headquarters|air defen[cs]e systems?|systems?|launchers?|howitzers?|helicopters?|jets?|"
    r"planes?|drones?|servicem[ae]n|soldiers|troops|personnel|crews?|fighters|manpower)"
    r"|(?P<state>cities|city|towns?|villages?|regions?|territory|civilians|people|residents|"
    r"infrastructure|energy|power|grid|ports?|homes|targets?|facilit(?:y|ies)|refiner(?:y|ies)|"
    r"government|authorities|officials|border))\b", re.IGNORECASE)
# where the agent's phrase begins after a passive trigger: "… was shelled by Russian forces"
_AGENT_AFTER = re.compile(r"\bby\b", re.IGNORECASE)
_TARGET_TYPES = {"strike_or_damage", "weapons_launch", "military_operation", "casualties",
                 "sanction", "diplomatic_statement", "meeting", "negotiation",
                 "territorial_control"}
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
_SUFFERERS = re.compile(r"(?:lost|losing|losses|suffered)", re.IGNORECASE)


def _target_side(text: str, start: int, end: int) -> str | None:
    """The side named first in text[start:end] as a party acted on ("Ukrainian positions" ->
    its forces; "Ukrainian cities" -> the state)."""
    m = _TARGET_SIDE.search(text, start, end)
    if m is None:
        return None
    side = RUSSIAN_SIDE if m.group("ru") else UKRAINIAN_SIDE
    return side if m.group("forces") else COUNTRY_OF_SIDE[side]


# a name after these is where, not whom ("damage across Ukraine", "a meeting in the Kremlin")
_WHERE_BEFORE = re.compile(r"\b(?:in|across|near|around|inside|within|from|over|throughout|"
                           r"outside|of)\s+(?:the\s+)?$", re.IGNORECASE)
# what the sentence says after this is who tells it, not who was hit
_TELLER = re.compile(r",?\s+(?:\w+\s+){0,6}?(?:said|says|told|added|reported|stated|wrote|"
                     r"claimed|noted|announced)\b|\baccording to\b|\bcited\b|\bciting\b",
                     re.IGNORECASE)
_BILATERAL = {"meeting", "negotiation"}


def _target_in(text: str, start: int, end: int, mentions: list[Mention],
               teller: str | None = None) -> str | None:
    """The first party named in text[start:end]: a side, else an organisation, person,
    country or capital (a capital stands for its state); never where it happened, nor the
    one who tells it."""
    side = _target_side(text, start, end)
    side_at = _TARGET_SIDE.search(text, start, end)
    named = [m for m in mentions if start <= m.start < end and _actor_like(m)
             and m.name != teller
             and not _WHERE_BEFORE.search(text, max(0, m.start - 20), m.start)]
    if named and (side is None or (side_at is not None and named[0].start < side_at.start())):
        return _actor_name(named[0])
    return side


def _target(text: str, start: int, end: int, event_type: str, mentions: list[Mention],
            actor: str | None, doc: Doc | None, teller: str | None = None) -> str | None:
    """The event's second actor, the party acted on (ACLED's actor2): the object of the
    trigger ("shelled Ukrainian positions"), the subject of a passive one ("Russian tanks
    were destroyed by …"), what a nominal trigger is on or against ("sanctions on Russia"),
    the side that lost men ("Ukrainian troops lost 500 men"). Never the actor itself."""
    if event_type not in _TARGET_TYPES or (event_type in _BILATERAL and actor is None):
        return None  # talks "between Russia and Ukraine": no one side acts on the other
    cut = _CLAUSE_END.search(text, end)
    stop = cut.start() if cut else len(text)
    told = _TELLER.search(text, end, stop)
    stop = told.start() if told else stop
    if re.search(r"\bbetween\b", text[end:stop], re.IGNORECASE):
        return None  # "hostilities between Russia and Ukraine": each side acts on the other
    by = _AGENT_AFTER.search(text, end, stop)
    found: str | None = None
    before_start = max(0, start - 80)
    clause_cuts = list(_CLAUSE_END.finditer(text, before_start, start))
    subject_from = clause_cuts[-1].end() if clause_cuts else before_start
    if event_type == "casualties" and _SUFFERERS.match(text, start):
        found = _target_in(text, subject_from, start, mentions, teller)  # "Ukraine lost …"
        if found is None:
            found = _target_side(text, end, stop)  # "losses among Russian troops"
    elif doc is not None and (span := _patient_from_parse(doc, start, end)) is not None:
        found = _target_in(text, span[0], min(span[1], stop), mentions, teller)
    elif _PASSIVE_BEFORE.search(text, subject_from, start) and by is not None:
        found = _target_in(text, subject_from, start, mentions, teller)  # "X was hit by …"
    if found is None and not (doc is not None and _patient_from_parse(doc, start, end)):
        found = _target_in(text, end, by.start() if by else stop, mentions, teller)
    return found if found != actor else None


def _patient_from_parse(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Character span of the trigger's patient: the direct object of a verb trigger, the
    subject of a passive one, or the object of "on", "against", "at", "with" after it."""
    token = next((t for t in doc if start <= t.idx < end), None)
    if token is None:
        return None

    def span(t) -> tuple[int, int]:
        return t.left_edge.idx, t.right_edge.idx + len(t.right_edge)

    for child in token.children:
        if child.dep_ in ("dobj", "nsubjpass", "obj"):
            return span(child)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "with", "into"):
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return span(objs[0])
    return None


def _actor_like(m: Mention) -> bool:
    return m.type in ("organization", "person") or bool(
        m.place and (m.place.kind == "country" or m.place.name in CAPITALS))


def _actor_name(m: Mention) -> str:
    """A capital acting stands for its state ("Moscow vowed" -> Russia; ANNOTATION.md)."""
    if m.place and m.place.kind != "country" and m.place.name in CAPITALS and m.place.country:
        state = country(m.place.country)
        if state is not None:
            return state.name
    return m.name


def _for_type(side: str, event_type: str, nominal: bool = False) -> str:
    """A side adjective on a strike ("a Russian attack") names the state, on a movement
    ("Russian retreat") its forces."""
    if nominal and side in COUNTRY_OF_SIDE and event_type in ("strike_or_damage",
                                                               "weapons_launch"):
        return COUNTRY_OF_SIDE[side]
    return side


def _is_location(m: Mention, text: str) -> bool:
    """Capitals and countries often stand for governments ("Moscow expects"): they locate an
    event only after a locative preposition ("talks in Istanbul", "strikes on Kyiv")."""
    place = m.place
    if place is None:
        return False
    if place.kind == "country" or place.name in CAPITALS:
        return bool(_LOCATIVE.search(text[max(0, m.start - 40) : m.start]))
    return True


def _places(mentions: list[Mention], event_type: str, last_town: str | None,
            text: str, trigger: int, trigger_end: int | None = None) -> list[str | None]:
    cue = _speech_cue(text)
    venue_only = event_type not in VENUE_TYPES
    usable: list[Place] = []
    for m in mentions:
        if m.type != "place" or m.place is None:
            continue
        # "Russia attacked Kyiv": a capital struck is where, even without a preposition
        struck = event_type in ATTACK_TYPES and m.place.kind != "country" and \
            trigger_end is not None and 0 <= m.start - trigger_end <= 1
        if not (struck or _is_location(m, text)):
            continue
        if cue is not None and m.end <= cue[0] and trigger >= cue[1]:
            continue  # where the speaker spoke, not where it happened
        if venue_only and _VENUE.search(text[max(0, m.start - 50):m.start]):
            continue
        usable.append(m.place)
    names = local_place_names(usable)
    if not names and event_type in COUNTRY_TYPES:
        countries: list[str | None] = [p.name for p in usable if p.kind == "country"]
        names = countries if event_type == "sanction" else countries[:1]
    if not names and last_town and _BACK_REFERENCE.search(text):
        names = [last_town]
    return names or [None]


_SPEECH_VERB = re.compile(r"\b(?:said|says|say|told|declined|refused|stated|added|noted|"
                          r"announced|reported|claimed|confirmed|denied|wrote|commented)\b",
                          re.IGNORECASE)


def _speech_cue(text: str) -> tuple[int, int] | None:
    if not can_carry_attribution(text):
        return None
    m = _SPEECH_VERB.search(text)
    return (m.start(), m.end()) if m else None


def _date(timexes: list[Timex], text: str, trigger: tuple[int, int], event_type: str,
          paragraph: Timex | None, day: str | None = None) -> Timex | None:
    """The sentence's own date nearest the trigger (by the gap between them: "annexed Crimea
    in 2014 and launched the invasion in 2022" dates each by its own year). The date of the
    statement stands for the event only for a situation said to hold ("said on Saturday that
    its forces had taken the town"), not for an event it merely mentions; a situation told as
    going on ("troops are advancing") holds on the day of the news (ANNOTATION.md)."""
    start, end = trigger
    year = _YEAR_BEFORE.search(text, max(0, start - 40), start)
    if year:  # "Russia's 2014 annexation": the trigger's own year
        return Timex(year.group(1), year.start(1), year.end(1), year.group(1), "year")
    # "PORT SUDAN, Oct 27 — …": the day the report was filed dates only what nothing else does
    filed = [t for t in timexes if _DATELINE.match(text[:t.start])]
    timexes = [t for t in timexes if not _inserted_about_another(text, t, trigger)
               and t not in filed]
    found = _own_date(timexes, text, trigger, event_type, paragraph, day)
    return found if found is not None or not filed else filed[0]


def _own_date(timexes: list[Timex], text: str, trigger: tuple[int, int], event_type: str,
              paragraph: Timex | None, day: str | None) -> Timex | None:
    """`_date` once the trigger's own year and the dateline's day are set aside."""
    start, end = trigger
    speech = [t for t in timexes if _SPEECH_DATE.search(text[max(0, t.start - 40):t.start])
              and event_type not in SPEECH_TYPES]  # "announced on Monday": that is the event
    own = [t for t in timexes if t not in speech and not _bound_of_another(text, t, start)]
    if own:
        best = min(own, key=lambda t: t.start - end if t.start >= end else start - t.end)
        named = [t for t in own if t.precision == "day" and 0 <= t.start - best.end <= 12
                 and best.text.lower() in _NEWS_RELATIVE]
        if named:  # "overnight into Sunday", "overnight on Saturday": the day it names
            return named[0]
        until = [t for t in own if event_type in _NIGHT_TYPES and t.start > best.end
                 and t.precision == "day"
                 and _NIGHT_SPAN.search(text, max(0, best.start - 25), best.start)
                 and re.fullmatch(r"\s+and\s+(?:\d{1,2}\s*[ap]\.?m\.?\s+)?(?:on\s+)?",
                                  text[best.end:t.start], re.IGNORECASE)]
        if until:  # "between 10pm on Wednesday and 6am today": the night ends on the day
            return _from_speech_day(until[0], speech, day)
        return _from_speech_day(best, speech, day)
    # "are advancing", "are creating a buffer zone": a progressive (not "is dead") goes on
    ongoing = bool(_ONGOING.search(text[max(0, start - 30):start])) and (
        event_type in SITUATION_TYPES or bool(_PROGRESSIVE.match(text, start, end)))
    held = event_type in SITUATION_TYPES or ongoing
    since = [t for t in timexes if t.start > start and t not in speech and (
        t.text.lower().startswith("since") or _SINCE.search(text, max(0, t.start - 12), t.start))]
    if held and since and not _SUPERLATIVE.search(text, 0, start):
        # "occupied by Russia since 2014", "have been fighting since February 2022": the
        # state holds from then ("the largest strike since 2022" only compares)
        return since[0]
    if timexes:
        return speech[0] if speech and held else None
    if paragraph is None and day and ongoing:
        return Timex(day[:10], start, start, "", "day")
    return paragraph


# the place of a dateline before its date ("PORT SUDAN, Oct 27 —", "KYIV, March 3 (Agency) –"):
# the day the report was filed, not the day of what it tells
_DATELINE = re.compile(rf"{DATELINE_PLACE}$")
_NIGHT_TYPES = {"strike_or_damage", "weapons_launch", "casualties", "military_operation"}
_NIGHT_SPAN = re.compile(r"\bbetween\s+(?:\d{1,2}\s*[ap]\.?m\.?\s+)?(?:on\s+)?$", re.IGNORECASE)
_NEWS_RELATIVE = {"yesterday", "today", "last night", "this morning", "earlier today", "tonight",
                  "overnight"}


def _from_speech_day(timex: Timex, speech: list[Timex], day: str | None) -> Timex:
    """ "The ministry said on Sunday that 40 drones were shot down overnight": the night is
    the one before the statement, not before the article; "overnight" and "yesterday" count
    from the day the speech verb is dated."""
    said = next((t for t in speech if t.precision == "day"), None)
    if said is None or day is None or timex.precision != "day" or \
            timex.text.lower() not in _NEWS_RELATIVE:
        return timex
    shift = date.fromisoformat(said.value) - date.fromisoformat(day[:10])
    value = (date.fromisoformat(timex.value) + shift).isoformat()
    return Timex(value, timex.start, timex.end, timex.text, "day")


_PROGRESSIVE = re.compile(r"[a-z]+ing\b", re.IGNORECASE)
# "are advancing", "is still pushing forward", "continue to advance": going on as told
_SINCE = re.compile(r"\bsince\s+(?:(?:early|mid-|late)\s*)?$", re.IGNORECASE)
_SUPERLATIVE = re.compile(r"\b(?:\w+est|most|first|biggest|largest|worst|only)\b",
                          re.IGNORECASE)
_ONGOING = re.compile(r"\b(?:is|are|(?:has|have) been|continues? to|keeps?|remains?)\s+"
                      r"(?:still\s+|now\s+|steadily\s+|slowly\s+)?$", re.IGNORECASE)


# a year that modifies the trigger noun: "Russia's 2014 annexation", "since the 2022 invasion"
_YEAR_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|their|his|her|since|after|before)|['’]s)\s+"
                          r"(?:[a-z][\w-]*\s+)?((?:19|20)\d\d)\s+(?:[\w-]+\s+)?$",
                          re.IGNORECASE)
# an insertion between commas or dashes that describes a noun: a relative clause (", which
# Russia seized in 2014,"), a participle (", occupied in 2022,") or an apposition holding one
# (", a town that Russia occupied in 2022,")
_OPENER = re.compile(r",\s|\s[—–]\s")
_CLOSER = re.compile(r",|\s[—–]\s")
_PARTICIPLE = r"(?:[a-z]{3,}ed|taken|retaken|held|built|won|lost|hit|struck)"
_PASSIVE = rf"{_PARTICIPLE}\s+(?:by|in|on|since|during|from|at)\b"
_DESCRIBES = re.compile(
    rf"(?:which|that|who|whose|where)\b|{_PASSIVE}"
    rf"|(?:an?|the|[A-Z][\w-]*['’]s)\s[^,—–]*?\b(?:(?:which|that|who|whose)\b|{_PASSIVE})")


_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’-]+$")
_APPOSITION = re.compile(r"(?:the|an?|[A-Z][\w-]*['’]s)\s")


def _person_apposition(text: str, comma: int, start: int, end: int) -> bool:
    """ "David Example, the head of the delegation in 2022, …": what a named party was or did
    then; not a speech insertion ("Russian forces, the ministry said on Monday, …")."""
    return bool(_NAME_BEFORE.search(text, max(0, comma - 40), comma)
                and _APPOSITION.match(text, start, end)
                and not _SPEECH_VERB.search(text, start, end))


def _inserted_about_another(text: str, timex: Timex, trigger: tuple[int, int]) -> bool:
    """ "Kupiansk, a town that Russia occupied in 2022, is under pressure again": the year
    dates what the insertion tells of the town, not the pressure. A trigger inside the
    insertion keeps the date, and so does one in the stretch right before it (the noun it
    may describe: "the campaign in the region, which began on 6 August 2024, …")."""
    openers = [m for m in _OPENER.finditer(text, 0, timex.start)]
    closer = _CLOSER.search(text, timex.end)
    if not openers or closer is None:
        return False
    start, end = openers[-1].end(), closer.start()
    if start < trigger[1] and trigger[0] < end:
        return False
    if not (_DESCRIBES.match(text, start, end) or _person_apposition(text, openers[-1].start(),
                                                                      start, end)):
        return False
    if trigger[1] <= start:
        return any(m.start() >= trigger[1] for m in openers[:-1])
    return True


def _bound_of_another(text: str, timex: Timex, trigger: int) -> bool:
    """ "the largest strike since the war began in 2022": the year bounds a period that the
    strike is measured against; it dates the war's start, not the strike."""
    if _BOUND_WORD.match(timex.text):  # "since 2022" is itself the bound
        return trigger < timex.start
    start = max(0, timex.start - 60)
    m = _BOUND.search(text[start:timex.start])
    if m is not None and re.search(r"\b(?:19|20)\d\d\b", m.group(0)):
        return False  # "since February 2022 on Sunday": the bound ended with its own year
    return m is not None and trigger < start + m.start()


def _content_spans(analysis: Analysis | None) -> list[tuple[int, int]]:
    """Where the sentence's attribution frames put what was said (offsets in the sentence)."""
    if analysis is None:
        return []
    found = analysis.frames if analysis.frames is not None else (
        frames(analysis.doc) if analysis.doc is not None else [])
    return [(f.content_start, f.content_end) for f in found]


def _chosen_triggers(text: str) -> list[tuple[str, re.Match[str], str]]:
    """Per event type, its first trigger that is a claim, else its first other one; a trigger
    inside another type's longer trigger ("launched a drone strike", "air raid alerts") is part
    of that one."""
    possible = _trigger_filters().may_match(fold(text))
    matches = [(t, list(p.finditer(text)) if i in possible else [])
               for i, (t, p) in enumerate(_triggers())]
    if not any(ms for _t, ms in matches):
        return []
    spans = [(t, m.start(), m.end()) for t, ms in matches for m in ms]
    chosen: list[tuple[str, re.Match[str], str]] = []
    for event_type, found_matches in matches:
        found: tuple[re.Match[str], str] | None = None
        for m in found_matches:
            if any(t != event_type and s <= m.start() and m.end() <= e
                   and e - s > m.end() - m.start() for t, s, e in spans):
                continue
            before = text[max(0, m.start() - 90) : m.start()]
            if _ANAPHORIC.search(before):
                continue
            modality = modality_of(before, m.group(0), text[m.end():m.end() + 40])
            if modality == "reference":
                continue
            if found is None or (found[1] not in CLAIM_MODALITIES
                                 and modality in CLAIM_MODALITIES):
                found = (m, modality)
            if modality in CLAIM_MODALITIES:
                break
        if found is not None:
            chosen.append((event_type, *found))
    if len(chosen) > 1:
        # "lost 500 soldiers in battles with …", "advanced in heavy fighting": the fighting is
        # the circumstance of the event the sentence reports, not an event of its own
        chosen = [c for c in chosen if not (
            c[0] == "military_operation" and _CIRCUMSTANCE.search(text[:c[1].start()])
            and _FIGHTING.fullmatch(c[1].group(0)))]
    if len(chosen) > 1:
        # "Despite defences intercepting most drones, the bombardment caused damage": the
        # concession is background to the event the sentence reports
        chosen = [c for c in chosen if not _CONCESSION.search(text[:c[1].start()])] or chosen
    return chosen


def news_day(texts: list[str], published: str | None, year: int | None) -> str | None:
    """The day relative dates count from: the publication date, else the one day the article
    states (a dateline or "on Saturday, May 11" in an undated page), else None."""
    if published:
        return published
    days = {t.value for text in texts for t in find_timexes(text, None, year)
            if t.precision == "day"}
    return days.pop() if len(days) == 1 else None


def _paragraph_date(dated: list[tuple[int, Timex]], index: int) -> Timex | None:
    """The day date of the sentence nearest this one in its paragraph, earlier ones first."""
    if not dated:
        return None
    return min(dated, key=lambda d: (abs(d[0] - index), d[0] > index))[1]


def _carry_dates(events: list[Event], timed: set[int] | None = None,
                 day: str | None = None) -> None:
    """An undated event takes the day of the dated events of its type when the article dates
    them all to one day (a report of one night's attack tells it in many sentences), unless it
    is told as background ("had earlier struck", "since 2022"); with several days, only an
    event that points back ("the overnight attack", "during the operation") takes the first.
    An event whose sentence states a time of its own that does not date it (`timed`: "said on
    Wednesday", "since 2022") keeps no date: that time is the sentence's, not the report's."""
    timed = timed or set()
    days: dict[str, list[str]] = {}
    for e in events:
        # a coming day (a planned meeting, "the Dec. 12 election") dates nothing already done
        if e.date and e.date_precision == "day" and not (day and e.date > day[:10]):
            days.setdefault(e.type, []).append(e.date)
    # one night's attack told over many sentences: when every dated strike, launch and toll
    # of the article is of one day, an undated one of them is of that day too
    attack = {d for t, ds in days.items() if t in _ONE_NIGHT for d in ds}
    for e in events:
        if e.type in _ONE_NIGHT and e.type not in days and len(attack) == 1:
            days[e.type] = sorted(attack)
    for e in events:
        if e.date is not None or e.type not in days or _BACKGROUND.search(e.evidence) or \
                id(e) in timed:
            continue
        if len(set(days[e.type])) == 1 or _EVENT_BACK_REFERENCE.search(e.evidence):
            e.date, e.date_precision = days[e.type][0], "day"


_ONE_NIGHT = {"strike_or_damage", "weapons_launch", "casualties"}
# (an age is no time: "a 60-year-old man")
_BACKGROUND = re.compile(r"\b(?:had|previously|earlier|before|since|already|repeatedly|"
                         r"last (?:year|month|week)|in the past|(?<!-)years?(?!-)|"
                         r"(?<!-)months?(?!-)|weeks ago)\b", re.IGNORECASE)
_EVENT_BACK_REFERENCE = re.compile(
    r"\b(?:the|this|that|during the) (?:[\w-]+ ){0,2}(?:attack|strike|raid|operation|assault|"
    r"bombardment|shelling)\b", re.IGNORECASE)


def extract_events(
    sentences: list[Sentence],
    entities: DocEntities,
    claims: dict[int, str | None],
    published: str | None,
    analyses: list[Analysis] | None = None,
) -> list[Event]:
    if is_cyrillic_document(sentences):  # Russian and Ukrainian: their own triggers and rules
        return extract_cyrillic_events(sentences, entities, claims, published)
    events: list[Event] = []
    timed: set[int] = set()  # indexes of events whose sentence states a time
    last_town: str | None = None
    year = None if published else year_stated([s.text for s in sentences])
    day = news_day([s.text for s in sentences], published, year)
    all_timexes = [find_timexes(s.text, day, year) for s in sentences]
    by_paragraph: dict[int, list[tuple[int, Timex]]] = {}
    for index, sentence in enumerate(sentences):
        by_paragraph.setdefault(sentence.paragraph, []).extend(
            (index, t) for t in all_timexes[index] if t.precision == "day")
    for index, sentence in enumerate(sentences):
        text = sentence.text
        mentions = entities.mentions.get(index, [])
        analysis = analyses[index] if analyses and index < len(analyses) else None
        doc = analysis.doc if analysis is not None else None
        spans = _content_spans(analysis)
        timexes = all_timexes[index]
        claimant = claims.get(index)
        # a question asks, it does not assert ("Who is subject to sanctions?")
        chosen = [] if text.rstrip(" \"”’'").endswith("?") else _chosen_triggers(text)
        near = _paragraph_date([d for d in by_paragraph.get(sentence.paragraph, [])
                                if d[0] != index], index)
        for kind, m, modality in chosen:
            if kind == "sanction" and modality == "threatened":
                kind, modality = "diplomatic_statement", "asserted"  # the threat is the event
            actor = _actor(text, m.start(), m.end(), kind, mentions, claimant, doc)
            claimer = claimant
            if spans and not any(a - 3 <= m.start() < b + 3 for a, b in spans):
                # "… out of Vovchansk, which Moscow had boasted of capturing": the sentence
                # reports someone, but this trigger is the outlet's own words
                claimer = None
            if kind in ACTOR_REQUIRED:
                if actor is None:
                    continue
                if actor == claimant:
                    claimer = None  # the outlet reports the speech act in its own voice
            if kind == "territorial_control" and _LOSS.match(m.group(0)):
                # "the Kiev regime has lost …": Russia took it
                actor = _OTHER_SIDE.get(actor) if actor else None
            carried = near
            if carried is not None and day and modality != "planned" and \
                    carried.value > day[:10]:
                carried = None  # a coming day of the paragraph dates no past event
            when = _coming(_date(timexes, text, (m.start(), m.end()), kind, carried, day),
                           modality, text, day)
            target = _target(text, m.start(), m.end(), kind, mentions, actor, doc, claimant)
            for place in _places(mentions, kind, last_town, text, m.start(), m.end()):
                if timexes:
                    timed.add(len(events))
                events.append(Event(
                    type=kind, actor=actor, place=place,
                    date=when.value if when else None,
                    claimed_by=claimer, evidence=text, modality=modality,
                    date_precision=when.precision if when else None, actor2=target,
                ))
        towns = [m.place.name for m in mentions
                 if m.type == "place" and m.place and m.place.kind == "settlement"]
        if towns:
            last_town = towns[-1]
    _carry_dates(events, {id(events[i]) for i in timed}, day)
    _carry_attacker(events)
    return events


_FUTURE = re.compile(r"\b(?:due to|will|shall|scheduled|set to|is to|are to|expected to|"
                     r"plans? to|planned|upcoming|next)\b", re.IGNORECASE)
_WEEKDAY_ONLY = re.compile(r"(?:(?:on|this|by|until|from|early|late)\s+)?(?:monday|tuesday|"
                           r"wednesday|thursday|friday|saturday|sunday)", re.IGNORECASE)


def _coming(when: Timex | None, modality: str, text: str, day: str | None) -> Timex | None:
    """A planned event on a bare weekday ("is due to meet on Monday") is on the coming one;
    the weekday was resolved as a past one, as news reports what happened ("agreed to the
    proposal at talks on Tuesday" is planned too, but it was agreed)."""
    if when is None or modality != "planned" or not day or when.precision != "day" \
            or not _WEEKDAY_ONLY.fullmatch(when.text) or when.value >= day[:10] \
            or not _FUTURE.search(text):
        return when
    coming = date.fromisoformat(when.value) + timedelta(days=7)
    return Timex(coming.isoformat(), when.start, when.end, when.text, when.precision)


def _carry_attacker(events: list[Event]) -> None:
    """Strikes with no actor in an article whose strikes all name one attacking state take
    that state; with two attackers named (an exchange of strikes) none is guessed."""
    states = {COUNTRY_OF_SIDE.get(e.actor, e.actor) for e in events
              if e.type in ATTACK_TYPES and e.actor and e.is_claim}
    if len(states) != 1:
        return
    attacker = states.pop()
    if attacker not in COUNTRY_OF_SIDE.values():
        return
    for e in events:
        if e.actor is None and e.type in ATTACK_TYPES and e.is_claim \
                and not _names_another_state(e.evidence or "", attacker):
            e.actor = attacker


def _names_another_state(text: str, state: str) -> bool:
    """The sentence names another country's weapons or forces ("Israeli jets", "Syrian
    troops"): the article's attacker is not its actor (a "Ukrainian city" it struck is)."""
    return any(named != state for pattern in (_ANY_WEAPONS, _ANY_FORCES)
               for _at, named in _states_named(pattern, text))


_ANY_FORCES = re.compile(rf"\b([A-Z][a-z]+)\s+(?:[\w-]+\s+)?{_FORCES}\b")
