"""Attribution frames of Russian and Ukrainian sentences, read off their shapes.

No parser ships for these languages here, so the frames (the same `Frame`s as the English
parse gives) come from the shapes news writing uses, with the cues of
data/speech_cues_ru_uk.txt:
- "По словам X, …", "За його словами, …", "Как сообщает X, …" opening the sentence;
  ", по словам X, …" inside it or at its end;
- "…, — сообщил X", "«…», — написал мэр" (a dash before the cue) and "… также сообщил X"
  (the cue and the speaker closing the sentence);
- "X заявил, что …", "X повідомив: …", "В ОВА наголосили, що …", "Мэр заявил о …";
- "В заявлении X говорится, что …" / "У дописі X йдеться про …";
- "Об этом сообщил X", "Про це повідомив X": what X said is what came before (`refers_back`).
The speaker is a person or organisation the entity layer found, a pronoun ("он", "його" in
"за його словами") or a role phrase ("мэр", "глава областной администрации", "речник ОВА"),
which the statement stage resolves (extract/speakers_cyrillic.py). A name after "у коментарі",
"в интервью", "изданию" is whom it was said to, not who said it. When the content is a noun
phrase ("заявил о выводе войск", "говорится об одном попадании") and not a clause, it keeps its
verb, as English phrase content does ("Peskov called the list absurd").
"""

from __future__ import annotations

import re
from functools import cache

from newsprism.extract.attribution import Frame, _trim
from newsprism.extract.entities import Mention
from newsprism.extract.speakers_cyrillic import role_at
from newsprism.resources import data_lines

_L = "А-Яа-яЁёІіЇїЄєҐґ"
_PRONOUN = re.compile(r"(?:он|она|они|він|вона|вони)\b", re.IGNORECASE)
_LEAD_PRONOUN = re.compile(r"^[^\w]*(?:[\w'’-]+\s+){0,2}?(?P<who>он|она|він|вона)\s", re.IGNORECASE)
_POSSESSIVE = re.compile(r"\b(?:его|ее|её|их|його|її|їхніми|їх)\b", re.IGNORECASE)
_ADDRESSEE = re.compile(r"(?:коментарі|коментарях|комментарии|комментарий|интервью|інтерв['’]ю|"
                        r"эфире|ефірі|изданию|виданню|агентству|агентства|телеканалу|радио|"
                        r"журналистам|журналістам)\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^[^\w]*(?:пряма мова|прямая речь|цитата)\s+", re.IGNORECASE)
_BACK = re.compile(r"^[^\w«\"]*(?:об этом|о том|про це|про те|об этом же|про це ж)\b",
                   re.IGNORECASE)
# what a report is written in: "заявлении", "записи", "дописі", "сводке", "зведенні"
_REPORT_NOUNS = (r"(?:заявлени|записи|запис|сообщени|публикаци|пост|допис|повідомленн|заяв|"
                 r"коментар|комментари|обращени|зверненн|телеграм|телеграм-канал|сводк|"
                 r"зведенн)\w*")
_REPORT_OF = re.compile(rf"(?:в|у)\s+(?:[\w{_L}'’-]+\s+)?{_REPORT_NOUNS}\s+", re.IGNORECASE)
_IN_REPORT = re.compile(rf"^[^\w]*(?:в|у)\s+(?:[\w{_L}'’-]+\s+){{0,2}}?{_REPORT_NOUNS}\s+",
                        re.IGNORECASE)
_IMPERSONAL = re.compile(r"\b(?P<cue>говорится|йдеться|сказано|отмечается|зазначається|"
                         r"указывается|вказується|наголошується|подчеркивается)\b[\s,:]*"
                         r"(?P<that>что|що)?\s*", re.IGNORECASE)
_ADJUNCT_THAT = re.compile(r"\s*[^,.;:!?«»\"]{1,50}?,\s*(?:что|що)\s+", re.IGNORECASE)
_PHRASE_OBJECT = re.compile(r"(?:о|об|про)\s", re.IGNORECASE)
_TRAILING = re.compile(r"(?:\s+(?:также|тоже|теж|також|и|і|й|ранее|раніше|уже|вже|чуть раньше|"
                       r"трохи раніше|сегодня|сьогодні|вчера|вчора))+\s*$", re.IGNORECASE)


@cache
def _cues() -> tuple[str, str]:
    """(verbs, according-to phrases) of data/speech_cues_ru_uk.txt as regex alternations."""
    verbs: set[str] = set()
    phrases: set[str] = set()
    for line in data_lines("speech_cues_ru_uk.txt"):
        cue = line.strip().lower()
        (phrases if " " in cue or cue in ("согласно",) else verbs).add(cue)

    def alt(words: set[str]) -> str:
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    return alt(verbs), alt(phrases)


