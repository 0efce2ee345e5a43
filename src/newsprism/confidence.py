"""Confidence in an event and in a near-duplicate pair: a number in [0, 1] (docs/confidence.md).

Computed from evidence the pipeline and the link stage already hold, with the weights of
data/confidence.toml. An event's is set when it is extracted (its own evidence, one outlet)
and again by the link stage once it knows how many independent outlets carry the same claim;
a near-duplicate pair's when the link stage pairs the two documents. Pure functions of plain
values, so the store's migration can fill in rows stored before the column existed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any


@cache
def weights() -> dict[str, Any]:
    text = resources.files("newsprism.data").joinpath("confidence.toml").read_text("utf-8")
    return tomllib.loads(text)


def event_confidence(modality: str | None, *, place: str | None, actor: str | None,
                     date_precision: str | None, date: str | None, claimed_by: str | None,
                     outlets: int = 1) -> float:
    """How far the evidence supports the event as a happening: its parts found (trigger,
    place, actor, who claims it, a date and its precision), times how the sentence tells it
    (asserted 1 ... denied 0.2), plus the independent outlets carrying the same claim."""
    w = weights()["event"]
    score = w["trigger"]
    score += w["place"] if place else 0.0
    score += w["actor"] if actor else 0.0
    score += w["claimed_by"] if claimed_by else 0.0
    if date:
        score += w.get(f"date_{date_precision or 'day'}", w["date_day"])
    score += min(w["max_outlets_bonus"], w["per_outlet"] * max(0, outlets - 1))
    score *= w["modality"].get(modality or "asserted", w["modality"]["hypothetical"])
    return round(min(1.0, max(0.0, score)), 2)


def event_row_confidence(row: Mapping[str, Any], outlets: int = 1) -> float:
    """`event_confidence` of a stored event row (or anything with its column names)."""
    return event_confidence(row.get("modality"), place=row.get("place"),
                            actor=row.get("actor"), date_precision=row.get("date_precision"),
                            date=row.get("date"), claimed_by=row.get("claimed_by"),
                            outlets=outlets)


def covered(spans: Iterable[Iterable[int]], length: int) -> float:
    """The share of a text of `length` characters inside these [start, end) spans."""
    if length <= 0:
        return 0.0
    marked: list[tuple[int, int]] = sorted((int(a), int(b)) for a, b, *_rest in spans)
    total, reach = 0, 0
    for a, b in marked:
        a = max(a, reach)
        if b > a:
            total += b - a
            reach = b
    return min(1.0, total / length)


def near_duplicate_confidence(similarity: float, shared_share: float) -> float:
    """How sure the pairing is, from the texts' estimated similarity (scaled between what
    unrelated same-story articles reach and what clear rewrites do) and the share of the text
    the other repeats word for word: either can carry it, 1 - (1 - a)(1 - b)."""
    w = weights()["near_duplicate"]
    low, high = w["similarity_none"], w["similarity_full"]
    a = min(1.0, max(0.0, (similarity - low) / (high - low)))
    b = min(1.0, max(0.0, shared_share))
    return round(1 - (1 - a) * (1 - b), 2)


def translation_confidence(cosine: float, names: int) -> float:
    """A translation pair: the cosine of the names and figures both carry in order, and how
    many they are (`translation_names_full` or more count fully)."""
    w = weights()["near_duplicate"]
    full = w["translation_names_full"]
    score = w["translation_similarity"] * cosine + w["translation_names"] * min(1.0,
                                                                                names / full)
    return round(min(1.0, max(0.0, score)), 2)
