"""The first pipeline stages: decode the raw bytes, apply what the input record said."""

from __future__ import annotations

from newsprism.clean.dates import find_dates
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.files import valid_unicode
from newsprism.model import Document


def decode_stage(doc: Document) -> Document:
    """Raw bytes to text lines (a JSONL record's body is already text)."""
    if "body" in doc.hints:
        doc.raw_text, doc.encoding = doc.hints["body"], "utf-8"
    else:
        doc.raw_text, doc.encoding = decode_bytes(doc.raw, doc.source)
    text = valid_unicode(doc.raw_text)
    doc.raw_text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    doc.lines = doc.raw_text.split("\n")
    return doc


def hints_stage(doc: Document) -> Document:
    """Metadata given with the input (JSONL fields) wins over anything detected later."""
    hints = doc.hints
    doc.url = hints.get("url") or doc.url
    doc.title = (hints.get("title") or "").strip() or doc.title
    doc.outlet = (hints.get("outlet") or "").strip() or doc.outlet
    if hints.get("published"):
        dates = find_dates(hints["published"])
        doc.published = dates[0].value.isoformat() if dates else doc.published
    return doc
