"""Required words of a regular expression: a cheap test that a long alternation cannot match.

Python's `re` tries every alternative of a trigger list at every position of a sentence, and
most sentences hold no trigger of most types. Every match of a pattern contains one of a few
literal strings found in its syntax tree (the idea of RE2's prefilter): "liberat" for
`liberat(?:ed|e|es|ing|ion)`, "control" for `(?:took|seized) control`. When none of them is
in the text, the pattern is not run, and the answer is the same: no match. A pattern part
with no literal (`\\w+ed`) makes the pattern's set unknown, and the pattern always runs; a
pattern whose literals are Cyrillic needs a Cyrillic letter in the text.

Case: literals and text are compared folded, which is right for case-sensitive patterns too.
Only ASCII literals are spelled out; `fold` maps the characters that `re`'s IGNORECASE matches
to an ASCII letter but that do not lower-case to it (dotted and dotless i, long s) to that
letter. tests/test_literals.py checks both over every Unicode character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import ahocorasick

_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
# every block of Cyrillic letters (and nothing that `re` folds a Cyrillic letter to is outside)
CYRILLIC_RANGES = "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f"
_CYRILLIC_LETTER = re.compile(f"[{CYRILLIC_RANGES}]")
_CYRILLIC = "\x00\x01\x02\x03\x04"  # stands in a literal set for "a Cyrillic letter"
_MIN_LITERAL = 3  # a shorter literal says too little to be worth a test
_SELECTIVE = 5  # a literal this long is rare enough; past it, fewer strings to test is better
_MAX_STRINGS = 24  # a literal set larger than this is not worth spelling out


def fold(text: str) -> str:
    """The text as literals are compared with it (case folded as `re` does for ASCII)."""
    return text.translate(_FOLD).lower()


def _ascii(code: int) -> bool:
    return code < 128


def _exact(items) -> frozenset[str] | None:
    """Every string the parsed sequence can match, when they are few and plain ASCII."""
    out = frozenset({""})
    for op, av in items:
        if op is sre.LITERAL and _ascii(av):
            part: frozenset[str] | None = frozenset({chr(av)})
        elif op is sre.SUBPATTERN:
            part = _exact(av[-1])
        elif op is sre.BRANCH:
            alternatives = [_exact(alt) for alt in av[1]]
            known = [alt for alt in alternatives if alt is not None]
            part = None if len(known) < len(alternatives) else frozenset().union(*known)
        elif op is sre.MAX_REPEAT and av[0] == 0 and av[1] == 1:  # "(?:the )?"
            inner = _exact(av[2])
            part = None if inner is None else inner | {""}
        else:
            part = None
        if part is None or len(out) * len(part) > _MAX_STRINGS:
            return None
        out = frozenset(a + b for a in out for b in part)
    return out


def _score(found: frozenset[str]) -> int:
    """How selective a literal set is: the letters of its shortest string."""
    return min(len(s.strip()) for s in found)


def _minimal(found: frozenset[str]) -> frozenset[str]:
    """The set without strings that contain another of it ("liberated" when "liberate")."""
    return frozenset(s for s in found if not any(t != s and t in s for t in found))


def _cost(found: frozenset[str]) -> tuple[bool, bool, int, int]:
    """Fewer strings to look for first, once each is long enough to be rare; a Cyrillic
    letter (a script test, passed by every Russian sentence) last."""
    return (_CYRILLIC in found, _score(found) < _SELECTIVE, len(found), -_score(found))


def _required(items) -> frozenset[str] | None:
    """Strings one of which every match of the parsed sequence contains, or None."""
    best: frozenset[str] | None = None
    run = frozenset({""})  # the strings the items since the last gap can have matched
    tail = ""  # the plain letters since the last choice ("control" of "(?:took|seized) control")

    def better(found: frozenset[str] | None) -> None:
        nonlocal best
        if not found:
            return
        found = _minimal(frozenset(s if s == _CYRILLIC else s.lower() for s in found))
        if _score(found) >= _MIN_LITERAL and (best is None or _cost(found) < _cost(best)):
            best = found

    def flush() -> None:
        nonlocal run, tail
        better(run)
        better(frozenset({tail}))
        run, tail = frozenset({""}), ""

    for op, av in items:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: the literals either side stay next to each other
        exact = _exact([(op, av)])
        if exact is not None and len(run) * len(exact) <= _MAX_STRINGS:
            if len(exact) > 1:  # "liberat" before "(?:ed|e|es|ing|ion)", and the ending
                better(run)
                better(frozenset({tail}))
                better(exact)
                tail = ""
            else:
                tail += next(iter(exact))
            run = frozenset(a + b for a in run for b in exact)
            continue
        flush()
        if exact is not None:  # too many strings together: start again from these
            run = exact
            tail = next(iter(exact)) if len(exact) == 1 else ""
        elif op is sre.LITERAL and _CYRILLIC_LETTER.match(chr(av)):
            better(frozenset({_CYRILLIC}))
        elif op is sre.SUBPATTERN:
            better(_required(av[-1]))
        elif op is sre.BRANCH:
            alternatives = [_required(alt) for alt in av[1]]
            if all(alternatives):
                better(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)) \
                and av[0] >= 1:
            better(_required(av[2]))
        # else a class, a back reference, another script's letter: no literal here
    flush()
    return best


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case strings one of which every match of `pattern` contains (compare them with
    `fold(text)`), or None when the pattern's syntax does not say. The set holds a marker
    instead of Cyrillic strings: a Cyrillic letter must be in the text."""
    return _required(sre_parse.parse(pattern, flags))


