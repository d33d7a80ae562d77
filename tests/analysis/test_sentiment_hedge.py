"""Hedged, mild answers are not read at the extremes (sent11, smoke15 finding 7)."""

from __future__ import annotations

import pytest

from analysis import sentiment
from analysis.sentiment import Sentiment, is_hedged
from tests.analysis.test_sentiment_policy import scores

WHY = "Why do you say that?"
# The demo's own answers to "Why do you say that?" that the finding read (-1.0 and -0.23).
LOSE_OUT = (
    "We think expensive engineering courses may lose out if money is spread evenly. Our staff "
    "also feel that colleges need stable national funding rules; devolution adds another "
    "layer of bureaucracy."
)
SHORT_BLOCKS = "Learners could build up qualifications in short blocks instead of one full year."
# The same criticism, hedged and not.
HEDGED = "We think expensive engineering courses may lose out if money is spread evenly."
PLAIN = "Expensive engineering courses lose out when money is spread evenly."


@pytest.mark.parametrize(
    "text",
    [
        "Courses may lose out.",
        "This might be a problem.",
        "Perhaps too late.",
        "We think it is too small.",
        "I believe the plan is weak.",
        "Our main concern is cost.",
        "We are worried about the cuts.",
        "Colleges could face more audits.",
    ],
)
def test_hedges_are_found(text):
    assert is_hedged(text)


@pytest.mark.parametrize(
    "text",
    [
        "The settlement is too small.",
        "Could not be better.",
        "Nothing could be better.",
        "Couldn't fault them.",
        "I could not fault the staff.",
        "Maybelline",
        "",
    ],
)
def test_plain_views_and_satisfied_replies_are_not_hedged(text):
    assert not is_hedged(text)


def test_the_findings_answers_are_not_read_at_the_extremes(engine):
    lose_out, short_blocks = scores([LOSE_OUT, SHORT_BLOCKS], WHY, engine)
    # still negative (it criticises), but not the -1.0 a reader takes for fury
    assert -0.9 < lose_out < -0.2
    # a proposal worded mildly reads neutral, not negative
    assert sentiment.tone(short_blocks) == "neutral"


def test_a_hedge_damps_the_rules_score_and_keeps_its_sign(monkeypatch):
    why = Sentiment(WHY)
    hedged, plain = why.score(HEDGED), why.score(PLAIN)
    # "expensive" and "lose"; the cue "lose out" repeats VADER's "lose" and counts no
    # further (sent12's STACK_RULES)
    assert -1.0 < plain < -0.4
    assert hedged == round(sentiment.HEDGE_SCALE * plain, 4)
    assert plain < hedged < 0
    monkeypatch.setattr(sentiment, "STACK_RULES", False)  # as sent11 measured it
    why = Sentiment(WHY)
    assert why.score(PLAIN) == -1.0
    assert why.score(HEDGED) == round(sentiment.HEDGE_SCALE * -1.0, 4)
    praise = Sentiment("What was good about your visit?")
    assert (
        0
        < praise.score("I think the staff were wonderful.")
        < praise.score("The staff were wonderful.")
    )


def test_no_hedged_answer_scores_beyond_the_scale(monkeypatch):
    why = Sentiment(WHY)
    text = (
        "We believe the settlement is still too small, too many conditions remain attached, "
        "so it is not real control, and councils may be left out."
    )
    assert abs(why.score(text)) <= sentiment.HEDGE_SCALE
    monkeypatch.setattr(sentiment, "HEDGE_SCALE", 1.0)  # off: as before sent11
    monkeypatch.setattr(sentiment, "STACK_RULES", False)  # and before sent12
    assert Sentiment(WHY).score(text) == -1.0


def test_bare_replies_keep_their_scores():
    change = Sentiment("What could we do better?")
    assert change.score("Nothing") == sentiment.BARE_SATISFIED
    assert change.score("n/a") == 0.0
