"""WARC files given by http(s) URL, to `newsprism run` and as a `warc = URL` source of
`newsprism watch`.

The file is fetched the way pages are (watch/fetch.py: robots.txt, the per-host pace, retries,
redirects within limits), streamed into an anonymous temporary file (gone with the process,
even after kill -9) under the archive limits (`archive_max_mb`, `archive_timeout`), then read
like a local WARC: each HTML or text response is a document, named `URL#n`. A URL that cannot
be fetched, or a WARC cut short, is one error line naming the URL; the records before the cut
are kept, and the other inputs go on.
"""

from __future__ import annotations

import tempfile
from collections.abc import Generator, Iterator
from typing import IO

from newsprism.ingest import DEFAULT_MAX_BYTES
from newsprism.ingest.files import Item, iter_warc
from newsprism.model import InputError
from newsprism.watch.fetch import Fetcher, FetchError, Response


def is_url(value: str) -> bool:
    """Whether a `run` argument is an http(s) URL rather than a path."""
    return value.lower().startswith(("http://", "https://"))


def fetch_warc(fetcher: Fetcher, url: str, max_bytes: int = DEFAULT_MAX_BYTES,
               etag: str | None = None, last_modified: str | None = None
               ) -> tuple[Response | None, Generator[Item, None, None]]:
    """(the response, the WARC's documents and errors). The response is None when the fetch
    failed (then the items are that one error); a 304 has no items. The temporary file is
    closed when the items are exhausted (or the iterator is closed)."""
    sink = tempfile.TemporaryFile(prefix="newsprism-warc-")  # noqa: SIM115 - closed by _read
    try:
        resp = fetcher.download(url, sink, etag, last_modified)
    except FetchError as exc:
        sink.close()
        return None, _just([(InputError(url, exc.reason), 0)])
    except BaseException:
        sink.close()
        raise
    if resp.not_modified:
        sink.close()
        return resp, _just([])
    sink.flush()
    return resp, _read(sink, max_bytes, url)


def _just(items: list[Item]) -> Generator[Item, None, None]:
    yield from items


def _read(sink: IO[bytes], max_bytes: int, url: str) -> Generator[Item, None, None]:
    try:
        sink.seek(0)
        yield from iter_warc(sink, max_bytes, url)
    finally:
        sink.close()


def iter_remote_warcs(urls: list[str], fetcher: Fetcher,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """The documents of each WARC URL in turn, for `newsprism run`."""
    for url in urls:
        _resp, items = fetch_warc(fetcher, url, max_bytes)
        yield from items
