"""The cross-document stage, run over the store after documents are added.

1. near-duplicates, incrementally: stored signatures rebuild the index, and only documents
   added since the last run are signed and compared (with what each copy shares and changes,
   and which came first);
2. stories, claims and contradictions, incrementally too: the documents not linked yet (the
   batch) are compared with what they can join (linked documents sharing a rare story feature
   within a week: stored postings, store.story_features; documents in other languages at the
   same place and days), the stories they join are merged and renamed, and the claims of
   each (type, place) the batch has an event at are grouped again from the last claim opened
   there before its days (`_claim_scope`: exactly what a full linking finds, reading the days
   re-grouped, not every event stored at the place), with their contradictions. The batch
   is then marked linked
   (documents.linked_at), in the same transaction. `link(full=True)` forgets all of it and
   links every document again, in one batch.

Story weights (and the cross-language anchors') are IDF over the news around each document's
days (stories.Frequencies), never over the whole archive: news months later changes none of
them. A batch changes the weights of the linked documents whose windows hold its days; those
are checked again with it, their stored links (`story_links`) that no longer hold are undone
and the stories concerned grouped again from their links (merged or split), translations
likewise. So linking batch by batch, in any order and batch size, finds what linking
everything at once finds (tests/test_incremental_link.py); claims and contradictions never
depended on batches.

Linking is resumable: each step commits whole or not at all, and a document is "not yet
linked" until the second step has committed, so a run stopped anywhere (Ctrl-C, kill -9)
leaves work the next run finds (`Store.unlinked_count`). Two processes on one database link
one after the other (`Store.link_lock`).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice
from typing import Any

from newsprism.confidence import (
    covered,
    event_confidence,
    near_duplicate_confidence,
    translation_confidence,
)
from newsprism.link.claims import (
    CONTROL_TYPES,
    DATE_WINDOW_DAYS,
    Claim,
    EventRef,
    find_contradictions,
    group_claims,
)
from newsprism.link.crosslang import (
    STORED,
    STORY_DAYS,
    Anchors,
    Link,
    _day,
    anchors,
    cross_language_links,
    from_stored,
    stored_features,
)
from newsprism.link.names import outlet_key
from newsprism.link.near_duplicates import (
    NearDuplicateIndex,
    Prepared,
    changed_spans,
    copy_direction,
    mirrored,
    pack_sentences,
    prepare,
    shared_spans,
)
from newsprism.link.stories import (
    MAX_DAYS_APART,
    WINDOW_DAYS,
    Frequencies,
    Postings,
    StoryDoc,
    _ordinal,
    components,
    story_features,
    story_pairs,
)
from newsprism.model import Document, Event
from newsprism.store import Store
from newsprism.store.database import TRANSLATION
from newsprism.store.links import periods_around

# progress(phase, steps just done, steps in the phase or None): every phase of linking reports
Progress = Callable[[str, int, int | None], None]
MAX_PASSAGES = 20
# a wire story syndicated hundreds of times would otherwise pair every copy with every other:
# each new document keeps its closest earlier matches only
MAX_MATCHES = 5
# documents linked per transaction: a first linking of a large archive is a series of
# incremental ones, each holding one batch in memory
LINK_BATCH = 2_000


@dataclass
class LinkReport:
    signed: int = 0
    near_duplicate_pairs: int = 0
    stories: int = 0
    multi_outlet_stories: int = 0
    claims: int = 0
    contradictions: int = 0


def _pair_rows(doc: dict, other: dict, similarity: float, prepared: dict[str, Prepared]
               ) -> list[dict]:
    """Both directions of a pair. Each text is prepared once per linking (`prepared`, from
    its stored sentences when it has them); shared and changed passages are offsets."""
    a, b = (_prepared(d, prepared) for d in (doc, other))
    _original, copy, reason = copy_direction(
        (doc["id"], doc["published"], str(doc["ingested_at"])),
        (other["id"], other["published"], str(other["ingested_at"])),
    )
    changed = changed_spans(a, b)[:MAX_PASSAGES]
    in_a, in_b = shared_spans(a, b), shared_spans(b, a)
    # the same both ways round: the share of the text the other repeats most of
    confidence = near_duplicate_confidence(similarity, max(covered(in_a, len(a.text)),
                                                           covered(in_b, len(b.text))))
    rows = []
    for this, that, shared, changes in (
            (doc, other, in_a, changed),
            (other, doc, in_b, mirrored(changed))):
        rows.append({
            "document_id": this["id"], "other_id": that["id"], "similarity": similarity,
            "relation": "copy_of" if this["id"] == copy else "copied_by",
            "reason": reason if this["id"] == copy else f"copied by {copy}; {reason}",
            "shared": json.dumps(shared[:MAX_PASSAGES]), "changed": json.dumps(changes),
            "confidence": confidence,
        })
    return rows


def _prepared(doc: dict, cache: dict[str, Prepared]) -> Prepared:
    if doc["id"] not in cache:
        cache[doc["id"]] = prepare(doc["text"], doc.get("sentences"))
    return cache[doc["id"]]


def _batches(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _phase(name: str, number: int, batches: int) -> str:
    """A phase's name on the progress bar, with the batch when there are several."""
    return name if batches == 1 else f"{name} (batch {number} of {batches})"