class Prefilter:
    """Whether a pattern made of these alternatives can match a text: False means it cannot;
    True means it may (some alternative has no literal, or one literal is present)."""

    def __init__(self, alternatives: Iterable[str], flags: int = 0):
        found: set[str] = set()
        self.always = False
        for alternative in alternatives:
            literals = required_literals(alternative, flags)
            if literals is None:
                self.always = True
                break
            found |= literals
        self.cyrillic = _CYRILLIC in found
        self.literals = tuple(sorted(_minimal(frozenset(found - {_CYRILLIC}))))

    def may_match(self, folded: str) -> bool:
        """`folded` is `fold(text)`."""
        return self.always or any(s in folded for s in self.literals) or (
            self.cyrillic and _CYRILLIC_LETTER.search(folded) is not None)


class PrefilterSet:
    """Which of several prefilters may match a text, all in one pass over it.

    Testing each literal of each prefilter with `in` reads the text once per literal (a few
    hundred times for the event triggers); an Aho-Corasick automaton of every literal
    (pyahocorasick) reads it once and says which prefilters one of its literals belongs to.
    The answers are those of the prefilters' own `may_match` (tests/test_literals.py)."""

    def __init__(self, prefilters: Sequence[Prefilter]):
        self.prefilters = tuple(prefilters)
        owners: dict[str, set[int]] = {}
        for index, prefilter in enumerate(self.prefilters):
            for literal in prefilter.literals:
                owners.setdefault(literal, set()).add(index)
        self._automaton = ahocorasick.Automaton()
        for literal, indexes in owners.items():
            self._automaton.add_word(literal, frozenset(indexes))
        if owners:
            self._automaton.make_automaton()
        self._always = frozenset(i for i, p in enumerate(self.prefilters) if p.always)
        self._cyrillic = frozenset(i for i, p in enumerate(self.prefilters) if p.cyrillic)

    def may_match(self, folded: str) -> frozenset[int]:
        """The indexes of the prefilters that may match `folded` (which is `fold(text)`)."""
        found = set(self._always)
        if self._automaton.kind == ahocorasick.AHOCORASICK:
            for _end, indexes in self._automaton.iter(folded):
                found |= indexes
        if self._cyrillic and _CYRILLIC_LETTER.search(folded) is not None:
            found |= self._cyrillic
        return frozenset(found)
