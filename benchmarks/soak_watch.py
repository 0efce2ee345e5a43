"""Soak of `newsprism watch`: N local feeds of M items, refreshed every few seconds with new and
edited items, watched by a real `newsprism watch` process for a while.

The feeds and pages are served by this script on a few local hosts (127.0.0.1, .2, ...;
newsprism.watch.testing), which record which version of each page they served. At the end
(edits stopped, the watcher idle and then stopped) it checks:

- every item published is stored, and each page's stored versions are exactly the versions the
  site served it (nothing is stored twice), and every edit made is a stored version (a page
  is edited at most once per --edit-gap seconds: the watcher must poll each feed faster);
- the watcher did not crash (no traceback, clean exit);
- an alert on a place ("Kharkov", the pages say Kharkiv) wrote each matching page exactly once;
- memory: the watcher's resident set (peak, and at a quarter, half and the end of the run).

usage: python benchmarks/soak_watch.py [--feeds 50] [--items 20] [--duration 300]
       [--refresh 3] [--hosts 10] [--edit-gap 9] [--no-write]
The issue's target is 50 × 20 for 300 s; on a shared machine run it smaller
(e.g. --feeds 10 --items 10 --duration 60).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack
from hashlib import sha256
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _results import markdown_table, show, write_section  # noqa: E402

from newsprism.watch.testing import Hit, LocalSite, Route, article, rss  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ALERT_PLACE, STORED_PLACE = "Kharkov", "Kharkiv"
# our own wording, combined at random: each item is a distinct notice
PLACES = ["Kharkiv", "Poltava", "Lviv", "Odesa", "Dnipro", "Vinnytsia", "Chernihiv", "Sumy",
          "Mykolaiv", "Zhytomyr"]
FACILITIES = ["library", "bus depot", "water works", "bakery", "clinic", "school gym",
              "tram depot", "river port", "market hall", "swimming pool"]
WORKS = ["reopened after repairs", "got a new roof", "extended its opening hours",
         "hired new staff", "replaced its heating system", "opened a second entrance"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
FRESH_MARGIN = 5  # the oldest items of a feed are not edited (they may leave it next)
GAP_MARGIN = 1.0  # seconds a poll may come after its interval (the check on poll gaps)
MONTHS = ["January", "February", "March", "April", "May", "June"]


class Feeds:
    """The published state: per feed, its newest `items` entries, each at some version. Feed
    `f` is served by host `f % hosts` (127.0.0.1, .2, ...). A page is edited at most once
    per `edit_gap` seconds, and only while it is not among the `FRESH_MARGIN` oldest of its
    feed (an outlet edits fresh stories; an edit just before a story leaves the feed could
    not be seen by any watcher); its first edit comes `edit_gap` after it was published."""

    def __init__(self, sites: list[LocalSite], feeds: int, items: int, seed: int,
                 edit_gap: float):
        self.sites, self.items, self.rng = sites, items, random.Random(seed)
        self.edit_gap = edit_gap
        self.edited_at: dict[tuple[int, int], float] = {}
        self.next_item = [0] * feeds
        self.live: list[list[int]] = [[] for _ in range(feeds)]  # item numbers in each feed
        self.version: dict[tuple[int, int], int] = {}
        self.place: dict[tuple[int, int], str] = {}
        self.published: set[str] = set()  # every page URL ever listed
        self.listed: dict[str, list[str]] = {}  # feed version (its tag) -> page URLs in it
        self.edits = 0
        for f in range(feeds):
            for _ in range(items):
                self._new(f)
            self._publish_feed(f)

    def site(self, f: int) -> LocalSite:
        return self.sites[f % len(self.sites)]

    def path(self, f: int, i: int) -> str:
        return f"/f{f}/item{i}"

    def url(self, f: int, i: int) -> str:
        return self.site(f).url(self.path(f, i))

    def _text(self, f: int, i: int) -> tuple[str, list[str]]:
        rng = random.Random(f * 100_003 + i)
        place, facility = self.place[(f, i)], rng.choice(FACILITIES)
        title = f"The {facility} in {place} {rng.choice(WORKS)}"
        paragraphs = [
            f"The {facility} in {place} {rng.choice(WORKS)} on {rng.choice(DAYS)}, the city "
            "council said in a statement.",
            f"Officials said the work cost {rng.randint(20, 900)} thousand hryvnias and took "
            f"{rng.randint(2, 14)} weeks.",
            f"Residents had asked for the change for {rng.randint(2, 9)} years, a local "
            f"newspaper reported. The notice is number {f}-{i}.",
        ]
        for v in range(2, self.version[(f, i)] + 1):
            paragraphs.append(f"Update {v}: the council added that a further phase will start "
                              f"in {MONTHS[(v + i) % len(MONTHS)]}.")
        return title, paragraphs

    def _set_page(self, f: int, i: int) -> None:
        title, paragraphs = self._text(f, i)
        self.site(f).set(self.path(f, i), Route(article(title, paragraphs),
                                                tag=f"{self.url(f, i)}@{self.version[(f, i)]}"))

    def _new(self, f: int) -> None:
        i = self.next_item[f]
        self.next_item[f] += 1
        self.version[(f, i)] = 1
        self.edited_at[(f, i)] = time.monotonic()  # published: the first version
        self.place[(f, i)] = STORED_PLACE if self.rng.random() < 0.15 else \
            self.rng.choice(PLACES[1:])
        self._set_page(f, i)
        self.live[f].append(i)
        self.published.add(self.url(f, i))
        if len(self.live[f]) > self.items:
            self.live[f].pop(0)  # leaves the feed (its page stays)

    def _publish_feed(self, f: int) -> None:
        entries = []
        for i in reversed(self.live[f]):
            title, paragraphs = self._text(f, i)
            entries.append({"title": title, "link": self.url(f, i),
                            "guid": f"f{f}-{i}", "description": paragraphs[-1]})
        body = rss(entries, title=f"Feed {f}")
        etag = '"' + sha256(body).hexdigest()[:16] + '"'
        tag = f"feed{f}#{etag}"
        self.listed[tag] = [self.url(f, i) for i in self.live[f]]
        self.site(f).set(f"/f{f}/feed.xml", Route(body, content_type="application/rss+xml",
                                               etag=etag, tag=tag))

    def refresh(self, new_share: float, edit_share: float) -> None:
        """One tick: some feeds get a new item, some an edited one."""
        now = time.monotonic()
        for f in range(len(self.live)):
            changed = False
            if self.rng.random() < new_share:
                self._new(f)
                changed = True
            editable = [i for i in self.live[f][FRESH_MARGIN:]
                        if now - self.edited_at.get((f, i), -1e9) >= self.edit_gap]
            if editable and self.rng.random() < edit_share:
                i = self.rng.choice(editable)
                self.edited_at[(f, i)] = now
                self.version[(f, i)] += 1
                self.edits += 1
                self._set_page(f, i)
                changed = True
            if changed:
                self._publish_feed(f)


def _rss_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0])
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def _all_hits(sites: list[LocalSite]) -> list[Hit]:
    out: list[Hit] = []
    for site in sites:
        with site.lock:
            out += site.hits
    return out


def _stored(db: Path) -> int:
    """Documents stored so far (read beside the watcher, as another reader would)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("select count(*) from documents").fetchone()[0]
    except sqlite3.Error:
        return 0