def link_near_duplicates(store: Store, progress: Progress | None = None,
                         batch: int | None = None) -> tuple[int, int]:
    """Sign the documents added since the last linking and pair each with its closest
    earlier near-duplicates (with what they share and change, as offsets), `batch`
    documents at a time (oldest first, each batch committed): memory follows the batch,
    not the backlog."""
    size = batch or LINK_BATCH
    batches = _batches(store.unlinked_count(), size)
    signed = pairs = number = 0
    seen: set[str] = set()
    while True:
        unsigned = list(store.unsigned(size))
        if not unsigned or {d["id"] for d in unsigned} <= seen:
            return signed, pairs
        seen.update(d["id"] for d in unsigned)
        number += 1
        done = _near_duplicate_batch(store, unsigned, progress, number,
                                     max(batches, number))
        signed, pairs = signed + done[0], pairs + done[1]
        if len(unsigned) < size:
            return signed, pairs


def _near_duplicate_batch(store: Store, unsigned: list[dict], progress: Progress | None,
                          number: int, batches: int) -> tuple[int, int]:
    tick = progress or _no_progress
    index = NearDuplicateIndex()
    # only the signatures of the weeks the new documents can match (all, for an undated one)
    periods = index.periods([d["published"] for d in unsigned]) if unsigned else []
    for doc_id, sig, published in store.signatures(periods):
        try:
            index.add_signature(doc_id, sig, published)
        except ValueError:
            continue  # made under other settings: the document is signed again below
    new = [d for d in unsigned if d["id"] not in index]
    phase = _phase("Linking: near-duplicates", number, batches)
    tick(phase, 0, len(new))
    prepared: dict[str, Prepared] = {}
    sigs, rows = [], []
    pairs: list[tuple[dict, str, float]] = []
    for doc in new:
        matches = index.add(doc["id"], doc["text"], doc["published"])
        for other_id, similarity in matches[:MAX_MATCHES]:
            pairs.append((doc, other_id, similarity))
        sigs.append((doc["id"], index.signature_bytes(doc["id"]),
                     pack_sentences(_prepared(doc, prepared))))
        tick(phase, 1, len(new))
    others = store.dating(other for _d, other, _s in pairs)
    phase = _phase("Linking: what copies share and change", number, batches)
    tick(phase, 0, len(pairs))
    for doc, other_id, similarity in pairs:
        rows.extend(_pair_rows(doc, others[other_id], similarity, prepared))
        tick(phase, 1, len(pairs))
    store.add_near_duplicates(sigs, rows)
    return len(sigs), len(pairs)


