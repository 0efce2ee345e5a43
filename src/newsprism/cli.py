"""The `newsprism` command: run the pipeline, then show, search and export what it stored."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from newsprism import read, runner
from newsprism.budget import Budget
from newsprism.engine import make_engine
from newsprism.engine.base import EngineError
from newsprism.export import export, terminal_safe
from newsprism.ingest import DEFAULT_MAX_BYTES, iter_inputs
from newsprism.ingest.files import Item, expand_paths, total_bytes, walk_inputs
from newsprism.link.run import link
from newsprism.model import InputError
from newsprism.pipeline import Pipeline
from newsprism.read import Ambiguous, NotFound, operations, pages
from newsprism.store import DocumentFilter, EventFilter, StatementFilter, Store

app = typer.Typer(
    help="Turn raw, noisy news articles into a sourced, searchable record.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str, typer.Option("--db", help="SQLite file path or SQLAlchemy URL.", envvar="NEWSPRISM_DB")
]
DEFAULT_DB = "newsprism.db"
_PROGRESS_COLUMNS = [TextColumn("[progress.description]{task.description}"), BarColumn(),
                     MofNCompleteColumn()]
MAX_FAILURES_SHOWN = 20


def safe(value: object) -> Text:
    """Article text is untrusted: no Rich markup, no terminal control characters."""
    s = "" if value is None else str(value)
    return Text("".join(ch if ch in "\n\t" or ch.isprintable() else "\ufffd" for ch in s))


def _write(text: str) -> None:
    """JSON for scripts: faithful to a pipe or file, control characters escaped on a terminal."""
    terminal_safe(sys.stdout).write(text)


def _shown(db: str) -> str:
    """A database as it may be printed: a URL's password hidden."""
    if "://" not in db:
        return db
    try:
        from sqlalchemy import make_url

        url = make_url(db)
        return db if url.password is None else url.render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 (not a URL after all: say nothing of it)
        return "(the given URL)"


def _open_store(db: str) -> Store:
    try:
        return read.open_store(db)
    except Exception as exc:  # bad URL, unwritable path, missing driver, schema too new
        err.print(safe(f"error: cannot open database '{_shown(db)}': {exc}"), style="red")
        raise typer.Exit(2) from exc


def _fail(message: str, code: int = 2) -> typer.Exit:
    """Print one error line (never wrapped) and give the exit to raise."""
    err.print(safe(f"error: {message}"), style="red", soft_wrap=True)
    return typer.Exit(code)


def _open_existing_store(db: str) -> Store:
    """The store of the read commands: a SQLite file that does not exist is an error, not a
    new empty database."""
    try:
        return read.open_existing_store(db)
    except read.NoDatabase as exc:
        raise _fail(f"no database at {exc.path} (run `newsprism run` first)") from None
    except Exception as exc:  # bad URL, missing driver, schema too new
        raise _fail(f"cannot open database '{_shown(db)}': {exc}") from exc


def _choice(option: str, value: str | None, valid: Sequence[str]) -> str | None:
    """`value` if it is one of `valid` (or not given); otherwise exit 2 listing them."""
    if value is None or value in valid:
        return value
    raise _fail(f"invalid {option} '{value}'; choose from {', '.join(valid)}")


_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _day(option: str, value: str | None) -> str | None:
    """A YYYY-MM-DD option, checked; exit 2 saying what is expected."""
    if value is None:
        return None
    try:
        if not _DAY.match(value):
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _fail(f"invalid {option} '{value}': give a date as YYYY-MM-DD") from None


