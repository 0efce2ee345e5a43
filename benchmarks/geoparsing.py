"""Geoparsing on GeoWebNews (200 web news articles, public gold), beside the peer systems.

GeoWebNews (Gritta, Pilehvar and Collier, "A Pragmatic Guide to Geoparsing Evaluation",
LRE 2020) lives in ../shared/benchmarks/geoparsing-gwn/ (never copied into the repository).
Toponyms as the corpus authors count them: every annotation whose type is not Non_Toponym,
Literal_Expression or Non_Lit_Expression, which includes adjectives of nationality
("French" -> France) and places inside names ("Chicago" in "Chicago Tribune").

Two readings of Newsprism's output are scored:
  entities   the place mentions Newsprism stores (`extract/entities.py`, places from
             `extract/places.py`, the document as context);
  toponyms   those plus places inside longer names ("Toronto" in "Toronto Police") and
             adjectives of nationality (`places.demonym_mentions`), which the corpus counts
             as toponyms and Newsprism's entities do not.

Metrics (the README's): recognition precision/recall/F1 by character-span overlap, one
prediction to one gold span in reading order; Accuracy@161km end to end (share of gold
toponyms with coordinates whose predicted point lies within 161 km; a missed toponym is
wrong) and given recognition (of the gold toponyms found); mean and median error in km of
the found ones. The place rules were developed looking at the articles with an odd number
("dev"); the even-numbered ones ("held out") are reported apart and are the honest figure.

usage: python benchmarks/geoparsing.py [--bench DIR] [--limit N] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.extract.entities import find_entities  # noqa: E402
from newsprism.extract.gazetteer import gazetteer  # noqa: E402
from newsprism.extract.mentions import overlaps  # noqa: E402
from newsprism.extract.places import PlaceContext, demonym_mentions, place_mentions  # noqa: E402
from newsprism.extract.sentences import split_text  # noqa: E402

DEFAULT_BENCH = Path(__file__).resolve().parents[1].parent / "shared/benchmarks/geoparsing-gwn"
NOT_TOPONYMS = frozenset({"Non_Toponym", "Literal_Expression", "Non_Lit_Expression"})
KM = 161
#: The corpus README's table (toponyms of all types, overlap match): P, R, F1,
#: Acc@161 end to end, Acc@161 of those found; None where the system does not resolve.
PEERS = [
    ("Google Cloud NL (recognition only)", 93.5, 78.8, 85.5, None, None),
    ("spaCy NER (recognition only)", 89.1, 74.3, 81.0, None, None),
    ("Yahoo! Placemaker", 91.0, 65.9, 76.4, 45.3, 67.0),
    ("Edinburgh Geoparser", 88.6, 54.9, 67.8, 49.8, 87.4),
    ("EMM", 67.3, 63.8, 65.5, 29.3, 45.9),
]


@dataclass
class Span:
    start: int
    end: int
    lat: float | None
    lon: float | None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def predict(text: str, toponyms: bool) -> list[Span]:
    """Newsprism's place spans in `text`, as character offsets into it."""
    lines = text.split("\n")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    sentences = split_text(lines)
    found = find_entities(sentences)
    context = PlaceContext([s.text for s in sentences], found.people)
    spans: list[Span] = []
    for index, sentence in enumerate(sentences):
        base = offsets[sentence.paragraph] + sentence.start
        mentions = found.mentions[index]
        places = [m for m in mentions if m.type == "place"]
        if toponyms:  # the corpus' definition: places inside names and adjectives too
            people = [m for m in mentions if m.type == "person"]
            inside = place_mentions(sentence.text, people, context, embedded=True)
            places += [m for m in inside if not overlaps(places, m.start, m.end)]
            places += demonym_mentions(sentence.text, places + people)
        for m in places:
            spans.append(Span(base + m.start, base + m.end, m.place.lat if m.place else None,
                              m.place.lon if m.place else None))
    return sorted(spans, key=lambda s: s.start)


