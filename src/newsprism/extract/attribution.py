"""Attribution frames read from a dependency parse: who (speaker phrase), cue, and what.

One sentence's spaCy `Doc` in, a list of `Frame` out. The frames are syntactic: the subject of
a speech verb, its clausal complement or the clause it hangs off ("X said (that) ...",
"..., X said", "..., said X, head of Y"), "according to X", a participle that continues a
speaker's clause ("..., adding that ..."). Resolving the speaker phrase to an entity (and
pronouns and role nouns to their antecedents) is the statement stage's job, which sees the
whole article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from newsprism.extract.parse import PER_SOURCE
from newsprism.resources import (
    data_lines,
    english_months,
    person_titles,
    speech_cues,
    word_set,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_STOP_RIGHT = {"appos", "relcl", "acl", "advcl", "punct", "cc", "conj", "prep"}
_RELATIVE = {"who", "which", "that"}
_DECLINE = {"decline", "refuse", "fail", "hesitate"}
_REPORT_NOUNS = {"report", "data", "statement", "information", "estimate", "figure"}
_NAME_AFTER = re.compile(r",\s+(?:[A-Z][\w'’-]+\s+){1,3}[A-Z][\w'’-]+,")
_ANSWER = {"respond", "answer", "reply"}  # speech only with what was answered, not "respond to"


@cache
def speech_verbs() -> dict[str, str]:
    """Lemma -> content mode ('clause' or 'phrase'), from data/speech_verbs.tsv."""
    return dict(line.split("\t")[:2] for line in data_lines("speech_verbs.tsv"))


@cache
def verb_particles() -> dict[str, str]:
    """Lemma -> the particle it needs to report speech ("point" -> "out"): a verb that reports
    only as a phrasal verb ("pointed out that ...", not "pointed at the map")."""
    return {parts[0]: parts[2].strip() for line in data_lines("speech_verbs.tsv")
            if len(parts := line.split("\t")) > 2 and parts[2].strip()}


_IRREGULAR = {"said": "say", "says": "say", "saying": "say", "told": "tell", "wrote": "write",
              "written": "write", "writes": "write", "writing": "write", "denied": "deny",
              "denies": "deny", "replied": "reply", "implied": "imply", "made": "make"}


@cache
def verb_lemma(word: str) -> str:
    """The base form of a speech verb ("stressed" -> "stress", "noting" -> "note"), without
    spaCy's lemmatizer: the verbs are a closed list, so their inflections can be undone by
    trying the few regular endings against it."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    known = speech_verbs()
    candidates = [word]
    for suffix, add in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                        ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            candidates += [stem + add, stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2]
                           else stem + add]
    return next((c for c in candidates if c in known), word)


