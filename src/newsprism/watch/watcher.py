"""The watch loop: poll each source when its interval is up, fetch what is new or changed,
and hand the pages to the same runner, pipeline and store as `newsprism run`.

Polling and processing are apart. Up to `concurrency` threads poll (read a feed, fetch its
new and changed pages); they never run the pipeline and never write to the database: what
they fetched goes, batch by batch, into a bounded queue (`queue` pages), which one thread
empties: it runs the pipeline, stores each batch (one transaction), then marks its entries
as handled (another), and records the end of each poll after its batches (a feed's ETag only
when every entry of that poll was handled). So a slow pipeline, linking or a busy database
delays storing, never the next poll of a feed; the schedule is kept in memory (and the last
poll of each source in the database, for a restart).

When the queue is full a poll fetches no more pages: it says so in one line and leaves them
for its next poll (the entries are remembered, so one that leaves the feed meanwhile is still
fetched); nothing fetched is dropped. A watcher stopped anywhere (Ctrl-C, kill -9) leaves
whole batches, and the next start fetches the rest; the store adds nothing twice (content
ids; a page whose text it already has for that URL is not stored again). Problems are one
line each, naming the URL and the reason; the other sources and entries go on.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
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

# seconds a thread running Python code keeps the interpreter before another may take it:
# shorter than Python's 5 ms, so a polling thread waiting to read an answer is not held up
# long by the pipeline or linking running in the same process
SWITCH_INTERVAL = 0.001


@dataclass
class PollReport:
    source: str
    listed: int = 0  # entries in the feed, sitemap or folder
    changed: int = 0  # new or changed since the last poll
    revisited: int = 0  # unchanged in the listing, fetched again to look for edits
    backlog: int = 0  # left for the next round (more than max_pages to fetch)
    deferred: int = 0  # left for the next poll: the processing queue was full
    added: int = 0  # documents stored
    versions: int = 0  # of these, new versions of a page stored before
    errors: list[str] = field(default_factory=list)
    not_modified: bool = False
    stopped: bool = False
    seconds: float = 0.0  # polling: listing and fetching
    waited: float = 0.0  # from the end of the poll until its last batch was stored

    def line(self) -> str:
        if self.not_modified:
            what = "not modified"
        else:
            again = f", {self.revisited} revisited" if self.revisited else ""
            what = (f"{self.listed} listed, {self.changed} new or changed{again}, "
                    f"{self.added} stored ({self.versions} as new versions)")
        errors = f", {len(self.errors)} error(s)" if self.errors else ""
        errors += f", {self.backlog} left for the next round" if self.backlog else ""
        errors += f", {self.deferred} left for the next poll (queue full)" \
            if self.deferred else ""
        stopped = ", stopped" if self.stopped else ""
        waited = f" (stored {self.waited:.1f} s later)" if self.waited >= 1.0 else ""
        return f"{self.source}: {what}{errors}{stopped} in {self.seconds:.1f} s{waited}"


class _Pollers:
    """A few daemon threads, each polling one source at a time. Daemon threads, so that a
    second Ctrl-C ends the process at once: nothing they do is half a write."""

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


@dataclass
class _Batch:
    """Fetched pages of one poll, to store; then `entries` are marked handled."""

    source: str
    report: PollReport
    items: list[Item]
    entries: list[Entry]
    slots: int  # pages of the queue's limit this batch holds


@dataclass
class _Finish:
    """The end of a poll, recorded after its batches were stored."""

    source: str
    report: PollReport
    when: datetime
    status: int | None
    error: str | None
    etag: str | None = None
    last_modified: str | None = None
    keep_validators: bool = False
    ended: float = field(default_factory=time.monotonic)


class _Inflow:
    """What the polls fetched, waiting for the processing thread: a FIFO of batches and ends
    of polls, bounded by the pages it holds (`limit`). A poll reserves room before it fetches
    a page, so nothing fetched ever waits outside it, and nothing is dropped."""

    def __init__(self, limit: int):
        self.limit = limit
        self.pages = 0  # reserved or queued
        self.peak = 0
        self.tasks: deque[_Batch | _Finish] = deque()
        self.busy = False  # the processing thread is on a task
        self.cond = threading.Condition()

    def reserve(self, wanted: int) -> int:
        """Room for up to `wanted` pages (all of it, some, or none)."""
        with self.cond:
            got = max(0, min(wanted, self.limit - self.pages))
            self.pages += got
            self.peak = max(self.peak, self.pages)
            return got

    def reserve_waiting(self, wanted: int, stop: threading.Event,
                        on_wait: Callable[[], None]) -> bool:
        """Room for `wanted` pages, waiting for it (backpressure; `on_wait` once, when it has
        to wait); False if stopped meanwhile. An empty queue takes any batch."""
        with self.cond:
            waited = False
            while self.pages and self.pages + wanted > self.limit:
                if stop.is_set():
                    return False
                if not waited:
                    waited = True
                    on_wait()
                self.cond.wait(0.5)
            self.pages += wanted
            self.peak = max(self.peak, self.pages)
            return True

    def release(self, pages: int) -> None:
        with self.cond:
            self.pages -= pages
            self.cond.notify_all()

    def take(self, pages: int) -> None:
        """Room taken beyond what was reserved (a folder's WARC file of many pages)."""
        with self.cond:
            self.pages += pages
            self.peak = max(self.peak, self.pages)

    def put(self, task: _Batch | _Finish) -> None:
        with self.cond:
            self.tasks.append(task)
            self.cond.notify_all()

    def get(self, timeout: float) -> _Batch | _Finish | None:
        with self.cond:
            if not self.tasks:
                self.cond.wait(timeout)
            if not self.tasks:
                return None
            self.busy = True
            return self.tasks.popleft()

    def done(self, task: _Batch | _Finish) -> None:
        with self.cond:
            self.busy = False
            if isinstance(task, _Batch):
                self.pages -= task.slots
            self.cond.notify_all()

    def wait_empty(self, timeout: float) -> bool:
        """True once nothing is queued or being processed (within `timeout`)."""
        with self.cond:
            if self.tasks or self.busy:
                self.cond.wait(timeout)
            return not (self.tasks or self.busy)


class Watcher:
    """Polls the sources of `config` into `store`. `on_line` receives every message (errors
    start with 'error:'); `stop` ends the loop and any wait (set it from a signal handler).

    Up to `config.concurrency` sources are polled at once, each by a thread of its own
    (fetching is waiting, mostly); what they fetched is processed and stored by one thread
    (`_process`), through the one engine, each batch one transaction, which also checks the
    alerts. Linking runs beside them in a thread of its own (the store's link lock keeps it
    to one at a time)."""

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
        self.alerting = threading.Lock()  # one alert check at a time
        self.in_flight: set[str] = set()
        self.linker: threading.Thread | None = None  # linking in the background (run)
        self.pollers = _Pollers(config.concurrency, self.poll)
        self.inflow = _Inflow(config.queue)
        # entries queued but not yet marked handled: (source, key) -> fingerprint
        self.pending: dict[tuple[str, str], str] = {}
        self.pending_lock = threading.Lock()
        # entries a full queue kept from being fetched, per source (fetched on its next poll,
        # even if they left the listing meanwhile)
        self.deferred: dict[str, dict[str, Entry]] = {}
        self.full_since: float | None = None  # when the queue was found full (until room)
        self.deferred_pages = 0  # pages left for a next poll since then
        self.failure: BaseException | None = None  # raised by the processing thread
        state.sync_sources(store, config.sources)
        self.polled: dict[str, datetime | None] = state.last_fetch(store)  # poll starts
        self.running = False  # in run(): the processing thread also checks alerts when idle
        self.closed = False
        self.processor = threading.Thread(target=self._process, name="watch-store",
                                          daemon=True)

    def close(self) -> None:
        self.pollers.close()
        self.closed = True
        self.inflow.put(_Finish("", PollReport(""), datetime.now(UTC), None, None))  # wake
        if self.own_engine:
            self.engine.close()
        if self.own_fetcher:
            self.fetcher.close()

    def _sleep(self, seconds: float) -> None:
        self.stop.wait(seconds)

    # -- scheduling ----------------------------------------------------------------------------
    def due(self, now: datetime | None = None) -> list[Source]:
        """Sources never polled, or whose interval has passed since their last poll began
        (not those being polled now)."""
        now = now or datetime.now(UTC)
        return [s for s in self.config.sources if s.name not in self.in_flight and (
            (when := self.polled.get(s.name)) is None or s.name in self.backlog
            or (now - when).total_seconds() >= s.interval)]

    def seconds_to_next(self) -> float:
        now = datetime.now(UTC)
        waits = [0.0 if (when := self.polled.get(s.name)) is None or s.name in self.backlog
                 else s.interval - (now - when).total_seconds()
                 for s in self.config.sources if s.name not in self.in_flight]
        return max(0.0, min(waits, default=60.0))

    def _launch(self, sources: list[Source]) -> None:
        if sources and self.processor.ident is None:  # started with the first poll
            self.processor.start()
        for source in _by_host(sources):
            self.in_flight.add(source.name)
            self.pollers.submit(source)

    def _collect(self, timeout: float) -> list[PollReport]:
        """Reports of the polls that ended, waiting up to `timeout` for the first one; an
        exception a poll (or the processing thread) raised is raised here."""
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
        self._raise_failure()
        return reports

    def _raise_failure(self) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure

    def drain(self) -> None:
        """Wait until everything fetched is stored (and each poll's end recorded)."""
        while not self.inflow.wait_empty(1.0):
            self._raise_failure()
            if not self.processor.is_alive():
                break
        self._raise_failure()

    def cycle(self, force_link: bool = False) -> list[PollReport]:
        """Poll every due source once (several at once), store what they fetched, then link
        (if due) and deliver alerts. Reports come in the order of the watch list."""
        due = self.due()
        self._launch(due)
        reports: list[PollReport] = []
        while self.in_flight:
            reports += self._collect(timeout=1.0)
        self.drain()
        order = {s.name: i for i, s in enumerate(self.config.sources)}
        reports.sort(key=lambda r: order.get(r.source, 0))
        if not self.stop.is_set():
            self._maintain(force_link)
            self._check_alerts(force=True)
        return reports

    def run(self, once: bool = False) -> None:
        """Poll until stopped (or one round with `once`, as cron would). Each source is polled
        when its own interval is up, whatever the others are doing: a slow one holds up only
        its own thread, and storing holds up none."""
        if once:
            self.cycle(force_link=True)
            return
        self.running = True
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
        try:
            while not self.stop.is_set():
                self._launch(self.due())
                self._collect(timeout=min(max(self.seconds_to_next(), 0.01), 1.0))
                if not self.stop.is_set():
                    self._maintain(background=True)
            while self.in_flight:  # stopped: each poll ends after the fetch in hand
                self._collect(timeout=1.0)
            self.drain()  # and what was fetched is stored
            if self.linker is not None:
                self.linker.join()
        finally:
            sys.setswitchinterval(switch)

    def _maintain(self, force_link: bool = False, background: bool = False) -> None:
        """Link when `link_every` has passed since the last linking (and something is new).
        `background`: in a thread of its own, so that polling goes on meanwhile (linking
        takes the store's link lock and its own transactions; documents stored meanwhile are
        linked the next time)."""
        now = time.monotonic()
        if self.link and self.unlinked and (
                force_link or now - self.last_link >= self.config.link_every):
            if not background:
                self._link()
            elif self.linker is None or not self.linker.is_alive():
                self.linker = threading.Thread(target=self._link, name="watch-link",
                                               daemon=True)
                self.linker.start()

    def _check_alerts(self, force: bool = False) -> None:
        """After documents were stored (at most once a second), and once a minute anyway
        (another process may have stored some)."""
        now = time.monotonic()
        if not self.alerts or not (force or now - self.last_alerts >= 60.0
                                   or (self.unchecked and now - self.last_alerts >= 1.0)):
            return
        from newsprism.watch.alerts import check_alerts

        with self.alerting:
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
        self.unchecked = True  # a new contradiction may match an alert
        self.on_line(f"linked: {result.stories} stories, {result.claims} claims, "
                     f"{result.contradictions} contradictions in "
                     f"{time.monotonic() - started:.1f} s")

    # -- processing (one thread) ---------------------------------------------------------------
    def _process(self) -> None:
        """Store what the polls fetched, in the order they fetched it; check alerts between
        batches. An exception stops this thread and is raised in the watcher's."""
        while not self.closed:
            task = self.inflow.get(timeout=1.0)
            try:
                if isinstance(task, _Batch):
                    self._store_batch(task)
                elif isinstance(task, _Finish) and task.source:
                    self._record_finish(task)
            except BaseException as exc:  # noqa: BLE001 - raised in the watcher's thread
                self.failure = exc
                return
            finally:
                if task is not None:
                    self.inflow.done(task)
            try:
                if isinstance(task, _Batch):
                    self._room_again()
                if self.running and not self.closed and not self.inflow.tasks:
                    self._check_alerts()
            except BaseException as exc:  # noqa: BLE001 - raised in the watcher's thread
                self.failure = exc
                return

    def _store_batch(self, batch: _Batch) -> None:
        report = batch.report
        added_before = report.added
        self._store(report, batch.items)
        state.mark_handled(self.store, batch.source, batch.entries,
                           report.added - added_before)
        with self.pending_lock:
            for entry in batch.entries:
                if self.pending.get((batch.source, entry.key)) == entry.fingerprint:
                    del self.pending[(batch.source, entry.key)]

    def _record_finish(self, end: _Finish) -> None:
        errors = end.report.errors  # with those of storing its pages (input errors)
        error = end.error if end.error is not None else errors[0] if errors else None
        state.finish_poll(self.store, end.source, end.when, end.status, error, end.etag,
                          end.last_modified, end.keep_validators)
        end.report.waited = time.monotonic() - end.ended
        self.on_line(end.report.line())

    def _store(self, report: PollReport, items: list[Item]) -> None:
        """Through the runner, as `newsprism run` would: the pipeline on the engine, one
        transaction per batch; input errors become error lines."""
        if not items:
            return
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

    # -- handing over (poll threads) -----------------------------------------------------------
    def _hand_over(self, source: str, report: PollReport, items: list[Item],
                   entries: list[Entry], slots: int) -> None:
        if not items and not entries:
            self.inflow.release(slots)
            return
        if len(items) < slots:
            self.inflow.release(slots - len(items))
        elif len(items) > slots:
            self.inflow.take(len(items) - slots)
        slots = len(items)
        with self.pending_lock:
            for entry in entries:
                self.pending[(source, entry.key)] = entry.fingerprint
        self.inflow.put(_Batch(source, report, items, entries, slots))

    def _finish(self, source: str, report: PollReport, when: datetime, status: int | None,
                error: str | None, etag: str | None = None, last_modified: str | None = None,
                keep_validators: bool = False) -> None:
        self.inflow.put(_Finish(source, report, when, status, error, etag, last_modified,
                                keep_validators))

    def _reserve(self, source: str, wanted: int) -> int:
        """Room in the queue for up to `wanted` pages; the first time it is full, one line
        (and one when it has room again: `_room_again`)."""
        got = self.inflow.reserve(wanted)
        if got < wanted:
            with self.pending_lock:
                first = self.full_since is None
                if first:
                    self.full_since = time.monotonic()
                self.deferred_pages += wanted - got
            if first:
                self.on_line(f"processing queue full ({self.inflow.limit} pages wait for the "
                             f"pipeline): {source} leaves {wanted - got} page(s) for its next "
                             "poll, and so do other sources until it has room")
        return got

    def _room_again(self) -> None:
        with self.pending_lock:
            if self.full_since is None or self.inflow.pages > self.inflow.limit // 2:
                return
            seconds, deferred = time.monotonic() - self.full_since, self.deferred_pages
            self.full_since, self.deferred_pages = None, 0
        self.on_line(f"processing queue has room again after {seconds:.0f} s ({deferred} "
                     "page(s) were left meanwhile for their sources' next polls)")

    # -- one source ----------------------------------------------------------------------------
    def poll(self, source: Source) -> PollReport:
        report = PollReport(source.name)
        started = time.monotonic()
        when = datetime.now(UTC)
        self.polled[source.name] = when
        try:
            if source.kind == "url":
                self._poll_page(source, report, when)
            elif source.kind == "warc":
                self._poll_warc(source, report, when)
            elif source.kind == "folder":
                self._poll_folder(source, report, when)
            else:
                self._poll_listing(source, report, when)
        finally:
            report.seconds = time.monotonic() - started
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
            self._finish(source.name, report, when, exc.status, str(exc), keep_validators=True)
            return
        for note in listing.notes:
            self._error(report, note)
        resp = listing.response
        assert resp is not None
        if listing.not_modified and not self.deferred.get(source.name):
            report.not_modified = True
            self._finish(source.name, report, when, resp.status, None, keep_validators=True)
            return
        complete = self._handle(source, listing, report, self._fetch_pages) \
            and not listing.notes  # a sitemap of the index that could not be read
        if listing.not_modified:
            self._finish(source.name, report, when, resp.status, None, keep_validators=True)
            return
        self._finish(source.name, report, when, resp.status,
                     report.errors[0] if report.errors else None,
                     resp.headers.get("etag"), resp.headers.get("last-modified"),
                     keep_validators=not complete)

    def _poll_folder(self, source: Source, report: PollReport, when: datetime) -> None:
        listing = list_folder(source.location)
        for note in listing.notes:
            self._error(report, note)
        self._handle(source, listing, report, self._read_files)
        self._finish(source.name, report, when, None,
                     report.errors[0] if report.errors else None, keep_validators=True)

    def _poll_page(self, source: Source, report: PollReport, when: datetime) -> None:
        etag, modified = state.validators(self.store, source.name)
        report.listed = 1
        slots = self._reserve(source.name, 1)
        if not slots:
            report.deferred = 1
            self._finish(source.name, report, when, None, None, keep_validators=True)
            return
        try:
            resp = self.fetcher.get(source.location, etag, modified)
            if resp.not_modified:
                self.inflow.release(slots)
                report.not_modified = True
                self._finish(source.name, report, when, 304, None, keep_validators=True)
                return
            doc = page_document(resp, source.name)
        except FetchError as exc:
            self.inflow.release(slots)
            self._error(report, str(exc))
            self._finish(source.name, report, when, exc.status, str(exc), keep_validators=True)
            return
        report.changed = 1
        # no entry to mark; the batch still counts what it stores for the source
        self._hand_over(source.name, report, [(doc, len(doc.raw))], [], slots)
        self._finish(source.name, report, when, resp.status, None, resp.headers.get("etag"),
                     resp.headers.get("last-modified"))

    def _poll_warc(self, source: Source, report: PollReport, when: datetime) -> None:
        """A WARC file by URL: fetched (conditional GET) when it changed, each of its pages
        handed over batch by batch, waiting for room in the queue (the file is not fetched
        again for the pages a full queue would defer)."""
        from newsprism.watch.remote import fetch_warc

        etag, modified = state.validators(self.store, source.name)
        resp, items = fetch_warc(self.fetcher, source.location, self.config.limits.max_bytes,
                                 etag, modified)
        if resp is None:  # the fetch failed: its error is the one item
            for error, _size in items:
                assert isinstance(error, InputError)
                self._error(report, f"{error.source}: {error.reason}")
            self._finish(source.name, report, when, None, report.errors[0],
                         keep_validators=True)
            return
        if resp.not_modified:
            report.not_modified = True
            self._finish(source.name, report, when, 304, None, keep_validators=True)
            return
        batch: list[Item] = []
        said = False

        def on_wait() -> None:
            nonlocal said
            if not said:
                said = True
                self.on_line(f"processing queue full ({self.inflow.limit} pages wait for the "
                             f"pipeline): {source.name} waits for room to hand over the rest "
                             "of its WARC")

        def hand_over() -> bool:
            if not self.inflow.reserve_waiting(len(batch), self.stop, on_wait):
                return False
            report.changed += sum(isinstance(doc, Document) for doc, _ in batch)
            self._hand_over(source.name, report, list(batch), [], len(batch))
            batch.clear()
            return True

        complete = True
        try:
            for doc, size in items:
                if isinstance(doc, Document):
                    doc.hints["watch_source"] = source.name  # counted in the source's health
                batch.append((doc, size))
                if len(batch) >= self.batch and not hand_over():
                    complete = False
                    break
            if complete and batch:
                complete = hand_over()
        finally:
            items.close()  # the temporary file
        report.listed = report.changed
        report.stopped = not complete
        self._finish(source.name, report, when, resp.status, None, resp.headers.get("etag"),
                     resp.headers.get("last-modified"), keep_validators=not complete)

    def _todo(self, source: Source, listing: Listing) -> dict[str, Entry]:
        """New and changed entries (and those due for a revisit), then those a full queue
        kept from the last poll, less those queued and not yet stored."""
        known = state.fingerprints(self.store, source.name)
        now = datetime.now(UTC)
        todo: dict[str, Entry] = {}
        with self.pending_lock:
            pending = {key: fp for (name, key), fp in self.pending.items()
                       if name == source.name}
        for entry in listing.entries:
            if pending.get(entry.key) == entry.fingerprint:
                continue  # fetched already, waiting to be stored
            seen = known.get(entry.key)
            if seen is None or seen[0] != entry.fingerprint:
                todo[entry.key] = entry
            elif source.kind != "folder" and entry.key not in todo \
                    and (now - seen[1]).total_seconds() >= source.revisit:
                entry.revisit = True
                todo[entry.key] = entry
        listed = {entry.key for entry in listing.entries}
        for key, entry in self.deferred.pop(source.name, {}).items():
            if key in listed or pending.get(key) == entry.fingerprint:
                continue  # judged above with the listing, or queued since
            if (seen := known.get(key)) is None or seen[0] != entry.fingerprint:
                todo[key] = entry  # it left the listing before it could be fetched
        return todo

    def _handle(self, source: Source, listing: Listing, report: PollReport,
                fetch: Callable[[Source, list[Entry], PollReport], tuple[list[Item],
                                                                        list[Entry], bool]]
                ) -> bool:
        """New and changed entries, batch by batch: fetch, hand over to be stored (and then
        marked). False when some entry is left for the next poll (a passing error, a full
        queue, or the watcher was stopped)."""
        todo = self._todo(source, listing)
        if not listing.not_modified:
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
        for start in range(0, len(work), self.batch):
            chunk = work[start:start + self.batch]
            if self.stop.is_set():
                report.stopped = True
                return False
            slots = self._reserve(source.name, len(chunk))
            if slots < len(chunk):
                left = work[start + slots:]
                self.deferred[source.name] = {e.key: e for e in left}
                report.deferred = len(left)
                complete = False
                chunk = chunk[:slots]
                if not chunk:
                    self.inflow.release(slots)
                    break
            items, handled, all_handled = fetch(source, chunk, report)
            complete &= all_handled
            self._hand_over(source.name, report, items, handled, slots)
            if report.deferred:
                break
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
