"""Near-duplicate and rewrite detection (newsprism.link.near_duplicates)."""

from __future__ import annotations

import json

import pytest
from conftest import DEMO

from newsprism.link.near_duplicates import (
    NearDuplicateIndex,
    changed_passages,
    content_stems,
    copy_direction,
    shared_passages,
    shingles,
    signature,
)

BASE = """\
Ukrainian forces have captured the village of Robotyne in the Zaporizhzhia region after weeks \
of heavy fighting, the General Staff in Kyiv said on Monday.
Brigadier General Oleksandr Tarnavskyi said the 47th Mechanised Brigade had cleared the last \
Russian positions on the southern outskirts of the village overnight.
"Our assault units moved forward under constant artillery fire and mined fields," Tarnavskyi \
told reporters in Zaporizhzhia.
According to the General Staff, Russian losses in the Robotyne direction over the past week \
exceeded 310 soldiers, while nine tanks and four ammunition depots were destroyed.
Russia's Defence Ministry did not comment on the claim but said its troops had repelled six \
attacks near Verbove.
Military analyst Iryna Bondar said the capture of Robotyne opened the way towards Tokmak, a \
railway hub some 20 kilometres to the south.
Residents who fled the village last year said they hoped to return before the winter, although \
the area remains heavily mined."""

EDIT = BASE.replace("heavy fighting", "intense fighting").replace(
    "told reporters in Zaporizhzhia", "told journalists in Zaporizhzhia"
).replace("\u2019", "'").replace('"Our', "\u201cOur").upper()

PARAPHRASE = """\
Military analyst Iryna Bondar argued that taking Robotyne clears the path to Tokmak, a \
railway hub roughly 20 kilometres further south.
Kyiv's General Staff announced on Monday that Ukrainian troops had seized Robotyne, a village \
in the Zaporizhzhia area, following several weeks of fierce combat.
The 47th Mechanised Brigade wiped out the remaining Russian positions on the village's southern \
edge during the night, according to Brigadier General Oleksandr Tarnavskyi.
The General Staff put Russian losses in the Robotyne direction over the past week at more than \
310 soldiers, along with nine tanks and four ammunition depots destroyed.
The Russian Defence Ministry made no comment, saying instead that six attacks had been repelled \
near Verbove.
Residents who left the village last year hope to go back before winter, even though the area \
is still heavily mined.
The development highlights the shifting dynamics of the conflict as both sides face significant \
challenges."""

INVERTED = BASE.replace(
    "Ukrainian forces have captured the village of Robotyne",
    "Russian forces have pushed Ukrainian troops out of the village of Robotyne",
)

UNRELATED = """\
Ukraine's air force said Russia launched 64 drones and two ballistic missiles overnight, \
mainly at energy facilities in the Odesa and Mykolaiv regions.
Air defence units shot down 51 drones, the air force said in its morning summary on Tuesday.
In Odesa, a port warehouse caught fire and two dock workers were injured, regional governor \
Oleh Kiper said on Telegram.
Power was cut to about 40,000 households in Mykolaiv. The grid operator said repairs would \
take at least two days.
Russia's Defence Ministry said its forces had struck "military-industrial facilities" and \
fuel depots supplying Ukrainian troops in the south.
The attack was the third on the region's energy grid this month, local officials said, as \
temperatures dropped below freezing."""


def _index(**texts: str) -> dict[str, list[tuple[str, float]]]:
    index = NearDuplicateIndex()
    return {name: index.add(name, text) for name, text in texts.items()}


def test_shingles_ignore_case_punctuation_and_quotes():
    assert shingles("Russia\u2019s troops, \u201cfinally\u201d, left the TOWN!") == shingles(
        "russia's troops finally left the town"
    )
    assert shingles("one two three four five six") == {
        "one two three four five", "two three four five six"
    }
    assert shingles("too short") == {"too short"}
    assert shingles("") == set()


def test_content_stems_drop_stop_words_and_war_news_vocabulary():
    stems = content_stems("Russian forces said the 47th Brigade cleared Robotyne on Monday.")
    assert stems == {"47th", "briga", "clear", "robot"}


def test_edit_and_paraphrase_are_found_and_ranked_unrelated_is_not():
    found = _index(base=BASE, edit=EDIT, paraphrase=PARAPHRASE, unrelated=UNRELATED)
    assert found["base"] == []
    [(edit_of, edit_sim)] = found["edit"]
    assert edit_of == "base"
    para = dict(found["paraphrase"])
    assert "base" in para
    assert edit_sim > para["base"]
    assert found["unrelated"] == []


def test_verbatim_mode_finds_the_light_edit_but_not_the_paraphrase():
    index = NearDuplicateIndex(mode="verbatim")
    index.add("base", BASE)
    assert [doc for doc, _sim in index.add("edit", EDIT)] == ["base"]
    assert index.add("paraphrase", PARAPHRASE) == []


