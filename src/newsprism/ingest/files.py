"""Walk files and folders and turn each article in them into a `Document`.

Supported: `.txt` (scraped text), `.html`/`.htm`, `.jsonl` (one article per line with `text` or
`html` and optional `url`, `title`, `published`, `outlet`), and any of them gzip-compressed;
`.warc` and `.warc.gz` web archives (each HTTP response with an HTML or text body is one
document, its URL and fetch date kept in the hints).
Every problem becomes an `InputError` yielded in place of a document, so one bad file or line
never stops a batch.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from newsprism.model import Document, InputError, Kind, content_id

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".arc"}
WARC_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
HINT_FIELDS = ("url", "title", "published", "outlet")

# (document or error, bytes of input consumed) — the byte count drives the progress bar.
Item = tuple[Document | InputError, int]


def shown(path: Path | str) -> str:
    """A path as it may appear in an error line or the store: one line, valid Unicode. Control
    characters are escaped (a newline in a name must not split its error line) and bytes that
    are not UTF-8 (kept by the OS as lone surrogates) are shown as \\xNN."""
    out = []
    for ch in str(path):
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape for a raw byte
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF or not ch.isprintable() and ch != " ":
            out.append(ch.encode("unicode_escape").decode("ascii") if code < 0xD800
                       else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "".join(out)


_SPECIAL = [
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
]


def _special_reason(mode: int) -> str:
    what = next((name for test, name in _SPECIAL if test(mode)), "not a regular file")
    return f"not a regular file ({what}), skipped"


def _link_reason(path: Path) -> str | None:
    """Why a symbolic link cannot be followed, or None when its target exists."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop, skipped"
        if exc.errno == errno.ENOENT:
            return "dangling symbolic link (no such target), skipped"
        return f"cannot follow symbolic link ({exc.strerror or exc}), skipped"
    return None


def walk_inputs(paths: Iterable[Path], follow_links: bool = False
                ) -> Iterator[Path | InputError]:
    """Files as given, folders recursively in sorted order, hidden files skipped; every other
    entry that is not read (special files, broken or looping links, unlistable folders, links
    leading outside the folder given unless `follow_links`) comes back as an `InputError`.
    File types are checked with lstat/stat before anything is opened: a FIFO never hangs."""
    for path in paths:
        try:
            st = path.lstat()
        except OSError as exc:
            reason = ("no such file or folder" if exc.errno == errno.ENOENT
                      else f"cannot read ({exc.strerror or exc})")
            yield InputError(shown(path), reason)
            continue
        if stat.S_ISLNK(st.st_mode):
            refused = _link_reason(path)
            if refused:
                yield InputError(shown(path), refused)
                continue
            st = path.stat()  # a link named on the command line is followed
        if stat.S_ISDIR(st.st_mode):
            root = path.resolve()
            yield from _walk_folder(path, root, follow_links, {(st.st_dev, st.st_ino)})
        elif stat.S_ISREG(st.st_mode):
            yield path
        else:
            yield InputError(shown(path), _special_reason(st.st_mode))


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def _walk_folder(folder: Path, root: Path, follow_links: bool,
                 seen: set[tuple[int, int]]) -> Iterator[Path | InputError]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield InputError(shown(folder), f"cannot list folder ({exc.strerror or exc}), skipped")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child = Path(entry.path)
        try:
            st = child.lstat()
        except OSError as exc:
            yield InputError(shown(child), f"cannot read ({exc.strerror or exc}), skipped")
            continue
        if stat.S_ISLNK(st.st_mode):
            reason = _link_reason(child)
            if reason:
                yield InputError(shown(child), reason)
                continue
            if not follow_links and not _inside(child.resolve(), root):
                yield InputError(shown(child), "symbolic link to a place outside the input "
                                 "folder, skipped (--follow-links follows it)")
                continue
            st = child.stat()
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield InputError(shown(child), "symbolic link loop (a folder already being "
                                 "read), skipped")
                continue
            yield from _walk_folder(child, root, follow_links, seen | {key})
        elif stat.S_ISREG(st.st_mode):
            yield child
        else:
            yield InputError(shown(child), _special_reason(st.st_mode))


def expand_paths(paths: Iterable[Path], follow_links: bool = False) -> Iterator[Path]:
    """The files `walk_inputs` would read (for the progress bar's total)."""
    return (p for p in walk_inputs(paths, follow_links) if isinstance(p, Path))


def _input_size(path: Path) -> int:
    """Bytes the reader will consume: for gzip, the uncompressed size from its trailer. A file
    that cannot be read counts its size here; reading it reports the error, with its name."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        return 0
    size = st.st_size
    if path.suffix.lower() == ".gz" and size >= 18:
        try:
            with path.open("rb") as fh:
                fh.seek(-4, 2)
                return int.from_bytes(fh.read(4), "little")  # ISIZE: size mod 2**32
        except OSError:
            return size
    return size


def total_bytes(files: list[Path]) -> int:
    """The progress bar's total: what reading every file will consume."""
    return sum(_input_size(f) for f in files if f.is_file())