def _when(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value).timestamp()


def _pace(times: list[float]) -> str:
    """Documents per second from the first batch stored to the last."""
    if len(times) < 2 or times[-1] <= times[0]:
        return "–"
    return f"{(len(times) - 1) / (times[-1] - times[0]):.0f}"


def _poll_gaps(hits: list[Hit], since: float, until: float) -> list[float]:
    """Seconds between two consecutive requests for one feed, in [since, until]."""
    by_feed: dict[str, list[float]] = {}
    for hit in hits:
        if hit.path.endswith("/feed.xml") and since <= hit.at <= until:
            by_feed.setdefault(hit.path, []).append(hit.at)
    return [b - a for times in by_feed.values() for a, b in zip(times, times[1:], strict=False)]


def soak(feeds: int, items: int, duration: float, refresh: float, seed: int,
         new_share: float, edit_share: float, hosts: int, edit_gap: float,
         min_delay: float, concurrency: int, queue: int) -> tuple[list[list[str]], list[str]]:
    with TemporaryDirectory() as tmp, ExitStack() as stack:
        sites = [stack.enter_context(LocalSite(f"127.0.0.{h + 1}")) for h in range(hosts)]
        tmpdir = Path(tmp)
        db, alerts_file = tmpdir / "soak.db", tmpdir / "alerts.jsonl"
        state = Feeds(sites, feeds, items, seed, edit_gap)
        config = tmpdir / "watch.toml"
        config.write_text(
            f'[watch]\nmin_delay = {min_delay}\nretries = 1\nbackoff = 0.2\nrevisit = "off"\n'
            f'interval = {refresh}\nlink_every = "30s"\nconcurrency = {concurrency}\n'
            f'queue = {queue}\n'
            + "".join(f'[[source]]\nname = "feed-{f}"\n'
                      f'feed = "{state.site(f).url(f"/f{f}/feed.xml")}"\n'
                      for f in range(feeds)), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
        cli = [sys.executable, "-m", "newsprism.cli"]
        subprocess.run([*cli, "alert", "add", "soak", "--place", ALERT_PLACE, "--to",
                        f"file:{alerts_file}", "--db", str(db)], env=env, check=True,
                       capture_output=True)
        log = (tmpdir / "watch.log").open("wb")
        proc = subprocess.Popen([*cli, "watch", str(config), "--db", str(db)], env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        samples: list[tuple[float, int]] = []
        peak = 0
        # the initial load (every feed delivers its items at once): every feed read, its
        # pages fetched and stored; then the clock starts
        launched = time.monotonic()
        deadline = launched + 900
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
            rss_kb, peak = _rss_kb(proc.pid)
            hits = _all_hits(sites)
            feeds_read = {h.path for h in hits if h.path.endswith("/feed.xml")}
            last_page = max((h.at for h in hits if "/item" in h.path), default=0)
            if len(feeds_read) == feeds and time.monotonic() - last_page > 2 \
                    and _stored(db) >= feeds * items:
                break
        initial = time.monotonic() - launched
        initial_gaps = _poll_gaps(_all_hits(sites), launched, launched + initial)
        started = time.monotonic()
        next_refresh = started + refresh
        while time.monotonic() - started < duration and proc.poll() is None:
            time.sleep(0.25)
            rss_kb, peak = _rss_kb(proc.pid)
            samples.append((time.monotonic() - started, rss_kb))
            if time.monotonic() >= next_refresh:
                state.refresh(new_share, edit_share)
                next_refresh += refresh
        crashed = proc.poll() is not None
        # edits stop; wait until the watcher has polled everything since and is idle
        quiet_from = time.monotonic()
        settle_deadline = quiet_from + max(120.0, duration)
        while not crashed and time.monotonic() < settle_deadline:
            time.sleep(1.0)
            rss_kb, peak = _rss_kb(proc.pid)
            samples.append((time.monotonic() - started, rss_kb))
            hits = _all_hits(sites)
            last_feed = {h.path: h.at for h in hits if h.path.endswith("/feed.xml")}
            last_page = max((h.at for h in hits if "/item" in h.path), default=0)
            polled_all = len(last_feed) == feeds and all(
                at > quiet_from + refresh for at in last_feed.values())
            if polled_all and time.monotonic() - last_page > 2 * refresh + 3:
                break
        settled = time.monotonic() - quiet_from
        if not crashed:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        output = (tmpdir / "watch.log").read_text(errors="replace")
        # what the stop may have left undelivered (there should be nothing)
        subprocess.run([*cli, "alert", "check", "--db", str(db)], env=env, capture_output=True)
        gaps = _poll_gaps(_all_hits(sites), started, quiet_from)
        return _check(state, _all_hits(sites), db, alerts_file, output, proc.returncode,
                      samples, peak, feeds, items, duration, refresh, settled, initial, gaps,
                      hosts, min_delay, edit_gap, initial_gaps, queue)


def _check(state: Feeds, hits: list[Hit], db: Path, alerts_file: Path, output: str,
           returncode: int | None, samples: list[tuple[float, int]], peak: int, feeds: int,
           items: int, duration: float, refresh: float, settled: float, initial: float,
           gaps: list[float], hosts: int, min_delay: float, edit_gap: float,
           initial_gaps: list[float], queue: int) -> tuple[list[list[str]], list[str]]:
    problems: list[str] = []
    served: dict[str, set[int]] = {}
    for hit in hits:
        if hit.status == 200 and "@" in hit.tag:
            url, version = hit.tag.rsplit("@", 1)
            served.setdefault(url, set()).add(int(version))
    with sqlite3.connect(db) as conn:
        stored: dict[str, list[int]] = {}
        for url, version in conn.execute("select url, version from document_versions"):
            stored.setdefault(url, []).append(version)
        documents = conn.execute("select count(*) from documents").fetchone()[0]
        matching = {u for (u,) in conn.execute(
            "select distinct v.url from document_versions v where v.document_id in "
            "(select document_id from entities where type = 'place' and name = ? union "
            " select document_id from events where place = ?)", (STORED_PLACE, STORED_PLACE))}
        # the initial load's documents (the first stored): from the first batch stored to
        # the last, the pipeline's pace while every feed delivered at once
        first = [_when(t) for (t,) in conn.execute(
            "select ingested_at from documents order by ingested_at limit ?", (feeds * items,))]
        undelivered = conn.execute("select count(*) from alert_hits where delivered_at is null"
                                   ).fetchone()[0]
    published = state.published
    # an item that left its feed before the watcher read the feed cannot be known to it
    seen = {u for hit in hits if hit.status == 200 and hit.tag in state.listed
            for u in state.listed[hit.tag]}
    missing = seen - set(stored)
    if missing:
        problems.append(f"{len(missing)} item(s) listed in a feed the watcher read never "
                        f"stored, e.g. {sorted(missing)[:3]}")
    wrong = [u for u in stored if sorted(stored[u]) != list(range(1, len(served.get(u, ())) + 1))]
    if wrong:
        problems.append(f"{len(wrong)} page(s) whose stored versions differ from the versions "
                        f"served, e.g. {wrong[0]}: stored {sorted(stored[wrong[0]])}, served "
                        f"{sorted(served.get(wrong[0], ()))}")
    final_missing = [u for u in published if len(stored.get(u, ())) < len(served.get(u, ()))]
    if final_missing:
        problems.append(f"{len(final_missing)} page(s) served in a version never stored")
    versions_total = sum(len(v) for v in stored.values())
    if versions_total != documents:
        problems.append(f"{documents} documents but {versions_total} page versions")
    edits_stored = sum(max(0, len(v) - 1) for v in stored.values())
    if edits_stored != state.edits:
        unseen = [(u, v, sorted(served.get(u, ()))) for (f, i), v in state.version.items()
                  if len(served.get(u := state.url(f, i), ())) < v]
        problems.append(f"{state.edits} edits made but {edits_stored} stored as versions, "
                        f"e.g. (page, versions made, served): {unseen[:3]}")
    lines = alerts_file.read_text().splitlines() if alerts_file.exists() else []
    alert_urls = [json.loads(line)["url"] for line in lines]
    if len(alert_urls) != len(set(alert_urls)):
        problems.append(f"{len(alert_urls) - len(set(alert_urls))} alert(s) reported twice")
    if set(alert_urls) != matching:
        problems.append(f"alerts for {len(set(alert_urls))} page(s), {len(matching)} match")
    if undelivered:
        problems.append(f"{undelivered} alert match(es) not delivered")
    if "Traceback" in output or returncode not in (0, 130):
        problems.append(f"the watcher crashed (exit {returncode}): {output[-500:]}")
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    log = output.splitlines()
    full = sum("processing queue full" in line for line in log)
    episodes = [float(m.group(1)) for line in log
                if (m := re.search(r"room again after (\d+) s", line))]
    linked = [float(m.group(1)) for line in log
              if (m := re.match(r"linked: .* in ([\d.]+) s$", line))]
    polls = [float(m.group(1)) for line in log
             if (m := re.match(r"feed-\d+: .* in ([\d.]+) s", line))]
    later = [float(m.group(1)) for line in log
             if (m := re.search(r"\(stored ([\d.]+) s later\)$", line))]
    gaps.sort()
    if gaps and gaps[-1] > refresh + GAP_MARGIN:
        problems.append(f"a feed waited {gaps[-1]:.1f} s between two polls (interval "
                        f"{refresh:g} s + {GAP_MARGIN:g} s margin)")

    def rss_at(share: float) -> str:
        before = [kb for t, kb in samples if t <= share * duration]
        return f"{before[-1] / 1024:.0f}" if before else "–"

    def at(share: float) -> str:
        return f"{gaps[min(len(gaps) - 1, int(share * len(gaps)))]:.1f}" if gaps else "–"

    rows = [
        ["feeds × items (hosts)", f"{feeds} × {items} ({hosts} hosts, min_delay {min_delay:g} s)"],
        ["initial load (start, every feed read, its pages stored)",
         f"{initial:.0f} s for {feeds * items:,} items"],
        ["then: refreshes (every)", f"{duration:g} s ({refresh:g} s), then {settled:.0f} s "
                                    "until the watcher was idle"],
        ["items published / listed when the watcher read a feed / stored",
         f"{len(published):,} / {len(seen):,} / {len(stored):,}"],
        [f"edits made (a page at most once per {edit_gap:g} s) / served / stored as versions",
         f"{state.edits:,} / {sum(max(0, len(v) - 1) for v in served.values()):,} / "
         f"{edits_stored:,}"],
        ["seconds between two polls of a feed: median / 95th pct / max",
         f"{at(0.5)} / {at(0.95)} / {gaps[-1]:.1f}" if gaps else "–"],
        ["initial load: items stored per second (from start / from the first stored) / "
         "longest poll gap (s) / 'queue full' lines (whole run)",
         f"{feeds * items / initial:.0f} / {_pace(first)} / "
         f"{max(initial_gaps, default=0):.1f} / {full} (queue {queue} pages)"],
        ["where the time went: longest poll (s) / longest wait from a poll's end to its "
         "pages stored (s) / queue-full spells (longest, s) / linkings (longest, s)",
         f"{max(polls, default=0):.1f} / {max(later, default=0):.1f} / {len(episodes)} "
         f"({max(episodes, default=0):.0f}) / {len(linked)} ({max(linked, default=0):.1f})"],
        ["documents stored", f"{documents:,}"],
        ["requests served", f"{len(hits):,} "
                            f"({sum(h.status == 304 for h in hits):,} not modified)"],
        ["alert matches (pages) / reported", f"{len(matching)} / {len(alert_urls)}"],
        ["error lines", str(len(errors))],
        ["RSS at 25% / 50% / 100% of the run (MiB)",
         f"{rss_at(0.25)} / {rss_at(0.5)} / {rss_at(1.0)}"],
        ["peak RSS (MiB)", f"{peak / 1024:.0f}"],
        ["checks", "all passed" if not problems else f"{len(problems)} FAILED"],
    ]
    return rows, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of edits")
    parser.add_argument("--refresh", type=float, default=3.0, help="seconds between ticks")
    parser.add_argument("--new-share", type=float, default=0.3,
                        help="chance per feed and tick of a new item")
    parser.add_argument("--edit-share", type=float, default=0.2,
                        help="chance per feed and tick of an edited item")
    parser.add_argument("--hosts", type=int, default=10,
                        help="feeds spread over 127.0.0.1 .. 127.0.0.N")
    parser.add_argument("--edit-gap", type=float, default=9.0,
                        help="seconds before a page may be edited again")
    parser.add_argument("--min-delay", type=float, default=0.05,
                        help="the watcher's seconds between two requests to one host")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--queue", type=int, default=500,
                        help="pages fetched and waiting for the pipeline, at most")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args()
    rows, problems = soak(args.feeds, args.items, args.duration, args.refresh, args.seed,
                          args.new_share, args.edit_share, args.hosts, args.edit_gap,
                          args.min_delay, args.concurrency, args.queue)
    show("soak_watch", ["measure", "value"], rows)
    for problem in problems:
        print(f"FAILED: {problem}")
    if not args.no_write:
        command = (f"python benchmarks/soak_watch.py --feeds {args.feeds} --items {args.items} "
                   f"--duration {args.duration:g} --refresh {args.refresh:g} "
                   f"--hosts {args.hosts} --edit-gap {args.edit_gap:g} --queue {args.queue}")
        notes = ("\n\nOne `newsprism watch` process (pipeline in-process, `--workers 1`; "
                 f"`concurrency = {args.concurrency}` threads polling, each feed every "
                 f"{args.refresh:g} s, handing what they fetch to a queue of at most "
                 f"{args.queue} pages that one thread runs through the pipeline and stores) "
                 f"against feeds served by {args.hosts} local hosts "
                 "(127.0.0.1, .2, ...), each host asked one request at a time and "
                 f"{args.min_delay:g} s apart; an alert on \"Kharkov\" to a JSONL file. A "
                 f"page is edited at most once per {args.edit_gap:g} s (the first time "
                 f"{args.edit_gap:g} s after it was published), and not among the "
                 f"{FRESH_MARGIN} oldest items of its feed (it could leave the feed before "
                 "any watcher saw the edit). Checks: every item listed in a feed the watcher "
                 "read is stored, each page's stored versions are exactly the versions the "
                 "site served it, every edit made is stored as a version, no crash, every "
                 "matching page alerted exactly once, and no feed waited more than "
                 f"{args.refresh:g} + {GAP_MARGIN:g} s between two polls once the initial "
                 "load was stored. The initial load is the heavy inflow: every feed delivers "
                 f"its {args.items} items at once; its pace is given from the watcher's start "
                 "(loading the pipeline included) and from the first document stored to the "
                 "last.")
        if problems:
            notes += "\n\nFailed: " + "; ".join(problems)
        write_section("soak_watch", markdown_table(["measure", "value"], rows) + notes,
                      command)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
