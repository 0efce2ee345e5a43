"""Time expressions as a reader would resolve them against the article's date (issue 11).

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from newsprism.extract.timex import find_timexes

THURSDAY = "2024-05-30"


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("the governor reported on Feb. 20 that two died", "2024-02-20", "day"),  # AP style
    ("troops withdrew on 3 Apr", "2024-04-03", "day"),
    ("the depot burned on Sept. 3, 2023", "2023-09-03", "day"),
    ("a test launch in Feb. 2023", "2023-02", "month"),
    ("earlier this month, shelling resumed", "2024-05", "month"),
    ("the town was shelled last month", "2024-04", "month"),
    ("the bridge was hit last year", "2023", "year"),
    ("the army retook the city in March this year", "2024-03", "month"),
    ("the port was mined in October last year", "2023-10", "month"),
    ("talks are due to resume next month", "2024-06", "month"),
    ("the hills were taken in the 1967 Middle East war", "1967", "year"),  # a named war
    ("the port fell during the 2022 invasion", "2022", "year"),
    ("the village was captured two days ago", "2024-05-28", "day"),
    ("drones attacked the city Tuesday night", "2024-05-28", "day"),  # no preposition
    ("Monday's strike killed three", "2024-05-27", "day"),
    ("they met last Thursday", "2024-05-23", "day"),  # not the day of the article
    ("talks resume next Friday", "2024-05-31", "day"),
])
def test_relative_and_abbreviated_dates_resolve(text, value, precision):
    assert [(t.value, t.precision) for t in find_timexes(text, THURSDAY)] == [(value, precision)]


@pytest.mark.parametrize("text", [
    "Black Friday sales fell sharply",
    "Jan Novak said the plan was ready",
    "in Feb. the fighting paused",  # which February is not stated
    "in the 2022 people were moved",  # a year that names no war
])
def test_words_that_only_look_like_dates_stay_undated(text):
    assert find_timexes(text, THURSDAY) == []


def test_a_relative_date_needs_a_date_to_count_from():
    assert find_timexes("the village was captured two days ago", None) == []
    assert find_timexes("shelling resumed earlier this month", None) == []