def _date_range(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    start, end = _day("--date-from", date_from), _day("--date-to", date_to)
    if start and end and start > end:
        raise _fail(f"--date-from {start} is after --date-to {end}")
    return start, end


def _writable(path: Path) -> None:
    """Exit 2 with one line before any work when `path` cannot be written."""
    folder = path.parent
    if path.is_dir():
        raise _fail(f"cannot write {path}: it is a folder")
    if not folder.is_dir():
        raise _fail(f"cannot write {path}: no folder {folder}")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise _fail(f"cannot write {path}: permission denied")


DateFrom = Annotated[str | None, typer.Option(
    "--date-from", help="YYYY-MM-DD, inclusive (events: the event's date, else the "
    "article's; others: the article's).")]
DateTo = Annotated[str | None, typer.Option("--date-to", help="YYYY-MM-DD, inclusive.")]
OutletOption = Annotated[str | None, typer.Option(help="Only this outlet (as listed).")]
ModalityOption = Annotated[str | None, typer.Option(
    help="Events: only these modalities, comma-separated (asserted,planned: the claims; "
    "denied, hypothetical, demanded, threatened).")]


MinConfidenceOption = Annotated[str | None, typer.Option(
    "--min-confidence", help="Events: only those whose confidence (0 to 1, "
    "docs/confidence.md) is at least this.")]


def _min_confidence(value: str | None) -> float | None:
    """A --min-confidence, checked: a number from 0 to 1 (exit 2 otherwise)."""
    try:
        return pages.min_confidence(value)
    except pages.BadConfidence:
        raise _fail(f"invalid --min-confidence '{value}': give a number from 0 to 1") from None


def _modalities(value: str | None) -> tuple[str, ...]:
    """A comma-separated --modality, each checked."""
    found = tuple(m.strip() for m in (value or "").split(",") if m.strip())
    for m in found:
        _choice("--modality", m, read.MODALITIES)
    return found


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(
        help="Files and folders (read recursively), and WARC files by http(s) URL.")],
    db: DbOption = DEFAULT_DB,
    max_mb: Annotated[
        float, typer.Option("--max-mb", help="Largest single article, in MiB.")
    ] = DEFAULT_MAX_BYTES / 2**20,
    batch_size: Annotated[int, typer.Option(help="Documents per transaction.")] = 200,
    engine_name: Annotated[str, typer.Option(
        "--engine", help="Where the per-document stages run: 'local' (this machine's "
        "cores) or 'dask' (a Dask cluster; needs the 'dask' extra).")] = "local",
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Worker processes (default: every core). With --engine dask "
        "and no --scheduler: the size of the local cluster.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 "
        "(with --engine dask; a local cluster is started when omitted).")] = None,
    doc_timeout: Annotated[float | None, typer.Option(
        "--doc-timeout", min=0, help="Seconds one document may spend in the stages before it "
        "is reported and skipped (default: 20, from data/budgets.toml; 0: no limit).")] = None,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="Follow symbolic links that lead outside the folders given "
        "(skipped and reported otherwise).")] = False,
) -> None:
    """Ingest files and folders (.txt, .html, .jsonl, .warc, and .gz of these) and WARC files
    by URL (fetched politely, as `watch` fetches pages), and run the pipeline."""
    from newsprism.watch.remote import is_url

    urls = [p for p in paths if is_url(p)]
    local = [Path(p) for p in paths if not is_url(p)]
    files = list(expand_paths(local, follow_links))
    if not files and not urls:  # nothing to read: say why, and leave no empty database behind
        errors = [x for x in walk_inputs(local, follow_links) if isinstance(x, InputError)]
        for error in errors:
            err.print(safe(f"error: {error.source}: {error.reason}"), style="red",
                      soft_wrap=True)
        if not errors:
            raise _fail(f"no input files in {', '.join(map(str, local))} (Newsprism reads "
                        ".txt, .html, .jsonl and .warc files, and .gz of these)", 1)
        raise typer.Exit(1)
    store = _open_store(db)
    pipeline = Pipeline(budget=Budget.default().with_seconds(doc_timeout))
    size = None if urls else total_bytes(files) or None  # a URL's size is known once fetched
    try:  # last before the run, whose `finally` closes it (a cluster must not be left behind)
        engine = make_engine(engine_name, pipeline, workers=workers, scheduler=scheduler)
    except (ImportError, ValueError, OSError) as exc:
        err.print(safe(f"error: {exc}"), style="red")
        raise typer.Exit(2) from exc
    columns = [*_PROGRESS_COLUMNS, DownloadColumn(), TimeElapsedColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=err, transient=False) as progress:
        where = f"{engine.name}, {engine.workers} worker{'s' if engine.workers > 1 else ''}"
        task = progress.add_task(f"Processing ({where})", total=size)

        def on_error(error: InputError) -> None:
            progress.console.print(safe(f"error: {error.source}: {error.reason}"), style="red",
                                   soft_wrap=True)  # one line, however long

        try:
            report = runner.run_items(
                _run_inputs(local, urls, int(max_mb * 2**20), follow_links),
                store,
                engine=engine,
                batch_size=batch_size,
                on_progress=lambda n: progress.advance(task, n),
                on_error=on_error,
            )
        except KeyboardInterrupt:
            progress.stop()
            err.print(safe(
                f"Interrupted. {store.count()} documents are safely stored in {_shown(db)}; "
                "run the same command again to process the rest."
            ))
            raise typer.Exit(130) from None
        except EngineError as exc:
            progress.stop()
            err.print(safe(f"error: {exc}. {store.count()} documents are safely stored in "
                           f"{_shown(db)}."), style="red")
            raise typer.Exit(1) from None
        finally:
            engine.close()
    try:
        _link_with_progress(store, added=report.added)  # also what a stopped run left unlinked
    except KeyboardInterrupt:
        err.print(safe(
            f"Interrupted while linking. {store.count()} documents are safely stored in "
            f"{_shown(db)}; run `newsprism link` on it to finish linking them."))
        raise typer.Exit(130) from None
    _print_run_summary(report, _shown(db), store.count())
    if report.processed == 0:
        raise typer.Exit(1)


