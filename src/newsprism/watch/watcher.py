"""The watch loop: poll each source when its interval is up, fetch what is new or changed,
and hand the pages to the same runner, pipeline and store as `newsprism run`.

A poll works in batches of entries: fetch a batch, store its documents (one transaction),
then mark its entries as handled (another); a feed's ETag is saved at the end of a poll whose
every entry was handled. A watcher stopped anywhere (Ctrl-C, kill -9) therefore leaves whole
batches, and the next start fetches the rest; the store adds nothing twice (content ids; a
page whose text it already has for that URL is not stored again). Problems are one line each,
naming the URL and the reason; the other sources and entries go on.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from newsprism import runner
from newsprism.engine import Engine, LocalEngine
from newsprism.ingest.files import Item, iter_file
from newsprism.model import Document, InputError
from newsprism.store import Store
from newsprism.store.schema import document_versions
from newsprism.watch import state
from newsprism.watch.config import Source, WatchConfig
from newsprism.watch.fetch import Fetcher, FetchError
from newsprism.watch.sources import (
    Entry,
    Listing,
    list_feed,
    list_folder,
    list_sitemap,
    page_document,
)


@dataclass
class PollReport:
    source: str
    listed: int = 0  # entries in the feed, sitemap or folder
    changed: int = 0  # new or changed since the last poll
    revisited: int = 0  # unchanged in the listing, fetched again to look for edits
    backlog: int = 0  # left for the next round (more than max_pages to fetch)
    added: int = 0  # documents stored
    versions: int = 0  # of these, new versions of a page stored before
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False
    stopped: bool = False
    seconds: float = 0.0

    def line(self) -> str:
        if self.not_modified:
            what = "not modified"
        else:
            again = f", {self.revisited} revisited" if self.revisited else ""
            what = (f"{self.listed} listed, {self.changed} new or changed{again}, "
                    f"{self.added} stored ({self.versions} as new versions)")
        errors = f", {len(self.errors)} error(s)" if self.errors else ""
        errors += f", {self.backlog} left for the next round" if self.backlog else ""
        stopped = ", stopped" if self.stopped else ""
        return f"{self.source}: {what}{errors}{stopped} in {self.seconds:.1f} s"


def _chunks(entries: list[Entry], size: int) -> Iterator[list[Entry]]:
    for start in range(0, len(entries), size):
        yield entries[start:start + size]


class _Pollers:
    """A few daemon threads, each polling one source at a time. Daemon threads, so that a
    second Ctrl-C ends the process at once: a transaction one of them has in flight is
    rolled back by the database, as after kill -9."""

    def __init__(self, size: int, poll: Callable[[Source], PollReport]):
        self.size, self.poll = size, poll
        self.tasks: queue.Queue[Source | None] = queue.Queue()
        self.done: queue.Queue[tuple[Source, PollReport | BaseException]] = queue.Queue()
        self.threads: list[threading.Thread] = []

    def submit(self, source: Source) -> None:
        if len(self.threads) < self.size:
            thread = threading.Thread(target=self._work, name=f"watch-{len(self.threads)}",
                                      daemon=True)
            self.threads.append(thread)
            thread.start()
        self.tasks.put(source)

    def _work(self) -> None:
        while (source := self.tasks.get()) is not None:
            try:
                self.done.put((source, self.poll(source)))
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                self.done.put((source, exc))

    def close(self) -> None:
        for _ in self.threads:
            self.tasks.put(None)


def _by_host(due: list[Source]) -> list[Source]:
    """Sources in turns by host (one of each host, then the next of each, ...), so that the
    threads fetch different hosts at once rather than queue for one."""
    hosts: dict[str, list[Source]] = {}
    for source in due:
        host = urlsplit(source.location).netloc.lower() if source.kind != "folder" else ""
        hosts.setdefault(host, []).append(source)
    turns: list[Source] = []
    for i in range(max(map(len, hosts.values()), default=0)):
        turns += [same[i] for same in hosts.values() if i < len(same)]
    return turns


class Watcher:
    """Polls the sources of `config` into `store`. `on_line` receives every message (errors
    start with 'error:'); `stop` ends the loop and any wait (set it from a signal handler).

    Up to `config.concurrency` sources are polled at once, each by a thread of its own
    (fetching is waiting, mostly); what they fetched is stored one batch at a time (a lock),
    through the one engine, each batch one transaction. Linking runs beside them in a thread
    of its own (the store's link lock keeps it to one at a time), and alerts check in their
    own write transactions."""

    def __init__(self, config: WatchConfig, store: Store, engine: Engine | None = None,
                 fetcher: Fetcher | None = None, on_line: Callable[[str], None] = print,
                 stop: threading.Event | None = None, batch: int | None = None,
                 alerts: bool = True, link: bool = True):
        self.config, self.store = config, store
        self.stop = stop or threading.Event()
        self.own_engine = engine is None
        self.engine = engine or LocalEngine(workers=1)
        self.own_fetcher = fetcher is None
        self.fetcher = fetcher or Fetcher(config.limits, sleep=self._sleep)
        self.on_line, self.batch = on_line, batch or config.batch
        self.alerts, self.link = alerts, link
        self.unlinked = False
        self.unchecked = True  # documents stored since the alerts were last checked
        self.backlog: set[str] = set()  # sources with pages left over from their last poll
        self.last_link = time.monotonic()
        self.last_alerts = 0.0
        self.writing = threading.RLock()  # one batch stored at a time (one shared engine)
        self.in_flight: set[str] = set()
        self.linker: threading.Thread | None = None  # linking in the background (run)
        self.pollers = _Pollers(config.concurrency, self.poll)
        state.sync_sources(store, config.sources)

    def close(self) -> None:
        self.pollers.close()
        if self.own_engine:
            self.engine.close()
        if self.own_fetcher:
            self.fetcher.close()

    def _sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)

    # -- scheduling ----------------------------------------------------------------------------
    def due(self, now: datetime | None = None) -> list[Source]:
        """Sources never polled, or whose interval has passed since their last poll (not
        those being polled now)."""
        now = now or datetime.now(UTC)
        last = state.last_fetch(self.store)
        return [s for s in self.config.sources if s.name not in self.in_flight and (
            (when := last.get(s.name)) is None or s.name in self.backlog
            or (now - when).total_seconds() >= s.interval)]

    def seconds_to_next(self) -> float:
        now = datetime.now(UTC)
        last = state.last_fetch(self.store)
        waits = [0.0 if (when := last.get(s.name)) is None or s.name in self.backlog
                 else s.interval - (now - when).total_seconds()
                 for s in self.config.sources if s.name not in self.in_flight]
        return max(0.0, min(waits, default=60.0))

    def _launch(self, sources: list[Source]) -> None:
        for source in _by_host(sources):
            self.in_flight.add(source.name)
            self.pollers.submit(source)

    def _collect(self, timeout: float) -> list[PollReport]:
        """Reports of the polls that ended, waiting up to `timeout` for the first one; an
        exception a poll raised is raised here."""
        got: list[tuple[Source, PollReport | BaseException]] = []
        try:
            got.append(self.pollers.done.get(timeout=timeout))
            while True:
                got.append(self.pollers.done.get_nowait())
        except queue.Empty:
            pass
        reports = []
        for source, outcome in got:
            self.in_flight.discard(source.name)
            if isinstance(outcome, BaseException):
                raise outcome
            reports.append(outcome)
        return reports

    def cycle(self, force_link: bool = False) -> list[PollReport]:
        """Poll every due source once (several at once), then link (if due) and deliver
        alerts. Reports come in the order of the watch list."""
        due = self.due()
        self._launch(due)
        reports: list[PollReport] = []
        while self.in_flight:
            reports += self._collect(timeout=1.0)
        order = {s.name: i for i, s in enumerate(self.config.sources)}
        reports.sort(key=lambda r: order.get(r.source, 0))
        if not self.stop.is_set():
            self._maintain(force_link, force_alerts=True)
        return reports

    def run(self, once: bool = False) -> None:
        """Poll until stopped (or one round with `once`, as cron would). Each source is polled
        when its own interval is up, whatever the others are doing: a slow one holds up only
        its own thread."""
        if once:
            self.cycle(force_link=True)
            return
        while not self.stop.is_set():
            self._launch(self.due())
            self._collect(timeout=min(max(self.seconds_to_next(), 0.05), 1.0))
            if not self.stop.is_set():
                self._maintain(background=True)
        while self.in_flight:  # stopped: each poll ends after the fetch in hand, and stores it
            self._collect(timeout=1.0)
        if self.linker is not None:
            self.linker.join()

    def _maintain(self, force_link: bool = False, force_alerts: bool = False,
                  background: bool = False) -> None:
        """Link when `link_every` has passed since the last linking (and something is new);
        check alerts after documents were stored (at most once a second), and once a minute
        anyway (another process may have stored some). `background`: link in a thread of
        its own, so that polling goes on meanwhile (linking takes the store's link lock and
        its own transactions; documents stored meanwhile are linked the next time)."""
        now = time.monotonic()
        if self.link and self.unlinked and (
                force_link or now - self.last_link >= self.config.link_every):
            if not background:
                self._link()
            elif self.linker is None or not self.linker.is_alive():
                self.linker = threading.Thread(target=self._link, name="watch-link",
                                               daemon=True)
                self.linker.start()
        if self.alerts and (force_alerts or now - self.last_alerts >= 60.0
                            or (self.unchecked and now - self.last_alerts >= 1.0)):
            from newsprism.watch.alerts import check_alerts

            self.unchecked, self.last_alerts = False, time.monotonic()
            check_alerts(self.store, self.on_line)  # its own write transaction per alert

    def _link(self) -> None:
        from newsprism.link.run import link

        started = time.monotonic()
        self.unlinked, self.last_link = False, started  # what is stored from now: next time
        try:
            result = link(self.store)
        except Exception as exc:  # noqa: BLE001 - one line; linked again next time
            self.unlinked = True
            self.on_line(f"error: linking failed ({' '.join(str(exc).split())[:300]}); "
                         "it is tried again later")
            return
        self.on_line(f"linked: {result.stories} stories, {result.claims} claims, "
                     f"{result.contradictions} contradictions in "
                     f"{time.monotonic() - started:.1f} s")

    def _mark(self, name: str, entries: list[Entry], stored: int) -> None:
        with self.writing:
            state.mark_handled(self.store, name, entries, stored)

    def _finish(self, name: str, when: datetime, status: int | None, error: str | None,
                etag: str | None = None, last_modified: str | None = None,
                keep_validators: bool = False) -> None:
        with self.writing:
            state.finish_poll(self.store, name, when, status, error, etag, last_modified,
                              keep_validators)

    # -- one source ----------------------------------------------------------------------------
    def poll(self, source: Source) -> PollReport:
        report = PollReport(source.name)
        started = time.monotonic()
        when = datetime.now(UTC)
        try:
            if source.kind == "url":
                self._poll_page(source, report, when)
            elif source.kind == "folder":
                self._poll_folder(source, report, when)
            else:
                self._poll_listing(source, report, when)
        finally:
            report.seconds = time.monotonic() - started
        self.on_line(report.line())
        return report

    def _error(self, report: PollReport, message: str) -> None:
        report.errors.append(message)
        self.on_line(f"error: {message} (source {report.source})")

    def _poll_listing(self, source: Source, report: PollReport, when: datetime) -> None:
        etag, modified = state.validators(self.store, source.name)
        lister = list_feed if source.kind == "feed" else list_sitemap
        try:
            listing = lister(self.fetcher, source.location, etag, modified)
        except FetchError as exc:
            self._error(report, str(exc))
            self._finish(source.name, when, exc.status, str(exc),
                              keep_validators=True)
            return
        for note in listing.notes:
            self._error(report, note)
        resp = listing.response
        assert resp is not None
        if listing.not_modified:
            report.not_modified = True
            self._finish(source.name, when, resp.status, None,
                              keep_validators=True)
            return
        complete = self._handle(source, listing, report, self._fetch_pages) \
            and not listing.notes  # a sitemap of the index that could not be read
        self._finish(source.name, when, resp.status,
                          report.errors[0] if report.errors else None,
                          resp.headers.get("etag"), resp.headers.get("last-modified"),
                          keep_validators=not complete)

    def _poll_folder(self, source: Source, report: PollReport, when: datetime) -> None:
        listing = list_folder(source.location)
        for note in listing.notes:
            self._error(report, note)
        self._handle(source, listing, report, self._read_files)
        self._finish(source.name, when, None,
                          report.errors[0] if report.errors else None, keep_validators=True)

    def _poll_page(self, source: Source, report: PollReport, when: datetime) -> None:
        etag, modified = state.validators(self.store, source.name)
        report.listed = 1
        try:
            resp = self.fetcher.get(source.location, etag, modified)
            if resp.not_modified:
                report.not_modified = True
                self._finish(source.name, when, 304, None,
                                  keep_validators=True)
                return
            doc = page_document(resp, source.name)
        except FetchError as exc:
            self._error(report, str(exc))
            self._finish(source.name, when, exc.status, str(exc),
                              keep_validators=True)
            return
        report.changed = 1
        self._store(report, [(doc, len(doc.raw))])
        self._mark(source.name, [], report.added)
        self._finish(source.name, when, resp.status, None,
                          resp.headers.get("etag"), resp.headers.get("last-modified"))

    def _handle(self, source: Source, listing: Listing, report: PollReport,
                fetch: Callable[[Source, list[Entry], PollReport], tuple[list[Item],
                                                                        list[Entry], bool]]
                ) -> bool:
        """New and changed entries, batch by batch: fetch, store, mark. False when some
        entry is left for the next poll (a passing error, or the watcher was stopped)."""
        known = state.fingerprints(self.store, source.name)
        now = datetime.now(UTC)
        todo: dict[str, Entry] = {}
        for entry in listing.entries:
            seen = known.get(entry.key)
            if seen is None or seen[0] != entry.fingerprint:
                todo[entry.key] = entry
            elif source.kind != "folder" and entry.key not in todo \
                    and (now - seen[1]).total_seconds() >= source.revisit:
                entry.revisit = True
                todo[entry.key] = entry
        report.listed = len(listing.entries)
        report.changed = sum(not e.revisit for e in todo.values())
        report.revisited = len(todo) - report.changed
        work = list(todo.values())
        complete = len(work) <= self.config.max_pages
        if complete:
            self.backlog.discard(source.name)
        else:  # a first poll of a large sitemap: the rest in the next rounds, other sources
            # being polled in between
            work = work[:self.config.max_pages]
            self.backlog.add(source.name)
            report.backlog = len(todo) - len(work)
        for chunk in _chunks(work, self.batch):
            if self.stop.is_set():
                report.stopped = True
                return False
            items, handled, all_handled = fetch(source, chunk, report)
            complete &= all_handled
            added_before = report.added
            self._store(report, items)
            self._mark(source.name, handled, report.added - added_before)
        return complete and not self.stop.is_set()

    def _fetch_pages(self, source: Source, chunk: list[Entry], report: PollReport
                     ) -> tuple[list[Item], list[Entry], bool]:
        items: list[Item] = []
        handled: list[Entry] = []
        complete = True
        validators = state.page_validators(self.store, [e.url for e in chunk if e.revisit])
        for entry in chunk:
            if self.stop.is_set():
                return items, handled, False
            try:
                resp = self.fetcher.get(entry.url, *validators.get(entry.url, (None, None)))
                if resp.not_modified:
                    handled.append(entry)
                    continue
                doc = page_document(resp, source.name, entry)
            except FetchError as exc:
                self._error(report, str(exc))
                if exc.permanent:
                    handled.append(entry)  # asking again will not help until the entry changes
                else:
                    complete = False
                continue
            items.append((doc, len(doc.raw)))
            handled.append(entry)
        return items, handled, complete

    def _read_files(self, source: Source, chunk: list[Entry], report: PollReport
                    ) -> tuple[list[Item], list[Entry], bool]:
        max_bytes = self.config.limits.max_bytes
        items = [item for entry in chunk for item in iter_file(Path(entry.url), max_bytes)]
        for doc, _size in items:
            if isinstance(doc, Document) and doc.hints.get("fetched_at"):  # a WARC capture
                doc.hints["watch_source"] = source.name  # counted in the source's health
        return items, chunk, True

    def _store(self, report: PollReport, items: list[Item]) -> None:
        """Through the runner, as `newsprism run` would: the pipeline on the engine, one
        transaction per batch; input errors become error lines."""
        if not items:
            return
        with self.writing:
            self._store_locked(report, items)

    def _store_locked(self, report: PollReport, items: list[Item]) -> None:
        ids = [item.id for item, _ in items if not isinstance(item, InputError)]
        before = self.store.existing_ids(ids)

        def on_error(error: InputError) -> None:
            self._error(report, f"{error.source}: {error.reason}")

        result = runner.run_items(items, self.store, self.engine, batch_size=max(len(items), 1),
                                  on_error=on_error)
        if not result.added:
            return
        new = list(self.store.existing_ids(ids) - before)
        report.added += result.added
        self.unlinked = self.unchecked = True
        with self.store.engine.connect() as conn:
            report.versions += conn.scalar(
                select(func.count()).select_from(document_versions)
                .where(document_versions.c.document_id.in_(new),
                       document_versions.c.version > 1)) or 0