def link_analysis(store: Store, progress: Progress | None = None, batch: int | None = None
                  ) -> tuple[int, int, int, int]:
    """Stories, claims and contradictions for the documents not linked yet, with the
    cross-language links and translations (crosslang.py). Only what they can join is read:
    the postings of their rare story features, their neighbours in other languages, the events
    of their places and types from the last claim opened before their days; only the stories
    they join and the claims and contradictions grouped again are rewritten. `batch`
    documents at a time, oldest first, each batch committed (the next one sees it as
    linked): memory follows the batch, not the backlog. Returns
    (stories, told by several outlets, claims, contradictions) over the whole store."""
    tick = progress or _no_progress
    size = batch or LINK_BATCH
    batches = _batches(store.unlinked_count(), size)
    number = 0
    while True:
        docs = list(islice(store.unlinked_documents(), size))
        if not docs:
            break
        number += 1
        batches = max(batches, number)
        phase = _phase("Linking: stories", number, batches)
        tick(phase, 0, len(docs))
        def batch_tick(_phase: str, n: int, total: int | None, shown: str = phase) -> None:
            tick(shown, n, total)

        plan = _Plan(store, docs, batch_tick)
        tick(_phase("Linking: claims", number, batches), 0, None)
        claims = plan.claims()
        tick(_phase("Linking: writing", number, batches), 0, None)
        store.write_links(linked=[d.id for d in docs], features=plan.feature_rows,
                          story_of=plan.story_of, summaries=plan.summaries, gone=plan.gone,
                          links_added=plan.links_added, links_removed=plan.links_removed,
                          translations_removed=plan.translations_removed,
                          translation_rows=plan.translation_rows,
                          **claims)
        if len(docs) < size:
            break
    stories, multi = store.story_counts()
    return stories, multi, store.claim_count(), store.contradiction_count()


def _no_progress(_phase: str, _advance: int, _total: int | None) -> None:
    return None


