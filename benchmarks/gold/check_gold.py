#!/usr/bin/env python3
"""Check the hand-made extraction gold files (written for Newsprism; CC0-1.0).

Run from the project root:  python3 benchmarks/gold/check_gold.py
Checks that each JSON parses, keys match the documents, demo/unseen `text` and
`evidence` are exact substrings of the body, seed line numbers point to body
lines; prints counts. Exit status 1 on any error.
"""
import collections
import json
import os
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
TYPES = {"territorial_control", "advance", "withdrawal", "military_operation", "strike_or_damage",
         "casualties", "negotiation", "meeting", "military_buildup", "weapons_launch",
         "diplomatic_statement"}
# junk line numbers (1-based) per seed; see GUIDELINES.md
SEED_JUNK = {"000": set(range(1, 6)) | {13} | set(range(17, 24)), "001": {1},
             "002": set(range(1, 11)) | {15, 16}, "003": set(), "004": {1, 3, 15, 25, 35, 36, 37}}
SEED_PUB = {"000": "2025-07-09", "001": None, "002": "2025-11-07", "003": None, "004": None}


def demo_docs():
    exp = json.loads((ROOT / "demo" / "expected.json").read_text(encoding="utf-8"))
    return {k: ("\n".join(v["body"]), v["published"]) for k, v in exp.items()}


def unseen_docs():
    out = {}
    for f in sorted(os.listdir(HERE / "unseen")):
        lines = (HERE / "unseen" / f).read_text(encoding="utf-8").split("\n")
        body = [line for line in lines[2:] if line.strip()]
        out["unseen/" + f] = ("\n".join(body), lines[1].split(":", 1)[1].strip())
    return out


def seed_docs():
    out = {}
    for f in sorted(SEEDS.glob("*.txt")):
        k = f.name[:3]
        lines = f.read_text(encoding="utf-8").split("\n")
        body = {i for i, line in enumerate(lines, 1) if line.strip() and i not in SEED_JUNK[k]}
        out[k] = (body, SEED_PUB[k])
    return out


def check(name, docs, seeds=False):
    data = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    errors = []
    if set(data) != set(docs):
        errors.append(f"keys differ: {sorted(set(data) ^ set(docs))}")
    ent, kinds, evs = collections.Counter(), collections.Counter(), collections.Counter()
    for key, doc in data.items():
        body, pub = docs.get(key, (None, None))
        if doc.get("published") != pub:
            errors.append(f"{key}: published {doc.get('published')} != {pub}")
        for e in doc["entities"]:
            if e["type"] not in ("person", "organization", "place"):
                errors.append(f"{key}: bad entity type {e}")
            ent[e["type"]] += 1
        for s in doc["statements"]:
            kinds[s["kind"]] += 1
            if s["kind"] not in ("direct", "reported"):
                errors.append(f"{key}: bad kind {s}")
            if seeds and s["line"] not in body:
                errors.append(f"{key}: statement line {s['line']} is not a body line")
            if not seeds and s["text"] not in body:
                errors.append(f"{key}: text not in body: {s['text']!r}")
        for v in doc["events"]:
            evs[v["type"]] += 1
            if v["type"] not in TYPES:
                errors.append(f"{key}: bad event type {v['type']}")
            if v["date"] is not None and not re.fullmatch(r"\d{4}-\d\d-\d\d", v["date"]):
                errors.append(f"{key}: bad date {v['date']}")
            if seeds and v["line"] not in body:
                errors.append(f"{key}: event line {v['line']} is not a body line")
            if not seeds and v["evidence"] not in body:
                errors.append(f"{key}: evidence not in body: {v['evidence']!r}")
    print(f"{name}: {len(data)} docs; entities {dict(ent)}; "
          f"statements {sum(kinds.values())} {dict(kinds)}; "
          f"events {sum(evs.values())} {dict(sorted(evs.items()))}")
    for e in errors:
        print("  ERROR", e)
    return len(errors)


if __name__ == "__main__":
    n = check("demo", demo_docs()) + check("unseen", unseen_docs())
    if SEEDS.is_dir():
        n += check("seeds", seed_docs(), seeds=True)
    else:
        print("seeds: ../shared/seeds not found, skipped")
    sys.exit(1 if n else 0)
