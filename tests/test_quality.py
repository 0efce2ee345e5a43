"""Extraction quality against the hand-made gold (benchmarks/gold/), as a regression guard.

The thresholds are the targets of the extraction issue for the seeds, and a little under the
measured figures for the demo corpus and the unseen set, so that a change that makes the
record worse fails here. Full figures: `python benchmarks/quality.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from quality import evaluate_corpus, evaluate_sets  # noqa: E402

MINIMUM_F1 = {
    # seeds statements: 0.76 with the surface rules, 0.73 with the parse-based attribution, mostly
    # where benchmarks/gold/seeds.json predates the corpus convention (ANNOTATION.md) that
    # "Russian officials said" is Russia's statement, and passive "as described by officials"
    "seeds": {"person": 0.9, "place": 0.9, "statements": 0.7, "events": 0.6},
    "demo (tuned on)": {"person": 0.9, "place": 0.85, "statements": 0.65, "events": 0.55},
    "unseen (held out)": {"person": 0.85, "place": 0.8, "statements": 0.65, "events": 0.6},
}


@pytest.fixture(scope="module")
def results(pipeline):
    return evaluate_sets(pipeline)


@pytest.mark.parametrize("name", sorted(MINIMUM_F1))
def test_f1_meets_the_targets(results, name):
    if name not in results:
        pytest.skip("../shared/seeds not present")
    for kind, minimum in MINIMUM_F1[name].items():
        assert results[name][kind].f1 >= minimum, (name, kind, results[name][kind].row())


# the real corpus (../shared/corpus/en), held-out half: a little under the measured figures
CORPUS_MINIMUM_F1 = {"persons": 0.88, "organizations": 0.84, "places": 0.87, "statements": 0.68}


def test_real_corpus_held_out_half_does_not_regress(pipeline):
    results = evaluate_corpus(pipeline)
    if not results:
        pytest.skip("../shared/corpus not present")
    held_out = results["even ids (held out)"]
    for kind, minimum in CORPUS_MINIMUM_F1.items():
        assert held_out[kind][2] >= minimum, (kind, held_out[kind])