class _Plan:
    """What linking one batch changes, computed before anything is written.

    Story weights are IDF over the news around each document's days (stories.Frequencies),
    so a batch changes the weights of the linked documents whose windows hold its days, and
    only theirs: those (`affected`) are checked again with the batch, every pair they are in
    found anew, and the stored links of theirs that no longer hold are undone. The stories
    of every document concerned are then the connected groups of the stored links, so a
    story a batch joins is merged, and one whose link it undoes is split."""

    def __init__(self, store: Store, batch: list[Document], tick: Progress):
        self.store, self.batch, self.tick = store, batch, tick
        self.new = {d.id for d in batch}
        feats = [story_features(d) for d in batch]
        signs = [anchors(d) for d in batch]
        self.feature_rows = [
            {"document_id": f.id, "feature": name, "weight": weight,
             "published": f.published if len(f.published or "") == 10 else None}
            for f, a in zip(feats, signs, strict=True)
            for name, weight in {**f.features, **stored_features(a)}.items()]
        batch_days = sorted({d for f in feats if (d := _ordinal(f.published)) is not None})
        undated = any(_ordinal(f.published) is None for f in feats)
        # the window sizes of every day whose weights can matter here
        reach = 3 * WINDOW_DAYS + MAX_DAYS_APART
        old_counts = store.linked_day_counts(None if undated else _periods(batch_days, reach))
        before = Frequencies()
        for day, count in old_counts.items():
            before.add_days(_ordinal_of(day), count)
        self.freq = Frequencies()
        for day, count in old_counts.items():
            self.freq.add_days(_ordinal_of(day), count)
        for f in feats:
            if (d := _ordinal(f.published)) is not None:
                self.freq.add_days(d, 1)
        affected_days = [d for d in map(_ordinal_of, old_counts)
                         if _any_between(batch_days, *before.span(d))]
        affected = set(store.linked_published_in(_periods(affected_days, 0))) - self.new
        self.info = store.features_of(affected)
        docs: dict[str, StoryDoc] = {f.id: f for f in feats}
        docs.update(self._story_docs(self.info))
        check = set(docs)
        # counts of the features of the days around those checked (their candidates' too)
        days = [d for i in check if (d := _ordinal(docs[i].published)) is not None]
        undated = undated or len(days) < len(check)
        around = None if undated else self._windows(_periods(days, MAX_DAYS_APART))
        self._counted: set[str] = set()
        names = {name for i in check for name in docs[i].features}
        for i in affected:
            names.update(k for k in self.info[i]["features"] if k.startswith(STORED))
        names.update(k for a in signs for k in stored_features(a))
        self._count(names, around)
        for f, a in zip(feats, signs, strict=True):
            if (d := _ordinal(f.published)) is not None:
                for name in {**f.features, **stored_features(a)}:
                    self.freq.add(name, d, 1)
        # postings: the features rare in the weeks of a checked document, around its days
        rare = {name for i in check if (d := _ordinal(docs[i].published)) is not None
                for name in docs[i].features if self.freq.rare(name, d)}
        rows = store.feature_postings(rare, _periods(days, MAX_DAYS_APART))
        undated_names = {name for i in check if _ordinal(docs[i].published) is None
                         for name in docs[i].features}
        if undated_names:
            rows += store.feature_postings(undated_names, None)
        known = {doc_id for _name, doc_id, _published in rows} - set(docs)
        known_info = store.features_of(known)
        docs.update(self._story_docs(known_info))
        self._count({name for i in known for name in docs[i].features}, around)
        postings = Postings()
        for name, doc_id, published in rows:
            postings.add(name, doc_id, _ordinal(published))
        for f in feats:
            for name in f.features:
                postings.add(name, f.id, _ordinal(f.published))
        pairs = story_pairs(check, docs, postings, self.freq)
        tick("Linking: stories", len(batch) // 2, len(batch))
        self.info.update(known_info)
        checked_signs = signs + [
            from_stored(i, r["language"], r["outlet"], r["published"], r["features"])
            for i, r in self.info.items() if i in affected]
        links = self._cross_language(checked_signs, check, around)
        translations = [x for x in links if x.translation]
        self.translation_rows = self._translations(translations)
        found = {(x.a, x.b) if x.a < x.b else (x.b, x.a) for x in translations}
        self.translations_removed = {
            (c, o) for c, o in store.translations_of(affected)
            if ((c, o) if c < o else (o, c)) not in found}
        pairs |= {(x.a, x.b) if x.a < x.b else (x.b, x.a) for x in links}
        self._stories(pairs, store.story_links_of(affected))
        tick("Linking: stories", len(batch) - len(batch) // 2, len(batch))

    @staticmethod
    def _story_docs(info: dict[str, dict]) -> dict[str, StoryDoc]:
        return {i: StoryDoc(i, r["outlet"], r["published"],
                            {k: v for k, v in r["features"].items() if not k.startswith(STORED)})
                for i, r in info.items()}

    def _windows(self, periods: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The days the weights of these periods' days are read from."""
        spans = []
        for a, b in periods:
            first, last = _ordinal_of(a), _ordinal_of(b)
            ahead = max(self.freq.span(d)[1] for d in range(first, last + 1))
            spans.append((date.fromordinal(first - WINDOW_DAYS).isoformat(),
                          date.fromordinal(ahead).isoformat()))
        return _merge(spans)

    def _count(self, names: Iterable[str], around: list[tuple[str, str]] | None) -> None:
        """Add the stored per-day counts of these features (once each) to the weights."""
        todo = set(names) - self._counted
        self._counted |= todo
        for name, day, count in self.store.feature_day_counts(todo, around):
            self.freq.add(name, _ordinal_of(day), count)

    def _cross_language(self, signs: list[Anchors], check: set[str],
                        around: list[tuple[str, str]] | None) -> list[Link]:
        """Links of the documents checked with documents in other languages around the same
        days, under the anchors' weights of each one's weeks."""
        places = {f"{STORED}{a}" for s in signs for a in s.positions if a.startswith("place:")}
        days = [d for s in signs if (d := _day(s.published))]
        near = {doc_id for _name, doc_id, published in self.store.feature_postings(
                    places, periods_around((d.isoformat() for d in days), STORY_DAYS))
                if doc_id not in check and (pd := _day(published))
                and any(abs((pd - d).days) <= STORY_DAYS for d in days)}
        info = {i: r for i, r in self.store.features_of(near - set(self.info)).items()}
        info.update({i: self.info[i] for i in near & set(self.info)})
        languages = {s.language for s in signs}
        old = [from_stored(i, r["language"], r["outlet"], r["published"], r["features"])
               for i, r in info.items() if r["language"] and (
                   len(languages) > 1 or r["language"] not in languages)]
        self.neighbours = {a.id: info[a.id] for a in old}
        docs = sorted([*signs, *old], key=lambda a: (a.published or "", a.id))
        self._count({f"{STORED}{a}" for d in old for a in d.all}, around)
        freq = self.freq

        def weigh(anchor: str, doc: Anchors) -> float:
            day = _ordinal((doc.published or "")[:10])
            return freq.weight(f"{STORED}{anchor}", day) if day is not None else 0.0

        return cross_language_links(docs, check, weigh)

    def _translations(self, pairs: list[Link]) -> list[dict]:
        ids = {i for x in pairs for i in (x.a, x.b)}
        docs = {d.id: d for d in self.batch if d.id in ids}
        docs.update({d.id: d for d in self.store.documents_by_id(ids - set(docs))})
        return _translation_rows(pairs, self.store, {i: d.outlet for i, d in docs.items()},
                                 {i: d.language for i, d in docs.items()},
                                 {i: _credited(d) for i, d in docs.items()})

    def _stories(self, pairs: set[tuple[str, str]], old: set[tuple[str, str]]) -> None:
        """The stored links of the documents checked become `pairs`; every story with a
        document concerned is grouped again from its links (merged, split or renamed: a
        story's id stays its earliest document's)."""
        self.links_added = pairs - old
        self.links_removed = old - pairs
        concerned = set(self.new) | {i for p in (*pairs, *old) for i in p}
        story = self.store.stories_of(concerned - self.new)
        members = self.store.story_members({s for s in story.values() if s})
        nodes = concerned | set(members)
        links = (self.store.story_links_of(nodes - self.new) - self.links_removed) | pairs
        published = {d.id: d.published for d in self.batch}
        published.update(self.store.published_of(nodes - self.new))
        grouped = components(nodes, sorted(links), published)
        self.story_of = {i: s for i, s in grouped.items()
                         if i in self.new or members.get(i, story.get(i)) != s}
        self.summaries = set(grouped.values())
        self.gone = ({s for s in story.values() if s} | set(members.values())) - \
            self.summaries

    def claims(self) -> dict[str, Any]:
        """Claims and contradictions of every (type, place) key the batch (or a copy it made
        or ended) has an event at, grouped again from the last claim of the key opened
        before its days (`_claim_scope`), so the result is the one a full linking finds."""
        touched = set(self.new) | _flatten(self.store.copies_of_documents(self.new))
        touched |= {r["document_id"] for r in self.translation_rows}
        touched |= _flatten(dict(self.translations_removed))
        scope = _claim_scope(self.store, self.store.events_of_documents(touched))
        refs, extra = [], []
        for r in self.store.event_rows_from({k: _days_before(d, NEIGHBOUR_DAYS)
                                             for k, d in scope.items()}):
            ref = _event_ref(r)
            start = scope[ref.event.type, ref.event.place or ""]
            if start is None or (ref.event.date or ref.published or "") >= start:
                refs.append(ref)  # grouped again
            elif ref.event.modality == "denied":
                extra.append(ref)  # may deny a claim grouped again
        refs.sort(key=lambda r: (r.published or "", r.document_id, r.position))
        claims = group_claims(refs)
        regrouped = {c.id for c in claims}
        contradictions = find_contradictions(
            sorted([*claims, *self._neighbours(scope)],
                   key=lambda c: (c.date or "", c.type, c.place, c.id)), refs + extra,
            only=regrouped)
        members = {m.document_id for c in claims for m in c.members}
        copy_of = self.store.copies_among(members)
        copy_of.update({r["document_id"]: r["other_id"] for r in self.translation_rows
                        if r["relation"] == "copy_of" and r["document_id"] not in copy_of})
        # the outlet of every original, in another claim or none: what a claim counts does
        # not depend on which others are grouped with it
        outlet_of = self.store.outlets_of(set(copy_of.values()) - members)
        outlet_of.update({m.document_id: m.outlet for c in claims for m in c.members})
        claim_rows = []
        for c in claims:
            outlets = c.outlets(copy_of, outlet_of)
            claim_rows.append({
                "id": c.id, "type": c.type, "place": c.place, "date": c.date,
                "outlets": json.dumps(outlets, ensure_ascii=False),
                "outlet_count": len(outlets),
                "claimed_by": json.dumps(c.claimed_by, ensure_ascii=False),
            })
        return {
            "claim_scope": scope,
            "confidence_rows": _confidences(refs, claims, claim_rows),
            "claim_rows": claim_rows,
            "member_rows": [{"claim_id": c.id, "document_id": m.document_id,
                             "position": m.position} for c in claims for m in c.members],
            "contradiction_rows": [{"kind": x.kind, "place": x.place,
                                    "description": x.description, "claim_a": x.claims[0],
                                    "claim_b": x.claims[1]} for x in contradictions],
        }

    def _neighbours(self, scope: dict[tuple[str, str], str | None]) -> list[Claim]:
        """The stored control claims, not grouped again, that a control claim grouped again
        can contradict: at its place, with a member within a week of one of its members
        (opened from `NEIGHBOUR_DAYS` before the place's earliest re-grouped day), each with
        all its members in the order grouping gave them."""
        since: dict[str, str | None] = {}
        for (kind, place), start in scope.items():
            if kind not in CONTROL_TYPES:
                continue
            lo = _days_before(start, NEIGHBOUR_DAYS)
            if place not in since:
                since[place] = lo
            elif lo is None or since[place] is None:
                since[place] = None
            else:
                since[place] = min(lo, since[place] or lo)
        if not since:
            return []
        found, rows = self.store.claims_from(since, CONTROL_TYPES)
        members: dict[str, list[EventRef]] = {}
        for r in rows:
            members.setdefault(r["claim_id"], []).append(_event_ref(r))
        out = []
        for row in found:
            start = scope.get((row["type"], row["place"]), "")
            if (row["type"], row["place"]) in scope and (
                    start is None or (row["date"] or "") >= start):
                continue  # grouped again
            refs = sorted(members.get(row["id"], []), key=lambda r: (
                r.event.date or r.published or "", r.document_id, r.position))
            out.append(Claim(row["type"], row["place"], row["date"], refs, row["id"]))
        return out


# how far before a key's re-grouped days its stored events and claims are read: a denial
# reaches claims 3 days away, a control contradiction members 7 days apart, and a member
# is at most 3 days after the day its claim opened
NEIGHBOUR_DAYS = 10


def _event_ref(r: dict) -> EventRef:
    return EventRef(r["document_id"], r["position"], r["outlet"], r["published"], Event(
        r["type"], r["actor"], r["place"], r["date"], r["claimed_by"], r["evidence"],
        r["modality"], r["date_precision"], confidence=r["confidence"]))


def _days_before(day: str | None, days: int) -> str | None:
    if day is None:
        return None
    return (date.fromisoformat(day) - timedelta(days=days)).isoformat()


def _claim_scope(store: Store, touched: list[dict]) -> dict[tuple[str, str], str | None]:
    """(type, place) -> the day re-grouping the key's claims starts from (None: all of them),
    for the keys of these events.

    Claims are grouped greedily in date order (claims.group_claims): an event joins the
    first claim of its key it is near, else opens one. A claim opened on a full date d means
    no earlier claim reached d (else the event would have joined it), and none reaches past
    it (a day-dated claim takes events within 3 days of its own; one dated to a year or a
    month would have taken d). So the grouping from the last claim opened before an event's
    day depends only on the events from that day on: the key is grouped again from there,
    exactly as a full linking groups it. A denied event reaches the claims within 3 days of
    its day, and one dated to its month or year; an undated event, the undated ones: all."""
    bound: dict[tuple[str, str], str | None] = {}
    prefixes: dict[tuple[str, str], set[str]] = {}
    for r in touched:
        key = (r["type"], r["place"])
        when = r["date"] or r["published"]
        if when is None or bound.get(key, "") is None:
            bound[key] = None
            continue
        if r["modality"] == "denied":
            if len(when) == 10:
                prefixes.setdefault(key, set()).update((when[:4], when[:7]))
                when = _days_before(when, DATE_WINDOW_DAYS) or when
            elif len(when) == 7:
                prefixes.setdefault(key, set()).add(when[:4])
        bound[key] = min(when, bound.get(key) or when)
    for kind, place, day in store.claims_dated(
            {k: v for k, v in prefixes.items() if bound.get(k) is not None}):
        bound[kind, place] = min(day, bound[kind, place] or day)
    starts = store.claim_openings({k: v for k, v in bound.items() if v is not None})
    return {k: starts.get(k) if v is not None else None for k, v in bound.items()}


def _confidences(refs: list[EventRef], claims: list, claim_rows: list[dict]) -> list[dict]:
    """The events at the places re-evaluated whose confidence changes now that their
    claims' independent outlets are counted (docs/confidence.md): one UPDATE row each."""
    outlets = {row["id"]: row["outlet_count"] for row in claim_rows}
    carried: dict[tuple[str, int], int] = {}
    for c in claims:
        for m in c.members:
            key = (m.document_id, m.position)
            carried[key] = max(carried.get(key, 1), outlets[c.id])
    rows = []
    for r in refs:
        e = r.event
        value = event_confidence(e.modality, place=e.place, actor=e.actor,
                                 date_precision=e.date_precision, date=e.date,
                                 claimed_by=e.claimed_by,
                                 outlets=carried.get((r.document_id, r.position), 1))
        if value != e.confidence:
            rows.append({"b_doc": r.document_id, "b_pos": r.position, "b_conf": value})
    return rows


def _ordinal_of(day: str) -> int:
    return date.fromisoformat(day).toordinal()


def _any_between(days: list[int], first: int, last: int) -> bool:
    """Whether one of `days` (sorted) is within [first, last]."""
    k = bisect_left(days, first)
    return k < len(days) and days[k] <= last


def _merge(spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[list[str]] = []
    for a, b in sorted(spans):
        if out and date.fromisoformat(a).toordinal() <= \
                date.fromisoformat(out[-1][1]).toordinal() + 1:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _periods(days: Iterable[int], reach: int) -> list[tuple[str, str]]:
    """The days within `reach` of these day numbers, as merged [first, last] periods."""
    return _merge([(date.fromordinal(d - reach).isoformat(),
                    date.fromordinal(d + reach).isoformat()) for d in days])


def _flatten(pairs: dict[str, str]) -> set[str]:
    return set(pairs) | set(pairs.values())


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
                "confidence": translation_confidence(x.cosine, len(names)),
            })
    return rows


def link(store: Store, progress: Progress | None = None, full: bool = False,
         batch: int | None = None) -> LinkReport:
    """Both steps under the database's link lock: a second run waits, then finds the first
    one's signatures and signs only what is left. `full` forgets stories, claims,
    contradictions and translations first and links every document again (the result an
    incremental linking reaches, tests/test_incremental_link.py). A backlog is linked
    `batch` documents at a time (LINK_BATCH by default), oldest first."""
    report = LinkReport()
    with store.link_lock():
        if full:
            store.reset_links()
        report.signed, report.near_duplicate_pairs = link_near_duplicates(store, progress,
                                                                          batch)
        (report.stories, report.multi_outlet_stories, report.claims,
         report.contradictions) = link_analysis(store, progress, batch)
    return report