def noun_lemma(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


@dataclass(frozen=True)
class Frame:
    """One act of attribution in a sentence (character offsets into the sentence)."""

    cue: str
    cue_start: int
    speaker_start: int | None  # the speaker phrase ("a senior Western diplomat")
    speaker_end: int | None
    head_start: int | None  # its head word ("diplomat", "Peskov", "he")
    head_end: int | None
    content_start: int
    content_end: int
    role: str | None = None  # an apposition naming the speaker's role ("the spokesman")
    role_start: int | None = None
    named_start: int | None = None  # a name set off by commas after "according to X,"
    named_end: int | None = None
    refers_back: bool = False  # "Об этом сообщил X": the content is what came before
    proper: bool = False  # the parser tagged the speaker's head a proper noun ("Hamas said")

    def speaker_text(self, sentence: str) -> str | None:
        if self.speaker_start is None:
            return None
        return sentence[self.speaker_start : self.speaker_end]

    def head_text(self, sentence: str) -> str | None:
        if self.head_start is None:
            return None
        return sentence[self.head_start : self.head_end]


def frames(doc: Doc) -> list[Frame]:
    """Attribution frames of one parsed sentence, in reading order. Kept on the `Doc`: the
    statement and event stages both ask for them."""
    cached = doc.user_data.get("newsprism_frames")
    if cached is None:
        cached = doc.user_data["newsprism_frames"] = _frames(doc)
    return list(cached)


def _text(doc: Doc) -> str:
    """`doc.text`, which spaCy joins from the tokens on every call, joined once."""
    text = doc.user_data.get("newsprism_text")
    if text is None:
        text = doc.user_data["newsprism_text"] = doc.text
    return text


@lru_cache(maxsize=65536)
def _may_cue(word: str) -> bool:
    """Whether a lower-case word can open a frame: "according" or a speech verb's form."""
    return word == "according" or verb_lemma(word) in speech_verbs()


def _frames(doc: Doc) -> list[Frame]:
    out: list[Frame] = []
    verbs = speech_verbs()
    strings = doc.vocab.strings
    # the words are read from the token array: a Token object is made only for a cue word
    cues = [i for i, h in enumerate(doc.to_array("LOWER").tolist()) if _may_cue(strings[h])]
    for token in (doc[i] for i in cues):
        if token.lower_ == "according" and any(c.lower_ == "to" for c in token.children):
            frame = _according_to(doc, token)
        elif token.tag_.startswith("VB") and (lemma := verb_lemma(token.lower_)) in verbs:
            frame = _speech_verb(doc, token, lemma, verbs[lemma])
        else:
            continue
        if frame is not None:
            out.append(frame)
    return out


def _according_to(doc: Doc, token: Token) -> Frame | None:
    to = next(c for c in token.children if c.lower_ == "to")
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    speaker = objects[0]
    if noun_lemma(speaker.lower_) in _REPORT_NOUNS:  # "according to reports from X": X
        deeper = [g for c in speaker.children if c.lower_ in ("from", "by", "of")
                  for g in c.children if g.dep_ == "pobj"]
        if deeper:
            speaker = deeper[0]
    start, end = token.left_edge.idx, _end(to.right_edge)
    text = _text(doc)
    named = _NAME_AFTER.match(text, end)  # "According to the chief, Ivan Petrov, ..."
    if named and token.i == 0:
        end = named.end()
    before, after = text[:start].rstrip(" ,;:—–-"), text[end:].lstrip(" ,;:—–-")
    if len(after.split()) >= len(before.split()):
        c_start, c_end = len(text) - len(after), len(text.rstrip(" ."))
    else:
        c_start, c_end = 0, len(before)
    s_start, s_end = _speaker_extent(speaker)
    named_start, named_end = (named.start() + 1, named.end() - 1) if named and token.i == 0 \
        else (None, None)
    role, role_start = _role(speaker)
    return Frame("according to", token.idx, s_start, s_end, speaker.idx, _end(speaker),
                 c_start, c_end, role, role_start, named_start, named_end,
                 proper=_proper(speaker))


def _speech_verb(doc: Doc, verb: Token, lemma: str, mode: str) -> Frame | None:
    if lemma == "quote":
        return _quoted_as_saying(doc, verb)
    if any(c.dep_ == "auxpass" for c in verb.children):
        return None  # "it was reported that": no speaker, and not this layer's to invent
    if verb.tag_ == "VBN" and not any(c.dep_ in _SUBJECTS or c.dep_ == "aux"
                                      for c in verb.children) or (
            lemma == "ask" and (verb.i == 0 or verb.nbor(-1).is_punct) and verb.text[0].isupper()):
        return None  # "Asked whether …, the spokesman replied": the question put to him
    if lemma in _ANSWER and any(c.dep_ in ("dobj", "prep") for c in verb.children) \
            and not any(c.dep_ == "ccomp" for c in verb.children):
        return None  # "Moscow would respond to any attack": an act, not an answer given
    if verb.dep_ == "relcl" and not any(c.dep_ in ("ccomp", "xcomp", "dobj")
                                        for c in verb.children):
        return None  # "said Hill, who will testify on Thursday": no content of its own
    if lemma == "plead" and not any(c.lower_ == "with" for c in verb.children):
        return None  # "pleaded guilty": a plea in court; "pleaded with the agency to …" speaks
    if lemma in ("ask", "request") and _ANONYMITY.search(
            _text(doc), verb.idx, _end(verb.right_edge)):
        return None  # "who asked not to be named": a condition of speaking, not speech
    particle = verb_particles().get(lemma)
    if particle and not any(c.dep_ == "prt" and c.lower_ == particle for c in verb.children):
        return None  # "pointed at the map": not "pointed out that ..."
    if lemma == "call" and not (any(c.dep_ in ("xcomp", "ccomp") or c.lower_ == "for"
                                    or c.dep_ == "oprd" and _calls_it(verb, c)
                                    or c.lower_ == "on" and not _when(c) for c in verb.children)
                                or sum(c.dep_ == "dobj" for c in verb.children) > 1):
        return None  # "a call", "called off": not speech; "called the raid a crime" is
    if lemma == "express" and not any(c.dep_ == "dobj" and noun_lemma(c.lower_) in
                                      word_set("express_objects.txt") for c in verb.children):
        return None
    if any(c.dep_ == "neg" for c in verb.children) or verb_lemma(verb.head.lower_) in _DECLINE:
        return None  # "did not comment", "declined to say": nothing was said
    speaker = _subject(verb)
    if speaker is None:
        return None
    content = _content(doc, verb, speaker, mode)
    if content is None:
        return None
    s_start, s_end = _speaker_extent(speaker)
    return Frame(verb.text.lower(), verb.idx, s_start, s_end, speaker.idx, _end(speaker),
                 content[0], content[1], *_role(speaker), proper=_proper(speaker))


_ANONYMITY = re.compile(r"\w+\s+(?:not\s+to\s+be\s+(?:named|identified|quoted)|anonymity)\b")


def _calls_it(verb: Token, oprd: Token) -> bool:
    """"called the raid a crime", "called the list absurd": an object and what it is called;
    a lone noun after "called" ("called the detention centre") is whom it telephoned."""
    return oprd.pos_ == "ADJ" or oprd.tag_.startswith("JJ") or any(
        c.dep_ == "dobj" for c in verb.children)


def _when(prep: Token) -> bool:
    """"on Thursday", "on 4 May": a preposition of time, not "called on the allies"."""
    return any(c.dep_ == "pobj" and (c.like_num or c.lower_ in _TIME_WORDS)
               for c in prep.children)


_TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "morning", "evening", "night", "afternoon", "day", "weekend"}


