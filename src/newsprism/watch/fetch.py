"""Polite HTTP: robots.txt, a per-host pace, retries with backoff, conditional GET, and a size
and time limit on every response.

One `Fetcher` serves a whole watch process (one httpx client, one robots cache, one clock per
host), so politeness holds across sources that share a host. It is shared by the watcher's
threads: each host is asked one request at a time (a gate per host, held from the pace wait
to the last byte; a feed or sitemap goes before pages waiting for the same host), so several
hosts are fetched at once but no host sees more than one
connection, and `min_delay` passes between the end of one answer and the next request;
each robots.txt is read once.
Redirects are followed here, not by httpx, so that each hop is checked against robots.txt
and counted against the limit.
Everything that goes wrong is a `FetchError` naming the URL and the reason in one line.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO
from urllib.parse import urljoin, urlsplit

import httpx

RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
ROBOTS_MAX_BYTES = 512 * 1024
# response headers kept with a fetched page (fetched_pages.headers)
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "date", "expires",
                "cache-control", "content-language", "location")


@dataclass
class Limits:
    """How politely and how far to fetch; `[watch]` in the config file sets these."""

    user_agent: str = "Newsprism-watch/0.1 (+a news archive; contact via its operator)"
    robots_agent: str = "Newsprism"  # the product token robots.txt rules name
    min_delay: float = 1.0  # seconds from the end of one answer of a host to the next request
    timeout: float = 10.0  # connect and read, per operation
    total_timeout: float = 30.0  # a whole response, headers to last byte
    max_bytes: int = 5 * 2**20
    max_redirects: int = 5
    retries: int = 2  # after the first attempt, on time-outs, 429 and 5xx
    backoff: float = 1.0  # first wait; doubled on each retry
    max_wait: float = 60.0  # cap on a Retry-After or a crawl-delay
    robots_ttl: float = 3600.0  # how long a robots.txt is trusted
    robots_failure_ttl: float = 300.0  # an unreachable robots.txt is retried after this
    archive_max_bytes: int = 2 * 2**30  # a WARC file fetched by URL (to a temporary file)
    archive_timeout: float = 1800.0  # a whole WARC file, headers to last byte


class FetchError(Exception):
    """A URL that could not be fetched, and why. `permanent`: asking again will not help
    (a 404, robots.txt says no, not HTML); the others (time-outs, 5xx) are retried on the
    next poll."""

    def __init__(self, url: str, reason: str, permanent: bool = False,
                 status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.permanent, self.status = url, reason, permanent, status


@dataclass
class Response:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def kept_headers(self) -> str:
        kept = {k: v for k, v in self.headers.items() if k in KEPT_HEADERS}
        if self.redirects:
            kept["x-newsprism-redirected-from"] = " ".join([self.url, *self.redirects[:-1]])
        return json.dumps(kept, ensure_ascii=False, sort_keys=True)


class _HostGate:
    """One request at a time to a host, listings first: a thread asking for a feed or sitemap
    (urgent) goes before threads waiting to fetch that host's pages, so a feed's polls keep
    their interval while its host serves a batch of pages."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.busy = False
        self.urgent_waiting = 0

    @contextlib.contextmanager
    def hold(self, urgent: bool) -> Iterator[None]:
        with self.cond:
            self.urgent_waiting += urgent
            while self.busy or (not urgent and self.urgent_waiting):
                self.cond.wait()
            self.urgent_waiting -= urgent
            self.busy = True
        try:
            yield
        finally:
            with self.cond:
                self.busy = False
                self.cond.notify_all()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when.tzinfo else None


def _mib(n: int) -> str:
    return f"{n / 2**20:g} MiB"


