"""A large archive for the scale benchmarks, built without pushing every document through NLP.

The whole pipeline runs at about 25 documents a second on one core (benchmarks/RESULTS.md,
throughput): 100,000 documents would take over an hour of a machine shared by several people.
What the scale benchmarks measure is what comes after extraction (storing, linking, serving),
so this builds the archive so:
1. the realistic corpus (`realistic.py`: the same pages the pipeline would read, with their
   labels: story, kind, place, day, side);
2. each page read by the real ingest (`ingest.json_document`: the id, the raw bytes, the hints);
3. its clean text and extracted record written from what the generator knows instead of by
   the pipeline: the body without the page furniture (which becomes removed lines, with the
   reasons the cleaner gives them), the story's places with their gazetteer coordinates, the
   people the text names, one event of the story's type at its place and day (with the lead as
   evidence and its actor), a statement and an event per attributed sentence, an event per
   other sentence at the story's place (its type by its words), the attribution and hedge
   cue words as framing terms;
4. stored through the real `Store.add` (every table, the full-text index), in batches.
`sample_profile` runs the real pipeline on a sample of the same corpus and counts what it
extracts per document beside what this writes, so the two can be compared (link_scale.py
prints both).

usage: python benchmarks/bulk_archive.py DB --count 10000 [--seed 11]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from realistic import FIRST, LAST, generate  # noqa: E402

from newsprism.extract.gazetteer import lookup  # noqa: E402
from newsprism.ingest.files import json_document  # noqa: E402
from newsprism.model import Document, Entity, Event, FramingTerm, RemovedLine, Statement  # noqa: E402
from newsprism.store import Store  # noqa: E402

EVENT_TYPE = {"strike": "strike_or_damage", "control": "territorial_control",
              "advance": "advance", "talks": "negotiation", "sanction": "sanction",
              "casualties": "casualties", "swap": "other", "buildup": "military_buildup"}
ACTOR = {"ru": "Russian Armed Forces", "ua": "Armed Forces of Ukraine"}
_PERSON = re.compile(rf"\b(?:{'|'.join(FIRST)}) (?:{'|'.join(LAST)})\b")
_CUES = ("told reporters", "said", "claimed", "stated", "according to", "warned", "urged",
         "described")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+\"?")


def _cue(sentence: str) -> str | None:
    return next((c for c in _CUES if c in sentence), None)


def _background_type(sentence: str) -> str:
    """What a background sentence at the story's place reports, by its words."""
    lowered = sentence.lower()
    if any(w in lowered for w in ("hit", "raid", "blast", "craters", "shells", "attack")):
        return "strike_or_damage"
    return "military_operation" if "fighting" in lowered or "mined" in lowered else "other"


def _place(name: str) -> Entity | None:
    found = lookup(name)
    if found is None:
        return None
    return Entity("place", found.name, [name], found.lat, found.lon, found.country,
                  found.kind, found.admin1, found.precision)  # type: ignore[arg-type]


