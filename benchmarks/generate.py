"""Generate synthetic noisy conflict-news articles for benchmarks (deterministic for a seed).

Every article is assembled from templates written for Newsprism, with the noise real scrapes
carry: navigation and account lines, credits, repeated title and date lines, promo lines,
repeated bullets and a related-links block. `--near-dup-rate` plants rewritten copies.

usage: python benchmarks/generate.py OUT_DIR --count 10000 [--format txt|jsonl]
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

PLACES = ["Kharkiv", "Kharkov", "Vovchansk", "Volchansk", "Pokrovsk", "Krasnoarmeysk", "Kupiansk",
          "Huliaipole", "Zaporizhzhia", "Kherson", "Sumy", "Belgorod", "Kursk", "Bakhmut",
          "Kostiantynivka", "Lyman", "Siversk", "Chasiv Yar", "Toretsk", "Orikhiv"]
ACTORS = ["Russian forces", "Ukrainian troops", "the Northern group of forces",
          "the 47th brigade", "assault units", "border guards", "air defence crews"]
SPEAKERS = ["Defence Ministry spokesman Igor Valentsov", "army spokeswoman Olena Hrytsenko",
            "regional governor Pavlo Marchenko", "Kremlin spokesman Oleg Zimin",
            "analyst Marta Koval", "Colonel Andriy Lysenko"]
OUTLETS = ["Eastern Wire", "Baltic Ledger", "Steppe Herald", "Daily Flare", "NewsPulse24",
           "Kyiv Courier Online", "Meridian Dispatch", "Northgate Review"]
VERBS = ["said on {day}", "told reporters on {day}", "stressed in a statement", "noted"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SENTENCES = [
    "{actor} reported fighting on the outskirts of {place} for a {nth} day, {speaker} {verb}.",
    "According to {speaker}, {n} drones were launched at {place} overnight and {m} were shot "
    "down.",
    "\"The situation near {place} remains difficult but under control,\" {speaker} {verb}.",
    "Residents of {place} said power had been restored to most districts by the evening.",
    "{actor} claimed to have taken control of two villages west of {place}.",
    "Satellite images showed new trenches dug along the road between {place} and {place2}.",
    "The strike damaged {n} residential buildings and a school in {place}, officials said.",
    "Talks on a prisoner exchange involving {n} soldiers are expected to resume next week.",
    "{speaker} {verb} that reinforcements had been moved towards {place2}.",
    "Independent analysts could not verify the claims made about {place}.",
]
NOISE_TOP = ["Skip to content", "Menu", "Subscribe", "Sign Up", "Log in",
             "© {outlet} / Photo bank", "Share on Facebook"]
PROMO = ["READ MORE: {place} residents queue for water as winter nears",
         "ONLY IN: the secret life of drone pilots [EXCLUSIVE]",
         "Ten things you missed this week [LATEST]"]


def article(rng: random.Random, i: int) -> dict[str, str]:
    place, place2 = rng.sample(PLACES, 2)
    outlet = rng.choice(OUTLETS)
    day = date(2025, 1, 1) + timedelta(days=rng.randrange(700))

    def fill(template: str) -> str:
        return template.format(
            actor=rng.choice(ACTORS), place=place, place2=place2, speaker=rng.choice(SPEAKERS),
            verb=rng.choice(VERBS).format(day=rng.choice(DAYS)), n=rng.randrange(2, 60),
            m=rng.randrange(1, 40), nth=rng.choice(["second", "third", "fifth"]), outlet=outlet,
        )

    title = f"{rng.choice(ACTORS).capitalize()} report clashes near {place} (report {i})"
    lines = [title, day.strftime("%d %b %Y %H:%M").upper()]
    lines += [fill(t) for t in rng.sample(NOISE_TOP, 3)]
    body = [fill(rng.choice(SENTENCES)) + " " + fill(rng.choice(SENTENCES))
            for _ in range(rng.randrange(6, 14))]
    for j, paragraph in enumerate(body):
        lines.append(paragraph)
        if j == 2:
            lines.append(fill(rng.choice(PROMO)))
    bullets = [f"▪️ {fill(rng.choice(SENTENCES))}" for _ in range(3)]
    lines += ["Other statements by the spokesman:", *bullets, *bullets]
    lines += ["Related Reads", f"Fighting flares again near {place2}", f"Sign in or create a "
              f"free {outlet} account to post comments"]
    return {"text": "\n".join(lines) + "\n", "outlet": outlet, "published": day.isoformat()}


def generate(out: Path, count: int, fmt: str = "txt", seed: int = 7) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        path = out / f"generated-{count}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(count):
                fh.write(json.dumps(article(rng, i), ensure_ascii=False) + "\n")
        return path
    for i in range(count):
        (out / f"{i:07d}.txt").write_text(article(rng, i)["text"], encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--format", choices=["txt", "jsonl"], default="txt")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(generate(args.out, args.count, args.format, args.seed))


if __name__ == "__main__":
    main()