class Fetcher:
    """GET with the politeness of `Limits`. `sleep` and `clock` are replaceable so that a
    caller (the watcher) can stop waiting when asked to stop."""

    def __init__(self, limits: Limits | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.limits = limits or Limits()
        self.sleep, self.clock = sleep, clock
        timeout = httpx.Timeout(self.limits.timeout)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": self.limits.user_agent})
        self._last: dict[str, float] = {}  # origin -> when its last answer ended
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None,
                                      str | None]] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}  # (purpose, origin) -> lock
        self._locks_lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}  # origin -> its one request at a time
        self._local = threading.local()  # .urgent: this thread asks for a listing
        self.requests = 0

    def _lock(self, purpose: str, origin: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault((purpose, origin), threading.Lock())

    def _gate(self, origin: str) -> _HostGate:
        with self._locks_lock:
            return self._gates.setdefault(origin, _HostGate())

    @contextlib.contextmanager
    def urgent(self) -> Iterator[None]:
        """Requests of this thread meanwhile (a feed, a sitemap) go before pages waiting for
        the same host."""
        self._local.urgent = True
        try:
            yield
        finally:
            self._local.urgent = False

    def close(self) -> None:
        self.client.close()

    # -- politeness ------------------------------------------------------------------------
    def _delay(self, origin: str) -> float:
        entry = self._robots.get(origin)
        crawl = entry[1].crawl_delay(self.limits.robots_agent) if entry and entry[1] else None
        return max(self.limits.min_delay, min(float(crawl or 0), self.limits.max_wait))

    def _pace(self, origin: str) -> None:
        last = self._last.get(origin)
        if last is not None:
            wait = last + self._delay(origin) - self.clock()
            if wait > 0:
                self.sleep(wait)

    def _robots_for(self, url: str) -> tuple[urllib.robotparser.RobotFileParser | None,
                                               str | None]:
        """The parsed robots.txt of `url`'s host (None: everything allowed), or the reason
        nothing may be fetched there (it could not be read: RFC 9309 says assume no)."""
        origin = _origin(url)
        cached = self._robots.get(origin)
        if cached and cached[0] > self.clock():
            return cached[1], cached[2]
        with self._lock("robots", origin):  # one thread reads it, the others wait for it
            cached = self._robots.get(origin)
            if cached and cached[0] > self.clock():
                return cached[1], cached[2]
            return self._read_robots(origin)

    def _read_robots(self, origin: str) -> tuple[urllib.robotparser.RobotFileParser | None,
                                                   str | None]:
        robots_url = origin + "/robots.txt"
        parser: urllib.robotparser.RobotFileParser | None = None
        refusal: str | None = None
        ttl = self.limits.robots_ttl
        try:
            resp = self._follow(robots_url, {}, check_robots=False,
                                max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                pass  # no robots.txt (or not for us to read): everything is allowed
            else:
                refusal = f"robots.txt could not be read ({exc.reason}), so nothing is " \
                          "fetched from this host for now"
                ttl = self.limits.robots_failure_ttl
        else:
            parser = urllib.robotparser.RobotFileParser(robots_url)
            parser.parse(resp.body.decode("utf-8", "replace").splitlines())
        self._robots[origin] = (self.clock() + ttl, parser, refusal)
        return parser, refusal

    def allowed(self, url: str) -> str | None:
        """None if robots.txt lets us fetch `url`, else why not."""
        parser, refusal = self._robots_for(url)
        if refusal:
            return refusal
        if parser is not None and not parser.can_fetch(self.limits.robots_agent, url):
            return "robots.txt disallows it"
        return None

    # -- fetching --------------------------------------------------------------------------
    def get(self, url: str, etag: str | None = None, last_modified: str | None = None
            ) -> Response:
        """GET `url` politely; a 304 comes back as a response (`not_modified`), every other
        failure as a FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, check_robots=True, max_bytes=self.limits.max_bytes)

    def download(self, url: str, sink: IO[bytes], etag: str | None = None,
                 last_modified: str | None = None) -> Response:
        """GET a large file (a WARC) politely into `sink`, chunk by chunk (never whole in
        memory), with the archive limits (`archive_max_bytes`, `archive_timeout`) instead of
        a page's. The response's body is empty; `sink` holds it (rewritten from the start on
        a retry)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, check_robots=True,
                            max_bytes=self.limits.archive_max_bytes, sink=sink,
                            total_timeout=self.limits.archive_timeout)

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool,
                max_bytes: int, sink: IO[bytes] | None = None,
                total_timeout: float | None = None) -> Response:
        requested, hops = url, []
        for _hop in range(self.limits.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(requested, f"redirected to a non-HTTP address ({url[:200]})",
                                 permanent=True)
            if check_robots and (why := self.allowed(url)):
                raise FetchError(url, why, permanent=True)
            resp = self._attempts(url, headers, max_bytes, sink, total_timeout)
            if resp.status in REDIRECT_STATUSES:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {resp.status} redirect without a Location",
                                     permanent=True, status=resp.status)
                url = urljoin(url, location)
                hops.append(url)
                continue
            resp.url, resp.redirects = requested, hops
            if resp.status == 304 or 200 <= resp.status < 300:
                return resp
            reason = httpx.codes.get_reason_phrase(resp.status) or "error"
            raise FetchError(requested if not hops else url, f"HTTP {resp.status} {reason}",
                             permanent=resp.status < 500 and resp.status not in (408, 429),
                             status=resp.status)
        raise FetchError(requested, f"more than {self.limits.max_redirects} redirects",
                         permanent=True)

    def _attempts(self, url: str, headers: dict[str, str], max_bytes: int,
                  sink: IO[bytes] | None = None, total_timeout: float | None = None
                  ) -> Response:
        """One request with its retries: time-outs, connection errors, 429 and 5xx are tried
        again after a growing wait (or the server's Retry-After, capped)."""
        limits = self.limits
        for attempt in range(limits.retries + 1):
            last = attempt == limits.retries
            try:
                resp = self._once(url, headers, max_bytes, sink, total_timeout)
            except FetchError as exc:
                if last or exc.permanent:
                    if attempt and not exc.permanent:
                        raise FetchError(url, f"{exc.reason} ({attempt + 1} attempts)",
                                         status=exc.status) from None
                    raise
                self.sleep(limits.backoff * 2**attempt)
                continue
            if resp.status in RETRY_STATUSES and not last:
                wait = _retry_after(resp.headers.get("retry-after"))
                self.sleep(min(wait if wait is not None else limits.backoff * 2**attempt,
                               limits.max_wait))
                continue
            if resp.status in RETRY_STATUSES and attempt:
                reason = httpx.codes.get_reason_phrase(resp.status) or "error"
                raise FetchError(url, f"HTTP {resp.status} {reason} ({attempt + 1} attempts)",
                                 status=resp.status)
            return resp
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str], max_bytes: int,
              sink: IO[bytes] | None = None, total_timeout: float | None = None) -> Response:
        origin = _origin(url)
        urgent = getattr(self._local, "urgent", False)
        with self._gate(origin).hold(urgent):  # one request at a time per host, paced
            self._pace(origin)
            with self._locks_lock:
                self.requests += 1
            try:
                return self._request(url, headers, max_bytes, sink, total_timeout)
            finally:  # the pause runs from the end of this answer to the next request
                self._last[origin] = self.clock()

    def _request(self, url: str, headers: dict[str, str], max_bytes: int,
                 sink: IO[bytes] | None = None, total_timeout: float | None = None
                 ) -> Response:
        started = self.clock()
        total_timeout = total_timeout or self.limits.total_timeout
        deadline = started + total_timeout
        if sink is not None:  # a retry starts the file again
            sink.seek(0)
            sink.truncate()
        received = False  # the status line and headers came
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                received = True
                resp_headers = {k.lower(): v for k, v in r.headers.items()}
                size = resp_headers.get("content-length", "")
                if r.status_code == 200 and size.isdigit() and int(size) > max_bytes:
                    raise FetchError(url, f"larger than the {_mib(max_bytes)} limit "
                                          f"(Content-Length {int(size):,})", permanent=True)
                chunks, total = [], 0
                if r.status_code == 200:
                    for chunk in r.iter_bytes():
                        total += len(chunk)
                        if total > max_bytes:
                            raise FetchError(url, f"larger than the {_mib(max_bytes)} limit",
                                             permanent=True)
                        if sink is None:
                            chunks.append(chunk)
                        else:
                            sink.write(chunk)
                        if self.clock() > deadline:
                            raise FetchError(url, "the body was still arriving after "
                                                  f"{total_timeout:g} s")
                return Response(url, str(r.url), r.status_code, resp_headers, b"".join(chunks),
                                datetime.now(UTC))
        except httpx.TimeoutException as exc:
            what = "connecting" if isinstance(exc, httpx.ConnectTimeout) else "waiting"
            raise FetchError(url, f"timed out {what} ({self.limits.timeout:g} s)") from None
        except httpx.DecodingError as exc:
            raise FetchError(url, f"broken compressed body ({exc})", permanent=True) from None
        except httpx.RemoteProtocolError as exc:
            if not received:
                raise FetchError(url, f"not a valid HTTP answer ({exc})") from None
            raise FetchError(url, f"the answer was cut short ({exc})") from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            permanent = isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL)
            raise FetchError(url, f"cannot connect ({detail})", permanent=permanent) from None
