"""Places in short Russian and Ukrainian strike reports, and throughput on Cyrillic text.

Each report of `data/cyrillic_reports.tsv` (written for this benchmark: Telegram-style one-liners
with inflected names, region forms and names that look like places) goes through the whole
per-document pipeline as a .txt document. The report's place is its first settlement, else its
first region or country; it is a hit when within 25 km of the expected point, or, for a region
(placed at its centroid, not at one point), when it is the expected region. Throughput is the
same pipeline on the reports (repeated), on ../shared/corpus/ru-uk and on ../shared/corpus/en
when present, docs/s and words/s side by side.

usage: python benchmarks/cyrillic_places.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.extract.gazetteer import lookup  # noqa: E402
from newsprism.ingest import iter_inputs  # noqa: E402
from newsprism.model import Document  # noqa: E402
from newsprism.pipeline import Pipeline  # noqa: E402

REPORTS = Path(__file__).with_name("data") / "cyrillic_reports.tsv"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MAX_KM = 25.0


def reports() -> list[tuple[str, str, float, float]]:
    rows = []
    for line in REPORTS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            text, name, lat, lon = line.split("\t")
            rows.append((text, name, float(lat), float(lon)))
    return rows


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def as_doc(text: str, n: int) -> Document:
    raw = (text + "\n").encode("utf-8")
    return Document(id=f"r{n}", source=f"report{n}.txt", raw=raw, kind="text")


def report_place(doc: Document):  # noqa: ANN201 - Entity or None
    places = [e for e in doc.entities if e.type == "place" and e.lat is not None]
    settlements = [e for e in places if (p := lookup(e.name)) is not None
                   and p.kind == "settlement"]
    return (settlements or places or [None])[0]


def _is_region(name: str) -> bool:
    place = lookup(name)
    return (place is not None and place.kind == "region") or name.endswith((" Raion", " Hromada"))


def accuracy(pipeline: Pipeline) -> tuple[list[list[str]], int, int]:
    misses, hits, rows = [], 0, reports()
    for n, (text, name, lat, lon) in enumerate(rows):
        doc = pipeline.process(as_doc(text, n))
        place = report_place(doc) if isinstance(doc, Document) else None
        dist = km(lat, lon, place.lat, place.lon) if place else None
        # a region has no single point (the gazetteer places it at its centroid): the right
        # region is a hit
        region_hit = place is not None and place.name == name and _is_region(place.name)
        if region_hit or (dist is not None and dist <= MAX_KM):
            hits += 1
        else:
            found = f"{place.name} ({dist:.0f} km)" if place else "none"
            misses.append([text[:60], name, found])
    return misses, hits, len(rows)


def throughput(pipeline: Pipeline, label: str, docs: list[Document]) -> list[str]:
    t0 = time.perf_counter()
    done = [d for d in (pipeline.process(doc) for doc in docs) if isinstance(d, Document)]
    elapsed = time.perf_counter() - t0
    words = sum(len(d.text.split()) for d in done)
    return [label, f"{len(done):,}", f"{elapsed:.2f}", f"{len(done) / elapsed:,.1f}",
            f"{words / elapsed:,.0f}"]


def corpus_docs(folder: Path) -> list[Document]:
    return [item for item, _n in iter_inputs([folder]) if isinstance(item, Document)]


PEOPLE = Path(__file__).with_name("data") / "cyrillic_people.tsv"


def people_ablation() -> tuple[list[str], list[list[str]]]:
    """Invented people in Ukrainian and Russian sentences: natasha's NER spans alone, the
    first-name + surname rule alone, and both as Newsprism runs them."""
    from newsprism.extract import cyrillic
    from newsprism.extract.entities import DocEntities

    rows = [line.split("\t") for line in PEOPLE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]

    class _NoSpans:
        spans: list = []

    def exact(lang: str, how: str) -> str:
        hits = total = 0
        for code, sentence, gold in rows:
            if code != lang:
                continue
            total += 1
            if how == "natasha":
                spans = [sentence[s.start:s.stop] for s in cyrillic._ner()(sentence).spans
                         if s.type == "PER"]
            else:
                spans = [m.text for m in cyrillic.cyrillic_mentions(sentence, DocEntities())
                         if m.type == "person"]
            hits += gold in spans
        return f"{hits}/{total}"

    table = [["natasha NER spans alone", exact("uk", "natasha"), exact("ru", "natasha")]]
    model = cyrillic._ner
    cyrillic._ner = lambda: (lambda _text: _NoSpans())
    try:
        table.append(["rules alone (first name + surname)", exact("uk", "x"), exact("ru", "x")])
    finally:
        cyrillic._ner = model
    table.append(["both (as run)", exact("uk", "x"), exact("ru", "x")])
    return ["people found exactly", "Ukrainian", "Russian"], table


GROUPS = (("Russian r01-r04", "r01 r02 r03 r04"), ("Ukrainian r05-r08", "r05 r06 r07 r08"),
          ("tuned on: r01 r03 r05 r07", "r01 r03 r05 r07"),
          ("held out: r02 r04 r06 r08", "r02 r04 r06 r08"))


def corpus_scores() -> tuple[list[str], list[list[str]]]:
    """../shared/corpus/ru-uk through `newsprism run` and `export`, scored by the corpus's own
    scorer per language and per tuning/held-out half."""
    import shutil
    import subprocess
    import tempfile

    corpus, scorer = SHARED / "ru-uk", SHARED.parent / "tools" / "score_gold.py"
    if not corpus.is_dir() or not scorer.is_file():
        return [], []
    cli = [sys.executable, "-m", "newsprism.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        db, export = Path(tmp) / "x.db", Path(tmp) / "x.jsonl"
        subprocess.run([*cli, "run", str(corpus), "--db", str(db), "--workers", "1"],
                       check=True, capture_output=True)
        out = subprocess.run([*cli, "export", "--db", str(db), "--format", "jsonl"],
                             check=True, capture_output=True, text=True).stdout
        export.write_text(out, encoding="utf-8")
        rows: list[list[str]] = []
        keys: list[str] = []
        for label, ids in GROUPS:
            gold = Path(tmp) / label.split()[0].strip(":")
            gold.mkdir(exist_ok=True)
            for stem in ids.split():
                shutil.copy(corpus / "gold" / f"{stem}.json", gold)
            last = subprocess.run([sys.executable, str(scorer), str(export), str(gold)],
                                  check=True, capture_output=True, text=True
                                  ).stdout.strip().splitlines()[-1]
            pairs = [part.split("=", 1) for part in last.split()]
            keys = [k for k, _ in pairs]
            rows.append([label, *(v for _, v in pairs)])
    return ["set", *keys], rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the reports")
    args = parser.parse_args()
    pipeline = Pipeline()
    pipeline.process(as_doc("Вночі у Харкові пролунали вибухи.", -1))  # load models first
    misses, hits, total = accuracy(pipeline)
    share = hits / total
    columns = ["reports", "hits (25 km; a region by name)", "share", "target"]
    summary = [[str(total), str(hits), f"{share:.0%}", "≥ 90%"]]
    show("Places in short Cyrillic reports", columns, summary)
    if misses:
        show("Misses", ["report", "expected", "found"], misses)
    rows = reports()
    speed = [throughput(pipeline, "Cyrillic short reports (this set)",
                        [as_doc(t, i) for i in range(args.repeat) for t, *_ in rows])]
    for sub, label in (("ru-uk", "Russian/Ukrainian articles (corpus ru-uk)"),
                       ("en", "English articles (corpus en)")):
        if (SHARED / sub).is_dir():
            speed.append(throughput(pipeline, label, corpus_docs(SHARED / sub) * args.repeat))
    speed_cols = ["text", "docs", "seconds", "docs/s", "words/s"]
    show("Throughput, whole per-document pipeline, one process", speed_cols, speed)
    body = (
        f"{total} short strike and shelling reports in Russian and Ukrainian written for this "
        "benchmark (inflected forms, region forms, names that look like places); the report's "
        "first settlement (else region or country) against the expected point (a region: the "
        "expected region).\n\n"
        + markdown_table(columns, summary)
        + ("\n\nMisses:\n\n" + markdown_table(["report", "expected", "found"], misses)
           if misses else "")
        + "\n\nThroughput of the whole per-document pipeline (clean + extract, no database), "
        f"one process, {args.repeat} passes:\n\n" + markdown_table(speed_cols, speed)
    )
    people_cols, people = people_ablation()
    show("Unlisted people in Cyrillic sentences", people_cols, people)
    body += ("\n\nPeople in no alias list (invented names, `data/cyrillic_people.tsv`), found "
             "with exactly their surface form:\n\n" + markdown_table(people_cols, people))
    score_cols, scores = corpus_scores()
    if scores:
        show("ru-uk corpus, Russian and Ukrainian apart", score_cols, scores)
        body += ("\n\nThe ru-uk corpus (../shared/corpus/ru-uk, `newsprism run` + `export`, its "
                 "own scorer), Russian and Ukrainian apart, and the articles rules were tuned on "
                 "apart from the held-out ones:\n\n" + markdown_table(score_cols, scores))
    write_section("cyrillic_places", body,
                  f"python benchmarks/cyrillic_places.py --repeat {args.repeat}")


if __name__ == "__main__":
    main()