def _run_inputs(local: list[Path], urls: list[str], max_bytes: int, follow_links: bool
                ) -> Iterator[Item]:
    """What `run` reads (as runner.run would), then each WARC URL (watch/remote.py)."""
    yield from iter_inputs(local, max_bytes, follow_links)
    if urls:
        from newsprism.watch.fetch import Fetcher
        from newsprism.watch.remote import iter_remote_warcs

        fetcher = Fetcher()
        try:
            yield from iter_remote_warcs(urls, fetcher, max_bytes)
        finally:
            fetcher.close()


def _link_with_progress(store: Store, full: bool = False, added: int | None = None) -> None:
    """Run the cross-document stage with a progress bar that follows each of its phases
    (near-duplicates, what copies change, stories, claims, writing). `added`: after a run,
    link only when the read layer says it is needed (read/operations.py); None: always."""
    if added is not None and not operations.needs_linking(store, added):
        return
    with Progress(*_PROGRESS_COLUMNS[:3], TimeElapsedColumn(), console=err) as progress:
        task = progress.add_task("Linking", total=None)
        shown = [""]

        def tick(phase: str, advance: int, total: int | None) -> None:
            if phase != shown[0]:
                shown[0] = phase
                progress.reset(task, total=total, description=phase)
            progress.advance(task, advance)

        result = link(store, tick, full=full)
    out.print(safe(
        f"Linked: {result.near_duplicate_pairs} new near-duplicate pair(s), "
        f"{result.multi_outlet_stories} stories told by several outlets, {result.claims} claims, "
        f"{result.contradictions} contradiction(s)."))


def _print_run_summary(report: runner.RunReport, db: str, total: int) -> None:
    table = Table(title="Run summary", show_header=False)
    table.add_row("Documents added", str(report.added))
    table.add_row("Already present", str(report.present))
    table.add_row("Failed", str(len(report.failed)))
    table.add_row("Documents in database", str(total))
    out.print(table)
    if report.failed:
        failures = Table(title="Failures", show_lines=False)
        failures.add_column("input")
        failures.add_column("reason")
        for error in report.failed[:MAX_FAILURES_SHOWN]:
            failures.add_row(safe(error.source), safe(error.reason))
        if len(report.failed) > MAX_FAILURES_SHOWN:
            failures.add_row(f"… and {len(report.failed) - MAX_FAILURES_SHOWN} more", "")
        out.print(failures)
    if report.processed == 0:  # nothing stored or found stored: nothing to search yet
        out.print(safe("Nothing was stored from these inputs (see the reasons above)."))
        return
    out.print(safe(f"Results are in {db}. Next: newsprism search \"QUERY\" --db {db}; "
                   f"newsprism show ID --db {db}; newsprism export --db {db} --format jsonl"))


