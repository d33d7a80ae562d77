"""A problem named as what a proposal would end reads as support, not complaint, with both
engines (fixs18, issue 12: smoke17s finding 9)."""

from __future__ import annotations

import pytest

from analysis import sentiment
from analysis.sentiment import Sentiment, remedies_after_problem, tone
from analysis.sentiment_remedy import removed_problems, without_removed
from tests.analysis.test_sentiment_policy import scores

WHY = "Why do you say that?"
# Reasons partners who agreed gave (the demo's and the smoke test's), read negative before.
SUPPORT = [
    "Fewer competitive bids means less money wasted on consultants writing applications.",
    "Yes - a single settlement would stop funding being wasted on competitive bids.",
    "Advisory panels are too often ignored; a formal role would make employers' advice count.",
    "One pot of money would end years of delays to transport schemes.",
    "A regional board would prevent smaller councils being left out.",
]
# Criticism that names a removal it denies, or no removal at all: still negative.
CRITICISM = [
    "The deal will not reduce delays to transport schemes.",
    "The settlement does little to end the waste on competitive bids.",
    "The bus stop is dirty and unsafe.",
    "Money is wasted on consultants writing applications.",
    "Advisory panels are too often ignored and will be again.",
    "The deal will make things worse for smaller councils.",
]


@pytest.mark.parametrize("text", SUPPORT)
def test_a_problem_the_proposal_ends_is_not_negative(text, engine):
    (value,) = scores([text], WHY, engine)
    assert value >= 0 or tone(value) == "neutral", value
    assert value > Sentiment(WHY).vader(text) or value >= 0


@pytest.mark.parametrize("text", CRITICISM)
def test_criticism_stays_negative(text, engine):
    (value,) = scores([text], WHY, engine)
    assert value < 0, value


def test_the_removed_problem_is_found_and_its_negative_words_dropped():
    lexicon = Sentiment(WHY)._analyzer.lexicon
    text = SUPPORT[0]
    spans = removed_problems(text, lexicon)
    assert [text[a:b] for a, b in spans] == [
        "Fewer competitive bids means less money wasted on consultants",
        "less money wasted on consultants writing applications",
    ]
    assert "wasted" not in without_removed(text, spans, lexicon)
    assert removed_problems("The deal will not reduce delays.", lexicon) == []
    assert removed_problems("At the bus stop it was dirty.", lexicon) == []


def test_a_remedy_counts_only_after_a_clear_problem():
    analyzer = Sentiment(WHY)._analyzer
    assert remedies_after_problem(SUPPORT[2], analyzer) == [
        "a formal role would make employers' advice count"
    ]
    # "pay" is barely negative in VADER (-0.4): no problem to remedy
    plain = "Firms that pay business rates want a say. A formal role would give them a voice."
    assert remedies_after_problem(plain, analyzer) == []
    # a remedy clause that is itself negative or negated is none
    assert (
        remedies_after_problem("Panels are ignored; this will not make them count.", analyzer) == []
    )


@pytest.mark.parametrize("question", ["What could we do better?", "What was good?", None])
def test_other_questions_are_scored_as_before(question, monkeypatch):
    texts = [*SUPPORT, *CRITICISM]
    now = [Sentiment(question).score(t) for t in texts]
    monkeypatch.setattr(sentiment, "REMEDY_RULES", False)
    assert [Sentiment(question).score(t) for t in texts] == now


def test_without_the_rules_the_supportive_reasons_read_negative(monkeypatch):
    monkeypatch.setattr(sentiment, "REMEDY_RULES", False)
    why = Sentiment(WHY)
    assert all(why.score(text) < -0.2 for text in SUPPORT[:3])
