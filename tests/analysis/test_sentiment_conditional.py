"""Conditional support read as qualified, not as praise (sent26, issue 12).

"Control is welcome if the funding formula protects the smaller boroughs" answers a call for
views with support on a condition: the condition is the point, often a worry. VADER read it
+0.65 ("welcome", "protects"), as warmly as unconditional praise.
"""

from __future__ import annotations

import pytest

import analysis.sentiment as sentiment_module
from analysis.conditional_support import (
    conditional_sentences,
    is_conditional_support,
    without_conditional_praise,
)
from analysis.sentiment import Sentiment, tone

WHY = "Why do you say that?"
CONTROL = "Control is welcome if the funding formula protects the smaller boroughs."
DEVOLUTION = "Devolution is fine as long as free English and maths courses stay."


@pytest.mark.parametrize(
    "sentence",
    [
        CONTROL,
        DEVOLUTION,
        "We support this provided that the funding is ring-fenced.",
        "We would support it provided the money is ring-fenced.",
        "This would be good as long as small providers are protected.",
        "I agree with the proposal so long as rural areas get their share.",
        "We welcome the plan, subject to a fair funding formula.",
        "Pooling is acceptable only if every council keeps a vote.",
        "Child actors are fine to use as long as there is a responsible adult watching them.",
        "If the formula protects smaller boroughs, control is welcome.",
        "As long as the free courses stay, devolution is fine.",
        "Provided the money is ring-fenced, we support this.",
    ],
)
def test_conditional_support_is_found(sentence: str) -> None:
    assert is_conditional_support(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # a prediction or a worry on a condition, not support
        "Private investors will follow if business helps choose the projects.",
        "Expensive engineering courses may lose out if money is spread evenly.",
        # support whatever happens
        "We support this even if it costs more.",
        # unconditional praise
        "Control is welcome.",
        "The staff were very good.",
        # "if" as "whether"
        "People should have the right to decide if they want to vote.",
        "We asked if the plan was good.",
        # support and a condition in different sentences
        "We support this. If it fails, councils will pay.",
        # "provided" as a participle, and an approval asked about (NHS development answers)
        "They have been very helpful & cannot fault the service provided.",
        "We had many calls asking if everything is Okay and if we are coping.",
        # a service there when wanted
        "The ward staff are very helpful if you need anything.",
        "Support & help, always good if needed.",
    ],
)
def test_other_sentences_are_not(sentence: str) -> None:
    assert not is_conditional_support(sentence)


def test_conditional_sentences_are_picked_out_of_an_answer() -> None:
    answer = f"Multi-year funding gives certainty. {CONTROL} Local control is good."
    assert conditional_sentences(answer) == [CONTROL]
    assert conditional_sentences("Local control is good.") == []


def test_the_support_and_the_asked_for_words_are_not_praise() -> None:
    lexicon = Sentiment()._analyzer.lexicon
    assert without_conditional_praise(CONTROL, lexicon) == (
        "Control is if the funding formula the smaller boroughs."
    )
    # a worry in the condition stays
    worry = "This is fine as long as colleges do not lose funding."
    assert "lose" in without_conditional_praise(worry, lexicon)
    # other sentences as they are
    answer = f"Staff were great. {DEVOLUTION}"
    assert without_conditional_praise(answer, lexicon).startswith("Staff were great. ")
    assert without_conditional_praise("Staff were great.", lexicon) == "Staff were great."


@pytest.mark.parametrize(
    "text", [CONTROL, DEVOLUTION, f"In our view, {CONTROL[0].lower()}{CONTROL[1:]}"]
)
def test_conditional_support_reads_as_mild_support(text: str) -> None:
    scorer = Sentiment(question=WHY)
    value = scorer.score(text)
    assert 0 < value < sentiment_module.NEUTRAL_BAND, value
    assert tone(value) == "neutral"


def test_the_rule_off_reads_as_before() -> None:
    old = sentiment_module.CONDITION_RULES
    sentiment_module.CONDITION_RULES = False
    try:
        assert Sentiment(question=WHY).score(CONTROL) >= 0.6
        assert Sentiment(question=WHY).score(DEVOLUTION) >= 0.6
    finally:
        sentiment_module.CONDITION_RULES = old


def test_a_worry_as_the_condition_reads_below_plain_conditional_support() -> None:
    scorer = Sentiment(question=WHY)
    worry = scorer.score("Devolution is fine as long as colleges do not lose out on funding.")
    assert worry < scorer.score(DEVOLUTION)


@pytest.mark.parametrize(
    "text",
    [
        "Control is welcome.",
        "Private investors will follow if business helps choose the projects.",
        "We think expensive engineering courses may lose out if money is spread evenly.",
        "Staff were lovely but the wait was long.",
        "",
    ],
)
@pytest.mark.parametrize("question", [WHY, "What could we do better?", None])
def test_answers_without_conditional_support_are_unchanged(text: str, question) -> None:
    on = Sentiment(question=question).score(text)
    old = sentiment_module.CONDITION_RULES
    sentiment_module.CONDITION_RULES = False
    try:
        off = Sentiment(question=question).score(text)
    finally:
        sentiment_module.CONDITION_RULES = old
    assert on == off


def test_both_engines_read_the_demo_answer_the_same_and_repeat_it() -> None:
    from analysis.static_vectors import plain_vectors

    texts = [
        CONTROL,
        DEVOLUTION,
        "Local control means decisions are made by people who know the region.",
    ]
    scorer = Sentiment(question=WHY)
    fast = scorer.score_answers(texts, static=plain_vectors(texts))
    again = Sentiment(question=WHY).score_answers(texts, static=plain_vectors(texts))
    assert fast == again
    # a call for views: the rules alone, for either engine
    assert fast == [scorer.score(t) for t in texts]
    assert all(tone(v) == "neutral" for v in fast[:2])