def record(page: dict, label: dict, language: str) -> Document | None:
    """One page as the pipeline's output would store it (see the module docstring)."""
    doc = json_document(page, page["url"])
    if not isinstance(doc, Document):
        return None
    page_lines = page["text"].rstrip("\n").split("\n")
    title, body = page_lines[0], [line for line in page_lines[1:] if line.strip()]
    # the body is what the generator wrote: the furniture is the date line, the two noise
    # lines and the promo inserted after the second paragraph (realistic._page)
    kept = body[3:5] + body[6:]
    removed = [RemovedLine(body[0], "date line"), RemovedLine(body[1], "navigation"),
               RemovedLine(body[2], "account"), RemovedLine(title, "title")]
    if len(body) > 5:
        removed.append(RemovedLine(body[5], "promo"))
    text = "\n".join(kept)
    doc.title, doc.published, doc.outlet = title, page["published"], page["outlet"]
    doc.url, doc.language, doc.lines, doc.removed = page["url"], language, kept, removed
    places = [p for name in dict.fromkeys([label["place"], label.get("town2") or ""])
              if name and (p := _place(name))]
    people = list(dict.fromkeys(_PERSON.findall(text)))
    doc.entities = places + [Entity("person", n, [n]) for n in people]
    lead = kept[0] if kept else ""
    speaker = next(iter(_PERSON.findall(lead)), None)
    doc.events = [Event(EVENT_TYPE[label["kind"]], ACTOR[label["side"]], label["place"],
                        label["day"], speaker, lead, "asserted", "day")]
    offset = 0
    for number, line in enumerate(kept):
        for m in _SENTENCE.finditer(line):
            sentence = m.group(0).strip()
            cue = _cue(sentence)
            if cue:
                who = next(iter(_PERSON.findall(sentence)), None)
                start = offset + m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
                doc.statements.append(Statement(
                    who, sentence, "reported", cue, "person" if who else "described",
                    None if who else sentence.split(" ")[0].lower(), sentence, start,
                    start + len(sentence)))
                doc.framing.append(FramingTerm(cue, "attribution"))
                if who and number:
                    doc.events.append(Event("diplomatic_statement", who, None, None, None,
                                            sentence))
            elif number and label["place"] in sentence:
                doc.events.append(Event(_background_type(sentence), None, label["place"],
                                        None, None, sentence))
            if "could not be independently verified" in sentence:
                doc.framing.append(FramingTerm("could not be independently verified",
                                               "hedge"))
        offset += len(line) + 1
    return doc


def _language(text: str) -> str:
    if re.search("[іїєґІЇЄҐ]", text):
        return "uk"
    return "ru" if re.search("[А-Яа-я]", text) else "en"


def records(corpus: Path) -> Iterator[Document]:
    """The corpus's documents in its order (publication order), as `record` builds them."""
    labels = json.loads((corpus.parent / "labels.json").read_text(encoding="utf-8"))
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            page = json.loads(line)
            doc = record(page, labels[page["url"]], _language(page["text"]))
            if doc is not None:
                yield doc


def store_records(db: Path | str, docs: Iterator[Document] | list[Document],
                  batch: int = 1000) -> tuple[int, float]:
    """Store documents through Store.add in batches: (stored, seconds)."""
    store = Store(db)
    t0 = time.perf_counter()
    stored = 0
    chunk: list[Document] = []
    try:
        for doc in docs:
            chunk.append(doc)
            if len(chunk) >= batch:
                stored += store.add(chunk)
                chunk = []
        if chunk:
            stored += store.add(chunk)
    finally:
        store.close()
    return stored, time.perf_counter() - t0


def run_pipeline(part: Path, db: Path) -> None:
    """The real pipeline over a JSONL file into a database, in one worker process."""
    from newsprism import runner
    from newsprism.engine import LocalEngine

    store = Store(db)
    engine = LocalEngine(workers=1)
    try:
        runner.run([part], store, engine=engine)
    finally:
        engine.close()
        store.close()


def sample_profile(corpus: Path, sample: int, work: Path) -> dict[str, dict[str, float]]:
    """Per document: entities, events, statements and framing terms, as the real pipeline
    extracts them from the first `sample` pages and as `record` writes them."""

    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:sample]
    part = work / "sample.jsonl"
    part.write_text("".join(lines), encoding="utf-8")
    real_db, built_db = work / "sample-real.db", work / "sample-built.db"
    for db in (real_db, built_db):
        db.unlink(missing_ok=True)
    run_pipeline(part, real_db)
    store_records(built_db, list(records(corpus))[:sample])
    out = {}
    for name, db in (("pipeline", real_db), ("generated", built_db)):
        store = Store(db)
        docs = list(store.iter_documents())
        n = max(1, len(docs))
        out[name] = {"documents": len(docs),
                     "entities": sum(len(d.entities) for d in docs) / n,
                     "events": sum(len(d.events) for d in docs) / n,
                     "statements": sum(len(d.statements) for d in docs) / n,
                     "framing": sum(len(d.framing) for d in docs) / n,
                     "words": sum(len(d.text.split()) for d in docs) / n}
        store.close()
    part.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("db", type=Path)
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    corpus = generate(args.db.parent / f"corpus-{args.count}", args.count, args.seed)
    stored, seconds = store_records(args.db, records(corpus))
    print(f"{stored:,} documents stored in {seconds:.1f} s")


if __name__ == "__main__":
    main()
