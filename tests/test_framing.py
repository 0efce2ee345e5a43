"""Framing terms (extract/framing.py) on sentences written for these tests, and on the demo."""

from __future__ import annotations

import pytest

from newsprism.extract.framing import (
    CATEGORIES,
    LOADED,
    find_framing,
    framing_counts,
    framing_lexicon,
    framing_stage,
)
from newsprism.model import Document
from newsprism.pipeline import DEFAULT_STAGES


def doc_of(*lines: str) -> Document:
    return framing_stage(Document(id="t", source="t.txt", raw=b"", kind="text", lines=list(lines)))


def terms(text: str, category: str | None = None) -> list[str]:
    return [m.term for m in find_framing(text) if category is None or m.category == category]


def loaded(text: str) -> list[str]:
    return [m.term for m in find_framing(text) if m.category in LOADED]


def test_lexicon_is_large_and_covers_every_category():
    rows = framing_lexicon()
    assert len(rows) >= 60
    assert {r.category for r in rows} == set(CATEGORIES)
    assert all(r.label and r.pattern for r in rows)


def test_loaded_pro_kremlin_terms_come_with_neutral_wording():
    text = ("Moscow says the special military operation will go on until the Kiev regime and its "
            "Western sponsors accept a buffer zone along the border.")
    found = {m.term: m for m in find_framing(text)}
    assert found["special military operation"].neutral == "war"
    assert found["Kiev regime"].neutral == "Ukrainian government"
    assert found["Kiev regime"].category == "loaded_pro_kremlin"
    assert found["Western sponsors"].neutral == "Western allies"
    assert found["buffer zone"].category == "loaded_pro_kremlin"
    # the spelling inside "Kiev regime" is not counted a second time
    assert "Kiev" not in found


def test_terms_with_no_neutral_wording():
    found = find_framing("A commander vowed to finish the denazification of the neo-Nazis.")
    assert [(m.term, m.neutral) for m in found if m.category in LOADED] == [
        ("denazification", None), ("neo-Nazis", None)]


def test_loaded_pro_ukrainian_terms():
    text = "The orcs shelled the market again, the terrorist state's latest crime."
    assert loaded(text) == ["orcs", "terrorist state"]
    found = find_framing("The occupiers pulled back from the bridgehead.")
    assert [(m.category, m.neutral) for m in found] == [("loaded_pro_ukrainian", "Russian forces")]


def test_case_rules():
    # case-sensitive rows: the regime label and the abbreviation only as written
    assert loaded("An official blamed the Kiev regime.") == ["Kiev regime"]
    assert loaded("an official blamed the kiev regime.") == []
    assert loaded("The SMO entered its fourth year.") == ["SMO"]
    assert loaded("She sent an smo file to the printer.") == []
    # case-insensitive rows: title case in a headline still counts
    assert loaded("Special Military Operation Enters New Phase") == ["Special Military Operation"]
    assert terms("READ MORE: a story about something else", "clickbait") == ["READ MORE"]
    assert terms("You can read more about the grid in our explainer.", "clickbait") == []


def test_hedges_and_attribution():
    text = ("The governor reportedly left the city overnight, sources said, but the account "
            "could not be independently verified.")
    assert terms(text, "hedge") == [
        "reportedly", "sources said", "could not be independently verified"]
    # "sources said" is a hedge, not also an attribution
    assert terms(text, "attribution") == []
    text = "According to the ministry, 14 drones were downed, a spokesman told reporters."
    assert terms(text, "attribution") == ["According to", "told reporters"]
    assert terms("Analysts think the brigade has likely withdrawn.", "hedge") == ["likely"]
    assert terms("The strike was unlikely to change much.", "hedge") == []


def test_clickbait_only_on_clickbait():
    assert terms("Putin's generals SENT FLEEING as bridge falls [VIDEO]", "clickbait") == [
        "SENT FLEEING", "[VIDEO]"]
    assert terms("You won't believe what happened next at the checkpoint.", "clickbait") == [
        "You won't believe", "what happened next"]
    ordinary = [
        "Two armoured vehicles were destroyed near the river, the army said.",
        "Residents described a moment of panic when the sirens failed.",
        "What happens next depends on the weather and on ammunition supplies.",
        "The breaking of the dam flooded several villages downstream.",
        "NATO and the EU said the talks would resume in May.",
    ]
    for sentence in ordinary:
        assert terms(sentence, "clickbait") == [], sentence


