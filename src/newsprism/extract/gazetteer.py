"""Place names to gazetteer entries with coordinates, country, kind, region and precision.

Two generated files, both open data that ship with Newsprism (`scripts/build_gazetteer.py`
writes them from GeoNames, CC BY 4.0, and names every source in their headers):
- `data/gazetteer.tsv`: the conflict area (Ukraine, Russia's border oblasts, Belarus) in
  detail, with curated oblasts, renamed towns and Russian/Ukrainian spellings; canonical
  names for places in Ukraine follow the Ukrainian romanisation (Kharkiv, Vovchansk);
- `data/gazetteer_world.tsv`: countries at their centroid, first-level regions of every
  country, the counties of the United States, continents, seas, and the world's towns by
  population.
A name may belong to several places; `candidates` gives them all in priority order (conflict
area first, then countries, regions, other areas, towns by population) and `lookup` the first.
Choosing among them from context is `newsprism.extract.places`' job.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from newsprism.resources import data_lines, word_set

CONFLICT_FILE = "gazetteer.tsv"
WORLD_FILE = "gazetteer_world.tsv"
CONFLICT_COUNTRIES = frozenset({"UA", "RU", "BY"})
#: a city this big is meant by its name before a region of that name in its country
BIG_NAMESAKE = 500_000
#: kind in the data files -> (kind, geo precision) of the place
KINDS = {
    "country": ("country", "country"),
    "region": ("region", "region"),
    "settlement": ("settlement", "settlement"),
    "other": ("other", "region"),
    "facility": ("other", "facility"),
    "district": ("other", "settlement"),  # a city's district ("Pecherskyi District")
    "county": ("other", "region"),  # a second-level region ("Orange County")
}


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | region | settlement | other
    country: str | None
    lat: float | None
    lon: float | None
    region: str | None = None  # name of the first-level region (admin1) it lies in
    precision: str = "settlement"  # country | region | settlement | facility
    population: int = 0
    conflict: bool = False  # from the conflict-area file

    @property
    def admin1(self) -> str | None:
        """The first-level region's name; a region is its own admin1."""
        return self.name if self.kind == "region" and self.country else self.region


def _rows(name: str) -> list[list[str]]:
    path = resources.files("newsprism.data").joinpath(name)
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return [ln.split("\t") for ln in lines[1:]]


def _float(value: str) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _blocked_names() -> frozenset[str]:
    """Place names that are ordinary English words in news text ("Mobile", "Reading")."""
    return frozenset(line.strip() for line in data_lines("place_blocklist.txt"))


def _bare(name: str) -> str:
    """A name without accents and apostrophes ("Sāmarrā’" -> "Samarra")."""
    text = unicodedata.normalize("NFKD", name)
    return "".join(c for c in text if not unicodedata.combining(c) and c not in "'’ʼ‘`")


# letters that no accent-stripping reduces to a plain one
_FOLD = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l"}


def english_name(name: str) -> str:
    """A world place's name as English news writes it: a name in a romanisation beyond
    Latin-1 folded to plain letters ("Rafaḩ" -> "Rafah", "Al Qāmishlī" -> "Al Qamishli",
    "Łódź" -> "Lodz", "Hà Nội" -> "Ha Noi"), one with Latin-1 accents only kept ("São Paulo",
    "Zürich"), ayn and hamza marks dropped ("‘Afrīn" -> "Afrin")."""
    if all(ord(ch) < 0x100 for ch in name):
        return name
    out = []
    for ch in name:
        if ch in _MARKS:
            continue
        bare = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(_FOLD.get(ch, bare if bare.isascii() and bare else ch))
    folded = "".join(out).strip()
    return folded if folded[:1].isupper() else name


_MARKS = frozenset("ʻʼʿʾ‘’`")


def common_word_alias(alias: str, place: Place, common: frozenset[str]) -> bool:
    """An alternate name that is an English word ("Human" for Uman, "Duma" for Douma, "Island"
    for Iceland): in English text it is that word, so it never names the place alone.
    Acronyms ("US", "EU") and the curated seas and areas ("Mediterranean") keep theirs."""
    return (" " not in alias and alias in common and not alias.isupper()
            and place.kind != "other" and _bare(alias) != _bare(place.name))