def match(gold: list[Span], pred: list[Span]) -> list[tuple[Span, Span]]:
    """One-to-one overlap matches in reading order."""
    pairs: list[tuple[Span, Span]] = []
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(pred):
            if i not in used and p.start < g.end and g.start < p.end:
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    matched: int = 0
    with_coords: int = 0
    found_with_coords: int = 0
    within: int = 0
    errors: list[float] | None = None

    def add(self, gold: list[Span], pred: list[Span]) -> None:
        self.errors = self.errors if self.errors is not None else []
        pairs = match(gold, pred)
        self.gold += len(gold)
        self.pred += len(pred)
        self.matched += len(pairs)
        self.with_coords += sum(g.lat is not None for g in gold)
        for g, p in pairs:
            if g.lat is None:
                continue
            self.found_with_coords += 1
            if p.lat is None:
                continue
            km = haversine_km(g.lat, g.lon, p.lat, p.lon)
            self.errors.append(km)
            self.within += km <= KM

    def row(self, label: str) -> list[str]:
        p = self.matched / self.pred if self.pred else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        errors = self.errors or [0.0]
        return [label, f"{100 * p:.1f}", f"{100 * r:.1f}", f"{100 * f:.1f}",
                f"{100 * self.within / max(1, self.with_coords):.1f}",
                f"{100 * self.within / max(1, self.found_with_coords):.1f}",
                f"{statistics.mean(errors):.0f}", f"{statistics.median(errors):.0f}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    gold_file = args.bench / "gold.jsonl"
    if not gold_file.is_file():
        sys.exit(f"error: {gold_file}: GeoWebNews not found (see the script's docstring)")
    docs = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines()
            if line.strip()][: args.limit]
    tallies = {(mode, half): Tally() for mode in ("entities", "toponyms")
               for half in ("dev", "held out", "all")}
    started = time.perf_counter()
    names = len(gazetteer())  # load once, timed: the first document of a process pays it
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    for doc in docs:
        half = "dev" if int(doc["doc"].removeprefix("gwn")) % 2 else "held out"
        gold = sorted((Span(a["start"], a["end"], a.get("lat"), a.get("lon"))
                       for a in doc["gold"] if a["type"] not in NOT_TOPONYMS),
                      key=lambda s: s.start)
        for mode in ("entities", "toponyms"):
            pred = predict(doc["text"], toponyms=mode == "toponyms")
            tallies[(mode, half)].add(gold, pred)
            tallies[(mode, "all")].add(gold, pred)
    elapsed = time.perf_counter() - started
    columns = ["system", "P", "R", "F1", f"Acc@{KM} end to end", f"Acc@{KM} of found",
               "mean km", "median km"]
    rows = [tallies[(mode, half)].row(f"Newsprism {mode}, {half}")
            for mode in ("toponyms", "entities") for half in ("held out", "dev", "all")]
    rows += [[name, *(f"{v:.1f}" if v is not None else "–" for v in values), "–", "–"]
             for name, *values in PEERS]
    title = (f"GeoWebNews geoparsing ({len(docs)} articles, {elapsed:.0f} s; gazetteer of "
             f"{names:,} names loaded in {load_s:.2f} s)")
    show(title, columns, rows)
    if not args.no_write:
        toponyms = tallies[("entities", "all")].gold
        body = (
            f"GeoWebNews, {len(docs)} articles ({toponyms} "
            "toponyms by the corpus authors' definition). Rules developed on the odd-numbered "
            "articles (dev); the even-numbered ones (held out) are the honest figure. "
            "\"toponyms\" adds places inside longer names (\"Toronto\" in \"Toronto Police\") "
            "and adjectives of nationality, which the corpus counts as toponyms and "
            "Newsprism's entities do not; \"entities\" is what Newsprism stores. Peer "
            "figures from the corpus README. The "
            f"gazetteer ({names:,} names) loads in {load_s:.2f} s.\n\n"
            + markdown_table(columns, rows)
        )
        write_section("geoparsing", body)


if __name__ == "__main__":
    main()
