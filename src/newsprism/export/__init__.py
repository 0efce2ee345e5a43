"""Export the stored record: JSON Lines (the versioned contract of docs/schema.md) or CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from newsprism.model import Document

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = [
    "id", "source", "url", "title", "published", "outlet", "language", "text", "removed",
    "entities", "statements", "unnamed_statements", "events", "framing", "near_duplicates",
    "story", "schema_version",
]


def write_jsonl(docs: Iterable[Document], out: TextIO) -> int:
    n = 0
    for doc in docs:
        out.write(json.dumps(doc.to_export(), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(docs: Iterable[Document], out: TextIO) -> int:
    """One row per document; list fields are JSON strings so that nothing is flattened away."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    n = 0
    for doc in docs:
        record = doc.to_export()
        writer.writerow({
            col: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
            for col, v in record.items()
        })
        n += 1
    return n


def export(docs: Iterable[Document], out: TextIO, fmt: str) -> int:
    if fmt == "jsonl":
        return write_jsonl(docs, out)
    if fmt == "csv":
        return write_csv(docs, out)
    raise ValueError(f"unknown export format '{fmt}' (choose from {', '.join(FORMATS)})")
