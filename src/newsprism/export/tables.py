"""Event and statement tables in the shape event-data users know (ACLED, GDELT): one row per
event or statement, flat columns, written as JSON Lines, CSV, GeoJSON or Parquet.

The rows come from the read layer (`read.event_rows`, `read.statement_rows`), so an export
has the filters, order and spellings of the listings; this module only names and shapes the
columns (documented in docs/exports.md) and writes them. Documents (the nested record of
docs/schema.md) are flattened here for Parquet as they are for CSV: list fields as JSON.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TextIO

from newsprism.export import CSV_COLUMNS, neutralise_cell
from newsprism.model import Document

KINDS = ("documents", "events", "statements", "reviews")
TABLE_FORMATS = ("jsonl", "csv", "geojson", "parquet")
FORMATS_OF = {"documents": ("jsonl", "csv", "parquet"),
              "events": ("jsonl", "csv", "geojson", "parquet"),
              "statements": ("jsonl", "csv", "parquet"),
              "reviews": ("jsonl", "csv", "parquet")}
PUBLISHED = "published"  # date_precision of an event dated by its article only


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "string", "float", "int" or "bool": the Parquet type (all nullable)


EVENT_COLUMNS = [Column(n, k) for n, k in [
    ("event_id", "string"), ("event_date", "string"), ("date_precision", "string"),
    ("event_type", "string"), ("modality", "string"), ("actor1", "string"),
    ("actor2", "string"), ("claimed_by", "string"), ("place", "string"), ("admin1", "string"),
    ("country", "string"), ("latitude", "float"), ("longitude", "float"),
    ("geo_precision", "string"), ("outlet", "string"), ("published", "string"),
    ("url", "string"), ("document_id", "string"), ("evidence", "string"),
    ("claim_id", "string"), ("claim_outlets", "int"), ("story", "string"),
    ("confidence", "float"), ("review", "string"), ("review_note", "string"),
]]

STATEMENT_COLUMNS = [Column(n, k) for n, k in [
    ("statement_id", "string"), ("speaker", "string"), ("source_type", "string"),
    ("source_description", "string"), ("cue", "string"), ("kind", "string"),
    ("outlet", "string"), ("date", "string"), ("url", "string"), ("document_id", "string"),
    ("text", "string"), ("evidence", "string"), ("review", "string"), ("review_note", "string"),
]]


# an analyst's review and what it refers to (docs/exports.md#reviews)
REVIEW_COLUMNS = [Column(n, k) for n, k in [
    ("review_id", "string"), ("kind", "string"), ("verdict", "string"), ("note", "string"),
    ("reviewed_at", "string"), ("changed", "bool"), ("reviewed_text", "string"),
    ("current_text", "string"), ("refers_to", "string"), ("document_id", "string"),
    ("item", "string"), ("outlet", "string"), ("published", "string"), ("title", "string"),
    ("url", "string"), ("speaker", "string"), ("event_type", "string"),
    ("event_place", "string"), ("event_date", "string"), ("confidence", "float"),
    ("other_document_id", "string"), ("other_title", "string"), ("other_outlet", "string"),
    ("similarity", "float"),
]]


DOCUMENT_COLUMNS = [Column(n, "int" if n == "schema_version" else "string")
                    for n in CSV_COLUMNS]


def columns_of(kind: str) -> list[Column]:
    return {"events": EVENT_COLUMNS, "statements": STATEMENT_COLUMNS,
            "documents": DOCUMENT_COLUMNS, "reviews": REVIEW_COLUMNS}[kind]


def event_record(row: dict[str, Any]) -> dict[str, Any]:
    """One event row of the store as an export row. An event the text gives no date is
    dated by its article, with date_precision "published" (it happened then or before)."""
    dated = row["date"] is not None
    return {
        "event_id": f"{row['document_id']}-{row['position']}",
        "event_date": row["date"] if dated else row["published"],
        "date_precision": (row["date_precision"] if dated
                           else PUBLISHED if row["published"] else None),
        "event_type": row["type"],
        "modality": row["modality"],
        "actor1": row["actor"],
        "actor2": row.get("actor2"),
        "claimed_by": row["claimed_by"],
        "place": row["place"],
        "admin1": row.get("admin1"),
        "country": row.get("country"),
        "latitude": row["lat"],
        "longitude": row["lon"],
        "geo_precision": row.get("geo_precision") if row["lat"] is not None else None,
        "outlet": row["outlet"],
        "published": row["published"],
        "url": row.get("url"),
        "document_id": row["document_id"],
        "evidence": row["evidence"],
        "claim_id": row.get("claim_id"),
        "claim_outlets": row.get("claim_outlets"),
        "story": row.get("story"),
        "confidence": row.get("confidence"),
        "review": row.get("review"),
        "review_note": row.get("review_note"),
    }


def statement_record(row: dict[str, Any]) -> dict[str, Any]:
    """One statement row of the store as an export row (its date is the article's)."""
    return {
        "statement_id": f"{row['document_id']}-{row['position']}",
        "speaker": row["speaker"],
        "source_type": row["source_type"],
        "source_description": row["source_description"],
        "cue": row["cue"],
        "kind": row["kind"],
        "outlet": row["outlet"],
        "date": row["published"],
        "url": row.get("url"),
        "document_id": row["document_id"],
        "text": row["text"],
        "evidence": row["evidence"],
        "review": row.get("review"),
        "review_note": row.get("review_note"),
    }


def review_record(row: dict[str, Any]) -> dict[str, Any]:
    """One review (read.reviews.review_rows) as an export row: the verdict, and the
    statement, event or near-duplicate pair it judges, by the id the other exports give it
    (`refers_to`: a statement_id or event_id, or the two documents of a pair)."""
    kind = row["kind"]
    pair = kind == "near_duplicate"
    refers = f"{row['document_id']}~{row['item']}" if pair \
        else f"{row['document_id']}-{row['item']}"
    return {
        "review_id": f"{kind}:{refers}",
        "kind": kind,
        "verdict": row["verdict"],
        "note": row["note"],
        "reviewed_at": row["reviewed_at"],
        "changed": row["current"] != row["text"],
        "reviewed_text": row["text"],
        "current_text": row["current"],
        "refers_to": refers,
        "document_id": row["document_id"],
        "item": row["item"],
        "outlet": row["outlet"],
        "published": row["published"],
        "title": row["title"],
        "url": row["url"],
        "speaker": row["speaker"] if kind == "statement" else None,
        "event_type": row["event_type"],
        "event_place": row["event_place"],
        "event_date": row["event_date"],
        "confidence": row["event_confidence"] if kind == "event" else row["pair_confidence"],
        "other_document_id": row["item"] if pair else None,
        "other_title": row["other_title"],
        "other_outlet": row["other_outlet"],
        "similarity": row["similarity"],
    }


def document_record(doc: Document) -> dict[str, Any]:
    """A document's export record with its list fields as JSON strings (as in the CSV)."""
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
            for k, v in doc.to_export().items()}


