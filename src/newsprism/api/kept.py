"""Answers kept until the database changes: a page asked for again is sent as it was.

The read layer already keeps each view until something is committed (read/views.py); what is
left of an answer's cost is turning the view into JSON or HTML, which for a story page is most
of it. This ASGI middleware keeps the finished bytes of successful GET answers, keyed by path
and query string, with the store's change stamp (`Store.change_stamp`: a few microseconds to
read): the same request is answered from memory until any process commits to the database.
Downloads (CSV, Parquet), static files and streamed answers are not kept; neither is anything
on a store without a stamp (an in-memory database). Bounded by MAX_BYTES, least recently
used out first. Access checks (the token gate) run before it, as outer middleware.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from newsprism.store import Store

MAX_BYTES = 64 * 2**20  # all kept answers together
MAX_ANSWER = 1 * 2**20  # a larger answer is not kept
_NOT_KEPT = ("/static/", "/docs", "/openapi.json")


class KeptAnswers:
    """ASGI middleware: see the module docstring."""

    def __init__(self, app: Any, store: Store):
        self.app, self.store = app, store
        self.lock = threading.Lock()
        self.kept: OrderedDict[tuple[str, bytes], tuple[object, dict, bytes]] = OrderedDict()
        self.size = 0

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope.get("method") != "GET" or \
                path.startswith(_NOT_KEPT) or path.endswith((".csv", ".parquet")):
            await self.app(scope, receive, send)
            return
        stamp = self.store.change_stamp()
        if stamp is None:
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b""))
        with self.lock:
            found = self.kept.get(key)
            if found is not None and found[0] == stamp:
                self.kept.move_to_end(key)
        if found is not None and found[0] == stamp:
            await send(found[1])
            await send({"type": "http.response.body", "body": found[2]})
            return
        start: dict = {}
        chunks: list[bytes] = []
        keep = True

        async def capture(message: dict) -> None:
            nonlocal keep
            if message["type"] == "http.response.start":
                start.update(message)
                keep = message.get("status") == 200
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > MAX_ANSWER:
                    keep = False
            await send(message)

        await self.app(scope, receive, capture)
        if keep and start and chunks:
            self._put(key, stamp, start, b"".join(chunks))

    def _put(self, key: tuple[str, bytes], stamp: object, start: dict, body: bytes) -> None:
        with self.lock:
            old = self.kept.pop(key, None)
            if old is not None:
                self.size -= len(old[2])
            self.kept[key] = (stamp, start, body)
            self.size += len(body)
            while self.size > MAX_BYTES and self.kept:
                _key, (_s, _h, dropped) = self.kept.popitem(last=False)
                self.size -= len(dropped)
