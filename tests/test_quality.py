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
from quality import evaluate_sets  # noqa: E402

MINIMUM_F1 = {
    "seeds": {"person": 0.9, "place": 0.9, "statements": 0.75, "events": 0.6},
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