def _speaker(text: str, start: int, limit: int, mentions: list[Mention], last: bool = False
             ) -> tuple[int, int, int, int] | None:
    """(speaker start, end, head start, end) of the speaker phrase in text[start:limit]: a
    person or organisation named there (the last one with `last`, for "сообщил командующий
    группировки Х Александр Y"), a pronoun opening it, or a role phrase opening it."""
    names = [m for m in mentions if m.type in ("person", "organization") or
             (m.type == "place" and m.place is not None and m.place.kind == "country")]
    inside = [m for m in names if start <= m.start < limit
              and not _ADDRESSEE.search(text[max(0, m.start - 25):m.start])]
    people = [m for m in inside if m.type == "person"]
    pick = (people[-1] if people else inside[-1]) if last and inside else \
        (inside[0] if inside else None)
    lead = text[start:limit].lstrip(" ,")
    at = start + (len(text[start:limit]) - len(lead))
    report = _REPORT_OF.match(text, at, limit)  # "в сводке ведомства", "у дописі мера": theirs
    if report:
        at = report.end()
    pronoun = _PRONOUN.match(text, at)
    if pronoun and not last:  # "він поінформував, що загарбники …": він, not who follows
        return pronoun.start(), pronoun.end(), pronoun.start(), pronoun.end()
    role = role_at(text, at, None, limit)
    if role is not None and role.start == at:
        named = [m for m in people if role.start <= m.start <= role.end + 1]
        if named:  # "мэр Харькова Игорь Терехов": the name itself
            return role.start, named[-1].end, named[-1].start, named[-1].end
        if pick is None or role.start < pick.start < role.end:
            # "глава ОВА": the role, or else the body; not "Міністерство оборони", a name
            return role.start, role.end, role.start, role.head_end
    if pick is not None:
        return pick.start, pick.end, pick.start, pick.end
    return (pronoun.start(), pronoun.end(), pronoun.start(), pronoun.end()) if pronoun else None


def _content_from(text: str, cue_start: int, cue_end: int) -> tuple[int, int] | None:
    """What was said after a cue: the clause after "что"/"що"/":", or, for a noun phrase ("о
    выводе войск"), the phrase with its verb."""
    rest = text[cue_end:]
    lead = len(rest) - len(rest.lstrip(" ,:"))
    that = _ADJUNCT_THAT.match(rest)  # "сообщил в Telegram, что …": after the adjunct
    if that:
        return _trim(text, cue_end + that.end(), len(text))
    if _PHRASE_OBJECT.match(rest, lead):
        return _trim(text, cue_start, len(text))
    return _trim(text, cue_end, len(text))


