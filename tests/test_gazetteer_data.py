"""Checks on the generated gazetteer, src/newsprism/data/gazetteer.tsv.

Rebuild it with ``.venv/bin/python scripts/build_gazetteer.py``. Spellings are resolved
as Newsprism does: the FIRST row whose name or aliases contain the spelling wins.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import justext
import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "data"
GAZETTEER = DATA / "gazetteer.tsv"
COLUMNS = [
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
]

UA_REGIONS = [
    "Cherkasy Oblast",
    "Chernihiv Oblast",
    "Chernivtsi Oblast",
    "Dnipropetrovsk Oblast",
    "Donetsk Oblast",
    "Ivano-Frankivsk Oblast",
    "Kharkiv Oblast",
    "Kherson Oblast",
    "Khmelnytskyi Oblast",
    "Kirovohrad Oblast",
    "Kyiv Oblast",
    "Luhansk Oblast",
    "Lviv Oblast",
    "Mykolaiv Oblast",
    "Odesa Oblast",
    "Poltava Oblast",
    "Rivne Oblast",
    "Sumy Oblast",
    "Ternopil Oblast",
    "Vinnytsia Oblast",
    "Volyn Oblast",
    "Zakarpattia Oblast",
    "Zaporizhzhia Oblast",
    "Zhytomyr Oblast",
    "Crimea",
    "Kyiv City",
    "Sevastopol City",
]

RU_REGIONS = [
    "Belgorod Oblast",
    "Kursk Oblast",
    "Bryansk Oblast",
    "Voronezh Oblast",
    "Rostov Oblast",
    "Krasnodar Krai",
    "Oryol Oblast",
    "Tula Oblast",
    "Moscow Oblast",
]

# spelling -> canonical name
EXPECTED = {
    "Kharkov": "Kharkiv",
    "Kharkiv": "Kharkiv",
    "Kiev": "Kyiv",
    "Kyiv": "Kyiv",
    "Volchansk": "Vovchansk",
    "Vovchansk": "Vovchansk",
    "Krasnoarmeysk": "Pokrovsk",
    "Krasnoarmiisk": "Pokrovsk",
    "Pokrovsk": "Pokrovsk",
    "Gulyaypole": "Huliaipole",
    "Gulyaypol": "Huliaipole",
    "Hulyaypole": "Huliaipole",
    "Artemovsk": "Bakhmut",
    "Artemivsk": "Bakhmut",
    "Dzerzhinsk": "Toretsk",
    "Dzerzhynsk": "Toretsk",
    "Krasny Liman": "Lyman",
    "Krasnyi Lyman": "Lyman",
    "Dimitrov": "Myrnohrad",
    "Dymytrov": "Myrnohrad",
    "Zaporozhye": "Zaporizhzhia",
    "Zaporizhzhya": "Zaporizhzhia",
    "Kupyansk": "Kupiansk",
    "Avdeyevka": "Avdiivka",
    "Avdiyivka": "Avdiivka",
    "Odessa": "Odesa",
    "Nikolaev": "Mykolaiv",
    "Nikolayev": "Mykolaiv",
    "Chernigov": "Chernihiv",
    "Dnepropetrovsk": "Dnipro",
    "Dnipropetrovsk": "Dnipro",
    "Konstantinovka": "Kostiantynivka",
    "Slavyansk": "Sloviansk",
    "Kramatorsk": "Kramatorsk",
    "Chasov Yar": "Chasiv Yar",
    "Toretsk": "Toretsk",
    "Seversk": "Siversk",
    "Ugledar": "Vuhledar",
    "Marinka": "Marinka",
    "Kurakhovo": "Kurakhove",
    "Velikaya Novoselka": "Velyka Novosilka",
    "Orekhov": "Orikhiv",
    "Energodar": "Enerhodar",
    "Melitopol": "Melitopol",
    "Mariupol": "Mariupol",
    "Berdyansk": "Berdiansk",
    "Lisichansk": "Lysychansk",
    "Severodonetsk": "Sievierodonetsk",
    "Rubezhnoye": "Rubizhne",
    "Kherson": "Kherson",
    "Sumy": "Sumy",
    "Lugansk": "Luhansk",
    "Donetsk": "Donetsk",
    "Gorlovka": "Horlivka",
    "Makeyevka": "Makiivka",
    "Yenakiyevo": "Yenakiieve",
    "Lvov": "Lviv",
    "Rovno": "Rivne",
    "Zhitomir": "Zhytomyr",
    "Vinnitsa": "Vinnytsia",
    "Kirovograd": "Kropyvnytskyi",
    "Kropyvnytskyi": "Kropyvnytskyi",
    "Izyum": "Izium",
    "Balakleya": "Balakliia",
    "Kremennaya": "Kreminna",
    "Bakhmut": "Bakhmut",
    "Soledar": "Soledar",
    "Klescheyevka": "Klishchiivka",
    "Andreyevka": "Andriivka",
    "Rabotino": "Robotyne",
    "Krynki": "Krynky",
    "Novaya Kakhovka": "Nova Kakhovka",
    "Belogorovka": "Bilohorivka",
    "Krivoy Rog": "Kryvyi Rih",
    "Харків": "Kharkiv",
    "Харьков": "Kharkiv",
    "Kharkiv region": "Kharkiv Oblast",
    "Kharkov region": "Kharkiv Oblast",
    "Kharkiv oblast": "Kharkiv Oblast",
    "Kharkov oblast": "Kharkiv Oblast",
    "Kharkivska oblast": "Kharkiv Oblast",
    "Kharkiv province": "Kharkiv Oblast",
    "Kharkivshchyna": "Kharkiv Oblast",
    "Kyiv region": "Kyiv Oblast",
    "Zaporozhye region": "Zaporizhzhia Oblast",
    "Donbass": "Donbas",
    "Crimea": "Crimea",
    "Kursk region": "Kursk Oblast",
    "Belgorod region": "Belgorod Oblast",
}

# Bounding box of Ukraine (with Crimea), degrees, with a small margin.
UA_LAT = (44.3, 52.4)
UA_LON = (22.1, 40.3)

COMMON_WORDS = {"march", "may", "mobile", "reading", "bar", "nova", "said", "kirby", "trump"}
COMMON_WORDS |= {"putin", "mir", "sport", "victory", "new york", "moscow", "washington"}
MONTHS_AND_DAYS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday",
}  # fmt: skip


@cache
def rows() -> list[dict[str, str]]:
    lines = [line for line in GAZETTEER.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    assert lines[0].split("\t") == COLUMNS
    result = []
    for line in lines[1:]:
        cells = line.split("\t")
        assert len(cells) == len(COLUMNS), line
        result.append(dict(zip(COLUMNS, cells, strict=True)))
    return result


def resolve(spelling: str) -> dict[str, str] | None:
    for row in rows():
        if row["name"] == spelling or spelling in row["aliases"].split("|"):
            return row
    return None


def test_parses_with_header_comment() -> None:
    text = GAZETTEER.read_text(encoding="utf-8")
    assert text.startswith("#")
    assert "GeoNames" in text[:2000]
    assert "CC BY 4.0" in text[:2000]
    assert "scripts/build_gazetteer.py" in text[:2000]
    assert len(rows()) > 5000
    for row in rows():
        assert row["name"]
        assert row["kind"] in {"settlement", "region", "country", "district"}
        assert len(row["country"]) == 2
        float(row["lat"]), float(row["lon"])
        assert row["population"] == "" or row["population"].isdigit()
        assert row["source"] in {"GeoNames", "GeoNames+Newsprism", "Newsprism"}


def test_size_is_reasonable() -> None:
    assert GAZETTEER.stat().st_size < 3_000_000


@pytest.mark.parametrize("region", UA_REGIONS)
def test_ukrainian_regions_exist(region: str) -> None:
    matches = [r for r in rows() if r["name"] == region]
    assert len(matches) == 1, region
    assert matches[0]["kind"] == "region"
    assert matches[0]["country"] == "UA"


@pytest.mark.parametrize("region", RU_REGIONS)
def test_russian_regions_exist(region: str) -> None:
    assert any(r["name"] == region and r["country"] == "RU" for r in rows()), region


def test_people_republics_name_the_oblasts_they_claim() -> None:
    """The gold annotations' convention: "DPR" is an alias of Donetsk Oblast, "LPR" of
    Luhansk Oblast, and no other row (no town, no republic of its own) carries them."""
    owners = {}
    for row in rows():
        for name in {row["name"], *row["aliases"].split("|")}:
            if name in {"DPR", "LPR", "Donetsk People's Republic", "Luhansk People’s Republic"}:
                owners.setdefault(name, []).append(row["name"])
    assert owners == {"DPR": ["Donetsk Oblast"], "Donetsk People's Republic": ["Donetsk Oblast"],
                      "LPR": ["Luhansk Oblast"], "Luhansk People’s Republic": ["Luhansk Oblast"]}


@pytest.mark.parametrize(("spelling", "canonical"), sorted(EXPECTED.items()))
def test_spelling_resolves(spelling: str, canonical: str) -> None:
    row = resolve(spelling)
    assert row is not None, spelling
    assert row["name"] == canonical


def test_resolved_front_line_places_are_in_ukraine() -> None:
    for spelling, canonical in EXPECTED.items():
        row = resolve(spelling)
        assert row is not None
        if row["country"] == "UA":
            continue
        assert canonical in RU_REGIONS, (spelling, row)


def test_settlement_regions_are_known_regions() -> None:
    region_names = {r["name"] for r in rows() if r["kind"] == "region"}
    ua = [r for r in rows() if r["country"] == "UA" and r["kind"] == "settlement"]
    assert all(r["region"] in region_names for r in ua)
    assert resolve("Vovchansk")["region"] == "Kharkiv Oblast"
    assert resolve("Huliaipole")["region"] == "Zaporizhzhia Oblast"
    assert resolve("Kyiv")["region"] == "Kyiv City"


def test_ukrainian_rows_come_first() -> None:
    countries = [r["country"] for r in rows()]
    first_other = next(i for i, c in enumerate(countries) if c != "UA")
    assert "UA" not in countries[first_other:]


def test_coordinates_of_ukrainian_rows_lie_in_ukraine() -> None:
    for row in rows():
        if row["country"] != "UA":
            continue
        lat, lon = float(row["lat"]), float(row["lon"])
        assert UA_LAT[0] <= lat <= UA_LAT[1], row["name"]
        assert UA_LON[0] <= lon <= UA_LON[1], row["name"]


def test_no_alias_is_a_common_english_word() -> None:
    common = {w.lower() for w in justext.get_stoplist("English")}
    common |= MONTHS_AND_DAYS | COMMON_WORDS
    for row in rows():
        for alias in filter(None, row["aliases"].split("|")):
            assert alias.lower() not in common, (row["name"], alias)


def test_aliases_are_clean() -> None:
    for row in rows():
        aliases = [a for a in row["aliases"].split("|") if a]
        assert len(aliases) == len(set(aliases)), row["name"]
        assert row["name"] not in aliases
        for alias in aliases:
            assert not any(c.isdigit() for c in alias), alias
            assert alias[:1].isupper() or row["kind"] == "region", (row["name"], alias)


# -- the world file, src/newsprism/data/gazetteer_world.tsv ---------------------------------

WORLD = DATA / "gazetteer_world.tsv"
WORLD_COLUMNS = ["name", "kind", "country", "admin1", "lat", "lon", "population", "aliases",
                 "demonyms"]


@cache
def world_rows() -> list[dict[str, str]]:
    lines = [ln for ln in WORLD.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    assert lines[0].split("\t") == WORLD_COLUMNS
    return [dict(zip(WORLD_COLUMNS, ln.split("\t"), strict=True)) for ln in lines[1:]]


def world(name: str, kind: str, country: str = "") -> dict[str, str]:
    return next(r for r in world_rows() if r["name"] == name and r["kind"] == kind
                and (not country or r["country"] == country))


def test_world_file_names_its_sources_and_licences() -> None:
    header = WORLD.read_text(encoding="utf-8").split("\nname\t", 1)[0]
    for needed in ("GeoNames", "CC BY 4.0", "pycountry", "countryinfo", "build_gazetteer.py"):
        assert needed in header


def test_every_country_is_at_its_centre_not_its_capital() -> None:
    countries = [r for r in world_rows() if r["kind"] == "country"]
    assert len(countries) > 240
    russia, moscow = world("Russia", "country"), world("Moscow", "settlement", "RU")
    assert abs(float(russia["lat"]) - float(moscow["lat"])) + \
        abs(float(russia["lon"]) - float(moscow["lon"])) > 30


def test_first_level_regions_of_many_countries() -> None:
    regions = [r for r in world_rows() if r["kind"] == "region"]
    assert len({r["country"] for r in regions}) > 150
    us = {r["name"] for r in regions if r["country"] == "US"}
    assert {"Virginia", "Georgia", "Texas", "California", "Alaska"} <= us
    assert {"Ontario", "Quebec"} <= {r["name"] for r in regions if r["country"] == "CA"}
    assert {"England", "Scotland", "Wales", "Northern Ireland"} <= \
        {r["name"] for r in regions if r["country"] == "GB"}


def test_continents_seas_and_towns_by_population() -> None:
    names = {r["name"] for r in world_rows() if r["kind"] == "other"}
    assert {"Europe", "Africa", "Black Sea", "Sea of Azov", "Atlantic Ocean"} <= names
    towns = [int(r["population"]) for r in world_rows()
             if r["kind"] == "settlement" and r["population"]]
    assert len(towns) > 50_000 and towns == sorted(towns, reverse=True)


def test_world_rows_are_well_formed() -> None:
    for row in world_rows():
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
        assert row["kind"] in ("country", "region", "county", "settlement", "other", "facility")
        if row["kind"] in ("country", "region", "county"):
            assert len(row["country"]) == 2, row["name"]


def test_us_counties_with_their_state_and_the_plain_form_of_arabic_names() -> None:
    """US news names counties ("a crash in Horry County"); Arabic-world towns are written
    without the article and the okina ("Qamishli" for "Al Qāmishlī")."""
    from newsprism.extract.gazetteer import candidates

    orange = candidates("Orange County")
    assert orange and all(p.country == "US" for p in orange)
    assert orange[0].region == "California"  # the most populous namesake first
    assert max(orange, key=lambda p: p.population).region == "California"
    assert candidates("Horry County")[0].region == "South Carolina"
    assert candidates("Qamishli")[0].country == "SY"
    assert candidates("Afrin")[0].country == "SY"
    assert not candidates("Tall")  # "At Tall": the English word alone is no alias


def test_regions_under_their_english_names_and_the_counties_of_britain() -> None:
    """News writes "Sicily", "Bavaria", "Osun State" and "Essex", not the ISO 3166-2 local
    forms; a division named only with generic words ("Centre") is no name."""
    from newsprism.extract.gazetteer import candidates

    assert candidates("Sicily")[0].kind == "region" and candidates("Sicily")[0].country == "IT"
    assert candidates("Bavaria")[0].country == "DE" and candidates("Saxony")[0].country == "DE"
    assert candidates("Bavaria")[0].lat != candidates("Saxony")[0].lat
    assert candidates("Osun")[0].country == "NG"
    assert candidates("Gilgit-Baltistan")[0].country == "PK"
    essex = candidates("Essex")[0]
    assert essex.country == "GB" and essex.region == "England" and 51 < essex.lat < 52.5
    assert not any(p.kind == "region" for p in candidates("Centre"))
