"""Who said what: direct quotes and reported speech, each tied to a resolved speaker.

Works paragraph by paragraph, because quotes run across sentences:
1. quotes of three or more words, attributed by the words right after ("…," Peskov said) or
   right before ("He said: …"); a paragraph that opens a quote with no attribution continues
   the previous speaker's quote;
2. reported speech in the remaining sentences: "X said (that) …", "…, X said.", "according to
   X, …"; vague sources ("reports indicate", "officials said") stay unattributed;
3. lists after "Other statements by X:": each item is a reported statement of X.
Speakers resolve to canonical entities; pronouns and "the spokesman"/"the ministry" resolve to
the last matching speaker or entity. A speaker is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from newsprism.clean.text import is_bullet, strip_bullet
from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.sentences import Sentence
from newsprism.model import Statement
from newsprism.resources import data_lines

OPEN_QUOTES = "\"“„«"
CLOSE_QUOTES = "\"”»"
_QUOTE = re.compile(r"[\"“„«]([^\"“”„«»]+)(?:[\"”»]|$)")
_LIST_INTRO = re.compile(r"^(?:other |more |further )?(?:statements|remarks|comments|quotes|"
                         r"points) (?:by|from) (?P<who>.+?):\s*$", re.IGNORECASE)
_PRONOUNS = {"he", "she", "they", "it"}
_VAGUE = re.compile(r"\b(?:reports?|sources?|officials|analysts|witnesses|residents|experts|"
                    r"observers|critics|media|it is believed|it was reported|it is reported)\b",
                    re.IGNORECASE)
_ROLE_NOUN = re.compile(
    r"\b(?:the|a|an|its|his|her)?\s*(?P<role>spokesman|spokeswoman|spokesperson|minister|"
    r"governor|mayor|president|leader|ministry|army|military|general staff|administration|"
    r"commander|official|agency|service|office|update|report|statement|intelligence)\s*$",
    re.IGNORECASE,
)
_PERSON_ROLE = re.compile(r"\b(?:spokes(?:man|woman|person)|minister|secretary|chief|head|leader|"
                          r"commander|governor|mayor|adviser|press secretary)\b", re.IGNORECASE)
_DETERMINERS = {"the", "a", "an", "these", "those", "such", "his", "her", "its", "their", "our",
                "this", "that", "my", "your", "of", "no", "any"}
MIN_QUOTE_WORDS = 3
_ADVERBS = re.compile(r"(?:\s+(?:also|again|later|earlier|previously|further|separately|then|"
                      r"repeatedly|now|first|already|publicly|today))+\s*$", re.IGNORECASE)


@cache
def _cue_pattern() -> re.Pattern[str]:
    cues = sorted((c.strip() for c in data_lines("speech_cues.txt")), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b", re.IGNORECASE)


@dataclass
class _Context:
    entities: DocEntities
    last_speaker: str | None = None
    last_person: str | None = None
    last_direct: str | None = None
    sentence: int = 0  # index of the sentence being read

    speakers: dict[int, str] = field(default_factory=dict)  # sentence -> person who spoke
    claims: dict[int, str | None] = field(default_factory=dict)  # sentence -> its claimant

    def last_person_before(self, pos: int) -> str | None:
        """Who 'he'/'she' means: this sentence's earlier person, else the nearest earlier
        sentence's speaker or subject (a person named inside someone's statement is skipped)."""
        here = [m for m in self.entities.mentions.get(self.sentence, [])
                if m.type == "person" and m.end <= pos]
        if here:
            return here[-1].name
        for index in range(self.sentence - 1, -1, -1):
            if index in self.speakers:
                return self.speakers[index]
            people = [m for m in self.entities.mentions.get(index, []) if m.type == "person"]
            if people:
                return people[0].name
        return self.last_person

    def remember(self, speaker: str | None, type_: str | None, direct: bool) -> None:
        self.claims[self.sentence] = speaker
        if speaker:
            self.last_speaker = speaker
            if type_ == "person":
                self.last_person = speaker
                self.speakers[self.sentence] = speaker
            if direct:
                self.last_direct = speaker


def _mentions_in(ctx: _Context, index: int) -> list[Mention]:
    return [m for m in ctx.entities.mentions.get(index, []) if m.type in ("person", "organization")]


def _speaker_before(text: str, pos: int, mentions: list[Mention], ctx: _Context):
    """The speaker phrase that ends right before `pos` (the cue): (name, type, found)."""
    clause = re.split(r"[.;:!?]\s|,\s", text[max(0, pos - 120) : pos])[-1]
    clause = _ADVERBS.sub("", clause)  # "the ministry also said"
    words = clause.split()
    last = words[-1].lower() if words else ""
    if last in _PRONOUNS:
        if last == "it":
            return ctx.last_speaker, None, ctx.last_speaker is not None
        person = ctx.last_person_before(pos)
        return person, "person", True
    clause_start = pos - len(clause)
    candidates = [m for m in mentions if m.end <= pos and m.start >= clause_start - 1]
    if candidates:
        m = candidates[-1]
        between = text[m.end : pos]
        if _VAGUE.search(between):
            return None, None, True  # "Russian military officials said"
        if m.type == "organization" and _PERSON_ROLE.search(between):
            return ctx.last_person_before(m.start), "person", True  # "the Kremlin spokesman"
        if not re.search(r"\b(?:that|which|when|while|after|as|if)\b", between):
            return m.name, m.type, True
    role = _ROLE_NOUN.search(clause)
    if role:
        return _resolve_role(role.group("role").lower(), ctx, mentions, pos), None, True
    if _VAGUE.search(" ".join(words[-4:])):
        return None, None, True
    return None, None, False


def _speaker_after(text: str, pos: int, mentions: list[Mention], ctx: _Context):
    """'… said Peskov' / 'according to the ministry' / ', he said.'"""
    window = text[pos : pos + 80]
    candidates = [m for m in mentions if m.start >= pos and m.start - pos <= 40]
    if candidates:
        m = candidates[0]
        if not re.search(r"[.;!?]", text[pos : m.start]):
            return m.name, m.type, True
    named = re.match(r"\s*([A-ZÀ-ÞА-Я][\w'’-]+(?: [A-ZÀ-ÞА-Я][\w'’-]+)?),\s+(?:a|an|the)\b", window)
    if named:  # "…," said Natalia, a café owner
        return named.group(1), "person", True
    first = window.split()[:3]
    lowered = [w.lower().strip(",.") for w in first]
    if lowered and lowered[0] in _PRONOUNS:
        return ctx.last_person_before(pos), "person", True
    role = re.match(r"\s*(?:the|a|an)?\s*([\w-]+(?:\s+staff)?)", window, re.IGNORECASE)
    if role and _ROLE_NOUN.search(role.group(0)):
        return _resolve_role(role.group(1).lower(), ctx, mentions, pos), None, True
    if _VAGUE.search(" ".join(first)):
        return None, None, True
    return None, None, False


def _resolve_role(role: str, ctx: _Context, mentions: list[Mention], pos: int) -> str | None:
    """'the ministry' -> the last organisation named like one; 'the spokesman' -> last person."""
    org_words = {"ministry": "Ministry", "army": "Armed Forces", "military": "Armed Forces",
                 "general staff": "General Staff", "administration": "Administration",
                 "agency": "Agency", "service": "Service", "office": "Office",
                 "intelligence": "Ministry of Defence", "update": "", "report": "",
                 "statement": ""}
    if role in org_words:
        key = org_words[role]
        for found in reversed(_all_mentions(ctx)):
            if found.type == "organization" and key in found.name:
                return found.name
        return None
    return ctx.last_person


def _all_mentions(ctx: _Context) -> list[Mention]:
    return [m for ms in ctx.entities.mentions.values() for m in ms]


def _quote_spans(paragraph: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _QUOTE.finditer(paragraph):
        inner = m.group(1).strip().rstrip(",")
        if len(inner.split()) >= MIN_QUOTE_WORDS:
            spans.append((m.start(), m.end(), inner))
    return spans


def extract_statements(
    lines: list[str], sentences: list[Sentence], entities: DocEntities
) -> tuple[list[Statement], dict[int, str | None]]:
    """Statements of a document in reading order, and who makes the claims of each sentence
    (sentence index -> speaker, None for a vague source) for the event stage."""
    ctx = _Context(entities)
    out: list[Statement] = []
    by_paragraph: dict[int, list[tuple[int, Sentence]]] = {}
    for index, sentence in enumerate(sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append((index, sentence))
    list_speaker: str | None = None
    for number, para in by_paragraph.items():
        paragraph = lines[number]
        ctx.sentence = para[0][0]
        # 3. lists after "Other statements by X:"
        if list_speaker and (is_bullet(paragraph) or not paragraph.rstrip().endswith(".")):
            out.append(Statement(list_speaker, strip_bullet(paragraph).strip(), "reported",
                                 "statements by"))
            for index, _s in para:
                ctx.claims[index] = list_speaker
            continue
        list_speaker = None
        intro = _LIST_INTRO.match(paragraph.strip())
        if intro:
            ms = _mentions_in(ctx, para[0][0])
            list_speaker = ms[0].name if ms else intro.group("who").strip()
            ctx.remember(list_speaker, ms[0].type if ms else None, False)
            continue
        if paragraph.rstrip().endswith(":") and len(para) == 1:
            # "Valentsov also summarised the situation:" followed by bullet items
            cue = _cue_pattern().search(paragraph)
            if cue:
                speaker, type_, ok = _speaker_before(paragraph, cue.start(),
                                                     _mentions_in(ctx, para[0][0]), ctx)
                if ok and speaker:
                    list_speaker = speaker
                    ctx.remember(speaker, type_, False)
                    continue
        out.extend(_paragraph_statements(paragraph, para, ctx))
    return out, ctx.claims


def _paragraph_statements(
    paragraph: str, para: list[tuple[int, Sentence]], ctx: _Context
) -> list[Statement]:
    out: list[Statement] = []
    mentions = [
        Mention(m.start + s.start, m.end + s.start, m.text, m.type, m.name, m.place)
        for index, s in para for m in _mentions_in(ctx, index)
    ]
    covered: set[int] = set()
    for start, end, inner in _quote_spans(paragraph):
        inside = [i for i, s in para if s.start < end and start < s.start + len(s.text)]
        ctx.sentence = inside[-1] if inside else para[0][0]
        speaker, type_, cue = _attribute_quote(paragraph, start, end, mentions, ctx)
        if cue is None:
            continue
        out.append(Statement(speaker, inner, "direct", cue))
        ctx.remember(speaker, type_, True)
        for index in inside:
            ctx.claims[index] = speaker
        covered.update(inside)
    for index, sentence in para:
        if index in covered:
            continue
        ctx.sentence = index
        statement = _reported(sentence.text, _mentions_in(ctx, index), ctx)
        if isinstance(statement, list):
            out.extend(statement)
        elif statement:
            out.append(statement)
    return out


def _attribute_quote(text, start, end, mentions, ctx):
    """(speaker, type, cue) for the quote text[start:end]; cue None when not a statement."""
    after = text[end : end + 90]
    m = _cue_pattern().search(after)
    if m and not re.search(r"[.!?]\s", after[: m.start()]):
        speaker, type_, ok = _speaker_before(text, end + m.start(), mentions, ctx)
        if not ok or speaker is None:
            speaker, type_, ok = _speaker_after(text, end + m.end(), mentions, ctx)
        if ok:
            return speaker, type_, m.group(0).lower()
    before = text[:start]
    cues = list(_cue_pattern().finditer(before))
    if cues:
        c = cues[-1]
        speaker, type_, ok = _speaker_before(text, c.start(), mentions, ctx)
        if not ok:
            speaker, type_, ok = _speaker_after(text, c.end(), mentions, ctx)
        if ok:
            return speaker, type_, c.group(0).lower()
    if start <= 1 and ctx.last_direct:  # a quote paragraph continuing the last speaker
        return ctx.last_direct, None, "continued quote"
    return None, None, None


def _reported(text: str, mentions: list[Mention], ctx: _Context
              ) -> Statement | list[Statement] | None:
    by = re.search(r"\b(?:reported|described|announced|confirmed) by\b", text, re.IGNORECASE)
    if by:
        near = [x for x in mentions if by.end() <= x.start <= by.end() + 40]
        if near:
            ctx.remember(near[0].name, near[0].type, False)
            rest = text[near[0].end :].lstrip(" ,")
            return Statement(near[0].name, rest.strip(" ,."), "reported", by.group(0).lower())
    m = re.search(r"\baccording to\b", text, re.IGNORECASE)
    if m:
        near = [x for x in mentions if m.end() <= x.start <= m.end() + 100]
        people = [x for x in near if x.type == "person"]
        chosen = people[0] if people else (near[0] if near else None)
        if chosen is not None and not re.search(r"[.;]", text[m.end() : chosen.start]):
            speaker, type_, ok = chosen.name, chosen.type, True
            end_of_source = chosen.end
        else:
            speaker, type_, ok = _speaker_after(text, m.end(), mentions, ctx)
            end_of_source = m.end()
        if ok:
            if m.start() < 5:  # "According to X, CLAUSE"
                comma = text.find(",", end_of_source)
                clause = text[comma + 1 :] if comma >= 0 else text[end_of_source:]
            else:  # "CLAUSE, according to X."
                clause = text[: m.start()]
            ctx.remember(speaker, type_, False)
            return Statement(speaker, clause.strip(" ,."), "reported", "according to")
    vague = re.match(r"\s*(?:it is|it was|it has been) (?:believed|reported|understood|said|"
                     r"claimed|alleged|thought)\b(?: that)?", text, re.IGNORECASE)
    if vague:
        return Statement(None, text[vague.end():].strip(" ,."), "reported",
                         vague.group(0).strip().lower())
    for c in _cue_pattern().finditer(text):
        prev = text[: c.start()].split()
        if prev and prev[-1].lower() in _DETERMINERS:
            continue  # "the claims", "such reports": a noun, not a reporting verb
        speaker, type_, ok = _speaker_before(text, c.start(), mentions, ctx)
        if ok:
            clause = text[c.end():]
            before = text[: c.start()]
            comma = before.rfind(", ")
            if len(clause.split()) < 3 or re.match(r"\s*,\s*(?:adding|saying|noting)\b", clause) \
                    or (comma > 0 and len(before[:comma].split()) >= 4
                        and len(before[comma:].split()) <= 7):
                # "CLAUSE, Peskov said." / "CLAUSE, the ministry said, adding that …"
                clause = before[:comma] if comma > 0 else before
                extra = re.search(r",\s*(?:adding|saying|noting) (?:that )?(.+)$", text[c.end():])
                if extra:
                    ctx.remember(speaker, type_, False)
                    return [Statement(speaker, clause.strip(" ,.:"), "reported",
                                      c.group(0).lower()),
                            Statement(speaker, extra.group(1).strip(" ,."), "reported",
                                      "adding")]
            clause = re.sub(r"^\s*(?:on \w+|reporters|journalists|that|,)+\s*", "", clause)
            ctx.remember(speaker, type_, False)
            return Statement(speaker, clause.strip(" ,.:"), "reported", c.group(0).lower())
        speaker, type_, ok = _speaker_after(text, c.end(), mentions, ctx)
        if ok and speaker and text[: c.start()].rstrip().endswith(","):
            ctx.remember(speaker, type_, False)
            return Statement(speaker, text[: c.start()].strip(" ,."), "reported",
                             c.group(0).lower())
    return None
