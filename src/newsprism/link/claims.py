"""Claims across outlets: which events several outlets report, and where they disagree.

A claim is a group of events from different documents with the same type and place and dates
within a few days (an unknown date joins any). Only asserted and planned events are claims: a
threat, a demand, a hypothesis or a denial says nothing happened (docs/events.md). For each
claim: the outlets that carry it (copies and translations of another outlet's article count
once, for the original; an outlet's language editions are one outlet) and whom it is
attributed to.

Contradictions are pairs of claims about the same place and time that cannot both be true:
- control: one side is said to control a place that the other side is said to hold, retake or
  to have pushed the first side out of; or a side is said both to control and to withdraw;
- numbers: the same event with different counts of the same thing (40 drones vs 12 drones);
- dates: the same event placed on different days;
- denial: a claim that one source denies ("the General Staff denied that Russian forces had
  taken Siversk" against outlets saying they had), from another document or another claimant.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from newsprism.link.names import outlet_key
from newsprism.model import Event

DATE_WINDOW_DAYS = 3
CONTROL_TYPES = {"territorial_control", "advance", "withdrawal"}
_COUNT = re.compile(
    r"\b(\d[\d,]*)\s+(?:[a-z-]+\s+){0,2}?(drones?|missiles?|rockets?|people|civilians|soldiers|"
    r"servicemen|troops|prisoners|buildings|houses|homes|villages|settlements|tanks|attacks|"
    r"counterattacks|killed|dead|injured|wounded|minutes|hours)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class EventRef:
    """One event of one stored document."""

    document_id: str
    position: int
    outlet: str | None
    published: str | None
    event: Event


@dataclass
class Claim:
    type: str
    place: str
    date: str | None
    members: list[EventRef] = field(default_factory=list)
    id: str = ""

    def outlets(self, copy_of: dict[str, str],
                outlet_of: dict[str, str | None] | None = None) -> list[str]:
        """Independent outlets: a copy or a translation counts for the outlet of the document
        it was made from (through copies of copies), and one outlet's language editions and
        spellings are one outlet (names.outlet_key). `outlet_of` gives the outlet of documents
        outside the claim; without it, a copy whose original is not in the claim is left out."""
        outlet_of = dict(outlet_of or {})
        outlet_of.update({m.document_id: m.outlet for m in self.members})
        members = {m.document_id for m in self.members}
        seen: dict[str, str] = {}
        for m in self.members:
            origin = _root(m.document_id, copy_of)
            if origin not in members and origin not in outlet_of:
                continue  # the original is unknown here: the copy cannot stand for it
            name = outlet_of.get(origin) or "(unknown outlet)"
            seen.setdefault(outlet_key(name) or name, name)
        return list(seen.values())

    @property
    def claimed_by(self) -> list[str]:
        return sorted({m.event.claimed_by for m in self.members if m.event.claimed_by})

    @property
    def actors(self) -> set[str]:
        return {m.event.actor for m in self.members if m.event.actor}


@dataclass
class Contradiction:
    kind: str  # control | numbers | dates
    place: str
    description: str
    claims: tuple[str, str]


def _root(doc_id: str, copy_of: dict[str, str]) -> str:
    """The document a chain of copies (a translation of a copy, ...) starts from."""
    seen = {doc_id}
    while doc_id in copy_of and copy_of[doc_id] not in seen:
        doc_id = copy_of[doc_id]
        seen.add(doc_id)
    return doc_id


def _near(a: str | None, b: str | None, days: int = DATE_WINDOW_DAYS) -> bool:
    """Within `days` of each other; an undated event is near only other undated ones. A date
    known only to the month or year ("2024-11", "2024") is near any day inside it."""
    if not a or not b:
        return a == b
    if len(a) < 10 or len(b) < 10:
        short = min(len(a), len(b))
        return a[:short] == b[:short]
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= days


def group_claims(refs: list[EventRef]) -> list[Claim]:
    """Events with a place, grouped by type, place and date (greedy, in date order)."""
    by_key: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    ordered = sorted(refs, key=lambda r: (r.event.date or r.published or "", r.document_id))
    for ref in ordered:
        if not ref.event.place or not ref.event.is_claim:
            continue  # a threat, demand, guess or denial is not a claim that it happened
        key = (ref.event.type, ref.event.place)
        when = ref.event.date or ref.published
        for claim in by_key[key]:
            if _near(claim.date, when):
                if ref.document_id not in {m.document_id for m in claim.members}:
                    claim.members.append(ref)
                break
        else:
            by_key[key].append(Claim(ref.event.type, ref.event.place, when, [ref]))
    claims = [c for group in by_key.values() for c in group]
    for claim in claims:
        claim.id = claim_id(claim)
    return sorted(claims, key=lambda c: (c.date or "", c.type, c.place, c.id))


def claim_id(claim: Claim) -> str:
    """An id from what makes the claim: type, place, date and the event that opened it. The
    same claim gets the same id whether it was found in one linking or batch by batch."""
    first = claim.members[0]
    key = f"{claim.type}\x1f{claim.place}\x1f{claim.date}\x1f{first.document_id}:{first.position}"
    return "c" + hashlib.blake2b(key.encode("utf-8"), digest_size=7).hexdigest()


def _side(ref: EventRef) -> str | None:
    """Who the event says holds the place: the actor that took or advanced into it, or
    "not X" when X is said to have withdrawn from it."""
    e = ref.event
    if not e.actor:
        return None
    return f"not {e.actor}" if e.type == "withdrawal" else e.actor


def _counts(evidence: str) -> dict[tuple[str, str | None, str | None], tuple[int, str]]:
    """What the sentence counts: (noun stem, whose, over what period) -> (number, the words as
    written). Whose and period keep unlike figures apart: 85 Russian soldiers in a day is no
    other count of 420 Ukrainian soldiers in a week."""
    found: dict[tuple[str, str | None, str | None], tuple[int, str]] = {}
    period = _PERIOD.search(evidence)
    span = period.group(1).lower() if period else None
    for m in _COUNT.finditer(evidence):
        noun = m.group(2).lower().rstrip("s")
        side = None
        if noun in _PEOPLE:  # whose dead or wounded; a weapon's count is the attacker's
            side = _side_word(m.group(0)) or _side_word(evidence[max(0, m.start() - 40):m.start()])
        scope = "country" if _COUNTRYWIDE.match(evidence, m.end()) else span
        found.setdefault((noun, side, scope), (int(m.group(1).replace(",", "")), m.group(0)))
    return found


_PEOPLE = {"people", "civilian", "soldier", "servicemen", "troop", "prisoner", "killed", "dead",
           "injured", "wounded"}
# "86 drones and three missiles at Ukraine": a count for the whole country, not for one city
_COUNTRYWIDE = re.compile(r"\W*(?:[\w-]+\s+){0,6}?(?:at|on|across|against|over|into|throughout)"
                          r"\s+(?:the\s+)?(?:Ukraine|Russia|(?:whole\s+)?country)\b|"
                          r"\W*(?:[\w-]+\s+){0,3}?nationwide", re.IGNORECASE)


_PERIOD = re.compile(r"\b(?:past|last|previous|a|one|this|per|each|the)\s+(day|24 hours|week|"
                     r"month|year|night|seven days)\b", re.IGNORECASE)
_SIDE_WORD = re.compile(r"\b(?:(Russian|Russia['’]s|Moscow['’]s)|(Ukrainian|Ukraine['’]s|"
                        r"Kyiv['’]s|Kiev['’]s|Kyiv|Kiev))\b")


def _side_word(text: str) -> str | None:
    """The last side named in `text`: "ru" or "ua"."""
    found = list(_SIDE_WORD.finditer(text))
    return None if not found else ("ru" if found[-1].group(1) else "ua")


def find_contradictions(claims: list[Claim], refs: list[EventRef] | None = None,
                        only: set[str] | None = None) -> list[Contradiction]:
    """Contradictions among `claims`; with `refs` (every event, claims or not), also the
    denials among them that deny one of the claims. With `only` (claim ids), just those
    that one of these claims is in (the others are given for their control claims)."""
    out: list[Contradiction] = []
    seen = _Seen()
    if refs:
        _denials(claims if only is None else [c for c in claims if c.id in only], refs,
                 out, seen)
    by_place: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_place[claim.place].append(claim)
    for place, group in by_place.items():
        control = [(c, m, _side(m)) for c in group if c.type in CONTROL_TYPES for m in c.members]
        for (ca, ma, sa), (cb, mb, sb) in _near_pairs(control):
            if not sa or not sb or ma.document_id == mb.document_id or (
                    only is not None and ca.id not in only and cb.id not in only):
                continue
            clash = (sa != sb and not sa.startswith("not ") and not sb.startswith("not ")) \
                or sa == f"not {sb}" or sb == f"not {sa}"
            if clash and seen.first(("control", place, ca.id, cb.id)):
                out.append(Contradiction(
                    "control", place,
                    f"{_all_who(ca, sa)} {_state(sa)} {place}; {_all_who(cb, sb)} "
                    f"{_state(sb)} {place}", (ca.id, cb.id)))
        for claim in group:
            if only is None or claim.id in only:
                _number_and_date_conflicts(claim, out, seen)
    return out


def _near_pairs(control: list[tuple[Claim, EventRef, str | None]]) -> Iterator[tuple]:
    """The pairs of `control` (in list order) within 7 days of each other, by date: a
    sliding window over the events dated to the day, instead of every pair at the place."""
    def when(item: tuple[Claim, EventRef, str | None]) -> str | None:
        return item[1].event.date or item[1].published

    day = [i for i, item in enumerate(control) if len(when(item) or "") == 10]
    other = [i for i in range(len(control)) if len(when(control[i]) or "") != 10]
    found: list[tuple[int, int]] = []
    ordinal = {i: date.fromisoformat(when(control[i]) or "").toordinal() for i in day}
    day.sort(key=lambda i: ordinal[i])
    for k, i in enumerate(day):
        for j in day[k + 1 :]:
            if ordinal[j] - ordinal[i] > 7:
                break
            found.append((min(i, j), max(i, j)))
    for i in other:  # a month, a year or no date: compared with all, as few are
        found += [(min(i, j), max(i, j)) for j in range(len(control))
                  if j != i and (j not in other or j > i)
                  and _near(when(control[i]), when(control[j]), 7)]
    for i, j in sorted(found):
        yield control[i], control[j]


class _Seen:
    """Which contradictions are recorded already, by key: a set, so that a claim carried by
    hundreds of reports with as many different figures stays linear, not cubic."""

    def __init__(self) -> None:
        self.keys: set[tuple] = set()

    def first(self, key: tuple) -> bool:
        """True the first time `key` is seen (the pair of claims in either order)."""
        kind, place, a, b, *rest = key
        key = (kind, place, frozenset((a, b)), *rest)
        if key in self.keys:
            return False
        self.keys.add(key)
        return True


def _number_and_date_conflicts(claim: Claim, out: list[Contradiction], seen: _Seen) -> None:
    """One contradiction per figure that another outlet reports differently (by its wording),
    and one per claim for differing dates."""
    members = claim.members
    counts = [_counts(m.event.evidence) for m in members]
    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            b = members[j]
            if a.outlet == b.outlet and a.outlet is not None:
                continue
            ca, cb = counts[i], counts[j]
            for noun in sorted(ca.keys() & cb.keys(), key=str):
                (na, wa), (nb, wb) = ca[noun], cb[noun]
                key = ("numbers", claim.place, claim.id, claim.id)
                if na != nb and seen.first((*key, wa)):
                    seen.first((*key, wb))  # its wording is in this description too
                    out.append(Contradiction(
                        "numbers", claim.place,
                        f"{claim.type} at {claim.place}: {_who(a)} says “{wa}”; "
                        f"{_who(b)} says “{wb}”", (claim.id, claim.id)))
            da, db = a.event.date, b.event.date
            # only two days contradict: "in 2024" does not contradict "on 5 May 2024"; nor do
            # two days in a row, which a night attack spans ("late on Tuesday", "overnight")
            if da and db and len(da) == len(db) == 10 and _days_apart(da, db) > 1 \
                    and seen.first(("dates", claim.place, claim.id, claim.id)):
                out.append(Contradiction(
                    "dates", claim.place,
                    f"{claim.type} at {claim.place}: {_who(a)} dates it {da}; {_who(b)} {db}",
                    (claim.id, claim.id)))


def _denials(claims: list[Claim], refs: list[EventRef], out: list[Contradiction],
             seen: _Seen) -> None:
    """A denied event contradicts the claim of the same type, place and time that someone
    else makes: another document, or another claimant in the same one."""
    by_key: dict[tuple[str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_key[(claim.type, claim.place)].append(claim)
    for ref in refs:
        e = ref.event
        if e.modality != "denied" or not e.place:
            continue
        for claim in by_key.get((e.type, e.place), []):
            if not _near(claim.date, e.date or ref.published, DATE_WINDOW_DAYS):
                continue
            others = [m for m in claim.members if m.document_id != ref.document_id
                      or (m.event.claimed_by and m.event.claimed_by != e.claimed_by)]
            if others and seen.first(("denial", claim.place, claim.id, claim.id, _who(ref))):
                names = list(dict.fromkeys(_who(m) for m in others))
                out.append(Contradiction(
                    "denial", claim.place,
                    f"{claim.type} at {claim.place}: {', '.join(names)} "
                    f"{'say' if len(names) > 1 else 'says'} it happened; {_who(ref)} denies it",
                    (claim.id, claim.id)))


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _who(ref: EventRef) -> str:
    source = ref.outlet or "an unknown outlet"
    return f"{source} ({ref.event.claimed_by})" if ref.event.claimed_by else source


def _all_who(claim: Claim, side: str) -> str:
    """Every outlet (and claimant) in the claim that says the same side holds the place."""
    names: list[str] = []
    for m in claim.members:
        if _side(m) == side and _who(m) not in names:
            names.append(_who(m))
    return f"{', '.join(names)} {'say' if len(names) > 1 else 'says'}"


def _state(side: str) -> str:
    return f"{side[4:]} left" if side.startswith("not ") else f"{side} holds"
