"""Outlet profiles: how each outlet reports, in numbers people can compare.

- unattributed claims: the share of its events stated in its own voice, with no named source;
- described sources: the share of its statements whose source is described, not named
  ("local officials", "a senior diplomat"), and apart from it the share with no source at all
  ("it is believed");
- loaded terms per 1,000 words: terms from either side's vocabulary (framing lexicon);
- hedges per 1,000 words ("reportedly", "allegedly");
- filler/clickbait per 1,000 words: content-farm padding and promo language;
- copy rate: the share of its articles that are near-copies of another outlet's earlier one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

LOADED = ("loaded_pro_kremlin", "loaded_pro_ukrainian")


@dataclass
class DocStats:
    outlet: str | None
    words: int
    events: int
    unattributed: int
    framing: dict[str, int]
    is_copy: bool
    statements: int = 0
    described_statements: int = 0
    unsourced_statements: int = 0


@dataclass
class OutletProfile:
    outlet: str
    documents: int = 0
    words: int = 0
    events: int = 0
    unattributed: int = 0
    copies: int = 0
    statements: int = 0
    described_statements: int = 0
    unsourced_statements: int = 0
    framing: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def per_1000(self, *categories: str) -> float:
        return 1000 * sum(self.framing.get(c, 0) for c in categories) / self.words \
            if self.words else 0.0

    def as_row(self) -> dict[str, object]:
        return {
            "outlet": self.outlet,
            "documents": self.documents,
            "words": self.words,
            "unattributed_share": round(self.unattributed / self.events, 3)
            if self.events else None,
            "described_source_share": round(self.described_statements / self.statements, 3)
            if self.statements else None,
            "no_source_share": round(self.unsourced_statements / self.statements, 3)
            if self.statements else None,
            "loaded_per_1000": round(self.per_1000(*LOADED), 2),
            "pro_kremlin_per_1000": round(self.per_1000("loaded_pro_kremlin"), 2),
            "pro_ukrainian_per_1000": round(self.per_1000("loaded_pro_ukrainian"), 2),
            "hedges_per_1000": round(self.per_1000("hedge"), 2),
            "filler_per_1000": round(self.per_1000("filler", "clickbait"), 2),
            "copy_rate": round(self.copies / self.documents, 3) if self.documents else None,
        }


def outlet_profiles(stats: list[DocStats]) -> list[OutletProfile]:
    profiles: dict[str, OutletProfile] = {}
    for s in stats:
        name = s.outlet or "(unknown outlet)"
        p = profiles.setdefault(name, OutletProfile(name))
        p.documents += 1
        p.words += s.words
        p.events += s.events
        p.unattributed += s.unattributed
        p.copies += s.is_copy
        p.statements += s.statements
        p.described_statements += s.described_statements
        p.unsourced_statements += s.unsourced_statements
        for category, n in s.framing.items():
            p.framing[category] += n
    return sorted(profiles.values(), key=lambda p: (-p.documents, p.outlet))
