"""Stock courtesies and conceded praise set aside before scoring (kw18, smoke18r #9)."""

from __future__ import annotations

import pytest

import analysis.sentiment as sentiment_module
from analysis.courtesy import for_scoring, readings, turned, without_courtesies
from analysis.sentiment import Sentiment, tone

ANYTHING_ELSE = "Is there anything else you would like to tell us about the deal?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thank you for the chance to respond.", ""),
        ("Many thanks for the opportunity to comment.", ""),
        ("We welcome the opportunity to respond to this consultation.", ""),
        (
            "Six weeks is not enough time. Thank you for the chance to respond.",
            "Six weeks is not enough time.",
        ),
        ("Thank you for the opportunity to comment; we think it is weak.", "We think it is weak."),
        # thanks for anything else is praise and stays
        ("Thank you for everything the nurses did.", "Thank you for everything the nurses did."),
        ("Thank you.", "Thank you."),
    ],
)
def test_courtesies(text: str, expected: str) -> None:
    assert without_courtesies(text) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "We welcome the direction, but the first years' allocation will not cover "
            "existing commitments.",
            "The first years' allocation will not cover existing commitments.",
        ),
        # what follows "but" names no problem VADER misses: VADER's own "but" rule weighs it
        ("Staff were lovely but the wait was long.", "Staff were lovely but the wait was long."),
        # no turn
        ("Not only the staff but also the food was great.", None),
        ("It was nothing but good.", None),
        ("The care was good but not perfect, which is great.", None),
    ],
)
def test_turned(sentence: str, expected: str | None) -> None:
    assert turned(sentence) == (sentence if expected is None else expected)


def test_passive_agreed_is_not_approval() -> None:
    assert "agreed" not in for_scoring("Tell us when the final deal will be agreed.")
    assert "agreed" in for_scoring("We agreed with the plan.")


def test_readings_of_empty_text() -> None:
    assert readings("") == ("", "")


@pytest.mark.parametrize(
    "text",
    [
        "For a school like ours, six weeks over the summer holidays is not enough time for "
        "volunteers to respond. Thank you for the chance to respond.",
        "Tell us what happens next and when the final deal will be agreed.",
        "Thank you for the chance to respond.",
        "Tell us what happens next and when the final deal will be agreed. Thank you for the "
        "chance to respond.",
    ],
)
def test_smoke18r_answers_no_longer_positive(text: str) -> None:
    score = Sentiment(question=ANYTHING_ELSE).score(text)
    assert tone(score) != "positive"


def test_welcome_but_reads_lower() -> None:
    text = (
        "We welcome the direction, but the first years' allocation will not cover existing "
        "commitments."
    )
    scorer = Sentiment(question=ANYTHING_ELSE)
    before = _without_rules(text)
    assert scorer.score(text) < before
    assert scorer.score(text) < 0


def _without_rules(text: str) -> float:
    old = sentiment_module.COURTESY_RULES
    sentiment_module.COURTESY_RULES = False
    try:
        return Sentiment(question=ANYTHING_ELSE).score(text)
    finally:
        sentiment_module.COURTESY_RULES = old


def test_both_engines_read_the_rules() -> None:
    """The fast engine's blend and the semantic one's both start from the rules' score; on a
    call for views (the demo's questions) the rules alone are the score."""
    text = "Thank you for the chance to respond."
    scorer = Sentiment(question=ANYTHING_ELSE)
    assert scorer.score_answers([text]) == [0.0]


def test_repeatable() -> None:
    text = "We support more control, but smaller councils will not get a fair share."
    assert Sentiment().score(text) == Sentiment().score(text)