def test_adding_the_same_id_again_does_not_pair_it_with_itself():
    index = NearDuplicateIndex()
    index.add("base", BASE)
    assert index.add("base", BASE) == []
    assert len(index) == 1
    assert index.add("", "") == []  # no words: remembered, never paired


def test_index_rebuilds_from_stored_signatures():
    first = NearDuplicateIndex()
    first.add("base", BASE)
    first.add("unrelated", UNRELATED)
    stored = {doc_id: first.signature_bytes(doc_id) for doc_id in ("base", "unrelated")}
    assert stored["base"] == signature(BASE)

    later = NearDuplicateIndex()
    for doc_id, sig in stored.items():
        later.add_signature(doc_id, sig)
    assert "base" in later and len(later) == 2
    assert later.add("paraphrase", PARAPHRASE) == first.add("paraphrase", PARAPHRASE)


def test_signature_from_other_settings_is_refused():
    index = NearDuplicateIndex()
    with pytest.raises(ValueError, match="other settings"):
        index.add_signature("x", signature(BASE, mode="verbatim"))
    with pytest.raises(ValueError, match="other settings"):
        index.add_signature("x", signature(BASE, num_perm=128))
    with pytest.raises(ValueError, match="not a Newsprism"):
        index.add_signature("x", b"garbage bytes, not a signature")


def test_shared_passages_contain_the_copied_sentence():
    passages = shared_passages(BASE, PARAPHRASE)
    assert any("Russian losses in the Robotyne direction over the past week" in p
               for p in passages)
    assert not any("nine tanks" in p for p in passages)  # six words in common: too short
    assert "nine tanks and four ammunition depots" in shared_passages(BASE, PARAPHRASE, 6)
    assert shared_passages(BASE, UNRELATED) == []
    # passages are quoted as text_a wrote them, even when text_b differs in case and quotes
    assert shared_passages(BASE, EDIT)[0].startswith("Ukrainian forces have captured")


def test_changed_passages_show_the_inverted_claim():
    changes = changed_passages(BASE, INVERTED)
    assert changes == [("Ukrainian", "Russian"), ("captured", "pushed Ukrainian troops out of")]
    assert changed_passages(BASE, BASE) == []


def test_changed_passages_line_up_reordered_sentences():
    changes = changed_passages(BASE, PARAPHRASE)
    assert ("", PARAPHRASE.splitlines()[-1]) in changes  # the filler sentence was added
    assert ("exceeded", "at more than") in changes or any(
        "exceeded" in a for a, _b in changes
    )


@pytest.mark.parametrize(("a", "b", "want"), [
    (("x", "2025-11-12", None), ("y", "2025-11-11", None),
     ("y", "x", "published 2025-11-11, a day before")),
    (("x", "2025-11-11", "2025-11-13T10:00:00"), ("y", "2025-11-14", "2025-11-12T10:00:00"),
     ("x", "y", "published 2025-11-11, 3 days before")),
    (("x", "2025-11-12T09:00:00Z", None), ("y", "2025-11-12T11:00:00+03:00", None),
     ("y", "x", "published 2025-11-12 08:00, an hour before")),
    (("x", "2025-11-12", "2025-11-12T11:30:00"), ("y", "2025-11-12", "2025-11-12T09:00:00"),
     ("y", "x", "ingested 2025-11-12 09:00, 2 hours before")),
    (("x", None, "2025-11-12T09:00:00"), ("y", "2025-11-10", "2025-11-12T09:05:00"),
     ("x", "y", "ingested 2025-11-12 09:00, 5 minutes before")),
    (("x", None, None), ("y", None, None),
     ("x", "y", "no date tells them apart; taken in the order given")),
])
def test_copy_direction(a, b, want):
    assert copy_direction(a, b) == want


@pytest.fixture(scope="module")
def demo_pairs(demo_documents) -> dict[tuple[str, str], float]:
    index = NearDuplicateIndex()
    pairs: dict[tuple[str, str], float] = {}
    for name, doc in demo_documents.items():
        for other, similarity in index.add(name, doc.text):
            pairs[tuple(sorted((name, other)))] = similarity
    return pairs


def test_demo_rewrites_are_paired_with_their_sources(demo_pairs):
    assert ("txt/01_vovchansk_eastern_wire.txt", "txt/03_vovchansk_newspulse24.txt") in demo_pairs
    assert ("jsonl/feed.jsonl#2", "txt/09_istanbul_talks_baltic_ledger.txt") in demo_pairs


def test_demo_pairs_never_join_two_stories(demo_pairs):
    expected = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))
    for a, b in demo_pairs:
        assert expected[a]["story"] == expected[b]["story"], (a, b)


def test_only_articles_published_around_the_same_time_are_compared():
    index = NearDuplicateIndex()
    index.add("base", BASE, "2025-11-11")
    assert [i for i, _s in index.add("soon", EDIT, "2025-11-13")] == ["base"]
    assert index.add("months later", EDIT, "2026-03-01") == []  # outside the window
    assert "base" in [i for i, _s in index.add("undated", EDIT, None)]  # compared with all