def cyrillic_frames(text: str, mentions: list[Mention]) -> list[Frame]:
    """Frames of a Russian or Ukrainian sentence; a speaker phrase that is no name, pronoun or
    role phrase makes no frame."""
    verbs, phrases = _cues()
    lower = text.lower()
    # "Об этом сообщил X", "Про це у коментарі РБК-Україна повідомив речник … Волошин"
    back = _BACK.match(text)
    if back:
        cue = re.compile(rf"\b(?P<cue>{verbs})\b", re.IGNORECASE).search(text, back.end())
        if cue and len(text[back.end():cue.start()].split()) <= 5:
            who: tuple[int, int, int, int] | None = _speaker(text, cue.end(), len(text), mentions,
                                                             last=True)
            if who:
                return [Frame(cue.group("cue").lower(), cue.start(), *who, 0, 0,
                              refers_back=True)]
    # "Пряма мова Терехова: «…»" (a label some outlets put before a quote)
    label = _LABEL.match(text)
    if label:
        label_end = text.find(":", label.end())
        who = _speaker(text, label.end(), label_end, mentions) if label_end > 0 else None
        content = _trim(text, label_end + 1, len(text)) if who else None
        if who and content:
            return [Frame(label.group(0).strip().lower(), label.start(), *who, *content)]
    # "По словам X, …", "За його словами, …", "Как сообщает X, …"
    m = re.match(rf"[^\w{_L}]*(?P<cue>{phrases}|(?:как|як)\s+(?:{verbs}))\s*", lower)
    if m:
        comma = text.find(",", m.end())
        possessive = _POSSESSIVE.search(m.group("cue"))
        if possessive:
            who = (m.start("cue") + possessive.start(), m.start("cue") + possessive.end()) * 2
        else:
            who = _speaker(text, m.end(), comma if comma > 0 else m.end() + 80, mentions)
        if who and comma > 0 and len(text[comma + 1:].split()) >= 3:
            content = _trim(text, comma + 1, len(text))
            if content:
                return [Frame("according to", m.start("cue"), *who, *content)]
    # ", по словам X, …" inside the sentence, or closing it
    inner = re.search(rf",\s*(?P<cue>{phrases})\s+", lower)
    if inner and inner.start() > 0:
        close = re.compile(r"\s*(?:,|[.!?]?\s*$)").search(text, inner.end())
        if close:
            who = _speaker(text, inner.end(), close.start(), mentions)
            if who:
                closing = not text[close.end():].strip(" .!?")
                content = _trim(text, 0, inner.start()) if closing else _trim(text, 0, len(text))
                if content:
                    return [Frame("according to", inner.start("cue"), *who, *content)]
    # "В заявлении X говорится, что …", "У дописі X йдеться про …"
    report = _IN_REPORT.match(text)
    if report:
        said = _IMPERSONAL.search(text, report.end())
        if said:
            who = _speaker(text, report.end(), said.start(), mentions)
            content = _trim(text, said.end(), len(text)) if said.group("that") else \
                _trim(text, said.start(), len(text))
            if who and content:
                return [Frame(said.group("cue").lower(), said.start(), *who, *content)]
    # "…, — сообщил X." / "«…», — заявила X"
    tail = re.search(rf"[,.!?»\"]\s*[—–-]\s*(?P<cue>{verbs})\s+(?P<rest>.+?)\s*[.!]?\s*$", lower)
    if tail:
        who = _speaker(text, tail.start("rest"), len(text), mentions)
        if who:
            content = _trim(text, 0, tail.start() + 1)
            if content:
                return [Frame(tail.group("cue"), tail.start("cue"), *who, *content)]
    # "Синегубов: «…»", "Глава ОВА Олег Синєгубов: …"
    colon = re.match(r"[^:«\"]{2,90}?:\s+", text)
    if colon:
        who = _speaker(text, len(text) - len(text.lstrip(" «\"—–-")), colon.end(), mentions)
        if who and not text[who[1]:colon.end()].strip(" :") \
                and len(text[colon.end():].split()) >= 3:
            content = _trim(text, colon.end(), len(text))
            if content:
                return [Frame(":", colon.end() - 2, *who, *content)]
    # "X заявил, что …" / "X повідомив: …" / "Мэр заявил о …"
    subject = _subject_frame(text, mentions, verbs)
    if subject:
        return subject
    # "… также сообщил командующий группировки ВСУ «Таврия» Александр Тарнавский."
    last_cue = re.search(rf"\s(?P<cue>{verbs})\s+(?P<rest>[^,;:]+?)\s*[.!]?\s*$", lower)
    if last_cue and len(text[:last_cue.start()].split()) >= 3:
        who = _speaker(text, last_cue.start("rest"), len(text), mentions, last=True)
        if who and not text[last_cue.start("rest"):who[0]].strip(" «»\"").count(",") and \
                who[1] >= len(text.rstrip(" .!")) - 2:
            before = _TRAILING.sub("", text[:last_cue.start()])
            content = _trim(text, 0, len(before))
            if content:
                return [Frame(last_cue.group("cue"), last_cue.start("cue"), *who, *content)]
    return []


def _subject_frame(text: str, mentions: list[Mention], verbs: str) -> list[Frame]:
    cue_after = re.compile(rf"(?:\s+[\w{_L}'’-]+){{0,3}}?\s+(?P<cue>{verbs})\b[\s,:]*"
                           r"(?:что|що|о том, что|про те, що)?\s*", re.IGNORECASE)
    starts = [m.start for m in mentions if m.type in ("person", "organization")]
    for word in list(re.finditer(rf"[\w{_L}'’-]+", text))[:3]:  # "Позже глава региона …"
        role = role_at(text, word.start())
        if role is not None and role.start == word.start():
            starts.append(role.start)
            break
    pronoun = _LEAD_PRONOUN.match(text)  # "Згодом він поінформував, що …"
    if pronoun:
        starts.append(pronoun.start("who"))
    for s in sorted(starts):
        if len(text[:s].split()) > 6:
            break
        who = _speaker(text, s, len(text), mentions)
        if who is None or _ADDRESSEE.search(text[max(0, s - 25):s]):
            continue
        cue = cue_after.match(text, who[1])
        if cue and len(text[cue.end():].split()) >= 3:
            content = _content_from(text, cue.start("cue"), cue.end())
            if content:
                return [Frame(cue.group("cue").lower(), cue.start("cue"), *who, *content)]
    return []
