"""Criticism cues stacked on VADER's own words do not read a view as fury, and a problem
followed by its remedy reads as mixed (sent12, issue 12)."""

from __future__ import annotations

import pytest

from analysis import sentiment
from analysis.sentiment import Sentiment, solution_turns
from tests.analysis.test_sentiment_policy import scores

WHY = "Why do you say that?"
# The demo's answers to "Why do you say that?" that sent11 left at the extremes.
LEFT_OUT = "Non-constituent authorities risk being left out of decisions about the money."
# from respondents who agreed with the proposal
FIXES_THAT = (
    "Annual funding rounds stop us signing long contracts with builders and operators; a "
    "multi-year settlement fixes that. The principle is right but the amount is too small "
    "and the rules too tight."
)
FEWER_BIDS = (
    "In our view, leaders who live here can see which neighbourhoods need investment most. "
    "Fewer competitive bids means less money wasted on consultants writing applications. "
    "The principle is right but the amount is too small and the rules too tight."
)


@pytest.mark.parametrize(
    "text",
    [
        "A multi-year settlement fixes that.",
        "Pooling the grants would solve this.",
        "A standing board could help fix the problem.",
        "The principle is right.",
        "It is right in principle.",
        "We agree in principle.",
    ],
)
def test_remedies_are_found(text):
    assert solution_turns(text)


@pytest.mark.parametrize(
    "text",
    [
        "The sums on offer will not fix that.",
        "The deal doesn't fix that.",
        "It cannot solve the problem.",
        "A fix is needed.",
        "The principal is on leave.",
        "",
    ],
)
def test_no_remedy_is_found_where_none_is_offered(text):
    assert not solution_turns(text)


def test_the_unhedged_extreme_is_negative_but_not_furious(engine, monkeypatch):
    (left_out,) = scores([LEFT_OUT], WHY, engine)
    assert -0.9 < left_out < -0.2
    monkeypatch.setattr(sentiment, "STACK_RULES", False)  # as sent11 left it
    assert scores([LEFT_OUT], WHY, engine) == [-1.0]


def test_supportive_answers_with_a_reservation_are_not_read_as_hostile(engine, monkeypatch):
    fixes_that, fewer_bids = scores([FIXES_THAT, FEWER_BIDS], WHY, engine)
    # a problem and its remedy: mixed, not -0.95
    assert sentiment.tone(fixes_that) in ("neutral", "positive")
    assert fixes_that <= sentiment.SOLUTION_WEIGHT
    # "the principle is right but ..." concedes and lifts nothing since rev16
    # (CONCESSION_RULES): its reservation ("too small", "too tight") keeps this one below
    # zero; "less money wasted" names a benefit and is not read as a complaint since fixs18
    # (REMEDY_RULES: -0.47 before); still not hostile (-0.92 before sent12)
    assert -0.5 < fewer_bids < 0
    monkeypatch.setattr(sentiment, "REMEDY_RULES", False)
    assert scores([FEWER_BIDS], WHY, engine)[0] < fewer_bids
    monkeypatch.setattr(sentiment, "REMEDY_RULES", True)
    monkeypatch.setattr(sentiment, "CONCESSION_RULES", False)  # as sent12 left it
    assert sentiment.tone(scores([FEWER_BIDS], WHY, engine)[0]) == "neutral"
    monkeypatch.setattr(sentiment, "STACK_RULES", False)
    before = scores([FIXES_THAT, FEWER_BIDS], WHY, engine)
    assert all(value <= -0.9 for value in before), before


def test_a_cue_vader_already_reads_counts_no_further():
    why = Sentiment(WHY)
    # "risk" is in VADER's lexicon: the cue "risk being" adds nothing; "left out" is not
    alone = why.vader("Councils risk being excluded.")
    assert why.score("Councils risk being excluded.") == round(alone, 4)
    assert why.score("Councils are left out.") == -0.4
    # "leave" is barely negative in VADER (-0.2): the cue "leave none" still counts
    thin = "Splitting it would leave none with the money."
    assert why.score(thin) < why.vader(thin) - 0.3


def test_one_sentences_cues_count_once_and_never_reach_minus_one():
    why = Sentiment(WHY)
    one = why.score("The amount is too small.")
    assert one == -0.4
    assert why.score("The amount is too small and the rules too tight.") == one
    # three sentences, three cues: each takes 0.4 of what is left to -1
    three = why.score("The amount is too small. The rules are too tight. Councils are left out.")
    assert three == round(-1 + 0.6**3, 4)
    assert -1.0 < three < one


def test_a_remedy_lifts_a_problem_to_at_most_mildly_positive():
    why = Sentiment(WHY)
    problem = why.score("The amount is too small.")
    remedied = why.score("The amount is too small. A multi-year settlement fixes that.")
    assert problem < remedied <= sentiment.SOLUTION_WEIGHT
    # already warm: the remedy adds nothing
    warm = "Local control is excellent and wonderful news for residents."
    assert why.score(warm + " A single settlement fixes that.") == why.score(warm)
    assert why.score(warm) > sentiment.SOLUTION_WEIGHT


@pytest.mark.parametrize("question", ["What could we do better?", None])
def test_other_questions_are_scored_as_before(question, monkeypatch):
    texts = [LEFT_OUT, FIXES_THAT, "The wait was too long and the staff too busy."]
    now = [Sentiment(question).score(t) for t in texts]
    monkeypatch.setattr(sentiment, "STACK_RULES", False)
    assert [Sentiment(question).score(t) for t in texts] == now
