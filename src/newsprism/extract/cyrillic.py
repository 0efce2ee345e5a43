"""People, organisations and places in Russian and Ukrainian sentences, named in English.

The same `Mention`s as `entities.py` gives for English text, with the same canonical names, so an
entity is one entry whatever language it was reported in. Every step is offline:
- alias lists (`data/cyrillic_entities.tsv`) matched on lemmas, so every case form counts
  ("Минобороны России", "Зеленського", "окупантів");
- people the lists do not know from natasha's news NER model (slovnet, shipped inside the natasha
  package; trained on Russian news, and on Ukrainian it finds people well but also tags towns as
  people, so a one-word "person" that is a gazetteer place becomes a place), named in the
  nominative and transliterated: the Ukrainian national system (`data/translit_uk.tsv`) for
  Ukrainian text, iuliia's Wikipedia system for Russian;
- places from capitalised words through pymorphy3 lemmas into the gazetteer, with region forms
  ("Донецкой области" -> Donetsk Oblast, "Чугуївського району" -> Chuhuiv Raion) and guards
  against names read as places (a word after a first name, `data/cyrillic_not_places.txt`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from newsprism.extract.entities import DocEntities, Mention
from newsprism.extract.gazetteer import Place, candidates, lookup
from newsprism.extract.morph import (
    APOSTROPHES,
    agree,
    analyzer,
    language,
    lemmas,
    parses,
    place_candidates,
)
from newsprism.resources import data_lines

TOKEN = re.compile(r"[^\W\d_](?:[\w'’ʼ]|-(?=[^\W\d_]))*", re.UNICODE)
_REGION_HEADS = {"область": "Oblast", "обл": "Oblast", "район": "Raion", "р-н": "Raion",
                 "громада": "Hromada", "округ": "Raion"}
_ADMIN_WORDS = {"ова", "ога", "обладміністрація", "облгосадминистрация", "овa"}
_PERSON_TAGS = ("Name", "Surn", "Patr")
# words that introduce the name of a settlement ("село Яблунівка", "населені пункти Х, Y")
_SETTLEMENT_WORDS = frozenset({"село", "селище", "смт", "місто", "поселок", "посёлок", "пгт",
                               "деревня", "город", "пункт", "хутір", "хутор", "станица"})
# a front "direction" is named by an adjective, not a place ("на Олександрівському напрямку")
_DIRECTION_WORDS = frozenset({"напрямок", "напрям", "направление", "ділянка", "участок"})
_ADJ_SUFFIXES = ("івський", "івська", "ський", "ская", "ский", "цький", "цкий", "ська", "ьський")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    lemmas: frozenset[str]

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()


@dataclass(frozen=True)
class _Alias:
    type: str
    name: str
    lang: str
    words: tuple[frozenset[str], ...]
    capital: tuple[bool, ...]


def _lookup(name: str) -> Place | None:
    """The gazetteer under each apostrophe GeoNames uses ("Кам'янка", "Кам’янка")."""
    place = lookup(name)
    if place is None and "'" in name:
        place = lookup(name.replace("'", "’")) or lookup(name.replace("'", "ʼ"))
    return place


def _lang_of(text: str) -> str:
    return language(text)


@cache
def _aliases() -> dict[str, list[_Alias]]:
    """First-word lemma -> aliases starting with it."""
    index: dict[str, list[_Alias]] = {}
    for line in data_lines("cyrillic_entities.tsv"):
        kind, name, lang, aliases = (cell.strip() for cell in line.split("\t"))
        for alias in aliases.split("|"):
            words = TOKEN.findall(alias.translate(APOSTROPHES))
            if not words:
                continue
            code = _lang_of(alias) if lang == "*" else lang
            entry = _Alias(kind, name, lang,
                           tuple(frozenset(lemmas(w, code)) for w in words),
                           tuple(w[:1].isupper() for w in words))
            for first in entry.words[0]:
                index.setdefault(first, []).append(entry)
    return index


@cache
def _not_places() -> frozenset[str]:
    return frozenset(line.strip().lower() for line in data_lines("cyrillic_not_places.txt"))


@cache
def _translit_uk() -> dict[str, tuple[str, str]]:
    table = {}
    for line in data_lines("translit_uk.tsv"):
        cells = line.split("\t")
        cells += [""] * (3 - len(cells))
        table[cells[0]] = (cells[1], cells[2])
    return table


def transliterate(name: str, lang: str) -> str:
    """A name in no list, in Latin: KMU-2010 for Ukrainian, iuliia's Wikipedia for Russian."""
    if lang != "uk":
        import iuliia

        return iuliia.WIKIPEDIA.translate(name)
    table = _translit_uk()
    out: list[str] = []
    text = name.translate(APOSTROPHES)
    for i, ch in enumerate(text):
        low = ch.lower()
        if low == "г" and i > 0 and text[i - 1].lower() == "з":
            out.append("gh")
            continue
        if low not in table:
            out.append(ch)
            continue
        initial = i == 0 or not text[i - 1].isalpha() and text[i - 1] != "'"
        latin = table[low][0 if initial else 1]
        out.append(latin.capitalize() if ch.isupper() else latin)
    return "".join(out)


