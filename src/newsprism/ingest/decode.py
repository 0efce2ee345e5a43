"""Bytes to text: refuse binary data, honour BOMs, prefer UTF-8, detect anything else.

Scraped text arrives in whatever encoding the scraper saved; charset-normalizer guesses the
rest. A wrong guess is better than a crash, but binary data must never reach the cleaner.
"""

from __future__ import annotations

import codecs
from collections import Counter

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


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM looks binary (NULs or control bytes at every other
    position). It is text when it decodes strictly to printable characters from a few
    Unicode blocks: Latin or Cyrillic text uses one or two (plus punctuation), while binary
    data read as UTF-16 scatters over hundreds."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:4096]
        printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
        blocks = Counter(ord(ch) >> 8 for ch in sample if not ch.isspace())
        top = sum(n for _, n in blocks.most_common(3))
        if printable >= 0.98 * len(sample) and top >= 0.95 * sum(blocks.values()):
            return text, encoding
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
        utf16 = None if any(raw.startswith(m) for m in _MAGIC) else _utf16_without_bom(raw)
        if utf16 is None:
            raise InputError(source, reason)
        return utf16
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise InputError(source, "not text in any known encoding")
    return str(best), best.encoding