def _format_of(path: Path) -> tuple[str | None, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    last = suffixes[-1] if suffixes else ""
    if last in TEXT_SUFFIXES:
        return "text", gz
    if last in HTML_SUFFIXES:
        return "html", gz
    if last in JSONL_SUFFIXES:
        return "jsonl", gz
    if last in WARC_SUFFIXES:
        return "warc", gz
    return None, gz


def _open(path: Path, gz: bool) -> IO[bytes]:
    """Open for reading without ever blocking on a special file: opened non-blocking, then
    refused unless it is (still) a regular file."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(shown(path), _special_reason(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return cast(IO[bytes], gzip.GzipFile(fileobj=fh, mode="rb")) if gz else fh


def _too_large(source: str, max_bytes: int) -> InputError:
    return InputError(
        source, f"larger than the {max_bytes / 2**20:g} MiB per-article limit (--max-mb)"
    )


def _read_limited(path: Path, gz: bool, max_bytes: int) -> bytes:
    """Read a whole one-article file, refusing more than `max_bytes` (also when gzipped)."""
    if not gz and path.stat().st_size > max_bytes:
        raise _too_large(shown(path), max_bytes)
    with _open(path, gz) as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(shown(path), max_bytes)
    return raw


def iter_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Yield the documents (or errors) of one file."""
    source = shown(path)
    try:
        size = _input_size(path)
    except OSError as exc:
        yield InputError(source, f"cannot read ({exc.strerror or exc})"), 0
        return
    fmt, gz = _format_of(path)
    if fmt is None:
        what = shown(path.suffix or path.name)
        yield InputError(source, f"unsupported file type '{what}'"), size
        return
    try:
        if fmt == "jsonl":
            yield from _iter_jsonl(path, gz, max_bytes)
            return
        if fmt == "warc":
            yield from _iter_warc(path, size, max_bytes)
            return
        raw = _read_limited(path, gz, max_bytes)
    except InputError as exc:
        yield exc, size
        return
    except (OSError, EOFError, zlib.error) as exc:
        reason = "broken gzip" if gz else getattr(exc, "strerror", None) or exc
        yield InputError(source, f"cannot read ({reason})"), size
        return
    kind: Kind = "html" if fmt == "html" else "text"
    yield Document(id=content_id(raw), source=source, raw=raw, kind=kind), size


CHUNK = 1 << 20  # JSONL is read this much at a time, however long its lines


def _lines_limited(fh: IO[bytes], max_bytes: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, bytes consumed) for each line of `fh`, read in bounded chunks: a line longer
    than `max_bytes` is never held whole; it comes back as (None, its length)."""
    parts: list[bytes] = []
    held = 0  # bytes of the current line kept in `parts`
    skipped = 0  # bytes of the current line dropped: it is over the limit
    while True:
        chunk = fh.read(CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            nl = chunk.find(b"\n", start)
            piece = chunk[start:] if nl < 0 else chunk[start : nl + 1]
            if skipped or held + len(piece) > max_bytes + 1:
                skipped += held + len(piece)
                parts, held = [], 0
            else:
                parts.append(piece)
                held += len(piece)
            if nl < 0:
                break
            if skipped:
                yield None, skipped
            else:
                yield b"".join(parts), held
            parts, held, skipped = [], 0, 0
            start = nl + 1
    if skipped:
        yield None, skipped
    elif held:
        yield b"".join(parts), held


def _iter_jsonl(path: Path, gz: bool, max_bytes: int) -> Iterator[Item]:
    source = shown(path)
    lineno = 0
    try:
        with _open(path, gz) as fh:
            for lineno, (line, size) in enumerate(_lines_limited(fh, max_bytes), start=1):
                where = f"{source}#{lineno}"
                if line is None:
                    yield _too_large(where, max_bytes), size
                    continue
                raw = line.strip()
                if not raw:
                    yield InputError(where, "empty line"), size
                    continue
                if len(raw) > max_bytes:
                    yield _too_large(where, max_bytes), size
                    continue
                yield jsonl_record(raw, where), size
    except InputError as exc:
        yield exc, 0
    except (OSError, EOFError, zlib.error) as exc:
        reason = "broken gzip" if gz else getattr(exc, "strerror", None) or str(exc)
        yield InputError(source if not lineno else f"{source}#{lineno + 1}",
                         f"cannot read further ({reason})"), 0


def iter_warc(fh: IO[bytes], max_bytes: int, name: str) -> Iterator[Item]:
    """The documents of an open WARC file (seekable; closed at the end) under a name of its
    own: a WARC fetched by URL into a temporary file, whose records and errors name the URL."""
    yield from _iter_warc(Path(name), os.fstat(fh.fileno()).st_size, max_bytes, name, fh)


_WARC_PADDING = 8  # the blank lines a writer may leave after the last record


def _iter_warc(path: Path, size: int, max_bytes: int, name: str | None = None,
               opened: IO[bytes] | None = None) -> Iterator[Item]:
    """HTTP responses of a WARC (warcio reads plain and per-record gzip alike). Other records
    (requests, metadata, images) are passed over silently: they are not articles. A broken
    archive ends with one error naming the file and the record it stopped at."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = name or shown(path)
    n = docs = 0
    try:
        with opened if opened is not None else _open(path, False) as fh:
            head = fh.read(5)
            if head[:2] != b"\x1f\x8b" and head != b"WARC/":
                raise InputError(source, "not a WARC file (it does not start with a WARC "
                                         "record), skipped")
            fh.seek(0)
            records = ArchiveIterator(fh)
            end = 0  # where the last whole record ends: a cut inside a record's headers
            for record in records:  # stops warcio quietly, so what is left over is checked
                if record.rec_type is None:  # headers cut off before the record's type
                    raise EOFError(f"record {n + 1} has no WARC-Type: the file is cut short")
                if record.rec_type != "response" or record.http_headers is None:
                    records.read_to_end(record)
                    end = records.get_record_offset() + records.get_record_length()
                    continue
                n += 1
                where = f"{source}#{n}"
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if not ctype.startswith(WARC_TYPES):
                    records.read_to_end(record)
                    end = records.get_record_offset() + records.get_record_length()
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) <= max_bytes and getattr(record.raw_stream, "limit", None):
                    raise EOFError(f"record {n} ends early: the file is cut short")
                records.read_to_end(record)
                end = records.get_record_offset() + records.get_record_length()
                if len(body) > max_bytes:
                    yield _too_large(where, max_bytes), 0
                    continue
                hints = {"url": record.rec_headers.get_header("WARC-Target-URI") or "",
                         "fetched_at": record.rec_headers.get_header("WARC-Date") or "",
                         "http_status": record.http_headers.get_statuscode() or ""}
                kind: Kind = "text" if ctype.startswith("text/plain") else "html"
                docs += 1
                yield Document(id=content_id(body), source=where, raw=body, kind=kind,
                               hints={k: v for k, v in hints.items() if v}), \
                    size if docs == 1 else 0  # the file's bytes count once
            left = os.fstat(fh.fileno()).st_size - end  # bytes on disk, gzip or not
            if left > _WARC_PADDING:
                raise EOFError(f"{left} bytes after the last whole record: the file is cut "
                               "short")
    except InputError as exc:
        yield exc, size
        return
    except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError, AttributeError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        yield InputError(source, f"broken WARC after {n} response record(s) ({detail})"), \
            0 if docs else size
        return
    if not docs:
        yield InputError(source, "no HTML or text response in this WARC"), size


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Lone surrogates (JSON allows "\\ud800"; no store can encode them) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def json_document(item: object, where: str) -> Document | InputError:
    """One article given as a JSON value (an item posted to the API), read as a JSONL line
    is. Its id is the hash of its canonical JSON (sorted keys, no spaces), so the same item
    given again is the same document."""
    if not isinstance(item, dict):
        return InputError(where, "an item must be a JSON object")
    try:
        raw = json.dumps(item, ensure_ascii=False, sort_keys=True,
                         separators=(",", ":")).encode("utf-8")
    except ValueError:  # a lone surrogate (\ud800) is not Unicode text
        return InputError(where, "not valid Unicode text (an unpaired surrogate escape)")
    return jsonl_record(raw, where)


def jsonl_record(raw: bytes, where: str) -> Document | InputError:
    """One JSONL line (`where`: the file and line number) as a document, or why not."""
    try:
        record = json.loads(raw)
    except UnicodeDecodeError:
        return InputError(where, "not valid UTF-8")
    except json.JSONDecodeError as exc:
        return InputError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(record, dict):
        return InputError(where, "a JSON line must be an object")
    body_field = next((k for k in ("html", "text") if isinstance(record.get(k), str)), None)
    if body_field is None:
        return InputError(where, "no 'text' or 'html' string field")
    hints = {k: valid_unicode(str(record[k]))
             for k in HINT_FIELDS if isinstance(record.get(k), str | int)}
    hints["body"] = valid_unicode(record[body_field])
    return Document(
        id=content_id(raw),
        source=where,
        raw=raw,
        kind="html" if body_field == "html" else "text",
        hints=hints,
    )


def iter_inputs(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES,
                follow_links: bool = False) -> Iterator[Item]:
    """All documents of all files below `paths`, in a stable order; every entry that is not
    read is an error item (see `walk_inputs`)."""
    for path in walk_inputs(paths, follow_links):
        if isinstance(path, InputError):
            yield path, 0
        else:
            yield from iter_file(path, max_bytes)
