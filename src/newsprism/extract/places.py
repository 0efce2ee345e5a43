"""Places in a sentence: capitalised runs looked up in the gazetteer (Kharkov -> Kharkiv,
"Kharkiv region" -> Kharkiv Oblast) and resolved among same-named places by context.

Why the rules are shaped as they are (each guards against a failure seen on real news):
- a match that is only the start of a longer capitalised name is not a place ("Islington
  Bay", "Indianapolis Star"), unless a title follows ("Kharkiv Governor ...");
- a name that is a common English word ("Buy", "Star", "Human") or an alternate name of a
  place that is a person's name ("Sorokin") is a place only with place evidence: a locative
  preposition before it ("in/near/at/from X"), a place noun after it ("X region"), a
  resolved neighbour ("Atlanta, Georgia");
- a name that reads as a person here ("Kamyshin said", "minister Kamyshin", a surname the
  document already gave a person) is not a place without that evidence either;
- a small town far from the rest of the document (another country, not the conflict area)
  needs evidence too ("Kaya" -> a town in Burkina Faso in an article about Ukraine);
- among same-named places the document's other places decide: same region, then same
  country, then the conflict area (renamed towns only in a Ukrainian context), then kind
  (country, region, town) and population ("Virginia" -> the US state, "Georgia" after
  "Atlanta," -> the US state).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from newsprism.extract.gazetteer import Place, candidates, demonym, lookup, regions
from newsprism.extract.mentions import NAME_WORD, Mention, overlaps
from newsprism.resources import data_lines, month_names, person_titles, word_set

_CAP_RUN = re.compile(
    r"[A-ZА-ЯІЇЄҐ][\w'’.\-]*(?:\s+(?:[A-ZА-ЯІЇЄҐ][\w'’.\-]*|oblast|region|regions|regional|"
    r"province|krai|district|river|peninsula|nuclear|hydroelectric|power|plant|steel|dam|"
    r"bridge|of|and|de|la|von|der))*"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_HYPHEN_PAIR = re.compile(r"\b([A-Z][a-z]+)-([A-Z][a-z]+)\b")
_REGION_PAIR = re.compile(
    rf"\b({NAME_WORD}) and ({NAME_WORD}) ((?i:regions|oblasts|provinces|districts))\b")
_LOCATIVE = re.compile(
    r"\b(?:in|near|at|from|outside|around|across|into|towards?|through|throughout|within|"
    r"via|between|beyond|to|over|off|(?:north|south|east|west)(?:east|west)?\s+of)\s+(?:the\s+)?$",
    re.IGNORECASE)
_INSTITUTION_OF = re.compile(
    r"\b(?:University|College|School|Institute|Bank|Museum|Church|Cathedral|Academy|Archbishop|"
    r"Bishop|Duke|Duchess|Earl|Prince|Princess|King|Queen|Lord|Metropolitan|Patriarch)"
    r"\s+of\s+(?:the\s+)?$")
_RAION = re.compile(rf"\b({NAME_WORD}) (?:district|raion|District|Raion)\b")
_ALL_CAPS = re.compile(r"\b[A-Z]{2,}(?:\s[A-Z]{2,}){1,2}\b(?![’'.])|\b[A-Z]{4,}\b")
_PREFIXED = re.compile(r"(?<![\w-])(?:pro|anti|non|ex|post|pre|trans|pan)-$", re.IGNORECASE)
_SUFFIX = re.compile(r"-(?:based|controlled|held|occupied|backed|led|born|bound|made|annexed)$")
#: words that may precede a place inside one capitalised run ("Western Ukraine")
_PRE_WORDS = frozenset(("north", "south", "east", "west", "northern", "southern", "eastern",
                        "western", "central", "greater", "upper", "lower", "occupied"))
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:city|town|village|settlement|port|region|province|state|county|capital|suburb|"
    r"district|island|hamlet|outskirts|oblast|municipality)\s+(?:of\s+)?$", re.IGNORECASE)
_PLACE_NOUN_AFTER = re.compile(
    r"^[\s,]+(?:city|town|village|region|oblast|province|state|county|district|area|border|"
    r"coast|residents|airport|port|countryside|suburbs)\b", re.IGNORECASE)
_NEIGHBOUR = re.compile(r"^,\s+(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r")?)")
_PERSON_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|noted|stressed|wrote|stated|"
                           r"argued|explained|claimed|announced|insisted)\b")
_PERSON_APPOSITION = re.compile(
    r"^,?\s+(?:who\b|(?:the|a|an)\s+(?:\w+\s+)?(?:minister|president|spokes(?:man|woman|person)|"
    r"head|chief|governor|mayor|official|deputy|commander|adviser|advisor|analyst|expert|"
    r"general|officer|leader|lawmaker|senator|ambassador|journalist|reporter|author)\b)")
_AGE_AFTER = re.compile(r"^(?:,\s*(?:aged\s+)?\d{1,3}\s*,|\s*\(\d{1,3}\))")
#: population from which a town is taken without further evidence
TOWN_ALONE = 100_000
#: population from which a town abroad is taken without further evidence
BIG_CITY = 1_000_000
#: population from which a town abroad (not in the document's countries) needs no evidence
FOREIGN_TOWN = 300_000
#: population from which a city's name, capitalised inside a sentence, is the city even when
#: it is an English word too ("Boston", "Cork")
COMMON_WORD_CITY = 200_000
#: a city this big wins over a region of the same name elsewhere in its country
CAPITAL_CITY = 500_000
CONFLICT_COUNTRIES = frozenset({"UA", "RU", "BY"})
#: a big city this many times larger than a namesake in the document's region is meant
NAMESAKE_RATIO = 20
_TITLE_CASE_SHARE = 0.6


@cache
def _known_people_words() -> frozenset[str]:
    """Every word of the names of public figures in `persons.tsv` ("Kamyshin") and the
    surnames places are named after (`place_person_names.txt`: "Molotov", "Pushkin")."""
    words: set[str] = set(word_set("place_person_names.txt", lower=False))
    for line in data_lines("persons.tsv"):
        for alias in line.split("\t"):
            words.update(alias.split())
    return frozenset(words)


@cache
def _organisation_words() -> frozenset[str]:
    """Every capitalised word of the organisations and media in `organizations.tsv` ("Pravda",
    "Duma", "Wagner"): alone, such a word names the body more often than a place."""
    words: set[str] = set()
    for line in data_lines("organizations.tsv"):
        for alias in line.split("\t"):
            words.update(w for w in re.findall(r"[\w.’'-]+", alias) if w[:1].isupper())
    return frozenset(words)


@cache
def _organisation_names() -> frozenset[str]:
    """The names and aliases of `organizations.tsv` as written ("White House")."""
    return frozenset(alias.strip() for line in data_lines("organizations.tsv")
                     for alias in line.split("\t"))


def _well_known(place: Place) -> bool:
    """A country, region, sea or big city: its name is that place even beside a body's name
    ("Kyiv" of "Kyiv Post", "Washington" of "Washington Post")."""
    return place.kind in ("country", "region", "other") or place.population >= BIG_CITY \
        or (place.conflict and place.population >= TOWN_ALONE)


@dataclass
class PlaceContext:
    """What the whole document says about where it is: the countries and regions of its
    unambiguous places, found in a first pass over all its sentences."""

    sentences: list[str] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # surface -> person, filled by caller
    countries: set[str] = field(default_factory=set)
    regions: set[tuple[str, str]] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)  # towns' names that ended a person's name
    scanned: bool = False
    # sentence -> its raw matches with nothing taken, and the spans that looked up `taken`
    raw: dict[str, tuple[list[_Raw], list[tuple[int, int]]]] = field(default_factory=dict)

    def scan(self) -> None:
        if self.scanned:
            return
        self.scanned = True
        for text in self.sentences:
            asked: list[tuple[int, int]] = []
            raws = _raw_mentions(text, [], surnames=self.surnames, asked=asked)
            self.raw[text] = (raws, asked)
            for m in raws:
                found = m.place_candidates
                if not found:
                    continue
                first = found[0]
                strong = (len(found) == 1 or first.kind == "country"
                          or (first.conflict and first.name == m.text)) and (
                    m.text not in word_set("place_common_words.txt", lower=False))
                if strong and (first.kind in ("country", "region")
                               or first.population >= BIG_CITY or first.conflict):
                    self._add(first)

    def _add(self, place: Place) -> None:
        if place.country:
            self.countries.add(place.country)
            if place.admin1:
                self.regions.add((place.country, place.admin1))

    @property
    def conflict(self) -> bool:
        return bool(self.countries & {"UA"})


@dataclass
class _Raw:
    start: int
    end: int
    text: str
    place_candidates: list[Place]
    alias_only: bool = False  # the surface is no candidate's canonical name


def _lookup_all(surface: str) -> list[Place]:
    found = candidates(surface)
    if not found and " " in surface:  # "Kursk Region", "Belgorod regional (governor)"
        head, _, last = surface.rpartition(" ")
        if last.lower() in ("region", "regional", "oblast", "province"):
            found = candidates(f"{head} region")
        if not found and last in ("State", "Province", "Region", "Governorate"):
            found = [p for p in candidates(head) if p.kind == "region"]  # "Osun State"
    return found


def _lookup_place(surface: str) -> Place | None:
    found = _lookup_all(surface)
    return found[0] if found else None


@lru_cache(maxsize=4096)  # asked twice of each sentence
def _title_case(text: str) -> bool:
    """A headline in title case ("Russia Strikes Kharkiv With Drones"): its function and
    common words are capitalised too, so capitalisation does not delimit names."""
    words = re.findall(r"[A-Za-z][\w'’]+", text)[1:]
    common = [w for w in words if w.lower() in _function_words()
              or w.lower() in _common_lower()]
    return len(common) >= 2 and (
        sum(w[0].isupper() for w in common) / len(common) >= _TITLE_CASE_SHARE)


@cache
def _common_lower() -> frozenset[str]:
    return frozenset(w.lower() for w in word_set("place_common_words.txt", lower=False))


def _raw_mentions(text: str, taken: list[Mention], embedded: bool = False,
                  surnames: set[str] | None = None,
                  asked: list[tuple[int, int]] | None = None) -> list[_Raw]:
    """Every gazetteer match of a sentence, longest first, before any judgement;
    `embedded` keeps places inside longer names ("Toronto" in "Toronto Police");
    `surnames` collects towns' names read as the last word of a person's name ("John
    Bolton", "Gino D. Bassett"), which alone later in the document need place evidence;
    `asked` collects the spans looked up in `taken` (the answer is the same for another
    `taken` that overlaps none of them)."""
    found: list[_Raw] = []
    title_case = _title_case(text)

    def free(start: int, end: int) -> bool:
        if asked is not None:
            asked.append((start, end))
        return not overlaps(taken, start, end)

    def add(start: int, end: int, surface: str, places: list[Place]) -> None:
        alias = all(p.name != surface for p in places)
        found.append(_Raw(start, end, surface, places, alias))

    for m in _HYPHEN_PAIR.finditer(text):  # "the Russia-Ukraine border"
        if lookup(m.group(0)) is None:
            pair = [(group, candidates(m.group(group))) for group in (1, 2)]
            if not embedded and not all(any(p.kind in ("country", "region") or (
                    p.name == m.group(group) and p.population >= TOWN_ALONE) for p in places)
                    for group, places in pair):
                # "the Israel-Hamas war", "Euro-Atlantic" (not two known places): an adjective
                # compound, no mention of a place (../shared/corpus/ANNOTATION.md);
                # geoparsing's toponyms count it
                continue
            for group, places in pair:
                if places and free(m.start(group), m.end(group)):
                    add(m.start(group), m.end(group), m.group(group), places)
    for m in _REGION_PAIR.finditer(text):  # "the Solomianskyi and Holosiivskyi districts"
        noun = "district" if m.group(3).lower() == "districts" else "region"
        for group in (1, 2):
            places = candidates(f"{m.group(group)} {noun}")
            if places:
                add(m.start(group), m.end(group), m.group(group), places)
    for m in _RAION.finditer(text):  # "the Kupiansk district": the raion around that town
        if candidates(m.group(0)):
            continue  # a city's district of that name ("Pechersk district" of Kyiv)
        towns = [p for p in candidates(m.group(1)) if p.conflict and p.kind == "settlement"]
        if towns and free(m.start(), m.end()):
            town = towns[0]
            raion = Place(f"{town.name} Raion", "region", town.country, town.lat, town.lon,
                          town.region, "region", 0, conflict=True)
            add(m.start(), m.end(), m.group(0), [raion])
    spans = [_Mspan(r.start, r.end) for r in found]
    for run in _CAP_RUN.finditer(text):
        words = list(re.finditer(r"\S+", run.group(0)))
        i = 0
        while i < len(words):
            hit = False
            for j in range(min(len(words), i + 5), i, -1):
                start = run.start() + words[i].start()
                end = run.start() + words[j - 1].end()
                surface, affixed, places = _window(text[start:end])
                if places and not embedded and (affixed or _PREFIXED.search(text[:start])):
                    break  # "US-made", "Moscow-installed", "pro-Kremlin", "anti-Moscow"
                if places and free(start, start + len(surface)) and not any(
                        s.start < start + len(surface) and start < s.end for s in spans):
                    # "Poland's Rzeszow": two
                    possessive = bool(_POSSESSIVE.search(text[start:end]))
                    # a place starting a longer name counts inside it ("Jamaica Cancer
                    # Society", "Rogers Centre"); a small town's name after a given name is
                    # a surname ("Alfie Evans"), only a well-known place ends a name there
                    # ("Baseball Toronto")
                    known = any(_well_known(p) or p.population >= TOWN_ALONE for p in places)
                    if not title_case and not affixed and (
                            (j < len(words) and not possessive and not embedded
                             and _continues_name(words[j].group(0)))
                            or (i > 0 and (not embedded or not known)
                                and _joins_name(words[i - 1].group(0))
                                and _note_surname(surnames, surface, places, j - i))
                            or (not embedded
                                and _INSTITUTION_OF.search(text[max(0, start - 40):start]))):
                        break  # "Islington Bay", "Sputnik Africa": part of a longer name
                    add(start, start + len(surface), surface, places)
                    i = j
                    hit = True
                    break
            if not hit:
                i += 1
    for m in _ALL_CAPS.finditer(text):  # datelines: "MOSCOW, May 5", "SAN DIEGO (AP)"
        word = m.group(0).title()
        state = state_after(text, m.end())
        places = [p for p in candidates(word)
                  if p.kind in ("country", "region") or p.population >= TOWN_ALONE
                  or (state and p.region == state[2].name and p.country == state[2].country)]
        if state and any(p.region == state[2].name for p in places):  # "WAUSAU, Wis."
            places = [p for p in places if p.region == state[2].name] + places
        if places and free(m.start(), m.end()):
            add(m.start(), m.end(), m.group(0), places)
    for raw in list(found):  # "SPRINGFIELD, Ill.", "Horry County, SC": the state too
        state = state_after(text, raw.end)
        if state and free(state[0], state[1]) and not any(
                r.start < state[1] and state[0] < r.end for r in found):
            add(state[0], state[1], text[state[0]:state[1]], [state[2]])
    return found


@cache
def _abbreviations() -> tuple[re.Pattern[str], dict[str, Place]]:
    """`place_abbreviations.tsv`: "Ill." -> Illinois, "B.C." -> British Columbia, read only
    right after "Place, " (a dateline, an address)."""
    table: dict[str, Place] = {}
    for line in data_lines("place_abbreviations.tsv"):
        abbreviation, country, name = (cell.strip() for cell in line.split("\t"))
        region = regions().get((country, name))
        if region is not None:
            table[abbreviation] = region
    alternation = "|".join(re.escape(a) for a in sorted(table, key=len, reverse=True))
    return re.compile(rf"^,\s+({alternation})(?![\w.])"), table


def state_abbreviations() -> frozenset[str]:
    """The abbreviations of place_abbreviations.tsv ("SC", "Ill.")."""
    return frozenset(_abbreviations()[1])


def state_after(text: str, end: int) -> tuple[int, int, Place] | None:
    """The state or province abbreviated right after a name ending at `end`
    ("SPRINGFIELD, Ill. (AP)", "Horry County, SC"): its span and region."""
    pattern, table = _abbreviations()
    m = pattern.match(text[end:])
    if m is None:
        return None
    return end + m.start(1), end + m.end(1), table[m.group(1)]


@lru_cache(maxsize=65536)
def _window(raw: str) -> tuple[str, bool, list[Place]]:
    """The name a few words of a capitalised run stand for, whether they carry an adjective
    suffix ("Britain-based"), and its readings. Cached: every sentence is read twice (the
    document's context first) and names recur."""
    surface = _POSSESSIVE.sub("", raw.rstrip(",;:"))
    affixed = bool(_SUFFIX.search(surface))
    surface = _SUFFIX.sub("", surface)
    places = _lookup_all(surface) if surface[:1].isupper() else []
    if not places and surface.endswith("."):
        surface = surface[:-1]
        places = _lookup_all(surface)
    return surface, affixed, places


@cache
def _calendar_words() -> frozenset[str]:
    """Weekdays and months: "in Moscow, Russia Thursday", "arrive in Lagos April 4"."""
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return frozenset((*days, *month_names()))


@cache
def _function_words() -> frozenset[str]:
    return frozenset(line.strip() for line in data_lines("place_function_words.txt"))


def _joins_name(word: str) -> bool:
    """Whether a capitalised word right before a match makes it part of a longer name
    ("Joe Edwards", "Sputnik Africa"); function words and "Western" do not."""
    if re.fullmatch(r"[A-Z]\.", word):
        return True  # a middle initial: "Gino D. Bassett"
    if word[-1:] in ",;:.)\"'’" or not word[:1].isupper() or _POSSESSIVE.search(word):
        return False
    bare = word.lower()
    if bare in _function_words() or bare in _PRE_WORDS or bare in person_titles():
        return False
    return demonym(word) is None


def _note_surname(surnames: set[str] | None, surface: str, places: list[Place],
                  width: int) -> bool:
    """Record a one-word town's name that ends a person's name; always true (a condition)."""
    if surnames is not None and width == 1 and " " not in surface and \
            not any(map(_well_known, places)):
        surnames.add(surface)
    return True


@dataclass
class _Mspan:
    start: int
    end: int


def _continues_name(word: str) -> bool:
    """Whether a capitalised word right after a match makes it part of a longer name."""
    bare = word.strip(".,;:'’\"()")
    if not bare or not bare[0].isupper() or bare.lower() in person_titles() or \
            bare.lower() in _calendar_words():
        return False
    return bare not in ("And", "Or", "Oblast", "Region") and not word.endswith((",", ";", ":"))


def _evidence(text: str, start: int, end: int, context: PlaceContext | None,
              places: list[Place]) -> Place | None:
    """Place evidence around a mention; returns the candidate it points to (or the first)."""
    before, after = text[:start], text[end:]
    neighbour = _NEIGHBOUR.match(after)
    state = state_after(text, end)
    if neighbour or state:  # "Atlanta, Georgia": the candidate inside that region or country
        outer = [state[2]] if state else candidates(neighbour.group(1)) if neighbour else []
        for place in places:
            if any(o.name == place.region or (o.kind == "country" and o.country == place.country)
                   for o in outer):
                return place
    prev_comma = re.search(r"(" + NAME_WORD + r"(?:\s+" + NAME_WORD + r")?),\s+$", before)
    if prev_comma:  # "Georgia" after "Atlanta,": the region or country that holds it
        for inner in candidates(prev_comma.group(1)):
            for place in places:
                if place.kind == "region" and inner.region == place.name and \
                        inner.country == place.country:
                    return place
                if place.kind == "country" and inner.country == place.country:
                    return place
    if _LOCATIVE.search(before[-40:]) and not _ACCORDING.search(before[-40:]) or \
            _PLACE_NOUN_BEFORE.search(before[-40:]) or _PLACE_NOUN_AFTER.match(after):
        return places[0]
    return None


_ACCORDING = re.compile(r"\baccording to\s+$", re.IGNORECASE)  # a source, not a direction


def _looks_like_person(text: str, start: int, end: int, surface: str,
                       context: PlaceContext | None, place: Place) -> bool:
    """"Kamyshin said", "minister Kamyshin", a surname the document gave a person; but
    "Kyiv says" is a capital speaking for its government."""
    if context and (surface in context.people or surface in context.surnames):
        return True
    before = text[:start].split()
    if before and before[-1].lower().strip(".,") in person_titles() and not surface.isupper():
        return True  # a dateline in capitals after a byline is no name ("Press WASHINGTON")
    if place.kind != "country" and before and before[-1].strip(",").lower() in word_set(
            "place_kinship_nouns.txt"):
        return True  # "his wife, Julia", "girlfriend Olivia"
    after = text[end:]
    if _AGE_AFTER.match(after):
        return True  # "Olena, 34, said": a resident with her age
    if place.kind != "country" and _PERSON_APPOSITION.match(after):
        return True
    capital = place.population >= CAPITAL_CITY and context is not None and \
        place.country in context.countries  # "Chisinau said", in an article about Moldova
    return not _well_known(place) and not capital and bool(_PERSON_AFTER.match(after))


def _big_town(place: Place) -> bool:
    """A city whose name, capitalised inside a sentence, is that city even if the word is an
    English one too ("Berlin", "Warsaw", "Tula", "Perm")."""
    return place.kind == "settlement" and (
        place.population >= COMMON_WORD_CITY or (place.conflict and place.population >= TOWN_ALONE))


def _opens_clause(text: str, start: int, end: int) -> bool:
    """Whether a word starts its sentence or a quotation, where any word is capitalised, and
    is not a capital speaking ("Berlin said", "Warsaw's answer")."""
    before = text[:start].rstrip()
    speaks = bool(_PERSON_AFTER.match(text[end:]) or re.match(r"['’]s\b", text[end:]))
    return (not before or before[-1] in ".!?:;\"“‘'(—–-") and not speaks


def _vessel(text: str, start: int, end: int, place: Place) -> bool:
    """"a landing warship, the Novocherkassk, in ...": a town's name on a ship."""
    return place.kind == "settlement" and text[:start].endswith("the ") and \
        text[end:end + 1] in (",", ".", ")")


def _score(place: Place, context: PlaceContext | None) -> tuple:
    """Sort key for the reading of a name: higher is better."""
    region = country = 0
    if context:
        region = int(bool(place.country and (place.country, place.admin1 or "") in context.regions))
        country = int(place.country in context.countries)
    kind = {"country": 3, "region": 2, "other": 2, "settlement": 1}.get(place.kind, 0)
    if place.kind in ("country", "other"):  # "China", "Mexico": never a town of that name
        return (3 + country, 1, kind, math.log10(place.population + 1))
    if place.kind == "region":  # "Ontario": the province rather than a town of that name
        country += 5 if country else 2  # "Georgia" among US places: the state
    return (2 * region + country, int(place.conflict), kind, math.log10(place.population + 1))


def _renamed_abroad(place: Place, surface: str, context: PlaceContext | None) -> bool:
    """An old name of a Ukrainian town ("Dzerzhinsk" for Toretsk) outside a Ukrainian
    context: the same name elsewhere is meant."""
    return context is not None and place.conflict and \
        place.country == "UA" and place.name.casefold() != surface.casefold() and \
        not context.conflict  # "KYIV": no


def _big_namesake(best: Place, places: list[Place]) -> Place:
    """"Boston" in an article that also names New York state: Boston, Massachusetts, not the
    village of Boston in that state; a big city outweighs a namesake of its country that is
    only a hamlet beside it, whatever the document's regions."""
    if best.kind != "settlement" or best.conflict:
        return best
    for place in places:
        if place.country == best.country and _big_town(place) and \
                place.population > NAMESAKE_RATIO * best.population:
            return place
    return best


def _city_over_region(best: Place, places: list[Place], text: str, end: int) -> Place:
    """"Auckland", "New York": the city rather than the region of the same name, unless a
    region noun follows ("New York state")."""
    if best.kind != "region" or re.match(r"^\s+(?:state|region|province|oblast)\b", text[end:],
                                         re.IGNORECASE):
        return best
    for place in places:
        if place.kind == "settlement" and place.country == best.country and (
                place.region == best.name and place.population >= TOWN_ALONE
                or place.population >= CAPITAL_CITY):  # "Washington": the capital
            return place
    return best


def _choose(raw: _Raw, text: str, context: PlaceContext | None) -> Place | None:
    """The place a raw match names, or None when it is not a place here."""
    surface = raw.text
    places = [p for p in raw.place_candidates if not _renamed_abroad(p, surface, context)]
    if not places:
        return None
    if text[:raw.start].endswith(("the ", "The ")) and " " not in surface:
        river = _lookup_place(f"{surface} River")
        if river is not None and river.kind == "other":  # "across the Dnipro": the river
            return river
    evidence = _evidence(text, raw.start, raw.end, context, places)
    if evidence is not None and evidence is not places[0] and len(places) > 1:
        return evidence
    best = max(places, key=lambda p: _score(p, context))
    best = _big_namesake(best, places)
    best = _city_over_region(best, places, text, raw.end)
    single = " " not in surface and "-" not in surface
    risky = single and surface in word_set("place_common_words.txt", lower=False) \
        and best.kind not in ("country", "other") and not (
            _big_town(best) and not _opens_clause(text, raw.start, raw.end))  # "while Berlin"
    # a person's name ("Vladimir", "Austin") or part of a body's ("Pravda"): evidence first
    risky = risky or (single and best.kind != "country" and surface in _known_people_words())
    body = single and surface in _organisation_words() and not any(
        _well_known(p) or _big_town(p) for p in places)  # "Boston" of "Boston Globe": the city
    if body and text[:raw.start].endswith(("the ", "The ")):
        return None  # "in the Duma": the body, whatever the preposition
    risky = risky or body
    risky = risky or _looks_like_person(text, raw.start, raw.end, surface, context, best)
    if _vessel(text, raw.start, raw.end, best):
        return None
    if best.precision == "facility" and surface in _organisation_names() and evidence is None:
        return None  # "the White House said": the institution; "at the White House": a place
    if best.kind == "settlement" and not best.conflict and best.population < FOREIGN_TOWN and (
            context is None or best.country not in context.countries) and not (
            context is not None and not context.countries and best.population >= TOWN_ALONE):
        risky = True  # a town in a country the document is not about (if it says any)
    if risky and evidence is None:
        return None
    return best


def place_mentions(text: str, taken: list[Mention], context: PlaceContext | None = None,
                   embedded: bool = False) -> list[Mention]:
    """Place mentions of one sentence, outside the `taken` person/organisation spans;
    `context` (the whole document) lets the rest of the article decide among readings;
    `embedded` also gives places inside longer names ("Toronto" in "Toronto Police"), which
    geoparsing benchmarks count as toponyms and Newsprism's entities do not."""
    if context is not None:
        context.scan()
    if embedded:  # "Jamaica Cancer Society" read as a person still holds a place
        taken = [m for m in taken if not (m.type == "person" and m.text.split()[-1] in
                                          ("Society", "Association", "Club", "League"))]
    found: list[Mention] = []
    for raw in _raw_for(text, taken, context, embedded):
        place = _choose(raw, text, context)
        if place is not None:
            found.append(Mention(raw.start, raw.end, raw.text, "place", place.name, place))
    if embedded:
        found += [m for m in facility_mentions(text)
                  if not overlaps(found, m.start, m.end) and not overlaps(taken, m.start, m.end)]
        found.sort(key=lambda m: m.start)
    return found


def _raw_for(text: str, taken: list[Mention], context: PlaceContext | None,
             embedded: bool) -> list[_Raw]:
    """The sentence's raw matches: those of the document's first pass when no span it
    looked up is taken (the same matches, read once), else read again around `taken`."""
    first = context.raw.get(text) if context is not None and not embedded else None
    if first is not None and not any(overlaps(taken, start, end) for start, end in first[1]):
        return first[0]
    return _raw_mentions(text, taken, embedded)


#: words that open a sentence before a facility's name ("Some White House aides")
_DETERMINERS = frozenset(("of", "some", "many", "several", "all", "most", "every", "each", "any",
                          "our", "their", "his", "her", "its", "this", "that", "these", "those"))
#: facility nouns that also end the names of bodies and people: read after two more words
#: only ("National Concert Hall", "Northwest Cancer Centre", not "Stuart Hall")
_BODY_LIKE_NOUNS = frozenset(("Centre", "Center", "Hall", "House"))


@cache
def _facility_run() -> re.Pattern[str]:
    nouns = "|".join(sorted(word_set("place_facility_nouns.txt", lower=False), key=len,
                            reverse=True))
    return re.compile(rf"(?<![\w’'])(?:(?:[A-Z][\w’'.-]*|of|the|de)\s+){{0,3}}"
                      rf"[A-Z][\w’'.-]*\s+(?:{nouns})\b(?!\s+[A-Z])")


def facility_mentions(text: str) -> list[Mention]:
    """Facilities, streets and natural features named with a last word of
    `place_facility_nouns.txt` ("Jamsil Stadium", "Dubonet Drive"), unresolved (no point):
    geoparsing benchmarks count them as toponyms; Newsprism's entities do not."""
    found: list[Mention] = []
    for m in _facility_run().finditer(text):
        start = m.start()
        words = m.group(0).split()
        for k in range(len(words) - 3, -1, -1):  # "Seoul's Jamsil Stadium": after the owner
            if _POSSESSIVE.search(words[k]) and words[k][-1:] != "'":
                start += len(" ".join(words[:k + 1])) + 1
                words = words[k + 1:]
                break
        while len(words) > 2 and (words[0].lower() in _function_words()
                                  or words[0].lower() in _DETERMINERS):
            start += len(words[0]) + 1  # "The Mozart Estate": the name starts after "The"
            while text[start] == " ":
                start += 1
            words = words[1:]
        if words[0].lower() in _function_words() or words[0].lower() in person_titles():
            continue
        if words[-1] in _BODY_LIKE_NOUNS and (len(words) < 3 or re.match(
                r"\s+(?:for|of)\b", text[m.end():])):
            continue  # "Centre for Policy Studies", "Stuart Hall": a body, a person
        surface = text[start:m.end()]
        if surface in _organisation_names():
            continue  # "White House aides": the institution
        place = Place(surface, "other", None, None, None, None, "facility")
        found.append(Mention(start, m.end(), surface, "place", surface, place))
    return found


def dateline_places(lines: list[str], context: PlaceContext | None = None) -> list[Mention]:
    """Places of the wire datelines the cleaner took out of the body ("MOSCOW, May 2. /TASS/.",
    "KYIV, Ukraine (AP) —"): the line is not body text, but where it was filed is content."""
    return [m for line in lines for m in place_mentions(line, [], context)]


def demonym_mentions(text: str, taken: list[Mention]) -> list[Mention]:
    """Adjectives and nouns of nationality as mentions of their country ("French" -> France,
    "Kurds" -> Kurdistan, "South Koreans"): the GeoWebNews toponym definition counts them;
    Newsprism's entities do not. A person "found" that is only such a word ("conservative
    South Koreans" read as a name) does not hide it."""
    found: list[Mention] = []
    for m in re.finditer(r"\b(?:(?:North|South|Sri|Puerto|New|Latin) )?[A-Z][a-z]+\b", text):
        word = m.group(0)
        place = _demonym_or_plural(word)
        start = m.start()
        if place is None and " " in word:
            word = word.split(" ", 1)[1]
            start = m.end() - len(word)
            place = _demonym_or_plural(word)
        others = [t for t in taken if not (t.type == "person" and t.text in (m.group(0), word))]
        if place and not overlaps(others, start, m.end()):
            found.append(Mention(start, m.end(), word, "place", place.name, place))
    for m in _THE_WEST.finditer(text):  # "sanctions by the West", "Western governments"
        g = m.lastindex or 1
        if not overlaps(taken + found, m.start(g), m.end(g)):
            west = Place("the West", "other", None, None, None, precision="region")
            found.append(Mention(m.start(g), m.end(g), m.group(g), "place", west.name, west))
    return sorted(found, key=lambda m: m.start)


#: the West as a political area: "the West" not starting a longer name ("the West Bank"),
#: "Western" before a lower-case noun ("Western countries", not "Western Union")
_THE_WEST = re.compile(r"\bthe (West)\b(?![\w’'-]|\s+[A-Z])|\b(?<![\w-])(Western)(?=\s+[a-z])")


def _demonym_or_plural(word: str) -> Place | None:
    """"Malays" -> Malaysia, "Kurds" -> Kurdistan, "Koreans" -> South Korea."""
    return demonym(word) or (demonym(word[:-1]) if word.endswith("s") else None)


def local_place_names(places: list[Place]) -> list[str | None]:
    """The places below country level, in order, without a region whose town is also named
    ("Vovchansk, Kharkiv region" is Vovchansk)."""
    local = [p for p in places if p.kind != "country"]
    towns = {p.region for p in local if p.kind == "settlement" and p.region}
    names: list[str | None] = []
    for p in local:
        if not (p.kind == "region" and p.name in towns) and p.name not in names:
            names.append(p.name)
    return names