@cache
def _ner():  # noqa: ANN202 - natasha's tagger type
    from natasha import NewsEmbedding, NewsNERTagger

    return NewsNERTagger(NewsEmbedding())


@cache
def _blas():  # noqa: ANN202 - threadpoolctl's controller
    """The model multiplies tiny matrices: with several BLAS threads on a busy machine each call
    waits for threads (65 short reports took 2-9 s instead of 0.3 s), so it runs on one."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _ner_people(text: str) -> list[tuple[int, int]]:
    """(start, stop) of the model's PER spans; the model needs at least one word to tag
    (slovnet fails on a text of punctuation alone), so only capitalised text reaches it."""
    try:
        with _blas().limit(limits=1, user_api="blas"):
            spans = _ner()(text).spans
    except IndexError:  # slovnet's CRF on a text its tokenizer leaves empty
        return []
    return [(s.start, s.stop) for s in spans if s.type == "PER"]


def _tokens(text: str, lang: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group(), frozenset(lemmas(m.group(), lang)))
            for m in TOKEN.finditer(text)]


def _overlaps(spans: Iterable[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in spans)


def _alias_mentions(text: str, tokens: list[_Token], lang: str,
                    kinds: tuple[str, ...] = ("person", "organization", "place")
                    ) -> list[Mention]:
    """The longest alias-list match of the given kinds at each position."""
    index = _aliases()
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        best: tuple[int, _Alias] | None = None
        for lem in tokens[i].lemmas:
            for alias in index.get(lem, ()):
                n = len(alias.words)
                if alias.lang not in ("*", lang) or i + n > len(tokens) \
                        or alias.type not in kinds:
                    continue
                window = tokens[i:i + n]
                if all(t.lemmas & w and (t.capital or not cap or t.text.isupper())
                       for t, w, cap in zip(window, alias.words, alias.capital, strict=True)) \
                        and (best is None or n > best[0]):
                    best = (n, alias)
        if best is None:
            i += 1
            continue
        n, alias = best
        start, end = tokens[i].start, tokens[i + n - 1].end
        place = _lookup(alias.name) if alias.type == "place" else None
        if alias.type != "place" or place is not None:
            found.append(Mention(start, end, text[start:end], alias.type, alias.name, place))
        i += n
    return found


def _is_first_name(token: _Token, lang: str) -> bool:
    return token.capital and any("Name" in tag for _, tag in parses(token.text, lang))


def _person_name(tokens: list[_Token], lang: str) -> str:
    """The nominative of each word of a name, transliterated."""
    words = []
    for t in tokens:
        readings = parses(t.text, lang)
        if any("nomn" in tag for _, tag in readings):
            lemma = t.text.lower()  # already the nominative ("Петро", "Вигаданий")
        else:
            lemma = next((lem for lem, tag in readings if any(x in tag for x in _PERSON_TAGS)),
                         readings[0][0] if readings else t.text.lower())
        words.append("-".join(p.capitalize() for p in lemma.split("-")))
    return transliterate(" ".join(words), lang)


def _name_like(token: _Token, lang: str, after_name: bool) -> bool:
    """A word that can be part of a person's name: its likeliest reading is a first name,
    surname or patronymic, the dictionaries do not know it, or (as adjectival surnames like
    "Зеленського" are) it is an adjective right after a first name."""
    if not token.capital or token.text.isupper():
        return False
    readings = parses(token.text, lang)
    if not readings or any(x in readings[0][1] for x in _PERSON_TAGS):
        return True
    if any("Name" in tag for _, tag in readings[:4]):  # "Роман", "Ірина": also common words
        return True
    if after_name and readings[0][1].startswith("ADJF"):
        return True
    return not analyzer(lang).word_is_known(token.text.lower())


def _name_run(tokens: list[_Token], lang: str) -> list[_Token]:
    """The longest run of name-like words in an NER span ("Голова Харківської ОВА Олег
    Синєгубов" -> "Олег Синєгубов")."""
    best: list[_Token] = []
    run: list[_Token] = []
    for t in tokens:
        if _name_like(t, lang, bool(run) and _is_first_name(run[-1], lang)):
            run.append(t)
        else:
            run = []
        if len(run) > len(best):
            best = list(run)
    return best


def _surname_keys(token: _Token) -> set[str]:
    return {f"~{lem}" for lem in token.lemmas}


def _person_mentions(text: str, tokens: list[_Token], taken: list[Mention], lang: str,
                     doc: DocEntities) -> list[Mention]:
    """Names from the NER model, trimmed to their name words, and bare surnames seen before."""
    found: list[Mention] = []
    for a, b in zip(tokens, tokens[1:], strict=False):  # "Артем Кобзарь" the model cuts or misses
        first = parses(a.text, lang)
        likely = "Name" in first[0][1] or (any("Name" in tag for _, tag in first[:4])
                                           and "Surn" in parses(b.text, lang)[0][1])
        if (b.start - a.end <= 1 and likely
                and (_name_like(b, lang, True) or b.capital and not b.text.isupper()
                     and _place_of(b, lang) is None)
                and not _is_first_name(b, lang) and not b.lemmas & _not_places()
                and not _overlaps(taken + found, a.start, b.end)):
            name = next((doc.people[k] for k in _surname_keys(b) if k in doc.people), None)
            found.append(Mention(a.start, b.end, text[a.start:b.end], "person",
                                 name or _person_name([a, b], lang)))
    spans = _ner_people(text) if any(t.capital for t in tokens) else []
    for start, stop in spans:
        words = _name_run([t for t in tokens if t.start >= start and t.end <= stop], lang)
        if not words or _overlaps(taken + found, words[0].start, words[-1].end):
            continue
        if len(words) == 1 and not any(x in parses(words[0].text, lang)[0][1]
                                       for x in _PERSON_TAGS):
            continue  # one word that is most likely not a name ("Влада", "Перебувайте")
        if (len(words) == 1 and not any(k in doc.people for k in _surname_keys(words[0]))
                and _place_of(words[0], lang) is not None):
            continue  # Ukrainian "Харків" tagged as a person
        name = next((doc.people[k] for k in _surname_keys(words[-1]) if k in doc.people), None)
        if name is None:
            name = _person_name(words, lang)
        found.append(Mention(words[0].start, words[-1].end,
                             text[words[0].start:words[-1].end], "person", name))
    for m in found:
        for t in tokens:
            if m.start <= t.start and t.end == m.end:
                for k in _surname_keys(t):
                    doc.people.setdefault(k, m.name)
    for t in tokens:  # a bare surname seen earlier in full
        if t.capital and not _overlaps(taken + found, t.start, t.end):
            name = next((doc.people[k] for k in _surname_keys(t) if k in doc.people), None)
            if name:
                found.append(Mention(t.start, t.end, t.text, "person", name))
    return found


def _place_of(token: _Token, lang: str) -> Place | None:
    for cand in place_candidates(token.text, lang):
        place = _lookup(cand)
        if place is not None:
            return place
    return None


def _derived_place(adjective: str, head: str, lang: str) -> Place | None:
    """'Чугуївський район' -> Chuhuiv Raion, named after the town it is called after."""
    label = _REGION_HEADS[head]
    base = agree(adjective, head, lang) or adjective
    if label == "Oblast":
        noun = "область"
        place = _lookup(f"{agree(adjective, noun, lang) or adjective} {noun}")
        if place is not None:
            return place
    else:
        place = _lookup(f"{base} {head if head != 'р-н' else 'район'}")
        if place is not None:
            return place
    low = base.lower()
    for suffix in _ADJ_SUFFIXES:
        if low.endswith(suffix):
            stem = base[: -len(suffix)]
            for cand in (stem, stem + "ськ", stem + "ск", stem + "е", stem + "а", stem + "о"):
                town = _lookup(cand) or _lookup(cand.replace("і", "и", 1))
                if town is not None and town.kind == "settlement":
                    return Place(f"{town.name} {label}", "region", town.country, town.lat,
                                 town.lon, town.region)
    return None


def _head(token: _Token) -> str | None:
    low = token.text.lower().rstrip(".")
    if low in ("обл", "р-н"):
        return low
    return next((h for h in _REGION_HEADS if h in token.lemmas), None)


def _admin_mentions(text: str, tokens: list[_Token], taken: list[Mention], lang: str,
                    doc: DocEntities) -> list[Mention]:
    """'Харківська ОВА', 'Харьковской областной администрации' -> Kharkiv Oblast Military
    Administration; a bare 'ОВА' names the one the document named before."""
    found: list[Mention] = []
    for i, t in enumerate(tokens):
        low = t.text.lower()
        end_i = None
        if low in _ADMIN_WORDS:
            end_i = i
        elif t.lemmas & {"областной", "обласний"}:
            j = i + 1
            if j < len(tokens) and tokens[j].lemmas & {"военный", "військовий"}:
                j += 1
            if j < len(tokens) and tokens[j].lemmas & {"администрация", "адміністрація"}:
                end_i = j
        if end_i is None:
            continue
        start_i = i
        region = None
        if i > 0 and not tokens[i - 1].text.isupper():
            region = _derived_place(tokens[i - 1].text, "область", lang)
            if region is not None:
                start_i = i - 1
        start, end = tokens[start_i].start, tokens[end_i].end
        if _overlaps(taken + found, start, end):
            continue
        if region is not None:
            name = region.name.removesuffix(" Oblast") + " Oblast Military Administration"
            doc.people["~admin"] = name
        else:
            name = doc.people.get("~admin", "Oblast Military Administration")
        found.append(Mention(start, end, text[start:end], "organization", name))
    return found


def _place_mentions(text: str, tokens: list[_Token], taken: list[Mention],
                    lang: str) -> list[Mention]:
    found: list[Mention] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if not t.capital or t.text.isupper() or _overlaps(taken + found, t.start, t.end):
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        head = _head(nxt) if nxt is not None else None
        if head is not None and nxt is not None:  # "Донецкой области", "Бахмутського району"
            place = _derived_place(t.text, head, lang)
            if place is not None:
                found.append(Mention(t.start, nxt.end, text[t.start:nxt.end], "place",
                                     place.name, place))
                i += 2
                continue
        if nxt is not None and nxt.capital and not nxt.text.isupper() and nxt.start - t.end <= 1:
            place = _two_word_place(t, nxt, lang)
            if place is not None:
                found.append(Mention(t.start, nxt.end, text[t.start:nxt.end], "place",
                                     place.name, place))
                i += 2
                continue
        if (nxt is not None and nxt.capital and not nxt.text.isupper() and i > 0
                and nxt.start - t.end <= 1
                and any(tag.startswith("ADJF") for _, tag in parses(t.text, lang)[:2])):
            i += 2  # "Нова Кам'янка" not in the gazetteer is not Kamianka elsewhere
            continue
        prev = tokens[i - 1] if i > 0 else None
        after_name = prev is not None and prev.end >= t.start - 1 and _is_first_name(prev, lang)
        blocked = t.lemmas & _not_places() or after_name
        sentence_start = i == 0 or text[prev.end:t.start].strip() in (".", "!", "?") \
            if prev else True
        if _names_direction(tokens, i, lang):
            i += 1
            continue
        if not blocked:
            place = _place_of(t, lang)
            geo = any("Geox" in tag for _, tag in parses(t.text, lang))
            if place is not None and (not sentence_start or geo or _lookup(t.text)):
                found.append(Mention(t.start, t.end, t.text, "place", place.name, place))
        i += 1
    return found


def _unlisted_settlements(text: str, tokens: list[_Token], taken: list[Mention],
                          lang: str) -> list[Mention]:
    """Villages the gazetteer lacks, after a settlement word and through the list it opens
    ("села Яблунівка, Вишневе та Озерне"): a place named in transliteration, no coordinates."""
    found: list[Mention] = []
    for i, t in enumerate(tokens):
        if not t.lemmas & _SETTLEMENT_WORDS and t.text.lower() not in _SETTLEMENT_WORDS:
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].text.lower() in ("як", "как"):
            j += 1
        while j < len(tokens):
            w = tokens[j]
            if w.text.lower() in ("та", "і", "й", "и"):
                j += 1
                continue
            gap = text[tokens[j - 1].end:w.start].strip()
            if not w.capital or w.text.isupper() or gap not in ("", ","):
                break
            if not _overlaps(taken + found, w.start, w.end):
                readings = parses(w.text, lang)
                nominative = w.text if any("nomn" in tag for _, tag in readings) \
                    else place_candidates(w.text, lang)[0]
                name = transliterate(nominative, lang)
                found.append(Mention(w.start, w.end, w.text, "place", name,
                                     Place(name, "settlement", None, None, None)))
            j += 1
    return found