def _quoted_as_saying(doc: Doc, verb: Token) -> Frame | None:
    """"X was quoted (by Z) as saying that ..." and "Z quoted X as saying ...": X said it."""
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    speakers = [c for c in verb.children if c.dep_ == ("nsubjpass" if passive else "dobj")]
    saying = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
              for g in c.children if g.tag_ == "VBG" and verb_lemma(g.lower_) in speech_verbs()]
    if not speakers or not saying:
        return None
    speaker = speakers[0]
    clauses = [c for c in saying[0].children if c.dep_ in ("ccomp", "xcomp")] or \
              [c for c in verb.children if c.dep_ in ("ccomp", "parataxis")]
    if not clauses:
        return None
    clause = clauses[0]
    tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]
    content = _trim(_text(doc), tokens[0].idx, _end(clause.right_edge))
    if content is None:
        return None
    s_start, s_end = _speaker_extent(speaker)
    return Frame("quoted as saying", verb.idx, s_start, s_end, speaker.idx, _end(speaker),
                 content[0], content[1], *_role(speaker), proper=_proper(speaker))


def _proper(token: Token) -> bool:
    return token.tag_ in ("NNP", "NNPS")


_TOPIC_PREPOSITIONS = {"on", "about", "upon"}


def _subject(verb: Token) -> Token | None:
    """The verb's subject; for a participle or a second verb ("..., adding that", "said X
    and warned Y") the subject of the verb it continues; a relative pronoun is its noun."""
    for _ in range(4):  # climbs at most a few heads
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
        if subjects:
            subject = subjects[0]
            after = [c for c in subjects if c.i > verb.i]
            if len(subjects) > 1 and after and verb.i > 0 and verb.nbor(-1).is_punct:
                # "CLAUSE, said the ministry" parsed with two subjects: the inverted one
                subject = after[0]
            if subject.lower_ in _RELATIVE and verb.dep_ == "relcl":
                return verb.head
            return subject
        if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None
    return None


