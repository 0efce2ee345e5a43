"""Bytes to text: refuse binary data, honour BOMs, prefer UTF-8, detect anything else.

Scraped text arrives in whatever encoding the scraper saved; charset-normalizer guesses the
rest. A wrong guess is better than a crash, but binary data must never reach the cleaner.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from newsprism.model import InputError

_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive",
    b"\x7fELF": "an executable",
    b"SQLite format 3": "an SQLite database",
}
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_TEXT_CONTROLS = {9, 10, 12, 13, 27}


def _binary_reason(raw: bytes) -> str | None:
    for magic, what in _MAGIC.items():
        if raw.startswith(magic):
            return f"binary file ({what}), not text"
    head = raw[:8192]
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if head and controls / len(head) > 0.05:
        return "binary file (too many control bytes), not text"
    return None


def decode_bytes(raw: bytes, source: str) -> tuple[str, str]:
    """Return (text, encoding) or raise `InputError` saying why the bytes are not text."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(source, f"broken {encoding} text ({exc.reason})") from exc
    if not raw.strip():
        raise InputError(source, "empty file")
    reason = _binary_reason(raw)
    if reason:
        raise InputError(source, reason)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise InputError(source, "not text in any known encoding")
    return str(best), best.encoding