def records(kind: str, rows: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Store rows (or documents) of `kind` as flat export rows."""
    shape: Callable[[Any], dict[str, Any]] = {
        "events": event_record, "statements": statement_record,
        "reviews": review_record}.get(kind, document_record)
    return (shape(r) for r in rows)


# -- writers ------------------------------------------------------------------------------------

def write_jsonl(rows: Iterable[dict[str, Any]], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], columns: list[Column], out: TextIO) -> int:
    """A header and one line per row; empty cells for null; formula-like cells neutralised
    (`neutralise_cell`), as in the document CSV."""
    writer = csv.DictWriter(out, fieldnames=[c.name for c in columns])
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: neutralise_cell(v) for k, v in row.items()})
        n += 1
    return n


def located(row: dict[str, Any]) -> bool:
    """Coordinates a map can show: both present, finite and within range."""
    lat, lon = row.get("latitude"), row.get("longitude")
    return (isinstance(lat, int | float) and isinstance(lon, int | float)
            and math.isfinite(lat) and math.isfinite(lon)
            and -90 <= lat <= 90 and -180 <= lon <= 180)


def geojson_feature(row: dict[str, Any]) -> dict[str, Any]:
    """A located event as a Point feature (RFC 7946: [longitude, latitude]); every column but
    the two coordinates is a property, and the event id is the feature's id."""
    props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": row["event_id"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": props}


def write_geojson(rows: Iterable[dict[str, Any]], out: TextIO) -> tuple[int, int]:
    """One FeatureCollection, a feature per line, written as the rows come (no list of them
    in memory). Events without coordinates are left out; returns (written, left out)."""
    out.write('{"type": "FeatureCollection", "features": [')
    written = skipped = 0
    for row in rows:
        if not located(row):
            skipped += 1
            continue
        out.write(("\n" if written == 0 else ",\n")
                  + json.dumps(geojson_feature(row), ensure_ascii=False))
        written += 1
    out.write("\n]}\n")
    return written, skipped


PARQUET_BATCH = 5_000


def _arrow() -> tuple[Any, Any]:
    """pyarrow and pyarrow.parquet, imported when a Parquet file is written (it takes a
    moment and the other formats do not need it); the library ships no type information."""
    import pyarrow  # type: ignore[import-untyped]
    import pyarrow.parquet  # type: ignore[import-untyped]

    return pyarrow, pyarrow.parquet


def parquet_schema(columns: list[Column]) -> Any:
    pa, _pq = _arrow()
    types = {"string": pa.string(), "float": pa.float64(), "int": pa.int64(),
             "bool": pa.bool_()}
    return pa.schema([pa.field(c.name, types[c.kind], nullable=True) for c in columns])


def write_parquet(rows: Iterable[dict[str, Any]], columns: list[Column], out: str | IO[bytes]
                  ) -> int:
    """Row groups of PARQUET_BATCH rows (memory stays bounded), zstd-compressed, typed by
    `columns`; an empty export is a file with the schema and no rows."""
    pa, pq = _arrow()
    schema = parquet_schema(columns)
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


def write_table(kind: str, rows: Iterable[dict[str, Any]], fmt: str, out: Any
                ) -> tuple[int, int]:
    """Export rows of `kind` in `fmt` to `out` (a text stream; for Parquet a path or a binary
    stream). Returns (rows written, events left out for want of coordinates)."""
    if fmt not in FORMATS_OF[kind]:
        raise ValueError(f"--format {fmt} is not for {kind}; choose from "
                         f"{', '.join(FORMATS_OF[kind])}")
    columns = columns_of(kind)
    if fmt == "jsonl":
        return write_jsonl(rows, out), 0
    if fmt == "csv":
        return write_csv(rows, columns, out), 0
    if fmt == "geojson":
        return write_geojson(rows, out)
    return write_parquet(rows, columns, out), 0
