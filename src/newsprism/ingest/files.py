"""Walk files and folders and turn each article in them into a `Document`.

Supported: `.txt` (scraped text), `.html`/`.htm`, `.jsonl` (one article per line with `text` or
`html` and optional `url`, `title`, `published`, `outlet`), and any of them gzip-compressed.
Every problem becomes an `InputError` yielded in place of a document, so one bad file or line
never stops a batch.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from newsprism.model import Document, InputError, content_id

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HINT_FIELDS = ("url", "title", "published", "outlet")

# (document or error, bytes of input consumed) — the byte count drives the progress bar.
Item = tuple[Document | InputError, int]


def expand_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given, folders recursively in sorted order, hidden files skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(p.startswith(".") for p in rel.parts):
                    yield child
        else:
            yield path


def _input_size(path: Path) -> int:
    """Bytes the reader will consume: for gzip, the uncompressed size from its trailer. A file
    that cannot be read counts its size here; reading it reports the error, with its name."""
    size = path.stat().st_size
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
    return None, gz


def _open(path: Path, gz: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if gz else path.open("rb")


def _too_large(path: Path, max_bytes: int) -> InputError:
    return InputError(
        str(path), f"larger than the {max_bytes / 2**20:g} MiB per-article limit (--max-mb)"
    )


def _read_limited(path: Path, gz: bool, max_bytes: int) -> bytes:
    """Read a whole one-article file, refusing more than `max_bytes` (also when gzipped)."""
    if not gz and path.stat().st_size > max_bytes:
        raise _too_large(path, max_bytes)
    with _open(path, gz) as fh:
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise _too_large(path, max_bytes)
    return raw


def iter_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """Yield the documents (or errors) of one file."""
    source = str(path)
    try:
        size = _input_size(path)
    except OSError as exc:
        yield InputError(source, f"cannot read ({exc.strerror or exc})"), 0
        return
    fmt, gz = _format_of(path)
    if fmt is None:
        yield InputError(source, f"unsupported file type '{path.suffix or path.name}'"), size
        return
    try:
        if fmt == "jsonl":
            yield from _iter_jsonl(path, gz, max_bytes)
            return
        raw = _read_limited(path, gz, max_bytes)
    except InputError as exc:
        yield exc, size
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield InputError(source, f"cannot read ({'broken gzip' if gz else exc})"), size
        return
    yield Document(id=content_id(raw), source=source, raw=raw, kind=fmt), size


def _iter_jsonl(path: Path, gz: bool, max_bytes: int) -> Iterator[Item]:
    source = str(path)
    try:
        with _open(path, gz) as fh:
            for lineno, line in enumerate(fh, start=1):
                where = f"{source}#{lineno}"
                raw = line.strip()
                if not raw:
                    yield InputError(where, "empty line"), len(line)
                    continue
                if len(raw) > max_bytes:
                    yield InputError(where, "record larger than the per-article limit"), len(line)
                    continue
                yield _jsonl_record(raw, where), len(line)
    except (OSError, EOFError, zlib.error) as exc:
        reason = "broken gzip" if gz else str(exc)
        yield InputError(source, f"cannot read further ({reason})"), 0


def _jsonl_record(raw: bytes, where: str) -> Document | InputError:
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
    hints = {k: str(record[k]) for k in HINT_FIELDS if isinstance(record.get(k), str | int)}
    hints["body"] = record[body_field]
    return Document(
        id=content_id(raw),
        source=where,
        raw=raw,
        kind="html" if body_field == "html" else "text",
        hints=hints,
    )


def iter_inputs(paths: Iterable[Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Item]:
    """All documents of all files below `paths`, in a stable order."""
    for path in expand_paths(paths):
        if not path.exists():
            yield InputError(str(path), "no such file or folder"), 0
            continue
        yield from iter_file(path, max_bytes)
