"""Quotes that make the point their label states, as the label's own count reads it
(quote33, issue 12: the demo's Q6 "Private investors will follow ...")."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.describe import pick_quotes
from analysis.label_points import label_point_counts, label_point_reading
from analysis.quote_makers import better, buries, leads, repick_wanted
from tests.analysis.test_label_aliases import LABEL, RIVALS, TEXTS, embed

pytestmark = pytest.mark.coding_encoder

INVESTORS = "Private investors will follow if business helps choose the projects"
# the demo's first quote under that label (fast engine, seed 0): the point, but second
SECOND = (
    "In our experience, business should be consulted on every major scheme, but the vote "
    "should stay with the combined authority board. We also think private investors will "
    "follow if business helps choose the projects."
)


def test_the_reading_says_which_answers_it_counted():
    mentions = [list(range(len(TEXTS)))]
    counted: list[list[int]] = []
    counts, _ = label_point_reading([LABEL], mentions, TEXTS, embed, rivals=RIVALS, counted=counted)
    assert counts == [12] and counted == [list(range(12))]  # buses, and coaches as its alias
    # without the aliases, the six answers saying "buses" only; the count is unchanged by asking
    counted = []
    label_point_reading(
        [LABEL], mentions, TEXTS, embed, rivals=RIVALS, aliases=False, counted=counted
    )
    assert counted == [[0, 1, 2, 6, 7, 8]]
    assert label_point_counts([LABEL], mentions, TEXTS, embed, rivals=RIVALS, aliases=False) == [6]
    # and without rivals (the count over whole answers and their points)
    counted = []
    counts, _ = label_point_reading([LABEL], [[0, 3, 9]], TEXTS, embed, counted=counted)
    # buses, and coaches with homes as a whole; not coaches with skills
    assert counted == [[0, 3]] and counts == [2]


def test_quotes_are_picked_again_only_when_one_misses_and_an_answer_making_it_waits():
    makers, members = {"a", "b", "c"}, {"a", "b", "c", "x", "y"}
    assert repick_wanted(["a", "x", "y"], makers, members)
    assert not repick_wanted(["a", "b", "c"], makers, members)  # every quote makes it
    assert not repick_wanted(["a", "b", "x"], {"a", "b"}, members)  # no maker left unquoted
    assert not repick_wanted(["x", "y"], {"z"}, members)  # the maker is another theme's answer
    assert not repick_wanted([], makers, members)


def test_new_quotes_are_kept_only_when_more_make_the_point_or_the_first_does():
    makers = {"a", "b", "c"}
    assert better(["x", "a", "y"], ["a", "b", "y"], makers)
    assert not better(["x", "a", "y"], ["a", "y"], makers)  # fewer quotes
    assert not better(["a", "b", "y"], ["b", "a", "y"], makers)  # no gain
    assert better(["x", "a", "b"], ["a", "x", "b"], makers)  # as many, the first now makes it
    assert better(["a", "b"], ["b", "a"], makers, old_leads=False, new_leads=True)
    assert not better(["a", "b"], ["b", "a"], makers, old_leads=True, new_leads=True)


def test_an_answer_leads_with_the_point_when_its_first_sentence_says_it():
    assert not leads(SECOND, INVESTORS)
    assert leads(
        "Private investors will follow if business picks the schemes. Skills too.", INVESTORS
    )
    assert leads("Private investors will follow. Thank you for the chance to respond.", INVESTORS)
    # one sentence, which the fast count may take through an alias: not by its words
    assert not leads("Business should be consulted on every scheme.", INVESTORS)
    assert buries(SECOND, INVESTORS)
    assert not buries("Business should be consulted on every scheme.", INVESTORS)


def test_the_first_slot_goes_to_an_answer_leading_with_the_point():
    texts = [
        SECOND,
        "Advisory panels are too often ignored; a formal role would make advice count. "
        "Private investors will follow if business helps choose the projects.",
        "Private investors will follow if business helps choose the projects. Skills matter.",
        "Small firms need help with energy costs and business rates.",
    ]
    ids = [f"R{i}" for i in range(len(texts))]

    def pick(**options) -> list[str]:
        quoted = pick_quotes(
            list(range(len(texts))),
            np.array([0.99, 0.98, 0.7, 0.97]),
            np.eye(len(texts)),
            texts,
            ids,
            texts,
            **options,
        )
        return [q.id for q in quoted]

    makes = set(texts[:3]).__contains__
    assert pick() == ["R0", "R1", "R3", "R2"]
    # the count's makers first, the picker's first kept (fixs18's order)
    assert pick(prefer=makes) == ["R0", "R1", "R2", "R3"]
    # every slot to the makers
    assert pick(prefer=makes, prefer_first=True) == ["R0", "R1", "R2", "R3"]
    # the first slot to a maker leading with the point
    lead = lambda text: leads(text, INVESTORS)  # noqa: E731
    assert pick(prefer=makes, prefer_first=lead) == ["R2", "R0", "R1", "R3"]
