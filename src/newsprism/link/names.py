"""Any spelling of a name -> the canonical English names it is stored under.

Entities are stored under one canonical English name whatever language the article was in
("Харкові", "Харькове" and "Kharkov" are all stored as Kharkiv), so a filter typed in Russian,
Ukrainian or an old romanisation must be turned into those names before it meets the store.
The same resolvers as extraction are used (extract/cyrillic.py for Cyrillic, the gazetteer and
the person and organisation lists for Latin script), so a query resolves exactly as the same
words in an article would. A name no list knows resolves to nothing, and callers keep their
plain substring match for it.

Also here: `outlet_key`, the identity of an outlet across its language editions, so that
"ru.example-wire.com" and "en.example-wire.com", or "РИА Новости" and "RIA Novosti", count as one
outlet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from newsprism.extract.entities import name_key
from newsprism.extract.morph import is_cyrillic, language

# A Cyrillic place typed in an oblique case ("Харкові", "Києві") resolves in a sentence, after
# a preposition, as it would in an article; a bare oblique form does not (morph.place_candidates
# is only trusted after one).
_PREPOSITION = {"uk": "у", "ru": "в"}


@lru_cache(maxsize=4096)
def canonical_names(query: str, type_: str | None = None) -> tuple[str, ...]:
    """The canonical names `query` stands for (of entity type `type_` when given), or ()."""
    query = " ".join(query.split())
    if not query:
        return ()
    found = _cyrillic(query) if is_cyrillic(query) else _latin(query)
    return tuple(dict.fromkeys(name for kind, name in found if type_ in (None, kind)))


def _cyrillic(query: str) -> list[tuple[str, str]]:
    from newsprism.extract.cyrillic import cyrillic_mentions
    from newsprism.extract.entities import DocEntities

    mentions = cyrillic_mentions(query, DocEntities())
    if not mentions:
        mentions = cyrillic_mentions(f"{_PREPOSITION[language(query)]} {query}", DocEntities())
    whole = [m for m in mentions if m.end - m.start >= len(query) - 2]
    return [(m.type, m.name) for m in (whole or mentions)]


def _latin(query: str) -> list[tuple[str, str]]:
    from newsprism.extract.entities import _organizations, known_person
    from newsprism.extract.gazetteer import lookup

    found: list[tuple[str, str]] = []
    for form in dict.fromkeys((query, query.title())):
        place = lookup(form)
        if place is not None:
            found.append(("place", place.name))
    org = _organizations()[1].get(query)
    if org:
        found.append(("organization", org))
    person = known_person(query)
    if person:
        found.append(("person", person))
    return found


_LANGUAGE_LABELS = frozenset({"en", "eng", "english", "ru", "rus", "russian", "uk", "ua", "ukr",
                              "ukrainian", "www", "m", "amp", "mobile"})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "in", "news"})
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_DOMAIN = re.compile(r"(?:[a-z0-9-]+\.)+[a-z]{2,}", re.IGNORECASE)


@lru_cache(maxsize=4096)
def outlet_key(outlet: str | None) -> str | None:
    """One key per outlet across its language editions and scripts.

    - a domain is read as the name of its site, without language and mobile labels
      ("ru.example-wire.com" and "example-wire.com" -> "example-wire");
    - a name a list knows (organizations.tsv, cyrillic_entities.tsv) becomes its canonical
      English name ("РИА Новости" -> RIA Novosti);
    - any other Cyrillic name is transliterated; case, accents, spaces and punctuation are
      ignored, and so are romanisation differences (entities.name_key: "Khvylia"/"Khvilya").
    """
    if not outlet or not outlet.strip():
        return None
    name = outlet.strip()
    if _DOMAIN.fullmatch(name):
        name = _site_name(name.lower())
    orgs = _organization_names(name)
    if orgs:
        name = orgs[0]
    elif is_cyrillic(name):
        from newsprism.extract.cyrillic import transliterate

        name = transliterate(name, language(name))
    plain = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    return name_key(_NOT_ALNUM.sub("", plain))


def _organization_names(query: str) -> tuple[str, ...]:
    """`canonical_names(query, "organization")` without the place and person look-ups, which
    a Latin name does not need for this: linking then never loads the gazetteer."""
    query = " ".join(query.split())
    if not query or is_cyrillic(query):
        return canonical_names(query, "organization") if query else ()
    from newsprism.extract.entities import _organizations

    org = _organizations()[1].get(query)
    return (org,) if org else ()


def _site_name(host: str) -> str:
    """The label that names the site: "ru.example-wire.com" -> "example-wire", "bbc.co.uk" ->
    "bbc" (language and mobile labels, and a second-level "co"/"com"/… before a country code,
    are skipped)."""
    labels = [label for label in host.split(".") if label]
    while len(labels) > 2 and labels[0] in _LANGUAGE_LABELS:
        labels = labels[1:]
    if len(labels) > 2 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-2] if len(labels) > 1 else labels[0]