@cache
def _table() -> tuple[dict[str, list[Place]], dict[str, Place]]:
    """Alias (as written, case-sensitive) -> places in priority order; demonym -> country."""
    table: dict[str, list[Place]] = {}
    demonyms: dict[str, Place] = {}
    blocked = _blocked_names()
    common = word_set("place_common_words.txt", lower=False)

    def add(alias: str, place: Place) -> None:
        if len(alias) >= 2 and alias not in blocked and (
                alias == place.name or not common_word_alias(alias, place, common)):
            entries = table.setdefault(alias, [])
            if place not in entries:
                entries.append(place)

    # name kind country region lat lon population geonameid aliases source
    for name, kind, country, region, lat, lon, pop, _gid, aliases, _src in _rows(CONFLICT_FILE):
        kind, precision = KINDS[kind]
        place = Place(name, kind, country or None, _float(lat), _float(lon), region or None,
                      precision, int(pop or 0), conflict=True)
        add(name, place)
        for alias in aliases.split("|"):
            add(alias, place)
    world = _rows(WORLD_FILE)
    # admin1 code -> region name, for the towns' region column
    region_names = {(r[2], r[3]): english_name(r[0]) for r in world
                    if r[1] == "region" and r[3]}
    names_of_people = {d for row in world for d in row[8].split("|") if d}
    for name, kind, country, admin1, lat, lon, pop, aliases, dems in world:
        kind, precision = KINDS[kind]
        if country in CONFLICT_COUNTRIES and any(
                p.conflict and p.country == country for p in table.get(name, ())):
            continue  # the conflict file has this place in detail
        town_region = None if kind == "region" else region_names.get((country, admin1))
        place = Place(english_name(name), kind, country or None, float(lat), float(lon),
                      town_region, precision, int(pop or 0))
        if kind != "country" and name in names_of_people:
            continue  # "Canadian", a town in Texas, is nearly always an adjective
        add(name, place)
        if (bare := _bare(name)) != name and bare[:1].isupper():
            add(bare, place)  # "‘Afrīn" as news writes it: "Afrin"
        for alias in aliases.split("|") if aliases else ():
            add(alias, place)
        for demonym in dems.split("|") if dems else ():
            if demonym not in demonyms or demonyms[demonym].population < place.population:
                demonyms[demonym] = place  # "American": the United States, not Guam
    return table, demonyms


def gazetteer() -> dict[str, list[Place]]:
    """Alias -> candidate places, best default first. Built once per process."""
    return _table()[0]


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> the country's canonical name."""
    return {p.country: p.name for places in _table()[0].values() for p in places
            if p.kind == "country" and p.country}


def candidates(name: str) -> list[Place]:
    return _table()[0].get(name, [])


def lookup(name: str) -> Place | None:
    """The default reading of a name (conflict area, then countries, regions, big towns)."""
    found = _table()[0].get(name)
    if not found:
        return None
    first = found[0]
    if first.kind == "region" and not first.conflict:  # "Washington", "New York": the city
        for place in found:
            if place.kind == "settlement" and place.country == first.country and \
                    place.population >= BIG_NAMESAKE:
                return place
    return first


def demonym(word: str) -> Place | None:
    """The country an adjective of nationality names ("French" -> France), or the place of
    one of `place_adjectives.tsv` ("European" -> Europe)."""
    return _table()[1].get(word) or _adjectives().get(word)


@cache
def adjective_of(code: str) -> str | None:
    """The adjective of nationality of a country ("ML" -> "Malian"), the first the gazetteer
    lists, or None."""
    for word, place in _table()[1].items():
        if place.kind == "country" and place.country == code and word[:1].isupper():
            return word
    return None


@cache
def _adjectives() -> dict[str, Place]:
    found: dict[str, Place] = {}
    for line in data_lines("place_adjectives.tsv"):
        word, name = (cell.strip() for cell in line.split("\t"))
        place = lookup(name)
        if place is not None:
            found[word] = place
    return found


def country(code: str) -> Place | None:
    """The country with this ISO 3166-1 alpha-2 code."""
    return _countries().get(code)


@cache
def _countries() -> dict[str, Place]:
    return {p.country: p for places in _table()[0].values() for p in places
            if p.kind == "country" and p.country}


@cache
def regions() -> dict[tuple[str, str], Place]:
    """(country code, region name) -> the region."""
    return {(p.country, p.name): p for places in _table()[0].values() for p in places
            if p.kind == "region" and p.country}