@app.command("export")
def export_cmd(
    db: DbOption = DEFAULT_DB,
    kind: Annotated[str, typer.Option(
        "--kind", help="documents (the nested record of docs/schema.md), or events, "
        "statements or reviews (one flat row each, docs/exports.md).")] = "documents",
    fmt: Annotated[str, typer.Option(
        "--format", help="jsonl, csv, geojson (events with coordinates) or parquet.")]
    = "jsonl",
    out_path: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: standard output).")
    ] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    outlet: OutletOption = None,
    place: Annotated[str | None, typer.Option(
        help="Place in any spelling (Kharkov): events there, or documents naming it.")] = None,
    type_: Annotated[str | None, typer.Option(
        "--type", help="Event type: events of it, or documents with one.")] = None,
    speaker: Annotated[str | None, typer.Option(
        help="Statements: part of the speaker's name, any spelling.")] = None,
    source_type: Annotated[str | None, typer.Option(
        "--source-type", help="Statements: person, body, country, described or "
        "unattributed.")] = None,
    modality: ModalityOption = None,
    min_confidence: MinConfidenceOption = None,
) -> None:
    """Export documents, events or statements, filtered as the listings are."""
    from newsprism.export.tables import FORMATS_OF, KINDS, records, write_table
    from newsprism.read.reviews import ReviewFilter, review_rows

    _choice("--kind", kind, KINDS)
    _choice("--format", fmt, FORMATS_OF["events"])
    if fmt not in FORMATS_OF[kind]:
        raise _fail(f"--format {fmt} is for events only; for {kind} choose from "
                    f"{', '.join(FORMATS_OF[kind])}")
    start, end = _date_range(date_from, date_to)
    _choice("--type", type_, read.known_event_types())
    _choice("--source-type", source_type, read.SOURCE_TYPES)
    modalities = _modalities(modality)
    least = _min_confidence(min_confidence)
    given = {"--place": place, "--type": type_, "--speaker": speaker,
             "--source-type": source_type, "--modality": modality,
             "--min-confidence": min_confidence}
    allowed = {"documents": ("--place", "--type"),
               "events": ("--place", "--type", "--modality", "--min-confidence"),
               "statements": ("--speaker", "--source-type"),
               "reviews": ()}[kind]
    for option, value in given.items():
        if value is not None and option not in allowed:
            has = ", ".join((*allowed, "--date-from", "--date-to"))
            raise _fail(f"{option} is not a filter of {kind} (it has {has} and --outlet)")
    if out_path is not None:
        _writable(out_path)
    elif fmt == "parquet" and sys.stdout.isatty():
        raise _fail("Parquet is binary: give --out FILE (or redirect the output)")
    store = _open_existing_store(db)
    f: DocumentFilter | EventFilter | StatementFilter | ReviewFilter
    if kind == "reviews":
        f = ReviewFilter(outlet, start, end)
        rows: Iterable = review_rows(store, f)
    elif kind == "events":
        f = EventFilter(type_, place, outlet=outlet, date_from=start, date_to=end,
                        modality=modalities, min_confidence=least)
        rows = read.event_rows(store, f)
    elif kind == "statements":
        f = StatementFilter(speaker, source_type, outlet=outlet, date_from=start, date_to=end)
        rows = read.statement_rows(store, f)
    else:
        f = DocumentFilter(outlet=outlet, date_from=start, date_to=end, place=place,
                           event_type=type_)
        rows = read.document_records(store, f)

    def write(stream, rows: Iterable) -> tuple[int, int]:
        if kind == "documents" and fmt != "parquet":
            return export(rows, stream, fmt), 0
        return write_table(kind, records(kind, rows), fmt, stream)

    if out_path is None:
        stream = sys.stdout.buffer if fmt == "parquet" else terminal_safe(sys.stdout)
        write(stream, rows)
        sys.stdout.flush()
        return
    total = read.count(store, kind, f)
    part = out_path.with_name(f".{out_path.name}.part")  # a failed export leaves no half file
    try:
        with Progress(*_PROGRESS_COLUMNS, TimeElapsedColumn(), console=err, transient=True,
                      disable=not err.is_terminal) as progress:
            task = progress.add_task(f"Exporting {kind}", total=total)
            ticking = _ticking(rows, lambda n: progress.advance(task, n))
            if fmt == "parquet":
                n, left_out = write(str(part), ticking)
            else:
                with part.open("w", encoding="utf-8", newline="") as fh:
                    n, left_out = write(fh, ticking)
        os.replace(part, out_path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _fail(f"cannot write {out_path}: {exc.strerror or exc}") from None
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    noun = kind if n != 1 else kind[:-1]
    note = f" ({left_out} without coordinates left out)" if left_out else ""
    err.print(safe(f"Wrote {n} {noun} to {out_path}{note}"), soft_wrap=True)


def _ticking(rows: Iterable, advance, every: int = 500) -> Iterator:
    """`rows`, advancing a progress bar every `every` of them."""
    n = 0
    for row in rows:
        yield row
        n += 1
        if n == every:
            advance(n)
            n = 0
    advance(n)


def _resolve(resolve, store: Store, value: str) -> str:
    """A full id from an id or prefix, or exit 1 saying why not."""
    try:
        return resolve(store, value)
    except Ambiguous as exc:
        err.print(safe(f"error: '{value}' is ambiguous: {', '.join(exc.matches)}"), style="red")
    except NotFound:
        err.print(safe(f"error: no {'story' if resolve is read.resolve_story else 'document'} "
                       f"with id '{value}'"), style="red")
    raise typer.Exit(1)


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id or a prefix of it.")],
    db: DbOption = DEFAULT_DB,
    as_json: Annotated[bool, typer.Option("--json", help="Print the export record.")] = False,
) -> None:
    """Print one document: metadata, clean text, and the removed lines with their reasons."""
    store = _open_existing_store(db)
    view = read.document_view(store, _resolve(read.resolve_document, store, doc_id))
    doc = view.document
    if as_json:
        _write(json.dumps(view.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    meta = Table(show_header=False, box=None)
    for label, value in [
        ("id", doc.id), ("title", doc.title), ("published", doc.published),
        ("outlet", doc.outlet), ("language", doc.language), ("source", doc.source),
        ("url", doc.url), ("encoding", doc.encoding),
    ]:
        meta.add_row(Text(label, style="bold"), safe(value if value is not None else "—"))
    out.print(meta)
    out.print(Panel(safe(doc.text), title="Clean text", expand=True))
    if doc.removed:
        removed = Table(title=f"Removed lines ({len(doc.removed)})")
        removed.add_column("reason", style="yellow")
        removed.add_column("line")
        for r in doc.removed:
            removed.add_row(safe(r.reason), safe(r.line))
        out.print(removed)
    sections: list[tuple[str, list[str], list[list[Any]]]] = [
        ("Entities", ["type", "name", "mentions", "country"],
         [[e.type, e.name, ", ".join(e.mentions), e.country] for e in doc.entities]),
        ("Statements", ["speaker", "kind", "text"],
         [[s.speaker or "(unattributed)", s.kind, s.text] for s in doc.statements]),
        ("Events", ["type", "modality", "actor", "place", "date", "claimed by", "evidence"],
         [[e.type, e.modality, e.actor, e.place, e.date, e.claimed_by or "(the outlet)",
           e.evidence]
          for e in doc.events]),
        ("Near-duplicates", ["document", "similarity"],
         [[n.id, f"{n.similarity:.2f}"] for n in doc.near_duplicates]),
    ]
    for title, columns, rows in sections:
        if rows:
            table = Table(title=f"{title} ({len(rows)})", show_lines=False)
            for col in columns:
                table.add_column(col, overflow="fold",
                                 ratio=4 if col in ("text", "evidence") else 1)
            for row in rows:
                table.add_row(*(safe("—" if v is None else v) for v in row))
            out.print(table)
    if doc.story:
        out.print(safe(f"Story: {doc.story} (newsprism story {doc.story[:8]})"))


def _highlight(snippet: str) -> Text:
    text = Text()
    for i, part in enumerate(snippet.replace(read.HIT_END, read.HIT_START).split(read.HIT_START)):
        text.append_text(safe(part).copy() if i % 2 == 0 else Text(safe(part).plain, "bold red"))
    return text


@app.command()
def search(
    query: Annotated[str, typer.Argument(
        help="Words, or the backend's syntax: \"buffer zone\" OR kharkiv (SQLite FTS5), "
        "\"buffer zone\" or kharkiv (PostgreSQL web search)")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit.")] = False,
) -> None:
    """Full-text search over titles and clean text, best matches first, with snippets."""
    hits = read.search(_open_existing_store(db), query, limit)
    if as_json:
        for hit in hits:
            plain = hit.snippet.replace(read.HIT_START, "").replace(read.HIT_END, "")
            record = {**hit.__dict__, "snippet": plain}
            _write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    if not hits:
        out.print(safe(f"No documents match {query!r}."))
        return
    table = Table(title=f"{len(hits)} result(s) for {query!r}", show_lines=True)
    for col in ("id", "published", "outlet", "title", "snippet"):
        table.add_column(col)
    for hit in hits:
        table.add_row(
            safe(hit.id), safe(hit.published or "—"), safe(hit.outlet or "—"),
            safe(hit.title or "—"), _highlight(hit.snippet),
        )
    out.print(table)


LimitOption = Annotated[int, typer.Option(min=1, max=10_000, help="Most rows to show.")]
JsonOption = Annotated[bool, typer.Option("--json", help="One JSON object per row.")]


def _rows_out(rows: list[dict], columns: list[str], title: str, as_json: bool,
             labels: dict[str, str] | None = None) -> None:
    """Rows as a table for people or as JSON lines for scripts."""
    if as_json:
        for row in rows:
            _write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        return
    if not rows:
        out.print("Nothing found.")
        return
    table = Table(title=f"{title} ({len(rows)})", show_lines=True)
    for col in columns:
        wide = col in ("text", "evidence", "description", "title", "outlets")
        table.add_column((labels or {}).get(col, col), overflow="fold", ratio=4 if wide else 1)
    for row in rows:
        table.add_row(*(safe("—" if row.get(c) is None else row.get(c)) for c in columns))
    out.print(table)


@app.command()
def entities(
    db: DbOption = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="person, organization or place.")]
    = None,
    name: Annotated[str | None, typer.Option(help="Part of the name.")] = None,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """People, organisations and places across all documents, most reported first."""
    _choice("--type", type_, read.ENTITY_TYPES)
    rows = read.entities(_open_existing_store(db), type_, name, limit)
    _rows_out(rows, ["type", "name", "documents", "country", "lat", "lon"], "Entities", as_json)


def _sort_help(kind: str) -> str:
    allowed, default = pages.SORTS[kind]
    return (f"Order by {', '.join(allowed)}; a leading '-' sorts descending (default "
            f"{default}).")


def _sort(kind: str, value: str | None) -> pages.Sort:
    """The listing's sort (the one the pages and the API use), or exit 2 naming the
    columns."""
    try:
        return pages.Sort.parse(kind, value)
    except pages.BadSort as exc:
        raise _fail(f"invalid --sort: {exc}") from None


@app.command()
def statements(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Part of the speaker's name.")] = None,
    limit: LimitOption = 50,
    source_type: Annotated[str | None, typer.Option(
        "--source-type", help="person, body, country, described or unattributed.")] = None,
    outlet: OutletOption = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    sort: Annotated[str | None, typer.Option(help=_sort_help("statements"))] = None,
    as_json: JsonOption = False,
) -> None:
    """Who said what: statements with speaker (or the description of an unnamed source),
    kind (direct, reported, mixed), outlet and date."""
    _choice("--source-type", source_type, read.SOURCE_TYPES)
    start, end = _date_range(date_from, date_to)
    f = StatementFilter(speaker, source_type, outlet=outlet, date_from=start, date_to=end)
    order = _sort("statements", sort)
    rows = pages.statement_listing(_open_existing_store(db), f, order, 1, limit,
                                   most=10_000).rows
    for row in rows:
        if row["speaker"] is None:
            row["speaker"] = f"({row['source_description'] or row['source_type']})"
    _rows_out(rows, ["speaker", "kind", "text", "outlet", "published", "document_id"],
              "Statements", as_json)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    type_: Annotated[str | None, typer.Option("--type", help="Event type, e.g. advance.")] = None,
    place: Annotated[str | None, typer.Option(help="Place, in any spelling (Kharkov).")] = None,
    limit: LimitOption = 50,
    outlet: OutletOption = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    modality: ModalityOption = None,
    min_confidence: MinConfidenceOption = None,
    sort: Annotated[str | None, typer.Option(help=_sort_help("events"))] = None,
    as_json: JsonOption = False,
) -> None:
    """Events: who did what, where, when, and who claims it, with the evidence sentence."""
    _choice("--type", type_, read.known_event_types())
    start, end = _date_range(date_from, date_to)
    f = EventFilter(type_, place, outlet=outlet, date_from=start, date_to=end,
                    modality=_modalities(modality),
                    min_confidence=_min_confidence(min_confidence))
    order = _sort("events", sort)
    rows = pages.event_listing(_open_existing_store(db), f, order, 1, limit, most=10_000).rows
    _rows_out(rows, ["date", "type", "modality", "actor", "place", "claimed_by", "outlet",
                     "confidence", "evidence"],
              "Events", as_json)


@app.command("link")
def link_cmd(db: DbOption = DEFAULT_DB, full: Annotated[bool, typer.Option(
        "--full", help="Forget stories, claims and contradictions and link every document "
        "again (otherwise only documents not linked yet).")] = False) -> None:
    """Link what is not linked yet: near-duplicates, stories, claims, contradictions (run does
    this too)."""
    _link_with_progress(_open_existing_store(db), full)


@app.command()
def stories(db: DbOption = DEFAULT_DB, limit: LimitOption = 50, as_json: JsonOption = False,
            ) -> None:
    """Stories: the same events reported by several outlets, largest first."""
    rows = [s.to_dict() for s in read.stories(_open_existing_store(db), limit)]
    _rows_out(rows, ["story", "documents", "outlets", "first", "last", "title"], "Stories",
              as_json)


STORY_TABLE_PAGE = 8  # documents side by side that a terminal table can show


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="Story id (or a prefix).")],
    db: DbOption = DEFAULT_DB,
    as_json: JsonOption = False,
    page: Annotated[int, typer.Option(min=1, help="Which page of the story's documents.")] = 1,
    page_size: Annotated[int | None, typer.Option(
        "--page-size", min=1, max=200, help="Documents per page (one column each; the "
        f"table shows {STORY_TABLE_PAGE}, --json the API's {read.STORY_PAGE}).")] = None,
) -> None:
    """One story, outlet by outlet: which claims each carries, and where they contradict
    (a page of its documents at a time, oldest first)."""
    store = _open_existing_store(db)
    size = page_size or (read.STORY_PAGE if as_json else STORY_TABLE_PAGE)
    view = read.story_view(store, _resolve(read.resolve_story, store, story_id), page, size)
    if as_json:
        _write(read.dumps(view.to_dict()) + "\n")
        return
    docs = view.documents
    shown = f"{len(docs)} documents" if view.pages == 1 else \
        f"{view.total} documents, page {view.page} of {view.pages} (--page)"
    table = Table(title=f"Story {view.story}: {shown}", show_lines=True)
    table.add_column("claim", ratio=2)
    for d in docs:
        table.add_column(safe(f"{d.outlet or 'unknown outlet'}\n{d.published or ''}\n{d.id[:8]}"),
                         ratio=2)
    for row in view.rows:
        cells = [safe("\n".join(f"{e.actor or '?'} — claimed by {e.claimed_by or 'the outlet'}"
                                for e in row.cells.get(d.id, []))) for d in docs]
        claim = row.claim
        label = f"{claim.type} · {claim.place} · {claim.date or ''}\n" \
                f"{claim.outlet_count} independent outlet(s)"
        table.add_row(safe(label), *cells)
    out.print(table)
    for c in view.contradictions:
        out.print(Text("Contradiction: ", style="bold red") + safe(c.description))
    for d in docs:
        for dup in d.near_duplicates:
            out.print(safe(f"{d.id[:8]} ({d.outlet}) is a near-duplicate of {dup.id[:8]} "
                           f"(similarity {dup.similarity:.2f})"))