def _names_direction(tokens: list[_Token], i: int, lang: str) -> bool:
    """The adjective at `i` names a front direction: "Олександрівському (та Гуляйпільському)
    напрямку"."""
    for t in tokens[i + 1:i + 4]:
        if t.lemmas & _DIRECTION_WORDS:
            return True
        if t.text.lower() not in ("та", "і", "и", "й") and not any(
                tag.startswith("ADJF") for _, tag in parses(t.text, lang)[:2]):
            return False
    return False


def _two_word_place(first: _Token, second: _Token, lang: str) -> Place | None:
    """'Нова Кам'янка', 'Новій Кам'янці', 'Зеленый Гай' as one gazetteer name."""
    seconds = place_candidates(second.text, lang)[:6]
    firsts: dict[str, None] = {first.text.translate(APOSTROPHES): None}
    for head in ("область", "район", "село"):  # femn, masc, neut agreement
        adj = agree(first.text, head, lang)
        if adj:
            firsts.setdefault(adj)
    for cand in seconds:
        for adj in firsts:
            for name in (f"{adj} {cand}", f"{adj} {cand}".replace("ё", "е")):
                place = _lookup(name)
                if place is not None:
                    return place
    return None


def cyrillic_mentions(text: str, doc: DocEntities) -> list[Mention]:
    """Mentions in one Russian or Ukrainian sentence, sorted by position; `doc` carries the
    people (by surname lemma) and the administration named earlier in the document."""
    lang = language(text)
    tokens = _tokens(text, lang)
    known = _alias_mentions(text, tokens, lang)
    for m in known:
        if m.type == "person":
            for t in tokens:
                if m.start <= t.start and t.end == m.end:
                    for k in _surname_keys(t):
                        doc.people.setdefault(k, m.name)
    admins = _admin_mentions(text, tokens, known, lang, doc)
    pairs = _pair_places(text, tokens, known + admins, lang)
    persons = _person_mentions(text, tokens, known + admins + pairs, lang, doc)
    places = _place_mentions(text, tokens, known + admins + pairs + persons, lang)
    places += _unlisted_settlements(text, tokens, known + admins + pairs + persons + places,
                                    lang)
    places += _countries_inside(text, tokens, known, lang)
    mentions = sorted(known + admins + pairs + persons + places, key=lambda m: m.start)
    return _with_regions_told_apart(mentions, doc)