def _content(doc: Doc, verb: Token, speaker: Token, mode: str) -> tuple[int, int] | None:
    """Character span of what was said."""
    text = _text(doc)
    complements = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")
                   and c.i != speaker.i and c.tag_[:2] in ("VB", "NN", "JJ")]
    if mode == "clause" and complements:
        # "The group may follow the trend; Reed has said that he expects …": a clause that a
        # semicolon cuts off from the verb is no complement of it
        apart = [c for c in complements if c.i < verb.i and any(
            t.text == ";" for t in doc[c.right_edge.i:verb.i])]
        clause = next((c for c in complements if c not in apart), complements[0])
        tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]
        return _trim(text, tokens[0].idx, _end(clause.right_edge))
    continues = verb.dep_ == "advcl" and verb_lemma(verb.head.lower_) in speech_verbs()
    if mode == "clause" and verb.dep_ in ("ccomp", "parataxis", "advcl") and verb.head.i < verb.i \
            and not continues:
        # "CLAUSE, X said" parsed with the clause as the head: the head's subtree before it
        head = verb.head
        start = head.left_edge.idx
        end = speaker.left_edge.idx if speaker.i < verb.i else verb.idx
        return _trim(text, start, end)
    # the verb phrase: "called the list absurd", "told TASS that ..." without a parse of it
    right = [t for t in verb.subtree if t.i >= verb.i and not
             (speaker.i > verb.i and speaker.left_edge.i <= t.i <= speaker.right_edge.i)]
    if mode == "clause" and len(right) < 4:
        # "..., the ministry said." with the clause parsed as a sibling: all before the subject
        end = min(speaker.left_edge.idx, verb.idx)
        if len(text[:end].split()) >= 4:
            return _trim(text, 0, end)
        return None
    if not right:
        return None
    first = next((c for c in verb.rights if c.dep_ != "punct"), None)
    if first is not None and first.dep_ == "prep" and first.lower_ in _TOPIC_PREPOSITIONS \
            and not any(c.dep_ in ("xcomp", "ccomp") for c in verb.children):
        return None  # "reported on the progress of …" names a topic, says nothing
    if speaker.i > verb.i:  # "said X" inverted: skip the speaker phrase
        return _trim(text, _end(speaker.right_edge), _end(right[-1]))
    if speaker.head.i != verb.i:  # "..., he said, reporting no casualties": the participle on
        return _trim(text, verb.idx, _end(right[-1]))
    # the clause with its subject: "Peskov called the list absurd", "Russia claims six attacks"
    return _trim(text, min(speaker.left_edge.idx, verb.idx), _end(right[-1]))


def _speaker_extent(head: Token) -> tuple[int, int]:
    """The speaker phrase: the head with what modifies it on the left and its 'of ...'
    phrase on the right, stopping at an apposition, a clause or a comma."""
    start = head.left_edge
    end = head
    for child in head.rights:
        if child.dep_ in _STOP_RIGHT and not (child.dep_ == "prep" and child.lower_ == "of"):
            break
        end = child.right_edge
    return start.idx, _end(end)


def _role(head: Token) -> tuple[str | None, int | None]:
    """An apposition after the speaker ('Oleksandr Syrskyi, Commander-in-Chief of ...')."""
    for child in head.rights:
        if child.dep_ == "appos":
            tokens = [t for t in child.subtree if t.dep_ != "punct"]
            if tokens:
                text = _text(child.doc)[tokens[0].idx : _end(tokens[-1])]
                return text, tokens[0].idx
    return None, None


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without the punctuation and quote marks around it; None when it is empty.
    A quote opened inside the span keeps its closing mark ('… be “left unanswered.”')."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip(" ,;:—–-\"“”'’"))
    right = len(chunk.rstrip(" ,;:—–-\"“”").removesuffix(".").rstrip())
    if right <= left:
        return None
    inner = chunk[left:right]
    opened = inner.count("“") > inner.count("”") or inner.count('"') % 2 == 1
    if opened:
        close = re.match(r"[.,!?]?[\"”]", text[start + right : start + right + 3])
        if close:
            right += close.end()
    return start + left, start + right


# -- the shapes that need no parse ---------------------------------------------------------------
# Most attribution in news is one of three shapes; where a sentence is plainly one of them, the
# frame is read off the surface and the parser is not run. Anything less plain is parsed.

@cache
def _clause_cues() -> str:
    """Inflected forms of the clause-taking speech verbs, as a regex alternation."""
    forms = {f for f in speech_cues() if verb_lemma(f.split()[0]) in speech_verbs()
             and speech_verbs()[verb_lemma(f.split()[0])] == "clause"}
    return "|".join(sorted(map(re.escape, forms), key=len, reverse=True))


@cache
def _all_cues() -> str:
    """Inflected forms of all the speech verbs, clause- and phrase-taking, as an alternation:
    a second cue inside a plain frame's content ("X thanked Y, the ministry said") is a
    report inside a report, for the parser."""
    forms = {f for f in speech_cues() if verb_lemma(f.split()[0]) in speech_verbs()}
    return "|".join(sorted(map(re.escape, forms), key=len, reverse=True))


