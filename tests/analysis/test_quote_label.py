"""The fast engine's quotes make the point their theme's label states (fixs18, issue 12:
smoke17s finding 12)."""

from __future__ import annotations

import numpy as np

from analysis import quote_label
from analysis.describe import pick_quotes
from analysis.quote_label import makes_label_point, preference

LABEL = "Multi-year funding would give councils the certainty to commit to long projects"
MULTI_YEAR = "Multi-year funding would give councils the certainty to commit to long projects."
# the demo's quotes under that label before the change, making other points
OFF_POINT = [
    "Put simply, we welcome the direction, but the first years' allocation will not cover "
    "existing commitments. Control is welcome if the funding formula protects the smaller "
    "boroughs.",
    "With one pot of money we can join up transport, housing and regeneration schemes instead "
    "of running them separately. Priorities set in the West Midlands will fit our places "
    "better than ones set in London.",
]


def test_a_quote_makes_the_label_point_in_one_sentence():
    assert makes_label_point(MULTI_YEAR, LABEL)
    assert makes_label_point(f"We also believe {MULTI_YEAR[0].lower()}{MULTI_YEAR[1:]}", LABEL)
    # the point in fewer of the label's words: a third of them is enough
    assert makes_label_point("Multi-year budgets let councils commit to projects.", LABEL)
    for text in OFF_POINT:
        assert not makes_label_point(text, LABEL), text
    # a label of stop words only asks nothing
    assert makes_label_point("Anything at all.", "Of the")


def pick(texts: list[str], similarity: list[float], prefer=None) -> list[str]:
    ids = [f"R{i}" for i in range(len(texts))]
    quoted = pick_quotes(
        list(range(len(texts))),
        np.array(similarity),
        np.eye(len(texts)),
        texts,
        ids,
        texts,
        prefer=prefer,
    )
    return [q.id for q in quoted]


def test_the_slots_go_first_to_answers_making_the_label_point():
    texts = [
        f"{MULTI_YEAR} The principle is right but the amount is too small.",
        *OFF_POINT,
        f"{MULTI_YEAR} Local control means decisions are made by people who know the region.",
        f"We believe {MULTI_YEAR[0].lower()}{MULTI_YEAR[1:]} Scrutiny committees need more power.",
    ]
    similarity = [0.99, 0.98, 0.97, 0.6, 0.5]
    assert pick(texts, similarity) == ["R0", "R1", "R2", "R3", "R4"]
    # with the preference, the answers making the label's point come first, the others after
    assert pick(texts, similarity, preference(LABEL)) == ["R0", "R3", "R4", "R1", "R2"]


def test_quotes_all_making_the_point_are_picked_as_before():
    texts = [
        f"{MULTI_YEAR} The principle is right.",
        f"{MULTI_YEAR} Local control helps.",
        f"{MULTI_YEAR} Scrutiny needs more power.",
    ]
    similarity = [0.9, 0.8, 0.7]
    assert pick(texts, similarity, preference(LABEL)) == pick(texts, similarity)


def test_the_preference_can_be_turned_off(monkeypatch):
    assert preference(LABEL) is not None
    monkeypatch.setattr(quote_label, "LABEL_POINT_QUOTES", False)
    assert preference(LABEL) is None
