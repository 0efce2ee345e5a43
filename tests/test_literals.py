"""The literal prefilter in front of the trigger and framing alternations: it may only skip a
pattern that cannot match, or events and framing terms would silently go missing."""

from __future__ import annotations

import re
import string

from newsprism.extract import events, framing
from newsprism.extract.literals import (
    CYRILLIC_RANGES,
    Prefilter,
    PrefilterSet,
    fold,
    required_literals,
)

_EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)

# written for this test: each sentence holds a trigger or a framing term, in varied case
SENTENCES = [
    "Units LIBERATED the village of Zarichne at dawn, the command said.",
    "The brigade has regained full control over the bridge near Kupiansk.",
    "Troops were pushed out of the northern district after a week of shelling.",
    "Two drones were SHOT DOWN over the river, and a third hit a warehouse.",
    "Negotiators met in Geneva for bilateral talks on a 40-for-40 swap.",
    "Officials in Kiev reportedly denied the claims, according to local sources.",
    "Боевики так называемого киевского режима обстреляли окраину города.",
    "Російські окупанти знову обстріляли село, повідомила адміністрація.",
    "A ſtrange ſpelling: the ſhelling ſtopped, the ſtate ſaid.",
    "İnvaders struck the port; the ınvasion force withdrew.",
]


def test_fold_matches_what_ignorecase_matches_for_every_ascii_character() -> None:
    """A character `re` matches to an ASCII letter without IGNORECASE-lowering to it (the
    long s, the dotted and dotless i) would hide a trigger from the prefilter."""
    for char in string.ascii_letters + string.digits + string.punctuation + " ":
        matched = set(re.findall(re.escape(char), _EVERY_CHARACTER, re.IGNORECASE))
        assert {fold(c) for c in matched} == {char.lower()}, char


def test_cyrillic_letters_only_match_cyrillic_letters() -> None:
    """The prefilter stands "a Cyrillic letter" for a Cyrillic literal: no letter outside the
    Cyrillic blocks may match one under IGNORECASE."""
    outside = re.sub(f"[{CYRILLIC_RANGES}]", "", _EVERY_CHARACTER)
    assert re.findall(f"[{CYRILLIC_RANGES}]", outside, re.IGNORECASE) == []


def test_literals_are_what_every_match_must_contain() -> None:
    assert required_literals(r"liberat(?:ed|e|es|ing|ion)", re.IGNORECASE) == {"liberat"}
    assert required_literals(r"(?:took|seized) (?:full )?control", re.IGNORECASE) == {"control"}
    assert required_literals(r"\w+ed", re.IGNORECASE) is None  # nothing to look for
    prefilter = Prefilter([r"liberat(?:ed|e)", r"\w+ed"], re.IGNORECASE)
    assert prefilter.may_match(fold("nothing here"))  # one alternative has no literal


def test_no_trigger_or_framing_term_is_skipped() -> None:
    """Every type's alternation that matches a sentence passes its prefilter; one that does
    not match is mostly skipped (the point of the filter)."""
    skipped = 0
    trigger_filters = events._trigger_filters()
    terms, term_filters = framing._patterns()
    for text in SENTENCES:
        folded = fold(text)
        possible = trigger_filters.may_match(folded)
        for index, (kind, pattern) in enumerate(events._triggers()):
            if pattern.search(text):
                assert index in possible, (kind, text)
            elif index not in possible:
                skipped += 1
        possible = term_filters.may_match(folded)
        for index, (pattern, rows) in enumerate(terms):
            if pattern.search(text):
                assert index in possible, (rows[0].category, text)
    assert skipped > len(SENTENCES) * 5


def test_one_pass_answers_as_each_prefilter_does() -> None:
    """The automaton over every literal says of each prefilter what its own test says, on
    sentences with triggers, Cyrillic text, and text with none."""
    prefilters = PrefilterSet([Prefilter([r"liberat(?:ed|e)"], re.IGNORECASE),
                               Prefilter([r"(?:took|seized) control", r"shell(?:ed|ing)"]),
                               Prefilter([r"\w+ed"]),  # no literal: may always match
                               Prefilter([r"обстрел\w+"], re.IGNORECASE),
                               Prefilter([r"withdr[ae]w"], re.IGNORECASE)])
    for text in [*SENTENCES, "A quiet day with nothing to report.", ""]:
        folded = fold(text)
        expected = {i for i, p in enumerate(prefilters.prefilters) if p.may_match(folded)}
        assert prefilters.may_match(folded) == expected, text
    assert prefilters.may_match(fold("They took control, then withdrew.")) == {1, 2, 4}
    assert PrefilterSet([]).may_match("anything") == frozenset()


def test_triggers_and_terms_are_those_of_the_full_scan(monkeypatch) -> None:
    """The same triggers, spans, modalities and framing terms as running every alternation."""
    def read() -> tuple[list, list]:
        triggers = [[(t, m.span(), mod) for t, m, mod in events._chosen_triggers(s)]
                    for s in SENTENCES]
        return triggers, [framing.find_framing(s) for s in SENTENCES]

    filtered = read()
    monkeypatch.setattr(PrefilterSet, "may_match",
                        lambda self, folded: frozenset(range(len(self.prefilters))))
    assert read() == filtered
    triggers, terms = filtered
    assert "territorial_control" in {t for t, _s, _m in triggers[0]}  # "LIBERATED"
    assert "strike_or_damage" in {t for t, _s, _m in triggers[8]}  # "ſhelling"
    assert any(term.category == "hedge" for term in terms[5])  # "reportedly"