@app.command()
def claims(
    db: DbOption = DEFAULT_DB,
    place: Annotated[str | None, typer.Option(
        help="Only claims and contradictions at this place, in any spelling (Kharkov).")] = None,
    contradictions_only: Annotated[
        bool, typer.Option("--contradictions", help="List contradictions only.")] = False,
    limit: LimitOption = 50,
    as_json: JsonOption = False,
) -> None:
    """Claims carried by several outlets (copies count once), and contradictions between them."""
    view = read.claims(_open_existing_store(db), place, contradictions_only, limit)
    if not contradictions_only:
        rows = [dict(c.to_dict(), outlets=", ".join(c.outlets),
                     claimed_by=", ".join(c.claimed_by)) for c in view.claims]
        _rows_out(rows, ["id", "type", "place", "date", "outlet_count", "outlets", "claimed_by"],
                  "Claims", as_json)
    _rows_out([c.to_dict() for c in view.contradictions],
              ["kind", "place", "description", "claim_a", "claim_b"], "Contradictions", as_json)


@app.command()
def outlets(db: DbOption = DEFAULT_DB, as_json: JsonOption = False) -> None:
    """Outlet profiles: unattributed claims, loaded terms and hedges per 1,000 words, copies."""
    rows = read.outlets(_open_existing_store(db)).rows
    labels = {"outlet": "outlet", "documents": "docs", "unattributed_share": "unattributed",
              "described_source_share": "described sources",
              "pro_kremlin_per_1000": "pro-Kremlin /1k words",
              "pro_ukrainian_per_1000": "pro-Ukraine /1k words",
              "hedges_per_1000": "hedges /1k words", "filler_per_1000": "filler /1k words",
              "copy_rate": "copies"}
    _rows_out(rows, list(labels) if not as_json else list(rows[0]) if rows else [],
              "Outlets", as_json, labels)