def _namesakes(name: str) -> list[Place]:
    """Every settlement of that canonical name, when there are several."""
    found = [p for p in candidates(name) if p.name == name and p.kind == "settlement"]
    return found if len(found) > 1 else []


def _region_of(place: Place) -> str | None:
    return place.admin1


def _with_regions_told_apart(mentions: list[Mention], doc: DocEntities) -> list[Mention]:
    """A settlement name several oblasts share ("Зелений Гай", "Золочів") is the one in the
    oblast named by the other places of the sentence or of the document so far
    ("Харківської області", or a town of it, "на Запоріжжі")."""
    places = [m for m in mentions if m.type == "place" and m.place is not None]
    remembered = {k.removeprefix("~region:") for k in doc.people if k.startswith("~region:")}
    out = []
    for m in mentions:
        p = m.place
        if m.type == "place" and p is not None and p.kind == "settlement" \
                and _namesakes(p.name):
            hints = remembered | {_region_of(o.place) for o in places
                                  if o is not m and o.place is not None}
            if p.region not in hints:
                local = [q for q in _namesakes(p.name) if q.admin1 in hints]
                if local:
                    m = Mention(m.start, m.end, m.text, m.type, m.name, local[0])
        out.append(m)
    for m in out:
        if m.type == "place" and m.place is not None and _region_of(m.place):
            doc.people.setdefault(f"~region:{_region_of(m.place)}", "")
    return out


def _countries_inside(text: str, tokens: list[_Token], known: list[Mention],
                      lang: str) -> list[Mention]:
    """The country an organisation's name names ("Міноборони Росії", "Сили оборони України")
    is mentioned too."""
    found: list[Mention] = []
    for org in (m for m in known if m.type == "organization"):
        inner = [t for t in tokens if org.start <= t.start and t.end <= org.end]
        for m in _alias_mentions(text, inner, lang, ("place",)):
            if m.type == "place" and m.place is not None and m.place.kind == "country":
                found.append(m)
    return found


def _pair_places(text: str, tokens: list[_Token], taken: list[Mention],
                 lang: str) -> list[Mention]:
    """Two-word gazetteer names ("Зелений Гай") before the NER model reads them as a person."""
    found: list[Mention] = []
    for a, b in zip(tokens, tokens[1:], strict=False):
        if (a.capital and b.capital and not a.text.isupper() and not b.text.isupper()
                and b.start - a.end <= 1 and not _overlaps(taken + found, a.start, b.end)):
            place = _two_word_place(a, b, lang)
            if place is not None:
                found.append(Mention(a.start, b.end, text[a.start:b.end], "place", place.name,
                                     place))
    return found
