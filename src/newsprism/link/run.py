"""The cross-document stage, run over the store after documents are added.

1. near-duplicates, incrementally: stored signatures rebuild the index, and only documents
   added since the last run are signed and compared (with what each copy shares and changes,
   and which came first);
2. stories, claims and contradictions, recomputed over the whole store (they can change
   when a new document bridges two groups); the documents it read are then marked linked
   (documents.linked_at), in the same transaction.

Linking is resumable: each step commits whole or not at all, and a document is "not yet
linked" until the second step has committed, so a run stopped anywhere (Ctrl-C, kill -9)
leaves work the next run finds (`Store.unlinked_count`). Two processes on one database link
one after the other (`Store.link_lock`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from newsprism.link.claims import EventRef, find_contradictions, group_claims
from newsprism.link.crosslang import Link, anchors, cross_language_links
from newsprism.link.names import outlet_key
from newsprism.link.near_duplicates import (
    NearDuplicateIndex,
    changed_passages,
    copy_direction,
    shared_passages,
)
from newsprism.link.stories import cluster, story_features
from newsprism.model import Document
from newsprism.store import Store
from newsprism.store.database import TRANSLATION

MAX_PASSAGES = 20
# a wire story syndicated hundreds of times would otherwise pair every copy with every other:
# each new document keeps its closest earlier matches only
MAX_MATCHES = 5


@dataclass
class LinkReport:
    signed: int = 0
    near_duplicate_pairs: int = 0
    stories: int = 0
    multi_outlet_stories: int = 0
    claims: int = 0
    contradictions: int = 0


def _pair_rows(doc: dict, other: dict, similarity: float) -> list[dict]:
    original, copy, reason = copy_direction(
        (doc["id"], doc["published"], str(doc["ingested_at"])),
        (other["id"], other["published"], str(other["ingested_at"])),
    )
    shared = json.dumps(shared_passages(doc["text"], other["text"])[:MAX_PASSAGES],
                        ensure_ascii=False)
    rows = []
    for this, that in ((doc, other), (other, doc)):
        changed = changed_passages(this["text"], that["text"])[:MAX_PASSAGES]
        rows.append({
            "document_id": this["id"], "other_id": that["id"], "similarity": similarity,
            "relation": "copy_of" if this["id"] == copy else "copied_by",
            "reason": reason if this["id"] == copy else f"copied by {copy}; {reason}",
            "shared": shared, "changed": json.dumps(changed, ensure_ascii=False),
        })
    del original
    return rows


def link_near_duplicates(
    store: Store, progress: Callable[[int], None] | None = None
) -> tuple[int, int]:
    index = NearDuplicateIndex()
    for doc_id, sig, published in store.signatures():
        try:
            index.add_signature(doc_id, sig, published)
        except ValueError:
            continue  # made under other settings: the document is signed again below
    new = [d for d in store.unsigned() if d["id"] not in index]
    sigs, rows = [], []
    pairs: list[tuple[dict, str, float]] = []
    for doc in new:
        matches = index.add(doc["id"], doc["text"], doc["published"])
        for other_id, similarity in matches[:MAX_MATCHES]:
            pairs.append((doc, other_id, similarity))
        sigs.append((doc["id"], index.signature_bytes(doc["id"])))
        if progress:
            progress(1)
    others = store.dating(other for _d, other, _s in pairs)
    for doc, other_id, similarity in pairs:
        rows.extend(_pair_rows(doc, others[other_id], similarity))
    store.add_near_duplicates(sigs, rows)
    return len(sigs), len(pairs)


def link_analysis(store: Store) -> tuple[int, int, int, int]:
    """Stories, claims and contradictions over everything stored, with the cross-language
    links and translations (crosslang.py)."""
    features, refs, signs = [], [], []
    outlet_of: dict[str, str | None] = {}
    language_of: dict[str, str | None] = {}
    credits: dict[str, set[str]] = {}
    for doc in store.iter_documents():
        features.append(story_features(doc))
        signs.append(anchors(doc))
        outlet_of[doc.id] = doc.outlet
        language_of[doc.id] = doc.language
        credits[doc.id] = _credited(doc)
        refs.extend(EventRef(doc.id, i, doc.outlet, doc.published, e)
                    for i, e in enumerate(doc.events))
    links = cross_language_links(signs)
    story_of = cluster(features, links=[(x.a, x.b) for x in links])
    outlets_of: dict[str, set[str]] = {}
    for f in features:
        outlets_of.setdefault(story_of[f.id], set()).add(outlet_key(f.outlet) or f.id)
    translation_rows = _translation_rows([x for x in links if x.translation], store,
                                         outlet_of, language_of, credits)
    copy_of = store.copy_map(translations=False)
    copy_of.update({r["document_id"]: r["other_id"] for r in translation_rows
                    if r["relation"] == "copy_of" and r["document_id"] not in copy_of})
    claims = group_claims(refs)
    contradictions = find_contradictions(claims, refs)
    claim_rows = []
    for c in claims:
        outlets = c.outlets(copy_of, outlet_of)
        claim_rows.append({
            "id": c.id, "type": c.type, "place": c.place, "date": c.date,
            "outlets": json.dumps(outlets, ensure_ascii=False), "outlet_count": len(outlets),
            "claimed_by": json.dumps(c.claimed_by, ensure_ascii=False),
        })
    member_rows = [{"claim_id": c.id, "document_id": m.document_id, "position": m.position}
                   for c in claims for m in c.members]
    contradiction_rows = [{"kind": x.kind, "place": x.place, "description": x.description,
                           "claim_a": x.claims[0], "claim_b": x.claims[1]}
                          for x in contradictions]
    store.replace_analysis(story_of, claim_rows, member_rows, contradiction_rows,
                           translation_rows)
    multi = sum(1 for outlets in outlets_of.values() if len(outlets) > 1)
    return len(outlets_of), multi, len(claims), len(contradictions)


def _credited(doc: Document) -> set[str]:
    """Outlets an article names as its source ("…, the outlet X reported"), as outlet keys."""
    return {key for e in doc.entities if (key := outlet_key(e.name))}


def _translation_rows(pairs: list[Link], store: Store, outlet_of: dict[str, str | None],
                      language_of: dict[str, str | None], credits: dict[str, set[str]]
                      ) -> list[dict]:
    """Near-duplicate rows (both directions) for translated pairs. The original is the one the
    other credits by name, else the earlier one (copy_direction), else (same day, same ingest)
    the one not in English; each translation keeps its closest originals only."""
    dated = store.dating(i for x in pairs for i in (x.a, x.b))
    rows: list[dict] = []
    per_copy: dict[str, int] = {}
    for x in sorted(pairs, key=lambda p: -p.cosine):
        key_a, key_b = outlet_key(outlet_of.get(x.a)), outlet_key(outlet_of.get(x.b))
        if key_a and key_a in credits[x.b] and key_a != key_b:
            original, copy, reason = x.a, x.b, f"credits {outlet_of[x.a]}"
        elif key_b and key_b in credits[x.a] and key_a != key_b:
            original, copy, reason = x.b, x.a, f"credits {outlet_of[x.b]}"
        else:
            first, second = sorted((x.a, x.b), key=lambda i: language_of[i] == "en")
            original, copy, reason = copy_direction(
                (first, dated[first]["published"], str(dated[first]["ingested_at"])),
                (second, dated[second]["published"], str(dated[second]["ingested_at"])))
            if reason.startswith("no date") and language_of[first] != "en" and \
                    language_of[second] == "en":
                reason = ("no date tells them apart; the English one is taken as the "
                          "translation, as war reporting is mostly translated into English")
        if per_copy.get(copy, 0) >= MAX_MATCHES:
            continue
        per_copy[copy] = per_copy.get(copy, 0) + 1
        names = list(x.shown)
        what = (f"{TRANSLATION} ({language_of[original] or '?'} → "
                f"{language_of[copy] or '?'}): {len(names)} names and figures in the "
                f"same order; {reason}")
        shared = json.dumps(names[:MAX_PASSAGES], ensure_ascii=False)
        for this, that in ((copy, original), (original, copy)):
            rows.append({
                "document_id": this, "other_id": that, "similarity": x.cosine,
                "relation": "copy_of" if this == copy else "copied_by",
                "reason": what if this == copy else f"{what}; translated by {copy}",
                "shared": shared, "changed": "[]",
            })
    return rows


def link(store: Store, progress: Callable[[int], None] | None = None) -> LinkReport:
    """Both steps under the database's link lock: a second run waits, then finds the first
    one's signatures and signs only what is left."""
    report = LinkReport()
    with store.link_lock():
        report.signed, report.near_duplicate_pairs = link_near_duplicates(store, progress)
        (report.stories, report.multi_outlet_stories, report.claims,
         report.contradictions) = link_analysis(store)
    return report