def test_filler():
    text = ("The talks underscore the complex nature of the war, and it remains to be seen "
            "whether the sides can navigate the complex landscape of a complex interplay.")
    assert terms(text, "filler") == [
        "underscore the complex nature", "remains to be seen", "navigate the complex landscape",
        "complex interplay",
    ]
    text = "The brigade delved into a tapestry of trenches."
    assert terms(text, "filler") == ["delved", "tapestry"]
    assert terms("Engineers repaired the substation by evening.", "filler") == []


def test_neutral_rewrite_has_no_loaded_terms():
    loaded_text = ("Units liberated the village of Stepove from Ukrainian formations, and the Kiev "
                   "regime's Western curators were silent, the special military operation "
                   "headquarters said of the fighting in Donbass.")
    found = [m for m in find_framing(loaded_text) if m.category in LOADED]
    assert len(found) == 6
    assert all(m.neutral for m in found)
    neutral_text = loaded_text
    for m in found:
        neutral_text = neutral_text.replace(m.term, m.neutral or "", 1)
    assert loaded(neutral_text) == []
    assert loaded("Russian forces captured the village of Stepove, Ukraine's army said.") == []


def test_russian_spellings():
    found = find_framing("Trains from Kiev to Kharkov were cancelled, and Artemovsk is Bakhmut.")
    assert [(m.term, m.category, m.neutral) for m in found if m.category == "russian_spelling"] == [
        ("Kiev", "russian_spelling", "Kyiv"),
        ("Kharkov", "russian_spelling", "Kharkiv"),
        ("Artemovsk", "russian_spelling", "Bakhmut"),
    ]
    assert terms("The museum holds icons from Kievan Rus.", "russian_spelling") == []
    assert terms("Kyiv and Kharkiv both lost power.", "russian_spelling") == []
    assert terms("Kiev's mayor spoke.", "russian_spelling") == ["Kiev"]
    assert terms("kiev was misspelt", "russian_spelling") == []


def test_donbass_is_loaded_but_donbas_is_not():
    found = find_framing("Fighting in Donbass continued.")
    assert [(m.term, m.category, m.neutral) for m in found] == [
        ("Donbass", "loaded_pro_kremlin", "Donbas")]
    assert loaded("Fighting in the Donbas continued.") == []


@pytest.mark.parametrize("sentence", [
    "Troops liberated the town after a week of street fighting.",
    "The ministry said its forces had liberated Soledar.",
    "Assault groups completed the liberation of Marinka on Friday.",
    "Units liberated two villages north of the river.",
    "The ministry said it had \"liberated\" the city.",
    "The district was liberated from Ukrainian nationalists, the statement said.",
])
def test_liberate_about_places_counts(sentence):
    assert [m.label for m in find_framing(sentence) if m.category in LOADED] in (
        ["liberate"], ["liberation"], ["liberate", "Ukrainian nationalists"])


@pytest.mark.parametrize("sentence", [
    "The national liberation movement of the 1950s shaped the country.",
    "She felt liberated after the exam was over.",
    "Police liberated the hostages from the basement.",
    "The book is a history of women's liberation in Europe.",
    "Price liberation was part of the reform package.",
])
def test_liberation_in_an_unrelated_sense_is_not_counted(sentence):
    assert loaded(sentence) == []


def test_quoted_terms_still_count():
    text = 'A Kremlin spokesman called it "a security zone for our villages".'
    assert loaded(text) == ["security zone"]
    assert loaded("Inspectors visited the safety zone around the nuclear plant.") == []


def test_stage_order_and_counts():
    doc = doc_of(
        "The Zelensky regime has lost ground, reportedly near Kharkov, the ministry said.",
        "Officials said the orcs were pushed back.",
        "ONLY IN: a tapestry of rumours.",
    )
    assert [(t.term, t.category, t.neutral) for t in doc.framing] == [
        ("Zelensky regime", "loaded_pro_kremlin", "Ukrainian government"),
        ("reportedly", "hedge", None),
        ("Kharkov", "russian_spelling", "Kharkiv"),
        ("said", "attribution", None),
        ("said", "attribution", None),
        ("orcs", "loaded_pro_ukrainian", "Russian soldiers"),
        ("ONLY IN", "clickbait", None),
        ("tapestry", "filler", None),
        ("rumours", "hedge", None),
    ]
    # each where it was found: offsets in the clean text, across its lines
    assert all(doc.text[t.start:t.end] == t.term for t in doc.framing)
    assert [t.start for t in doc.framing] == sorted(t.start for t in doc.framing)
    saids = [t.start for t in doc.framing if t.term == "said"]
    assert saids == [doc.text.index("said"), doc.text.index("said", saids[0] + 1)]
    assert doc.framing[5].start == doc.text.index("orcs") > len(doc.lines[0])
    assert framing_counts(doc) == {
        "loaded_pro_kremlin": 1, "loaded_pro_ukrainian": 1, "russian_spelling": 1, "hedge": 2,
        "attribution": 2, "clickbait": 1, "filler": 1,
    }
    # running the stage again replaces, never appends
    assert framing_stage(doc).framing == doc.framing and len(doc.framing) == 9