_WHO = r"(?:(?:the|a|an|its|his|her|their)\s+)?[\w'’.-]+(?:\s+[\w'’.-]+){0,5}?"
# "said on Monday", "told reporters", "wrote to the council"; not the "to" of "vowed to rebuild"
_ADJUNCT = (r"(?:\s+(?:(?:on|in|at|late|early|last|this|during)\b|to\s+(?=(?:the|a|an|his|her|"
            r"their|its|reporters|journalists)\b|(?-i:[A-Z])))[^,;:\"“”]{0,40}?|\s+reporters|"
            r"\s+journalists)?")
# whom a closing "told" tells: "…, X told TASS on Friday.", "…, X told the agency."
_TOLD = (r"(?:\s+(?:(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}|the\s+\w+|"
         r"reporters|journalists))?")


@cache
def _shapes() -> tuple[re.Pattern[str], ...]:
    cues = _clause_cues()
    adverb = r"(?:\s+(?:also|later|further|again|separately|earlier|previously))?"
    tail = re.compile(rf"[,;]?[\"”’]?\s+(?:as\s+)?(?P<who>{_WHO}){adverb}\s+(?P<cue>{cues})\b"
                      rf"{_ADJUNCT}\s*[.!]?[\"”]?\s*$", re.IGNORECASE)
    head = re.compile(rf"^[^\w\"“]*(?P<who>{_WHO}){adverb}\s+(?P<cue>{cues})\b{_ADJUNCT}"
                      rf"(?:\s+that)?[\s,:]+(?=[\w\"“‘])", re.IGNORECASE)
    per = rf"(?:according to|{PER_SOURCE})"
    according_head = re.compile(rf"^[^\w\"“]*{per} (?P<who>{_WHO}),\s+", re.IGNORECASE)
    according_tail = re.compile(rf",\s+{per} (?P<who>{_WHO})\s*[.!]?\s*$",
                                re.IGNORECASE)
    # "As noted by the minister, …" and "…, as stated by the governor."
    as_by_head = re.compile(rf"^[^\w\"“]*as\s+(?P<cue>{cues})\s+by\s+(?P<who>{_WHO}),\s+",
                            re.IGNORECASE)
    as_by_tail = re.compile(rf",\s+as\s+(?P<cue>{cues})\s+by\s+(?P<who>{_WHO})\s*[.!]?\s*$",
                            re.IGNORECASE)
    # "…, Ivan Petrov, press secretary of the governor, told TASS on Friday."
    tail_role = re.compile(rf",\s+(?P<who>{_WHO}),\s+(?P<role>[^,;\"“”]{{3,90}}?),{adverb}\s+"
                           rf"(?P<cue>{cues})\b{_TOLD}{_ADJUNCT}\s*[.!]?[\"”]?\s*$")
    # "…, the harbour master, Ian Lott, said.": the role first, then the name
    role_tail = re.compile(rf",\s+(?P<role>(?:the\s+)?[^,;\"“”]{{3,90}}?),\s+(?P<who>{_WHO}),"
                           rf"{adverb}\s+(?P<cue>{cues})\b{_TOLD}{_ADJUNCT}\s*[.!]?[\"”]?\s*$")
    return tail, head, according_head, according_tail, tail_role, as_by_head, as_by_tail, \
        role_tail


