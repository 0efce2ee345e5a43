"""A realistic benchmark corpus: many stories of very different sizes, told by many outlets.

`generate.py` writes every article from the same ten sentences about twenty places, so every
document is a near-duplicate of five others and all of them fall into one story: it measures
a case that never occurs. This generator writes what a news archive looks like instead:
- stories with heavy-tailed sizes (Pareto): about half are told by one outlet only, a few by
  dozens;
- each story is one happening (a strike, a capture, talks, sanctions, losses, a prisoner
  swap, a build-up) at a real place of the gazetteer (Ukraine, Russia and their neighbours,
  weighted by population), on a date spread over three years, told by outlets from a pool of
  eighty in their own wording (lead, quotes, background, reactions in varying order; Russian
  spellings and loaded words in some outlets);
- articles of heavy-tailed length: a lead and a few follow-ups, then background paragraphs
  drawn from a pool with their own fillers (targets, districts, streets, witnesses), so that
  two outlets telling one story share its place, figures and a few words but not most of
  their vocabulary, and only copies are near-duplicates;
- 5–10 % copies (the same text under another outlet's page furniture) and rewrites (words
  swapped, paragraphs shuffled), labelled with what they copy;
- a share of Russian and Ukrainian items, of varying length too;
- lines in publication order, as an archive grows: the last lines are the newest;
- the page noise of `generate.py` (menus, credits, promos, repeated bullets).
Every sentence template is written for Newsprism. Deterministic for a seed.

The labels (story and copy of each document) go to `labels.json` beside the corpus, for link
quality measurements.

usage: python benchmarks/realistic.py OUT_DIR --count 10000 [--seed 11] [--cyrillic 0.1]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import NOISE_TOP, PROMO  # noqa: E402

from newsprism.extract.gazetteer import gazetteer  # noqa: E402

_CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")
FIRST = ["Olena", "Andriy", "Marta", "Taras", "Iryna", "Sergei", "Dmitry", "Anna", "Pavel",
         "Oksana", "Viktor", "Yulia", "Mykola", "Elena", "Roman", "Natalia"]
LAST = ["Koval", "Hrytsenko", "Lysenko", "Zimin", "Orlov", "Melnyk", "Savchuk", "Kuzmin",
        "Bondar", "Petrova", "Tkachenko", "Sokolov", "Moroz", "Belova", "Shevchuk", "Frolov"]
ROLES = ["army spokesperson", "regional governor", "defence ministry spokesperson",
         "the head of the city administration", "a senior military analyst",
         "the foreign ministry spokesperson", "the commander of the southern grouping"]
PREFIX = ["Eastern", "Baltic", "Steppe", "Danube", "Northgate", "Meridian", "Harbour", "Prairie",
          "Carpathian", "Volga", "Black Sea", "Granite", "Silver", "Lakeside", "Frontier",
          "Capital"]
SUFFIX = ["Wire", "Ledger", "Herald", "Post", "Dispatch", "Review", "Courier", "Monitor",
          "Times", "Daily", "Observer", "Bulletin", "Chronicle", "Tribune", "Gazette", "Report"]
SIDES = {"ru": ("Russian forces", "Ukrainian units"), "ua": ("Ukrainian forces", "Russian troops")}
LEADS = {
    "strike": [
        "{attacker} struck {place} with {n} drones {when}, damaging {m} buildings, "
        "{speaker} said.",
        "A {adj} attack on {place} {when} left {m} homes damaged and cut power to several "
        "districts.",
        "Explosions shook {place} {when} as {attacker} launched {n} drones and missiles at the "
        "area, officials said.",
    ],
    "control": [
        "{attacker} took control of {place} {when}, {speaker} said.",
        "The defence ministry said {when} that {attacker} had {liberated} {place}.",
        "{defender} were pushed out of {place} {when}, according to {speaker}.",
    ],
    "advance": [
        "{attacker} advanced up to {m} kilometres near {place} {when}, {speaker} said.",
        "Fighting intensified on the outskirts of {place} {when} as {attacker} pushed forward.",
    ],
    "talks": [
        "Delegations met in {place} {when} for a new round of talks on a ceasefire.",
        "Negotiators held talks in {place} {when} and agreed to meet again, {speaker} said.",
    ],
    "sanction": [
        "The European Union imposed new sanctions {when} on {m} companies accused of supplying "
        "drone parts, {speaker} said.",
        "Washington announced sanctions {when} against shipping firms registered in {place}.",
    ],
    "casualties": [
        "{m} civilians were killed and {n} injured in shelling of {place} {when}, {speaker} "
        "said.",
        "{attacker} lost up to {n} soldiers near {place} {when}, {speaker} claimed.",
    ],
    "swap": [
        "{m} prisoners from each side returned home {when} in an exchange brokered near "
        "{place}, {speaker} said.",
    ],
    "buildup": [
        "{attacker} have concentrated additional brigades near {place}, {speaker} said {when}.",
    ],
}
FOLLOW = [
    "\"We are doing everything to protect people in {place},\" {speaker} told reporters.",
    "{speaker} said the situation around {place} remained difficult.",
    "The claims could not be independently verified.",
    "Residents of {place} described a sleepless night spent in shelters.",
    "Officials in {place} said repair crews were working to restore water and heating.",
    "The other side has not commented on the reports.",
    "Analysts said the area around {place} had seen heavy fighting for weeks.",
    "Earlier this month, {speaker} warned that the pressure on the region would grow.",
    "Schools in {place} switched to online lessons for the rest of the week.",
    "{speaker} added that evacuation of nearby villages would continue.",
]
CYRILLIC_LEADS = {
    "ru": ["{when_ru} {side_ru} нанесли удар по городу {place}, сообщил {speaker}.",
           "В городе {place} {when_ru} были повреждены {m} домов, заявил {speaker}."],
    "uk": ["{when_uk} {side_uk} атакували місто {place}, повідомив {speaker}.",
           "У місті {place} {when_uk} пошкоджено {m} будинків, заявив {speaker}."],
}
CYRILLIC_FOLLOW = {
    "ru": ["По его словам, ремонтные бригады уже работают на месте.",
           "Информация о пострадавших уточняется.",
           "Жители провели ночь в подвалах и укрытиях.",
           "Без света остались {k} улиц, к вечеру подачу частично восстановили.",
           "Школы города на неделю перешли на дистанционное обучение.",
           "На месте работают спасатели и сапёры.",
           "Ранее власти призвали жителей запастись водой.",
           "Движение транспорта в центре было временно перекрыто.",
           "В больницу доставлены {k} человек, их состояние оценивается как средней тяжести.",
           "Волонтёры раздают воду и одеяла в спортивном зале на окраине."],
    "uk": ["За його словами, ремонтні бригади вже працюють на місці.",
           "Інформація про постраждалих уточнюється.",
           "Мешканці провели ніч у підвалах та укриттях.",
           "Без світла залишилися {k} вулиць, до вечора живлення частково відновили.",
           "Школи міста на тиждень перейшли на дистанційне навчання.",
           "На місці працюють рятувальники та сапери.",
           "Раніше влада закликала мешканців запастися водою.",
           "Рух транспорту в центрі було тимчасово перекрито.",
           "До лікарні доставлено {k} людей, їхній стан оцінюють як середньої тяжкості.",
           "Волонтери роздають воду та ковдри у спортивній залі на околиці."],
}
SWAPS = {"said": "stated", "struck": "hit", "damaging": "wrecking", "officials": "authorities",
         "residents": "locals", "difficult": "tense", "attack": "assault", "talks": "negotiations"}
WHEN = ["on {weekday}", "overnight", "late on {weekday}", "early on {weekday}", "on {day}"]

# Background and colour: each article draws a heavy-tailed number of these, each with its own
# fillers, so two outlets telling one story share the place, the figures and a few words, but
# not most of their vocabulary (as real retellings do); only copies and rewrites share that.
BACKGROUND = [
    "The {target} in the {district} district had been hit {k} times since the spring.",
    "Crews from {town2} arrived before dawn to clear rubble from the {target}.",
    "A {job} who gave only her first name said the blast shattered windows along {street}.",
    "Local authorities opened {k} heating points and a mobile clinic near {street}.",
    "The {target} supplied roughly {pct} percent of the {resource} used in the area.",
    "Volunteers handed out {supply} at a {venue} on {street} through the afternoon.",
    "{speaker2} described the damage to the {target} as serious but repairable.",
    "Traffic on the road to {town2} was diverted for several hours while sappers worked.",
    "In {month}, a similar raid on the {target} knocked out {resource} for {k} days.",
    "The {venue} on {street} was turned into a shelter after the last wave of attacks.",
    "Rail services between {place} and {town2} ran with delays of up to {k} hours.",
    "Insurers estimate the losses at the {target} at several million {currency}.",
    "The regional council voted to rebuild the {target} with money from a reserve fund.",
    "A {job} from the {district} district said neighbours had started to leave for {town2}.",
    "Observers counted {k} craters in the fields between {place} and {town2}.",
    "{speaker2} said the {unit} had rotated out of the sector at the end of {month}.",
    "Prices for {supply} in local shops rose by a third over the past fortnight.",
    "The {unit} posted footage it said showed the approach to {place} from the {direction}.",
    "Parents in the {district} district kept children home after sirens sounded {k} times.",
    "A convoy carrying {supply} reached {place} after waiting a day at the checkpoint.",
    "Engineers warned that the {target} could not withstand another winter without repairs.",
    "The mayor of {town2} offered to host families displaced from {place}.",
    "Monitoring groups said the {direction} approaches to {place} were heavily mined.",
    "Farmers near {place} postponed the {crop} harvest because of unexploded shells.",
    "{speaker2} urged residents to charge power banks and store drinking water.",
    "A {job} at the {venue} said the generators ran for {k} hours straight.",
    "The {target} was built in the {decade} and had already been repaired twice.",
    "Journalists were not allowed to approach the {target} on security grounds.",
    "The {unit} said it had received new {equipment} from partners in {month}.",
    "Demand for places in the {venue} has doubled since {month}, its director said.",
]
FILL = {
    "target": ["power substation", "water pumping station", "grain terminal", "rail depot",
               "bread factory", "gas distribution point", "tram depot", "boiler house",
               "cold storage warehouse", "district hospital", "river port", "fuel depot",
               "telecom tower", "bus station", "brick works", "market hall"],
    "district": ["Zavodskyi", "Slobidskyi", "Tsentralnyi", "Pivnichnyi", "Lisovyi",
                 "Richkovyi", "Stepovyi", "Novyi", "Kamianyi", "Sadovyi"],
    "street": ["Shevchenko Street", "Peace Avenue", "Lesya Ukrainka Street", "Station Road",
               "Garden Lane", "Victory Square", "Cathedral Street", "River Embankment",
               "Mill Street", "Academic Avenue"],
    "job": ["pharmacist", "schoolteacher", "bus driver", "nurse", "retired engineer",
            "shop owner", "librarian", "student", "baker", "electrician"],
    "resource": ["electricity", "drinking water", "heating", "gas", "mobile coverage"],
    "supply": ["blankets", "bottled water", "candles", "canned food", "medicine",
               "firewood", "generators", "warm clothes"],
    "venue": ["sports hall", "library", "church basement", "school gym", "culture centre",
              "railway station", "community kitchen"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"],
    "currency": ["hryvnias", "euros", "dollars", "roubles"],
    "unit": ["93rd brigade", "territorial defence battalion", "marine regiment",
             "drone reconnaissance company", "border guard detachment", "artillery battery",
             "motorised rifle regiment"],
    "direction": ["northern", "southern", "eastern", "western", "north-eastern",
                  "south-western"],
    "crop": ["wheat", "sunflower", "maize", "barley", "rapeseed"],
    "decade": ["1950s", "1960s", "1970s", "1980s"],
    "equipment": ["jamming systems", "armoured ambulances", "thermal cameras",
                  "counter-drone guns", "mine-clearing vehicles"],
}


@dataclass
class Story:
    id: str
    kind: str
    place: str
    place_cyrillic: dict[str, str]
    day: date
    side: str
    size: int
    town2: str = ""


def _places(rng: random.Random) -> tuple[list, list[float], dict[str, dict[str, str]]]:
    """Settlements of the region, weighted by population, with their Cyrillic names."""
    table = gazetteer()
    cyrillic: dict[str, dict[str, str]] = {}
    chosen = {}
    for key, places in table.items():
        for p in places:
            if p.kind != "settlement" or p.country not in ("UA", "RU", "BY", "MD", "PL"):
                continue
            if _CYRILLIC.search(key):
                lang = "uk" if re.search("[іїєґ]", key) else "ru"
                cyrillic.setdefault(p.name, {}).setdefault(lang, key)
            elif key == p.name and p.population >= 2000:
                chosen[p.name] = p
    names = sorted(chosen)
    weights = [max(1.0, chosen[n].population ** 0.5) for n in names]
    return names, weights, cyrillic


def stories(rng: random.Random, count: int, days: int = 3 * 365) -> list[Story]:
    names, weights, cyrillic = _places(rng)
    out: list[Story] = []
    total = 0
    kinds = list(LEADS)
    while total < count:
        size = min(120, int(rng.paretovariate(1.15)))
        place = rng.choices(names, weights)[0]
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(days))
        out.append(Story(f"s{len(out)}", rng.choice(kinds), place, cyrillic.get(place, {}), day,
                         rng.choice(["ru", "ua"]), size, rng.choices(names, weights)[0]))
        total += size
    return out


def _outlets(rng: random.Random) -> list[dict]:
    pool = {f"{a} {b}" for a in PREFIX for b in SUFFIX}
    names = sorted(pool)
    rng.shuffle(names)
    return [{"name": n, "russian_spelling": i % 5 == 0, "style": i % 3} for i, n in
            enumerate(names[:80])]


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _length(rng: random.Random, most: int) -> int:
    """Paragraphs of background: heavy-tailed, most articles short, a few long features."""
    return min(most, int(rng.paretovariate(1.3)) + rng.randrange(0, 3))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(ROLES)} {rng.choice(FIRST)} {rng.choice(LAST)}"


def _english(rng: random.Random, story: Story, outlet: dict, published: date) -> tuple[str, str]:
    attacker, defender = SIDES[story.side]
    delta = (published - story.day).days
    when = rng.choice(WHEN).format(weekday=story.day.strftime("%A"),
                                   day=story.day.strftime("%B %-d"))
    if delta > 6:
        when = f"on {story.day.strftime('%B %-d, %Y')}"
    speaker = _person(rng)
    fields = dict(place=story.place, attacker=attacker, defender=defender, when=when,
                  speaker=speaker, n=rng.randrange(5, 120), m=rng.randrange(2, 40),
                  adj=rng.choice(["massive", "fresh", "combined", "night"]),
                  liberated="liberated" if outlet["russian_spelling"] else "captured")
    lead = rng.choice(LEADS[story.kind]).format(**fields)
    fields["speaker"] = speaker.split()[-1] if rng.random() < 0.5 else "the spokesperson"
    follow = [t.format(**fields) for t in rng.sample(FOLLOW, rng.randrange(1, 4))]
    fields.update(town2=story.town2, speaker2=_person(rng))
    background = [_capital(t.format(**fields, **{k: rng.choice(v) for k, v in FILL.items()},
                                    k=rng.randrange(2, 30), pct=rng.randrange(5, 80)))
                  for t in rng.sample(BACKGROUND, _length(rng, len(BACKGROUND)))]
    follow += background
    if outlet["style"] == 1:
        rng.shuffle(follow)
    paragraphs = [lead, *follow]
    text = "\n".join(paragraphs)
    if outlet["russian_spelling"]:
        text = text.replace("Kyiv", "Kiev").replace("Kharkiv", "Kharkov")
    verb = {"strike": "hit", "control": "taken", "advance": "advance", "talks": "talks",
            "sanction": "sanctions", "casualties": "losses", "swap": "prisoner swap",
            "buildup": "build-up"}[story.kind]
    title = f"{story.place}: {verb} reported ({outlet['name']})"
    return title, text


def _cyrillic(rng: random.Random, story: Story, lang: str) -> tuple[str, str]:
    place = story.place_cyrillic[lang]
    fields = dict(place=place, m=rng.randrange(2, 40), when_ru="Ночью", when_uk="Вночі",
                  side_ru="российские войска" if story.side == "ru" else "украинские войска",
                  side_uk="російські війська" if story.side == "ru" else "українські війська",
                  speaker=f"{rng.choice(FIRST)} {rng.choice(LAST)}")
    lead = rng.choice(CYRILLIC_LEADS[lang]).format(**fields)
    pool = CYRILLIC_FOLLOW[lang]
    follow = [t.format(k=rng.randrange(2, 30))
              for t in rng.sample(pool, min(len(pool), 1 + _length(rng, len(pool) - 1)))]
    return place, "\n".join([lead, *follow])


def _page(rng: random.Random, title: str, text: str, outlet: str, published: date) -> str:
    noise = [n.format(outlet=outlet, place="the region") for n in rng.sample(NOISE_TOP, 2)]
    promo = rng.choice(PROMO).format(place="the capital")
    lines = [title, published.strftime("%d %b %Y %H:%M").upper(), *noise]
    body = text.split("\n")
    lines += body[:2] + [promo] + body[2:]
    return "\n".join(lines) + "\n"


def _rewrite(rng: random.Random, text: str) -> str:
    """Words swapped, middle paragraphs shuffled: how content farms launder a story."""
    for a, b in SWAPS.items():
        if rng.random() < 0.7:
            text = re.sub(rf"\b{a}\b", b, text)
    paragraphs = text.split("\n")
    middle = paragraphs[1:]
    rng.shuffle(middle)
    return "\n".join(paragraphs[:1] + middle)


def generate(out: Path, count: int, seed: int = 11, cyrillic: float = 0.1,
             copies: float = 0.07, days: int = 3 * 365) -> Path:
    """Writes OUT/realistic-COUNT.jsonl and OUT/labels.json; returns the JSONL path. Stories
    happen over `days` days (three years by default; the scale benchmarks keep the news of
    a day constant instead, so that a larger archive is a longer one, as archives grow)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    outlets = _outlets(rng)
    records: list[dict] = []
    labels: dict[str, dict] = {}
    for story in stories(rng, count, days):
        for k in range(story.size):
            if len(records) >= count:
                break
            outlet = rng.choice(outlets)
            published = story.day + timedelta(days=min(30, int(rng.expovariate(0.7))))
            copy_of = None
            story_id = story.id
            if records and rng.random() < copies:
                # a copy of this story's earlier article, or (for a story's first) of another
                # recent one: content farms copy whatever is new
                same = [r for r in records[-k:] if r["story"] == story.id] if k else []
                source = rng.choice(same or records[-50:])
                text = source["body"] if rng.random() < 0.5 else _rewrite(rng, source["body"])
                title, copy_of, story_id = source["title"], source["url"], source["story"]
                published = max(published, date.fromisoformat(source["page"]["published"]))
            elif story.place_cyrillic and rng.random() < cyrillic:
                lang = rng.choice(sorted(story.place_cyrillic))
                title, text = _cyrillic(rng, story, lang)
            else:
                title, text = _english(rng, story, outlet, published)
            url = f"https://{outlet['name'].lower().replace(' ', '-')}.example/{len(records)}"
            records.append({"story": story_id, "title": title, "body": text, "url": url})
            labels[url] = {"story": story_id, "copy_of": copy_of, "kind": story.kind,
                           "place": story.place, "day": story.day.isoformat(),
                           "side": story.side, "town2": story.town2}
            records[-1]["page"] = {
                "text": _page(rng, title, text, outlet["name"], published), "url": url,
                "outlet": outlet["name"], "published": published.isoformat()}
    path = out / f"realistic-{count}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        # in publication order, as an archive grows: the last lines are the newest news
        for r in sorted(records, key=lambda r: r["page"]["published"]):
            fh.write(json.dumps(r["page"], ensure_ascii=False) + "\n")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
    return path


def describe(path: Path) -> dict[str, float]:
    """What the corpus holds: stories, their sizes, copies, Cyrillic share."""
    labels = json.loads((path.parent / "labels.json").read_text(encoding="utf-8"))
    sizes: dict[str, int] = {}
    for v in labels.values():
        sizes[v["story"]] = sizes.get(v["story"], 0) + 1
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    return {
        "documents": len(labels), "stories": len(sizes),
        "single-document stories": sum(1 for s in sizes.values() if s == 1) / len(sizes),
        "largest story": max(sizes.values()),
        "copies and rewrites": sum(1 for v in labels.values() if v["copy_of"]) / len(labels),
        "Cyrillic": sum(1 for t in texts if _CYRILLIC.search(t)) / len(texts),
        "places": len({v["place"] for v in labels.values()}),
        "outlets": len({json.loads(line)["outlet"] for line in
                        path.read_text(encoding="utf-8").splitlines()}),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--cyrillic", type=float, default=0.1)
    args = ap.parse_args()
    path = generate(args.out, args.count, args.seed, args.cyrillic)
    print(path)
    for k, v in describe(path).items():
        print(f"  {k}: {v:.2f}" if isinstance(v, float) else f"  {k}: {v}")


if __name__ == "__main__":
    main()