def test_empty_document():
    doc = doc_of()
    assert doc.framing == []
    assert set(framing_counts(doc).values()) == {0}


# --- the demo corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(demo_documents) -> dict[str, Document]:
    """The demo corpus through the pipeline (whose last stage is `framing_stage`)."""
    assert DEFAULT_STAGES[-1] == ("framing", framing_stage)
    return demo_documents


def pro_kremlin_rate(doc: Document) -> float:
    """loaded_pro_kremlin terms per 1,000 words of clean body."""
    return 1000 * framing_counts(doc)["loaded_pro_kremlin"] / len(doc.text.split())


def test_every_demo_document_gets_framing(corpus):
    assert len(corpus) >= 24
    for name, doc in corpus.items():
        assert all(t.category in CATEGORIES for t in doc.framing), name
        assert framing_counts(doc)["attribution"] > 0, name


@pytest.mark.parametrize(("kremlin_line", "independent"), [
    ("txt/01_vovchansk_eastern_wire.txt", "txt/02_vovchansk_baltic_ledger.txt"),
    ("txt/10_pokrovsk_steppe_herald.txt", "txt/11_pokrovsk_kyiv_courier.txt"),
    ("txt/10_pokrovsk_steppe_herald.txt", "txt/12_pokrovsk_northgate_review.txt"),
    ("txt/14_huliaipole_steppe_herald.txt", "txt/15_huliaipole_meridian_dispatch.txt"),
    ("txt/08_istanbul_talks_eastern_wire.txt", "txt/09_istanbul_talks_baltic_ledger.txt"),
    ("html/04_belgorod_steppe_herald.html", "jsonl/archive.jsonl.gz#2"),
])
def test_pro_kremlin_outlets_use_more_loaded_terms(corpus, kremlin_line, independent):
    assert pro_kremlin_rate(corpus[kremlin_line]) > 2 * pro_kremlin_rate(corpus[independent])


def test_eastern_wire_vovchansk_terms(corpus):
    found = {t.term for t in corpus["txt/01_vovchansk_eastern_wire.txt"].framing
             if t.category == "loaded_pro_kremlin"}
    assert {"liberated", "neo-Nazi", "Kiev regime", "buffer zone"} <= found


def test_independent_outlets_hedge_and_never_use_pro_kremlin_labels(corpus):
    for name in ("txt/09_istanbul_talks_baltic_ledger.txt",
                 "txt/15_huliaipole_meridian_dispatch.txt",
                 "txt/05_kharkiv_drones_kyiv_courier.txt"):
        assert framing_counts(corpus[name])["loaded_pro_kremlin"] == 0, name
    assert framing_counts(corpus["txt/12_pokrovsk_northgate_review.txt"])["hedge"] >= 2


def test_lemma_rows_match_russian_and_ukrainian_in_any_case_form():
    for text, term in [("Колону окупантів зупинили.", "окупантів"),
                       ("Оккупантами занят поселок.", "Оккупантами"),
                       ("Киевскому режиму передали оружие.", "Киевскому режиму"),
                       ("Позиції загарбників накрили артилерією.", "загарбників")]:
        found = find_framing(text)
        assert [m.term for m in found if m.category.startswith("loaded")] == [term], text
    # the word for "occupation" is not the word for "occupiers"
    assert not any(m.category.startswith("loaded") for m in find_framing("Окупація скінчилася."))


@pytest.mark.parametrize(("sentence", "label"), [
    ("Shelling hit the outskirts of the Luhansk People's Republic, the agency said.",
     "People's Republic"),
    ("The DPR authorities reported two deaths.", "DPR/LPR"),
    ("Officials said the so-called counteroffensive had failed.", "so-called counter-offensive"),
    ("Since the full-scale invasion, the plant has stood idle.", "full-scale invasion"),
    ("Schools in temporarily occupied towns teach a new curriculum.", "temporarily occupied"),
    ("A tanker of the shadow fleet was stopped off the coast.", "shadow fleet"),
])
def test_contested_terms_of_either_side_are_flagged(sentence, label):
    assert label in [m.label for m in find_framing(sentence) if m.category in LOADED]