def _is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and 'localhost' are this machine only; anything else may be reached
    from elsewhere (0.0.0.0 and :: mean every interface)."""
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default). Any "
                                           "other address needs a token for every request.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        envvar="NEWSPRISM_TOKEN",
        help="Allow POST /api/documents, with this bearer token only. Off loopback, every "
        "request needs it (one is made up and printed when none is given).")] = None,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Server processes. Each computes pages on its own core and keeps "
        "its own pages until the database changes; one per core answers more pages that "
        "are asked for the first time at once.")] = 1,
) -> None:
    """Serve the JSON API (/api, docs at /docs) and the dashboard (/) over HTTP."""
    import secrets

    import uvicorn

    from newsprism.api.app import create_app

    _open_existing_store(db)  # a clear error before the server starts
    private = _is_loopback(host)
    if not private:
        err.print(safe(f"warning: {host} is not a loopback address: the server can be reached "
                       "from other machines, over plain HTTP. Every request needs the token."),
                  style="yellow")
        if not token:
            token = secrets.token_urlsafe(24)
            err.print(safe(f"Token (made up for this run; pass --token to choose one): {token}"))
    mode = "read-write with a token" if token else "read-only"
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(safe(f"Serving {_shown(db)} ({mode}) at http://{shown_host}:{port}/"
                   + ("" if private else f"?token={token}") + " — Ctrl-C to stop"))
    if workers == 1:
        uvicorn.run(create_app(db, token, token_for_reads=not private), host=host, port=port,
                    log_level="warning")
        return
    # each worker process builds its own app (api/app.py: app_from_environment) from these
    os.environ["NEWSPRISM_SERVE_DB"] = db
    os.environ["NEWSPRISM_SERVE_TOKEN_FOR_READS"] = "" if private else "1"
    if token:
        os.environ["NEWSPRISM_TOKEN"] = token
    else:
        os.environ.pop("NEWSPRISM_TOKEN", None)
    uvicorn.run("newsprism.api.app:app_from_environment", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@app.command()
def report(
    db: DbOption = DEFAULT_DB,
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write.")]
    = Path("report.html"),
) -> None:
    """Write one self-contained HTML report (no network needed to open it) for sharing."""
    from newsprism.web.report import build_report

    _writable(out_path)
    html = build_report(_open_existing_store(db))
    try:
        out_path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {out_path}: {exc.strerror or exc}") from None
    err.print(safe(f"Wrote {out_path} ({len(html.encode()) / 1024:.0f} KiB)"))


@app.command()
def stats(db: DbOption = DEFAULT_DB) -> None:
    """Counts at a glance: documents per outlet and language, removed lines per reason."""
    store = _open_existing_store(db)
    out.print(safe(f"{store.count()} documents in {db}"))
    for name, rows in store.stats().items():
        table = Table(title=f"By {name}")
        table.add_column(name)
        table.add_column("count", justify="right")
        for value, n in rows:
            table.add_row(safe(value), str(n))
        out.print(table)


db_app = typer.Typer(help="The database's schema: which revision it is at, and upgrading it.",
                     no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("current")
def db_current(db: DbOption = DEFAULT_DB) -> None:
    """Show the database's schema revision and the newest one known (changes nothing)."""
    from sqlalchemy import create_engine, make_url
    from sqlalchemy.pool import NullPool

    from newsprism.store import database_url, migrations

    try:
        url = make_url(database_url(db))
        if url.get_backend_name() == "sqlite" and url.database and not url.query \
                and not Path(url.database).exists():
            raise FileNotFoundError("no such file")
        engine = create_engine(url, poolclass=NullPool)
        with engine.connect() as conn:
            revision = migrations.current_revision(conn)
        engine.dispose()
    except Exception as exc:  # bad URL, unreachable server, missing driver
        err.print(safe(f"error: cannot open database '{_shown(db)}': {exc}"), style="red")
        raise typer.Exit(2) from exc
    if revision == migrations.HEAD:
        state = "up to date"
    elif revision is None or revision in migrations.known_revisions():
        state = "behind: `newsprism db upgrade` (or any command) upgrades it"
    else:
        state = "unknown here: a newer Newsprism wrote it"
    out.print(safe(f"{_shown(db)}: revision {revision or 'none'} (newest {migrations.HEAD}); "
                   f"{state}"))


@db_app.command("upgrade")
def db_upgrade(db: DbOption = DEFAULT_DB) -> None:
    """Upgrade the database's schema to the newest revision (opening it does so too)."""
    from newsprism.store import database_url, migrations

    try:
        before, after = migrations.upgrade(database_url(db))
    except Exception as exc:  # read-only, too new, unreachable
        err.print(safe(f"error: cannot upgrade database '{_shown(db)}': {exc}"), style="red")
        raise typer.Exit(2) from exc
    if before == after:
        out.print(safe(f"{_shown(db)}: already at revision {after}"))
    else:
        out.print(safe(f"{_shown(db)}: upgraded from revision {before or 'none'} to {after}"))


# `watch` and `alert ...` live with the watcher (watch/cli.py), which uses the helpers above
from newsprism.watch.cli import alert_app, watch  # noqa: E402

app.command()(watch)
app.add_typer(alert_app, name="alert")


if __name__ == "__main__":
    app()
