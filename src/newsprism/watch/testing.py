"""A small web site on 127.0.0.1 for the watcher's tests and the soak benchmark: no test of
the watcher ever touches the network.

Each path serves a `Route` that can be changed while the server runs: a status, a body, headers,
an ETag (honoured on If-None-Match, as a real server would), a redirect, a delay before the
answer (a time-out) or a body sent slowly, a byte at a time. Every request is logged.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before the status line
    trickle: float = 0.0  # seconds between bytes of the body (a slow body)
    location: str | None = None  # for a redirect status
    tag: str = ""  # recorded with each request it answers (which version was served)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float
    status: int = 0  # what was answered (0: the client went away first)
    tag: str = ""
    done_at: float = 0.0  # when the answer was sent (or given up)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up (a time-out under test, a watcher stopped) is no error."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class LocalSite:
    """`with LocalSite() as site: site.set("/feed.xml", Route(...)); site.url("/feed.xml")`."""

    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                site._serve(self)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with site.lock:
                    site.posts.append((self.path, body))
                    status = site.post_status
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.posts: list[tuple[str, bytes]] = []
        self.post_status = 200
        self.server = _QuietServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        if isinstance(host, bytes | bytearray):  # not for an IP socket; typed so by the stdlib
            host = host.decode()
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, route: Route) -> None:
        with self.lock:
            self.routes[path] = route

    def requests_to(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    def __enter__(self) -> LocalSite:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        hit = Hit(path, {k.lower(): v for k, v in handler.headers.items()}, time.monotonic())
        with self.lock:
            self.hits.append(hit)
            route = self.routes.get(path)
        try:
            self._answer(handler, hit, route)
        finally:
            hit.done_at = time.monotonic()

    def _answer(self, handler: BaseHTTPRequestHandler, hit: Hit, route: Route | None) -> None:
        try:
            if route is None:
                body = b"not here"
                handler.send_response(404)
                hit.status = 404
                handler.send_header("Content-Type", "text/plain")
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)
                return
            if route.delay:
                time.sleep(route.delay)
            if route.etag and handler.headers.get("If-None-Match") == route.etag or (
                    route.last_modified
                    and handler.headers.get("If-Modified-Since") == route.last_modified):
                handler.send_response(304)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                hit.status, hit.tag = 304, route.tag
                return
            handler.send_response(route.status)
            handler.send_header("Content-Type", route.content_type)
            handler.send_header("Content-Length", str(len(route.body)))
            if route.etag:
                handler.send_header("ETag", route.etag)
            if route.last_modified:
                handler.send_header("Last-Modified", route.last_modified)
            if route.location:
                handler.send_header("Location", route.location)
            for key, value in route.headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            if route.trickle:
                for i in range(len(route.body)):
                    handler.wfile.write(route.body[i:i + 1])
                    handler.wfile.flush()
                    time.sleep(route.trickle)
            else:
                handler.wfile.write(route.body)
            hit.status, hit.tag = route.status, route.tag
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out under test)


def rss(items: list[dict[str, str]], title: str = "Local test feed") -> bytes:
    """An RSS 2.0 document of items with link, title, guid and optional description and
    pubDate (values are escaped)."""
    from xml.sax.saxutils import escape

    parts = [f"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
             f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>"
             "<description>test</description>"]
    for item in items:
        parts.append("<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items())
                     + "</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def article(title: str, paragraphs: list[str]) -> bytes:
    """An HTML article page."""
    from html import escape

    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{escape(title)}</title></head><body>"
            f"<nav>Home | World | Sport</nav><article><h1>{escape(title)}</h1>{body}"
            "</article><footer>All rights reserved.</footer></body></html>").encode()