def rule_frames(text: str, names: list[tuple[int, int]], known_heads: frozenset[str]
                ) -> list[Frame] | None:
    """The frame of a sentence of a plain shape ("…, the ministry said.", "X said that …",
    "According to X, …"), or None when the sentence needs the parser.

    `names` are the (start, end) spans of the people and organisations found in the sentence:
    a speaker phrase is plain only when it ends in one of them, or in a pronoun or one of
    `known_heads` (role and source nouns)."""
    tail, head, according_head, according_tail, tail_role, as_by_head, as_by_tail, role_tail = \
        _shapes()
    if text.count(",") > 6 or len(text) > 400:
        return None

    def plain(start: int, end: int) -> tuple[int, int] | None:
        last = re.search(r"[\w'’.-]+$", text[start:end])
        if last is None:
            return None
        word = last.group(0).lower().removesuffix("'s").removesuffix("’s").strip(".")
        for s, e in names:  # "the Defence Ministry", "Kremlin spokesman Oleg Zimin"
            if e == end and s >= start and _title_prefix().fullmatch(text[start:s]):
                return start + last.start(), end
        of = _HEAD_OF.match(text, start, end)  # "residents of Sumy", "the head of the agency"
        if of and of.group(1).lower() in known_heads:
            return of.start(1), of.end(1)
        if word in _PRONOUN_HEADS and end - start == len(last.group(0)):
            return start + last.start(), end
        if word in known_heads and not any(s < end and e > start for s, e in names):
            return start + last.start(), end
        return None

    lower = text.lower()
    according, as_by = "according to" in lower or "per " in lower, " by " in lower  # cheap first
    for shape, content_before in ((tail_role, True), (role_tail, True), (according_head, False),
                                  (according_tail, True), (as_by_head, False),
                                  (as_by_tail, True), (tail, True), (head, False)):
        if (shape in (tail_role, role_tail) and text.count(",") < 2) or (
                shape in (according_head, according_tail) and not according) or (
                shape in (as_by_head, as_by_tail) and not as_by):
            continue
        m = shape.search(text)
        if m is None:
            continue
        who_start, who_end = m.start("who"), m.end("who")
        while who_end > who_start and text[who_end - 1] in ".!,":
            who_end -= 1  # "… according to the ministry." ends the sentence, not the name
        found = plain(who_start, who_end)
        if found is None and shape in (tail_role, role_tail):
            continue  # "…, in the east, officials said": not a name and its role
        if found is None:
            return None  # the shape is there but the speaker phrase is not plain: parse it
        content = _trim(text, 0, m.start()) if content_before else _trim(text, m.end(), len(text))
        short_quote = content_before and re.search(r"[\"“]", text[:m.start()]) is not None \
            and content is not None  # "“Unbelievable,” coach X said.": too short to keep,
        if content is None or len(text[content[0]:content[1]].split()) < 3 \
                and not short_quote:  # but it says who spoke last
            return None
        if _has_cue(text[content[0]:content[1]]):
            return None  # "According to the BBC, he said: …": two frames, parse them
        if not content_before and topic_only(text, content[0], content[1]):
            return None  # "X reported on the results": a topic, or a clause further on
        if not content_before and _JOINED.search(text, content[0], content[1]):
            return None  # "X confirmed A, but declined to comment": is B said? parse it
        cue = "according to" if shape in (according_head, according_tail) else \
            m.group("cue").lower()
        cue_start = m.start() if cue == "according to" else m.start("cue")
        role = (m.group("role"), m.start("role")) if shape in (tail_role, role_tail) \
            else (None, None)
        return [Frame(cue, cue_start, who_start, who_end, found[0], found[1], *content, *role)]
    return None


def _has_cue(text: str) -> bool:
    """A cue word in `text`, not counting a capitalised one inside it ("the United States
    appreciates": a name, not "states")."""
    return any(m.start() == 0 or not m.group(0)[0].isupper()
               for m in re.finditer(rf"\b(?:{_all_cues()})\b", text, re.IGNORECASE))


_PRONOUN_HEADS = {"he", "she", "it", "they", "we"}
_TOPIC = re.compile(r"(?:on|about|upon)\b", re.IGNORECASE)
_CLAUSE_AFTER_TOPIC = re.compile(r"\bthat\b|[\"“:]")


def topic_only(text: str, start: int, end: int | None = None) -> bool:
    """What follows a cue names only a topic ("reported on the results of the raid"), with no
    clause or quote after it: nothing was said that a statement could hold."""
    m = _TOPIC.match(text, start)
    if not m:
        return False
    word = re.match(r"\s+(?:the\s+)?([\w-]+)", text[m.end():])
    when = word.group(1).lower() if word else ""
    if not when or when in _TIME_WORDS or when.capitalize() in english_months() \
            or when[:1].isdigit():
        return False  # "said on Monday the bridge had been hit": a time, then the clause
    return not _CLAUSE_AFTER_TOPIC.search(text, start, len(text) if end is None else end)
_JOINED = re.compile(r",\s+(?:but|and|yet)\s+(?!that\b)")


@cache
def _title_prefix() -> re.Pattern[str]:
    """What may stand before a name in a plain speaker phrase: "the", capitalised words and
    the titles of data/person_titles.txt ("coach Maria Fontaine", "Kremlin spokesman X")."""
    titles = sorted({t for t in person_titles() if re.fullmatch(r"[a-z][a-z-]*", t)},
                    key=len, reverse=True)
    return re.compile(r"(?:(?:the|a|an|its|regional|local|deputy|acting|former|chief|"
                      r"[A-Z][\w'’.-]*|[a-z-]+man|[a-z-]+woman|[a-z-]+person|"
                      rf"{'|'.join(titles)})\s+){{0,4}}")
_HEAD_OF = re.compile(r"(?:(?:the|a|an)\s+)?([\w-]+)\s+of\s+")
