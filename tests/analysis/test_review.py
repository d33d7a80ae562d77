"""Review helpers: following themes between runs, typical members, answers like some
examples, and splitting a theme."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from analysis.errors import InputError
from analysis.review import jaccard, match_themes, most_similar, split_texts, typical_members
from tests.analysis.fixtures import responses

pytestmark = pytest.mark.coding_encoder


def members(*ranges: range) -> set[str]:
    return {str(i) for r in ranges for i in r}


def test_match_themes_follows_members_one_to_one():
    previous = {"T01": members(range(0, 10)), "T02": members(range(10, 20))}
    current = {"T01": members(range(10, 19)), "T02": members(range(0, 9)), "T03": {"50"}}
    assert match_themes(previous, current) == {"T01": "T02", "T02": "T01"}  # T03 is new


def test_match_themes_is_optimal_not_greedy():
    """The best single pair (X, A) would leave Y unmatched; the optimum matches both."""
    previous = {"A": members(range(1, 11)), "B": members(range(11, 21))}
    current = {"X": members(range(1, 7), range(11, 16)), "Y": members(range(7, 11), range(21, 23))}
    assert jaccard(current["X"], previous["A"]) > jaccard(current["X"], previous["B"])
    assert match_themes(previous, current) == {"X": "B", "Y": "A"}


def test_match_themes_needs_the_minimum_overlap():
    previous = {"A": members(range(0, 10))}
    current = {"X": members(range(0, 2), range(100, 108))}  # Jaccard 2 / 18
    assert match_themes(previous, current) == {}
    assert match_themes(previous, current, min_overlap=0.1) == {"X": "A"}
    assert match_themes({}, current) == {} and match_themes(previous, {}) == {}


def test_typical_members():
    ids = ["a", "b", "c", "d", "e", "f", "g"]
    similarities = [0.5, 0.9, 0.1, 0.7, 0.3, 0.9, 0.2]
    assert typical_members(similarities, ids, n=2) == (["b", "f"], ["c", "g"])
    most, least = typical_members(similarities[:4], ids[:4], n=3)
    assert most == ["b", "d", "a"] and least == ["c"]  # never the same member twice
    with pytest.raises(ValueError, match="differ in length"):
        typical_members([0.1], ["a", "b"])


@pytest.fixture(scope="module")
def answers() -> list[str]:
    return [r["answer"] for r in responses(120)]


def test_most_similar_finds_answers_like_the_examples(answers, engine):
    examples = [i for i, text in enumerate(answers) if "housing" in text.lower()][:2]
    found = most_similar(answers, examples, 10, engine=engine)
    assert len(found) == 10 and not {i for i, _ in found} & set(examples)
    scores = [score for _, score in found]
    assert scores == sorted(scores, reverse=True) and scores[0] <= 1.0
    assert sum("housing" in answers[i].lower() for i, _ in found) >= 8


def test_most_similar_edges():
    with pytest.raises(ValueError, match="outside the texts"):
        most_similar(["a b"], [3], 5)
    assert most_similar(["buses late", "trains late"], [], 5) == []
    assert most_similar(["buses late", "trains late"], [0, 1], 5) == []
    assert most_similar(["the", "and", "of"], [0], 5) == []  # no content words at all


def test_split_texts_separates_what_a_theme_mixes(answers, engine):
    topic = {"bus": re.compile(r"\bbus(es)?\b"), "housing": re.compile("housing")}
    mixed = [t for t in answers if any(p.search(t.lower()) for p in topic.values()) or t == "n/a"]
    groups = split_texts(mixed, 2, engine=engine)
    assert len(groups) == len(mixed) and set(groups) <= {-1, 0, 1}
    for pattern in topic.values():
        found = Counter(g for t, g in zip(mixed, groups, strict=True) if pattern.search(t.lower()))
        assert max(found.values()) == sum(found.values())  # each topic in one sub-theme
    assert len(set(groups) - {-1}) == 2
    assert all(g == -1 for t, g in zip(mixed, groups, strict=True) if t == "n/a")
    with pytest.raises(InputError, match="cannot make 5 themes"):
        split_texts(["buses late", "housing costs"], 5, engine=engine)
